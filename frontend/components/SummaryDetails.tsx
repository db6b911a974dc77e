import type { VoiceRequest } from "@/lib/api";
import { formatLocalDateTime } from "@/lib/format";
import { DELIVERY_LABELS } from "@/lib/polling";
import { TranscriptDownloads } from "./TranscriptDownloads";

/**
 * The results as they arrive: summary, delivery, then the full transcript (with its downloads
 * when the note's key, `token`, is known).
 */
export function SummaryDetails({ request, token }: { request: VoiceRequest; token?: string }) {
  const { summary, delivery, transcript } = request;
  if (!summary && !delivery && !transcript) return null;

  return (
    <>
      {summary && (
        <section className="card" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          <ul className="bullets">
            {summary.bullets.map((bullet, index) => (
              <li key={index}>{bullet}</li>
            ))}
          </ul>
          <h3>Next step</h3>
          <p className="next-step">{summary.next_step}</p>
        </section>
      )}

      {delivery && (
        <section className="card" aria-labelledby="delivery-heading">
          <h2 id="delivery-heading">Email</h2>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{DELIVERY_LABELS[delivery.status]}</dd>
            <dt>To</dt>
            <dd>{request.email}</dd>
            {delivery.sent_at && (
              <>
                <dt>Sent</dt>
                <dd>{formatLocalDateTime(delivery.sent_at)}</dd>
              </>
            )}
            <dt>Via</dt>
            <dd>{delivery.provider}</dd>
          </dl>
        </section>
      )}

      {transcript && (
        <section className="card" aria-labelledby="transcript-heading">
          <h2 id="transcript-heading">Transcript</h2>
          <details>
            <summary>Show the full transcript{transcript.language ? ` (${transcript.language})` : ""}</summary>
            <p className="transcript">{transcript.text}</p>
          </details>
          {token && <TranscriptDownloads id={request.id} token={token} formats={transcript.formats} />}
        </section>
      )}
    </>
  );
}
