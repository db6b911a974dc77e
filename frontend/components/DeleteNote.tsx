"use client";

import { useId, useState } from "react";
import { deleteRequest } from "@/lib/api";
import { ApiError, describeError } from "@/lib/api-error";
import { forgetNote } from "@/lib/capabilities";
import { focusOnMount } from "./focus-on-mount";

interface DeleteNoteProps {
  id: string;
  token: string;
  /** Called once the note is gone (deleted now, or already). */
  onDeleted: () => void;
  /** Open with the confirmation shown (the email's delete link), still asking before deleting. */
  askFirst?: boolean;
}

/** Deletes the note's audio, transcript and summary, after asking once. */
export function DeleteNote({ id, token, onDeleted, askFirst = false }: DeleteNoteProps) {
  // null until the person chooses: until then the link's request (askFirst) decides.
  const [choice, setChoice] = useState<boolean | null>(null);
  const confirming = choice ?? askFirst;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Unique, since a list of notes (the "my notes" page) shows one of these per note.
  const textId = useId();

  async function remove() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await deleteRequest(id, token);
      forgetNote(id);
      onDeleted();
    } catch (failure) {
      // Already deleted (or expired): the note is gone either way.
      if (failure instanceof ApiError && failure.status === 404) {
        forgetNote(id);
        onDeleted();
        return;
      }
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="actions">
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby={textId}>
          <p id={textId}>
            Delete this note? Its recording, transcript and summary are removed for good, and an email not sent yet will
            not go.
          </p>
          <div className="button-row">
            <button ref={focusOnMount} type="button" className="button-danger" aria-disabled={busy} onClick={remove}>
              Yes, delete it
            </button>
            <button type="button" className="button-secondary" onClick={() => setChoice(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button-secondary" onClick={() => setChoice(true)}>
          Delete note
        </button>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
