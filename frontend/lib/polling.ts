/**
 * Pure pieces of the status page: how long to wait between polls, when to
 * stop, and the words shown for each status and stage.
 */
import type { RequestStage, RequestStatus } from "./api";

export const FIRST_POLL_DELAY_MS = 500;
const MAX_POLL_DELAY_MS = 5000;

/** 500 ms, 1 s, 2 s, 4 s, then every 5 s: quick feedback without hammering the gateway. */
export function nextPollDelay(previousMs: number): number {
  return Math.min(previousMs * 2, MAX_POLL_DELAY_MS);
}

const FINAL_STATUSES: ReadonlySet<RequestStatus> = new Set(["sent", "failed", "canceled"]);

export function isFinalStatus(status: RequestStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export const STATUS_LABELS: Readonly<Record<RequestStatus, string>> = {
  pending: "Waiting to start",
  processing: "Working on it",
  sent: "Summary sent",
  failed: "Something went wrong",
  canceled: "Canceled",
};

export const STAGE_LABELS: Readonly<Record<RequestStage, string>> = {
  transcribing: "Transcribing your recording…",
  summarizing: "Writing the summary…",
  emailing: "Sending the email…",
};
