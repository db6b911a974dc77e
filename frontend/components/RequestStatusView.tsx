"use client";

import Link from "next/link";
import { useRequestPolling } from "@/hooks/use-request-polling";
import type { VoiceRequest } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { STAGE_LABELS, STATUS_LABELS } from "@/lib/polling";
import { SummaryDetails } from "./SummaryDetails";

/** Live status of one request: shareable by URL, so it fetches everything itself. */
export function RequestStatusView({ id }: { id: string }) {
  const { request, error, polling } = useRequestPolling(id);

  return (
    <>
      <section className="card" aria-labelledby="status-heading">
        <h1 id="status-heading">Your voice note</h1>
        {/* Only the short status line is live, so screen readers hear progress, not the whole page. */}
        <div className="status-line" role="status" aria-live="polite">
          {request ? <StatusLine request={request} /> : !error && <p>Loading…</p>}
          {error && (
            <p className={request ? "muted" : "field-error"}>
              {error}
              {polling && " Retrying…"}
            </p>
          )}
        </div>
        {request && <RequestFacts request={request} />}
      </section>

      {request && <SummaryDetails request={request} />}

      <p className="center">
        <Link href="/">Record another note</Link>
      </p>
    </>
  );
}

function StatusLine({ request }: { request: VoiceRequest }) {
  return (
    <p>
      <span className={`badge badge-${request.status}`}>{STATUS_LABELS[request.status]}</span>
      {request.status === "processing" && request.stage && <> {STAGE_LABELS[request.stage]}</>}
    </p>
  );
}

function RequestFacts({ request }: { request: VoiceRequest }) {
  const scheduledAt = request.status === "pending" ? request.send_at : null;
  return (
    <>
      {scheduledAt && (
        <p>
          Scheduled for <strong>{formatDateTime(scheduledAt)}</strong>. The summary will go to{" "}
          <strong>{request.email}</strong>.
        </p>
      )}
      {!scheduledAt && request.status !== "sent" && request.status !== "failed" && (
        <p className="muted">The summary will be emailed to {request.email}. You can leave this page open or come back later.</p>
      )}
      {request.status === "failed" && (
        <div className="notice notice-error">
          <p className="notice-title">We could not finish this request</p>
          <p>{request.error?.message ?? "No further details were given."}</p>
        </div>
      )}
      {request.status === "canceled" && <p>This request was canceled; no email will be sent.</p>}
    </>
  );
}
