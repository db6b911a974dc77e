/**
 * How far the transcription of a request has come, as the status page shows it: the
 * percentage and an estimate of the time left. Pure, so that every case is unit-tested.
 */
import type { VoiceRequest } from "./api";

export interface TranscriptionProgress {
  /** Whole percent done, 0 to 100 (100 only once all the audio is done). */
  percent: number;
  /** Estimated milliseconds left; null while there is too little to go on. */
  remainingMs: number | null;
}

// Before this share is done, or this long has passed, the rate is mostly the start-up (upload,
// decoding, loading): an estimate from it would jump about.
const MIN_PROGRESS_FOR_ESTIMATE = 0.02;
const MIN_ELAPSED_FOR_ESTIMATE_MS = 5000;

/** The whole percent transcribed of a request that is transcribing and has reported progress. */
export function transcribingPercent(request: VoiceRequest): number | null {
  const { progress } = request;
  if (request.status !== "processing" || request.stage !== "transcribing" || progress === null) return null;
  return Math.floor(Math.min(1, Math.max(0, progress)) * 100);
}

/**
 * The progress of a request that is transcribing and has reported some, else null. The time
 * left assumes the rest goes at the pace so far: elapsed × (1 − progress) / progress.
 */
export function transcriptionProgress(request: VoiceRequest, nowMs: number): TranscriptionProgress | null {
  const { progress, transcription_started_at: startedAt } = request;
  const percent = transcribingPercent(request);
  if (percent === null || progress === null) return null;
  const elapsedMs = startedAt === null ? NaN : nowMs - Date.parse(startedAt);
  const estimable = progress >= MIN_PROGRESS_FOR_ESTIMATE && progress < 1 && elapsedMs >= MIN_ELAPSED_FOR_ESTIMATE_MS;
  return { percent, remainingMs: estimable ? (elapsedMs * (1 - progress)) / progress : null };
}

/** "Less than a minute left", "About 4 minutes left", "About 1 h 20 min left". */
export function formatTimeLeft(remainingMs: number | null): string {
  if (remainingMs === null) return "Estimating the time left…";
  const minutes = Math.ceil(remainingMs / 60_000);
  if (remainingMs < 60_000) return "Less than a minute left";
  if (minutes < 60) return `About ${minutes} minute${minutes === 1 ? "" : "s"} left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `About ${hours} h${rest ? ` ${rest} min` : ""} left`;
}
