"use client";

import { useState } from "react";
import { downloadTranscript, type TranscriptFormat } from "@/lib/api";
import { describeError } from "@/lib/api-error";

const LABELS: Record<TranscriptFormat, string> = {
  txt: "Text (.txt)",
  srt: "Subtitles (.srt)",
  vtt: "Subtitles (.vtt)",
};

interface TranscriptDownloadsProps {
  id: string;
  token: string;
  /** The files the transcript has (the request's `transcript.formats`). */
  formats: TranscriptFormat[];
}

/**
 * One button per file the transcript can be kept as. The download needs the note's key in the
 * Authorization header, which a plain link cannot send: the file is fetched, then saved from
 * memory under the name the API gives it (`transcript.<format>`).
 */
export function TranscriptDownloads({ id, token, formats }: TranscriptDownloadsProps) {
  const [busy, setBusy] = useState<TranscriptFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (formats.length === 0) return null;

  async function save(format: TranscriptFormat) {
    if (busy) return;
    setBusy(format);
    setError(null);
    try {
      const file = await downloadTranscript(id, token, format);
      const url = URL.createObjectURL(file);
      const link = document.createElement("a");
      link.href = url;
      link.download = `transcript.${format}`;
      link.click();
      // After the click the browser has the file; the next task may free it.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="transcript-downloads" role="group" aria-label="Download the transcript">
      <p className="muted">Download the transcript:</p>
      <div className="button-row">
        {formats.map((format) => (
          <button
            key={format}
            type="button"
            className="button-secondary"
            aria-disabled={busy !== null}
            onClick={() => save(format)}
          >
            {busy === format ? "Downloading…" : LABELS[format]}
          </button>
        ))}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
