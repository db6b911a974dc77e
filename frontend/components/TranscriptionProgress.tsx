"use client";

import { useNow } from "@/hooks/use-now";
import type { VoiceRequest } from "@/lib/api";
import { formatTimeLeft, transcriptionProgress } from "@/lib/transcription";

/**
 * While a note is transcribed: a progress bar and the estimated time left, updated as the page
 * polls. The bar is outside the page's live region, so a screen reader is not read every new
 * percentage; it tells it on demand (aria-valuenow, aria-valuetext).
 */
export function TranscriptionProgressBar({ request }: { request: VoiceRequest }) {
  const transcribing = request.status === "processing" && request.stage === "transcribing";
  // The estimate ages between polls too (it is coarse: minutes).
  const now = useNow(5000, transcribing);
  const progress = transcriptionProgress(request, now);
  if (progress === null) return null;
  const timeLeft = formatTimeLeft(progress.remainingMs);
  return (
    <div className="transcription-progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label="Transcription"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress.percent}
        aria-valuetext={`${progress.percent} %, ${timeLeft.toLowerCase()}`}
      >
        <div className="progress-fill" style={{ width: `${progress.percent}%` }} />
      </div>
      <p className="muted time-left">{timeLeft}</p>
    </div>
  );
}
