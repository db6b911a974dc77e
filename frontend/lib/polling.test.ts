import assert from "node:assert/strict";
import { test } from "node:test";
import { FIRST_POLL_DELAY_MS, isFinalStatus, nextPollDelay } from "./polling";

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
