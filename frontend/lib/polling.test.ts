import assert from "node:assert/strict";
import { test } from "node:test";
import type { VoiceRequest } from "./api";
import { delayBeforeNextPoll, FIRST_POLL_DELAY_MS, isFinalStatus, nextPollDelay } from "./polling";

test("polling backs off from half a second to every five", () => {
  const delays = [FIRST_POLL_DELAY_MS];
  while (delays.length < 6) delays.push(nextPollDelay(delays.at(-1) ?? 0));
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 5000, 5000]);
});

test("polling stops at sent, failed and canceled", () => {
  assert.deepEqual((["pending", "processing", "sent", "failed", "canceled"] as const).filter(isFinalStatus), [
    "sent",
    "failed",
    "canceled",
  ]);
});

function pending(sendAt: string, nextAttemptAt: string | null = null): VoiceRequest {
  return { status: "pending", send_at: sendAt, next_attempt_at: nextAttemptAt } as VoiceRequest;
}

test("a request due later is polled shortly before it is due, at least every minute", () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  assert.equal(delayBeforeNextPoll(pending("2026-11-27T12:00:30Z"), 5000, now), 28_000);
  assert.equal(delayBeforeNextPoll(pending("2026-11-27T18:00:00Z"), 5000, now), 60_000);
  // A retry waiting for its next attempt counts, not the original send time.
  assert.equal(delayBeforeNextPoll(pending("2026-11-27T11:00:00Z", "2026-11-27T12:00:10Z"), 500, now), 8000);
});

test("a request due now, or already working, keeps the quick backoff", () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  assert.equal(delayBeforeNextPoll(pending("2026-11-27T11:59:00Z"), 2000, now), 2000);
  assert.equal(delayBeforeNextPoll(pending("2026-11-27T12:00:03Z"), 2000, now), 2000);
  const working = { ...pending("2026-11-27T18:00:00Z"), status: "processing" } as VoiceRequest;
  assert.equal(delayBeforeNextPoll(working, 2000, now), 2000);
});
