"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { unsubscribe } from "@/lib/api";
import { ApiError, describeError } from "@/lib/api-error";
import { takeLinkToken } from "@/lib/capabilities";

type Step =
  | { state: "reading" }
  | { state: "ready"; token: string | null }
  | { state: "done" }
  | { state: "failed"; message: string };

/**
 * Stops the emails with one button. Opening the page changes nothing: a link in an email is also
 * opened by link scanners, which must not unsubscribe anyone. (Mail clients use the one-click
 * List-Unsubscribe header instead, which POSTs to the API directly.)
 */
export function Unsubscribe() {
  const [step, setStep] = useState<Step>({ state: "reading" });
  const started = useRef(false);

  // The fragment exists only in the browser: read it once after the first render (a second
  // run of the effect, under React's strict mode, would find it already cleared).
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = takeLinkToken(window.location, window.history);
    void Promise.resolve().then(() => setStep({ state: "ready", token }));
  }, []);

  async function stop(token: string) {
    try {
      await unsubscribe(token);
      setStep({ state: "done" });
    } catch (error) {
      const expired = error instanceof ApiError && error.status === 404;
      setStep({ state: "failed", message: expired ? "This link is unknown or has expired." : describeError(error) });
    }
  }

  return (
    <section className="card" aria-labelledby="unsubscribe-heading">
      <h1 id="unsubscribe-heading">Stop these emails</h1>
      <div role="status" aria-live="polite">
        {step.state === "ready" && step.token === null && (
          <p className="field-error">This link is incomplete: open it from the email again.</p>
        )}
        {step.state === "done" && (
          <p>
            Done: this address gets no more voice note summaries. To receive them again, confirm it with the link of a
            new confirmation or &ldquo;my notes&rdquo; email.
          </p>
        )}
        {step.state === "failed" && <p className="field-error">{step.message}</p>}
      </div>
      {step.state === "ready" && step.token !== null && (
        <button type="button" className="button-primary" onClick={() => void stop(step.token as string)}>
          Stop all emails to this address
        </button>
      )}
      <p>
        <Link href="/">Record a voice note</Link>
      </p>
    </section>
  );
}
