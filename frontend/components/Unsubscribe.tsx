"use client";

import Link from "next/link";
import { useState } from "react";
import { unsubscribe } from "@/lib/api";
import { linkFailureMessage, useLinkAction } from "@/hooks/use-link-action";

const EXPIRED = "This link is unknown or has expired.";

type Stopping = { state: "idle" } | { state: "done" } | { state: "failed"; message: string };

/**
 * Stops the emails with one button. Opening the page changes nothing: a link in an email is also
 * opened by link scanners, which must not unsubscribe anyone. (Mail clients use the one-click
 * List-Unsubscribe header instead, which POSTs to the API directly.)
 */
export function Unsubscribe() {
  // Opening the page only reads the token.
  const [link] = useLinkAction((token) => Promise.resolve(token), EXPIRED);
  const [stopping, setStopping] = useState<Stopping>({ state: "idle" });

  async function stop(token: string) {
    try {
      await unsubscribe(token);
      setStopping({ state: "done" });
    } catch (error) {
      setStopping({ state: "failed", message: linkFailureMessage(error, EXPIRED) });
    }
  }

  return (
    <section className="card" aria-labelledby="unsubscribe-heading">
      <h1 id="unsubscribe-heading">Stop these emails</h1>
      <div role="status" aria-live="polite">
        {link.state === "failed" && <p className="field-error">{link.message}</p>}
        {stopping.state === "done" && (
          <p>
            Done: this address gets no more voice note summaries. To receive them again, confirm it with the link of a
            new confirmation or &ldquo;my notes&rdquo; email.
          </p>
        )}
        {stopping.state === "failed" && <p className="field-error">{stopping.message}</p>}
      </div>
      {link.state === "done" && stopping.state === "idle" && (
        <button type="button" className="button-primary" onClick={() => void stop(link.value)}>
          Stop all emails to this address
        </button>
      )}
      <p>
        <Link href="/">Record a voice note</Link>
      </p>
    </section>
  );
}
