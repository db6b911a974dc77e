import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { VoiceRequest } from "./api";
import { formatTimeLeft, transcriptionProgress } from "./transcription";

const started = "2026-11-30T12:00:00Z";
const at = (seconds: number) => Date.parse(started) + seconds * 1000;

/** Only what the progress depends on (as lib/polling.test.ts builds its requests). */
function transcribing(progress: number | null, changes: Partial<VoiceRequest> = {}): VoiceRequest {
  return {
    status: "processing",
    stage: "transcribing",
    progress,
    transcription_started_at: progress === null ? null : started,
    ...changes,
  } as VoiceRequest;
}

describe("transcription progress", () => {
  test("is the whole percent done and the time left at the pace so far", () => {
    // 40 % in 60 s: 60 % more takes 90 s.
    assert.deepEqual(transcriptionProgress(transcribing(0.4), at(60)), { percent: 40, remainingMs: 90_000 });
    assert.equal(transcriptionProgress(transcribing(0.999), at(60))?.percent, 99);
    assert.deepEqual(transcriptionProgress(transcribing(1), at(60)), { percent: 100, remainingMs: null });
  });

  test("gives no estimate from too little", () => {
    assert.deepEqual(transcriptionProgress(transcribing(0), at(60)), { percent: 0, remainingMs: null });
    assert.equal(transcriptionProgress(transcribing(0.01), at(60))?.remainingMs, null);
    assert.equal(transcriptionProgress(transcribing(0.5), at(2))?.remainingMs, null);
    // A clock behind the server's: no negative time elapsed.
    assert.equal(transcriptionProgress(transcribing(0.5), at(-30))?.remainingMs, null);
  });

  test("is null unless transcribing with progress", () => {
    assert.equal(transcriptionProgress(transcribing(null), at(60)), null);
    assert.equal(transcriptionProgress(transcribing(0.5, { stage: "summarizing" }), at(60)), null);
    assert.equal(transcriptionProgress(transcribing(0.5, { status: "pending", stage: null }), at(60)), null);
  });
});

describe("time left", () => {
  test("reads as a person would say it, rounded up", () => {
    assert.equal(formatTimeLeft(null), "Estimating the time left…");
    assert.equal(formatTimeLeft(20_000), "Less than a minute left");
    assert.equal(formatTimeLeft(60_000), "About 1 minute left");
    assert.equal(formatTimeLeft(61_000), "About 2 minutes left");
    assert.equal(formatTimeLeft(60 * 60_000), "About 1 h left");
    assert.equal(formatTimeLeft(80 * 60_000), "About 1 h 20 min left");
  });
});
