"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { cancelRequest, confirmRecipient, listNotes, type ListedNote } from "@/lib/api";
import { ApiError, describeError } from "@/lib/api-error";
import { formatLocalDateTime } from "@/lib/format";
import { STATUS_LABELS } from "@/lib/polling";
import { statusPath, takeLinkToken } from "@/lib/capabilities";
import { DeleteNote } from "./DeleteNote";

type Loaded = { state: "loading" } | { state: "listed"; notes: ListedNote[] } | { state: "failed"; message: string };

const INCOMPLETE = "This link is incomplete: open it from the email again.";

function failureMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 404) {
    return "This link is unknown or has expired (links are valid for 1 hour). Ask for a new one below the recorder.";
  }
  return error instanceof Error && error.message === INCOMPLETE ? INCOMPLETE : describeError(error);
}

/** The notes sent to the address a "my notes" link went to. Opening the link confirms the address. */
export function YourNotes() {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = takeLinkToken(window.location, window.history);
    const listing =
      token === null ? Promise.reject(new Error(INCOMPLETE)) : confirmRecipient(token).then(() => listNotes(token));
    listing.then(
      (page) => setLoaded({ state: "listed", notes: page.items }),
      (error: unknown) => setLoaded({ state: "failed", message: failureMessage(error) }),
    );
  }, []);

  async function cancel(note: ListedNote) {
    try {
      // Each listed note carries a capability minted for this listing.
      const canceled = await cancelRequest(note.id, note.access_token);
      setLoaded((now) =>
        now.state === "listed"
          ? {
              state: "listed",
              notes: now.notes.map((item) =>
                item.id === note.id ? { ...canceled, access_token: item.access_token } : item,
              ),
            }
          : now,
      );
    } catch (error) {
      setLoaded({ state: "failed", message: describeError(error) });
    }
  }

  function forget(note: ListedNote) {
    setLoaded((now) =>
      now.state === "listed" ? { state: "listed", notes: now.notes.filter((item) => item.id !== note.id) } : now,
    );
  }

  return (
    <section className="card" aria-labelledby="notes-heading">
      <h1 id="notes-heading">Your notes</h1>
      <div role="status" aria-live="polite">
        {loaded.state === "loading" && <p>Loading…</p>}
        {loaded.state === "failed" && <p className="field-error">{loaded.message}</p>}
        {loaded.state === "listed" && (
          <p className="muted">
            Your address is confirmed. {loaded.notes.length === 1 ? "1 note" : `${loaded.notes.length} notes`} sent to
            it:
          </p>
        )}
      </div>
      {loaded.state === "listed" && (
        <ul className="notes-list">
          {loaded.notes.map((note) => (
            <li key={note.id}>
              <Link href={statusPath(note.id, note.access_token)}>{note.summary?.bullets[0] ?? "Voice note"}</Link>{" "}
              <span className={`badge badge-${note.status}`}>{STATUS_LABELS[note.status]}</span>{" "}
              <span className="muted">{formatLocalDateTime(note.created_at)}</span>
              {(note.status === "pending" || note.status === "awaiting_confirmation") && (
                <button type="button" className="button-secondary" onClick={() => void cancel(note)}>
                  Cancel
                </button>
              )}
              <DeleteNote id={note.id} token={note.access_token} onDeleted={() => forget(note)} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link href="/">Record a voice note</Link>
      </p>
    </section>
  );
}
