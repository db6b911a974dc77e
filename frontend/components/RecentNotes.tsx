"use client";

import Link from "next/link";
import { useMemo, useSyncExternalStore } from "react";
import { parseNotes, statusPath, storedNotesText, subscribeToNotes } from "@/lib/capabilities";
import { formatLocalDateTime } from "@/lib/format";

/** The notes this browser created (their capabilities live in localStorage only). */
export function RecentNotes() {
  // The server renders with no notes; the browser's storage is read once it hydrates.
  const stored = useSyncExternalStore(
    subscribeToNotes,
    () => storedNotesText(),
    () => "[]",
  );
  const notes = useMemo(() => parseNotes(stored), [stored]);
  if (notes.length === 0) return null;

  return (
    <section className="card" aria-labelledby="recent-heading">
      <h2 id="recent-heading">Your recent notes</h2>
      <p className="muted">Kept in this browser only: anyone with a note&apos;s link can open it.</p>
      <ul className="recent-notes">
        {notes.map((note) => (
          <li key={note.id}>
            <Link href={statusPath(note.id, note.token)}>
              {note.email || "Voice note"}
              {note.createdAt && <span className="muted"> · {formatLocalDateTime(note.createdAt)}</span>}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
