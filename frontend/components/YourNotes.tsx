"use client";

import Link from "next/link";
import { cancelRequest, confirmRecipient, listNotes, type ListedNote } from "@/lib/api";
import { describeError } from "@/lib/api-error";
import { formatLocalDateTime } from "@/lib/format";
import { STATUS_LABELS } from "@/lib/polling";
import { statusPath } from "@/lib/capabilities";
import { useLinkAction } from "@/hooks/use-link-action";
import { DeleteNote } from "./DeleteNote";

const EXPIRED =
  "This link is unknown or has expired (links are valid for 1 hour). Ask for a new one below the recorder.";

async function confirmAndList(token: string): Promise<ListedNote[]> {
  await confirmRecipient(token);
  return (await listNotes(token)).items;
}

/** The notes sent to the address a "my notes" link went to. Opening the link confirms the address. */
export function YourNotes() {
  const [loaded, setLoaded] = useLinkAction(confirmAndList, EXPIRED);

  async function cancel(note: ListedNote) {
    try {
      // Each listed note carries a capability of its own, from this link.
      const canceled = await cancelRequest(note.id, note.access_token);
      setLoaded((now) =>
        now.state === "done"
          ? {
              state: "done",
              value: now.value.map((item) =>
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
      now.state === "done" ? { state: "done", value: now.value.filter((item) => item.id !== note.id) } : now,
    );
  }

  return (
    <section className="card" aria-labelledby="notes-heading">
      <h1 id="notes-heading">Your notes</h1>
      <div role="status" aria-live="polite">
        {loaded.state === "pending" && <p>Loading…</p>}
        {loaded.state === "failed" && <p className="field-error">{loaded.message}</p>}
        {loaded.state === "done" && (
          <p className="muted">
            Your address is confirmed. {loaded.value.length === 1 ? "1 note" : `${loaded.value.length} notes`} sent to
            it:
          </p>
        )}
      </div>
      {loaded.state === "done" && (
        <ul className="notes-list">
          {loaded.value.map((note) => (
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
