"use client";

import { useState, type FormEvent } from "react";
import { emailNotesLink } from "@/lib/api";
import { describeError } from "@/lib/api-error";

/** "Email me my notes": a link to every note sent to an address, for the address's owner only. */
export function EmailMyNotes() {
  const [email, setEmail] = useState("");
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await emailNotesLink(email);
      setMessage({
        error: false,
        text: "If notes were sent to this address, it will get a link to them (valid for 1 hour). Check your inbox.",
      });
    } catch (error) {
      setMessage({ error: true, text: describeError(error) });
    }
  }

  return (
    <form className="card email-my-notes" onSubmit={(event) => void submit(event)}>
      <h2>Your earlier notes</h2>
      <label htmlFor="notes-email">Email me a link to my notes</label>
      <div className="button-row">
        <input
          id="notes-email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <button type="submit" className="button-secondary">
          Email me my notes
        </button>
      </div>
      {message && (
        <p role="status" className={message.error ? "field-error" : "muted"}>
          {message.text}
        </p>
      )}
    </form>
  );
}
