/**
 * Pure pieces of the status page: how long to wait between polls, when to
 * stop, and the words shown for each status, stage and email delivery status.
 */
import type { DeliveryStatus, RequestStage, RequestStatus, VoiceRequest } from "./api";

export const FIRST_POLL_DELAY_MS = 500;
const MAX_POLL_DELAY_MS = 5000;
// A request due hours from now is still checked now and then: it may be moved or canceled
// from another device.
const MAX_WAITING_POLL_DELAY_MS = 60_000;
// Wake a little before the due time, so that the start of the work is seen.
const WAKE_EARLY_MS = 2000;

/** 500 ms, 1 s, 2 s, 4 s, then every 5 s: quick feedback without hammering the gateway. */
export function nextPollDelay(previousMs: number): number {
  return Math.min(previousMs * 2, MAX_POLL_DELAY_MS);
}

/**
 * The wait before the next poll: the backoff, or for a request that is only due later (a
 * scheduled send, a retry after a failed attempt) until shortly before then, at most a minute.
 */
export function delayBeforeNextPoll(request: VoiceRequest, backoffMs: number, nowMs: number): number {
  if (request.status !== "pending") return backoffMs;
  const untilDueMs = Date.parse(request.next_attempt_at ?? request.send_at) - nowMs;
  if (!(untilDueMs > backoffMs + WAKE_EARLY_MS)) return backoffMs;
  return Math.min(untilDueMs - WAKE_EARLY_MS, MAX_WAITING_POLL_DELAY_MS);
}

const FINAL_STATUSES: ReadonlySet<RequestStatus> = new Set(["sent", "failed", "canceled"]);

export function isFinalStatus(status: RequestStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export const STATUS_LABELS: Readonly<Record<RequestStatus, string>> = {
  pending: "Waiting to start",
  awaiting_confirmation: "Check your inbox to confirm",
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

export const DELIVERY_LABELS: Readonly<Record<DeliveryStatus, string>> = {
  sending: "Sending",
  sent: "Sent",
  failed: "Not delivered",
  unknown: "Not confirmed",
};
