"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { useDeleteAsked, useNoteToken } from "@/hooks/use-note-token";
import { useNow } from "@/hooks/use-now";
import { useRequestPolling } from "@/hooks/use-request-polling";
import type { RequestStage, VoiceRequest } from "@/lib/api";
import { formatLocalDateTime } from "@/lib/format";
import { STAGE_LABELS } from "@/lib/polling";
import { rememberNote } from "@/lib/capabilities";
import { describeFailure, isScheduled, statusBadge } from "@/lib/progress";
import { transcribingPercent } from "@/lib/transcription";
import { DeleteNote } from "./DeleteNote";
import { ProgressSteps } from "./ProgressSteps";
import { RequestActions } from "./RequestActions";
import { SummaryDetails } from "./SummaryDetails";
import { TranscriptionAsked } from "./TranscriptionAsked";
import { TranscriptionProgressBar } from "./TranscriptionProgress";

/**
 * Live status of one request. Its URL carries the note's capability in the fragment
 * (`#token=…`), so the link works on any device and reloads; this browser also remembers it.
 */
export function RequestStatusView({ id }: { id: string }) {
  const token = useNoteToken(id);
  const [deleted, setDeleted] = useState(false);
  // The summary email's "Delete this note" link opens this page with the confirmation shown.
  const askDelete = useDeleteAsked();
  const { request, error, polling, refresh } = useRequestPolling(id, deleted ? null : token);
  // Only decides "scheduled" vs "waiting to start"; polling refreshes everything else.
  const now = new Date(useNow(15_000));
  const scheduled = request !== null && isScheduled(request, now);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // After an action its buttons may vanish; put focus somewhere sensible rather than on <body>.
  const handleChange = useCallback(
    (updated?: VoiceRequest) => {
      refresh(updated);
      headingRef.current?.focus();
    },
    [refresh],
  );

  // A note opened from a link (another device, an email) joins this browser's recent notes.
  useEffect(() => {
    if (token && request) rememberNote({ id: request.id, token, email: request.email, createdAt: request.created_at });
  }, [token, request]);

  if (deleted || token === null) return <NoteUnavailable deleted={deleted} />;

  return (
    <>
      <section className="card" aria-labelledby="status-heading">
        <h1 id="status-heading" ref={headingRef} tabIndex={-1}>
          Your voice note
        </h1>
        {/* Only the short status line is live, so screen readers hear progress, not the whole page. */}
        <div className="status-line" role="status" aria-live="polite">
          {request ? (
            <p>
              <span className={`badge badge-${request.status}`}>{statusBadge(request, now)}</span>
              {request.status === "processing" && request.stage && <> {stageLine(request, request.stage)}</>}
            </p>
          ) : (
            !error && <p>Loading…</p>
          )}
          {error && (
            <p className={request ? "muted" : "field-error"}>
              {error}
              {polling && " Retrying…"}
            </p>
          )}
        </div>
        {request && request.status !== "canceled" && <ProgressSteps request={request} />}
        {request && <TranscriptionProgressBar request={request} />}
        {request && <RequestFacts request={request} scheduled={scheduled} />}
        {request && <TranscriptionAsked request={request} />}
        {request && token && (
          <RequestActions request={request} token={token} scheduled={scheduled} onChange={handleChange} />
        )}
        {request && token && (
          <DeleteNote id={request.id} token={token} askFirst={askDelete} onDeleted={() => setDeleted(true)} />
        )}
      </section>

      {request && <SummaryDetails request={request} token={token} />}

      <p className="center">
        <Link href="/">Record another note</Link>
      </p>
    </>
  );
}

/**
 * What a processing request is doing: "Transcribing… 40 %" once its transcription reports
 * progress. The percentage is hidden from the live region (the progress bar tells it on
 * demand), so a screen reader announces the stage, not every poll's new figure.
 */
function stageLine(request: VoiceRequest, stage: RequestStage) {
  const percent = transcribingPercent(request);
  if (percent === null) return STAGE_LABELS[stage];
  return (
    <>
      Transcribing…<span aria-hidden="true"> {percent} %</span>
    </>
  );
}

/** A deleted note, or a status page opened without the note's key. */
function NoteUnavailable({ deleted }: { deleted: boolean }) {
  return (
    <>
      <section className="card" aria-labelledby="status-heading">
        <h1 id="status-heading">{deleted ? "Note deleted" : "This link is incomplete"}</h1>
        <p className="muted">
          {deleted
            ? "Its recording, transcript and summary are gone."
            : "A note can only be opened with the full link you got when you sent it (the part after # is its key), " +
              "or from the browser you sent it from."}
        </p>
      </section>
      <p className="center">
        <Link href="/">Record another note</Link>
      </p>
    </>
  );
}

function RequestFacts({ request, scheduled }: { request: VoiceRequest; scheduled: boolean }) {
  switch (request.status) {
    case "pending":
    case "processing":
      return (
        <>
          {scheduled ? (
            <p className="scheduled-for">
              Scheduled for <strong>{formatLocalDateTime(request.send_at)}</strong>. The summary will go to{" "}
              <strong>{request.email}</strong>.
            </p>
          ) : (
            <p className="muted">
              The summary will be emailed to {request.email}. You can leave this page open or come back later.
            </p>
          )}
          {request.next_attempt_at && (
            <div className="notice">
              <p className="notice-title">
                Attempt {request.attempts} did not work; we will try again at{" "}
                {formatLocalDateTime(request.next_attempt_at)}.
              </p>
              <p>{describeFailure(request.error)}</p>
            </div>
          )}
        </>
      );
    case "awaiting_confirmation":
      return (
        <div className="notice">
          <p className="notice-title">Check your inbox to confirm</p>
          <p>
            We sent a confirmation link to <strong>{request.email}</strong>. Nothing else is emailed to an address until
            it is confirmed; once it is, your summary is sent at the time you chose (right away if that has passed). The
            link is valid for 7 days; no email? Look in your spam folder.
          </p>
        </div>
      );
    case "failed":
      return (
        <div className="notice notice-error">
          <p className="notice-title">We could not finish this request</p>
          <p>{describeFailure(request.error)}</p>
        </div>
      );
    case "canceled":
      return <p>This request was canceled; no email will be sent.</p>;
    case "sent":
      return null;
  }
}
