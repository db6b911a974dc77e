"use client";

import Link from "next/link";
import { confirmRecipient } from "@/lib/api";
import { useLinkAction } from "@/hooks/use-link-action";

const EXPIRED = "This link is unknown or has expired. Send a note to the address again to get a new one.";

/** Confirms the address with the token of the link that opened the page. */
export function ConfirmAddress() {
  const [outcome] = useLinkAction((token) => confirmRecipient(token), EXPIRED);

  return (
    <section className="card" aria-labelledby="confirm-heading">
      <h1 id="confirm-heading">Confirm your address</h1>
      <div role="status" aria-live="polite">
        {outcome.state === "pending" && <p>Confirming…</p>}
        {outcome.state === "done" && (
          <p className="confirmed">
            Your address is confirmed.{" "}
            {outcome.value.released_requests === 1
              ? "The note that waited for it is on its way."
              : outcome.value.released_requests > 1
                ? `The ${outcome.value.released_requests} notes that waited for it are on their way.`
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
