/**
 * The pages an emailed link opens (`/confirm#token=…`, `/notes#token=…`, `/unsubscribe#token=…`)
 * share one shape: read the link's token from the fragment once, then remove it from the address
 * bar (so it stays out of the history), act with it, and show the outcome. An unknown or expired
 * token is a 404, told in the page's own words.
 */
import { type Dispatch, type SetStateAction, useEffect, useRef, useState } from "react";
import { ApiError, describeError } from "@/lib/api-error";
import { takeLinkToken } from "@/lib/capabilities";

export type LinkOutcome<T> = { state: "pending" } | { state: "done"; value: T } | { state: "failed"; message: string };

export const INCOMPLETE_LINK = "This link is incomplete: open it from the email again.";

/** What a failed link action tells the person: `expired` for a 404, else the API's message. */
export function linkFailureMessage(error: unknown, expired: string): string {
  return error instanceof ApiError && error.status === 404 ? expired : describeError(error);
}

/**
 * Runs `act` once with the link's token. The outcome can be changed afterwards (a page that
 * lists notes updates its list).
 */
export function useLinkAction<T>(
  act: (token: string) => Promise<T>,
  expired: string,
): [LinkOutcome<T>, Dispatch<SetStateAction<LinkOutcome<T>>>] {
  const [outcome, setOutcome] = useState<LinkOutcome<T>>({ state: "pending" });
  // The token is taken once: a second run of the effect (React's strict mode) would find none.
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = takeLinkToken(window.location, window.history);
    const acting = token === null ? Promise.reject(new Error(INCOMPLETE_LINK)) : act(token);
    acting.then(
      (value) => setOutcome({ state: "done", value }),
      (error: unknown) =>
        setOutcome({
          state: "failed",
          message:
            error instanceof Error && error.message === INCOMPLETE_LINK
              ? INCOMPLETE_LINK
              : linkFailureMessage(error, expired),
        }),
    );
    // `act` and `expired` are read once, with the token: later renders must not act again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return [outcome, setOutcome];
}
