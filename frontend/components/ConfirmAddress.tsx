"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { confirmRecipient } from "@/lib/api";
import { ApiError, describeError } from "@/lib/api-error";
import { takeLinkToken } from "@/lib/capabilities";

type Outcome =
  { state: "confirming" } | { state: "confirmed"; released: number } | { state: "failed"; message: string };

const INCOMPLETE = "This link is incomplete: open it from the email again.";

function failureMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.status === 404
      ? "This link is unknown or has expired. Send a note to the address again to get a new one."
      : describeError(error);
  }
  return error instanceof Error && error.message === INCOMPLETE ? INCOMPLETE : describeError(error);
}

/** Confirms the address with the token of the link that opened the page. */
export function ConfirmAddress() {
  const [outcome, setOutcome] = useState<Outcome>({ state: "confirming" });

  // The link is used once: a second run of the effect (React's strict mode) finds no token.
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = takeLinkToken(window.location, window.history);
    const confirming = token === null ? Promise.reject(new Error(INCOMPLETE)) : confirmRecipient(token);
    confirming.then(
      (confirmed) => setOutcome({ state: "confirmed", released: confirmed.released_requests }),
      (error: unknown) => setOutcome({ state: "failed", message: failureMessage(error) }),
    );
  }, []);

  return (
    <section className="card" aria-labelledby="confirm-heading">
      <h1 id="confirm-heading">Confirm your address</h1>
      <div role="status" aria-live="polite">
        {outcome.state === "confirming" && <p>Confirming…</p>}
        {outcome.state === "confirmed" && (
          <p className="confirmed">
            Your address is confirmed.{" "}
            {outcome.released === 1
              ? "The note that waited for it is on its way."
              : outcome.released > 1
                ? `The ${outcome.released} notes that waited for it are on their way.`
                : "Summaries sent to it will now arrive."}
          </p>
        )}
        {outcome.state === "failed" && <p className="field-error">{outcome.message}</p>}
      </div>
      <p>
        <Link href="/">Record a voice note</Link>
      </p>
    </section>
  );
}
