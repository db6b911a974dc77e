import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { VoiceRequest } from "./api";
import { describeFailure, isScheduled, progressSteps, statusBadge } from "./progress";

const now = new Date("2026-11-27T12:00:00Z");

function request(changes: Partial<VoiceRequest>): VoiceRequest {
  return {
    id: "6f1c0a4e-0000-4000-8000-000000000001",
    status: "pending",
    stage: null,
    email: "ada@example.com",
    audio_id: "6f1c0a4e-0000-4000-8000-000000000002",
    send_at: "2026-11-27T11:59:00Z",
    created_at: "2026-11-27T11:59:00Z",
    updated_at: "2026-11-27T11:59:00Z",
    attempts: 0,
    next_attempt_at: null,
    time_zone: null,
    vocabulary: [],
    language: "auto",
    transcript: null,
    summary: null,
    delivery: null,
    error: null,
    progress: null,
    transcription_started_at: null,
    ...changes,
  };
}

const transcript: NonNullable<VoiceRequest["transcript"]> = {
  source: "transcribed",
  text: "Ask not.",
  language: "en",
  formats: ["txt", "srt", "vtt"],
};
const summary = { bullets: ["Ask not."], next_step: "Ask." };
const states = (value: VoiceRequest) => progressSteps(value).map((step) => `${step.stage}:${step.state}`);

describe("progress steps", () => {
  test("nothing has started while pending", () => {
    assert.deepEqual(states(request({})), ["transcribing:upcoming", "summarizing:upcoming", "emailing:upcoming"]);
  });

  test("follow the stage while processing", () => {
    assert.deepEqual(states(request({ status: "processing", stage: "transcribing" })), [
      "transcribing:current",
      "summarizing:upcoming",
      "emailing:upcoming",
    ]);
    assert.deepEqual(states(request({ status: "processing", stage: "emailing", transcript, summary })), [
      "transcribing:done",
      "summarizing:done",
      "emailing:current",
    ]);
  });

  test("a reused transcript counts as done even though it never ran", () => {
    const reused = request({
      status: "processing",
      stage: "summarizing",
      transcript: { ...transcript, source: "existing" },
    });
    assert.deepEqual(states(reused), ["transcribing:done", "summarizing:current", "emailing:upcoming"]);
  });

  test("all done once sent", () => {
    assert.deepEqual(states(request({ status: "sent", transcript, summary })), [
      "transcribing:done",
      "summarizing:done",
      "emailing:done",
    ]);
  });

  test("a failure marks the first step without a result", () => {
    const error = { code: "audio_undecodable", message: "the audio could not be decoded" };
    assert.deepEqual(states(request({ status: "failed", error })), [
      "transcribing:failed",
      "summarizing:upcoming",
      "emailing:upcoming",
    ]);
    assert.deepEqual(states(request({ status: "failed", transcript, summary, error })), [
      "transcribing:done",
      "summarizing:done",
      "emailing:failed",
    ]);
  });
});

describe("status badge", () => {
  test("tells scheduled, retrying and ready-to-start pending requests apart", () => {
    assert.equal(statusBadge(request({ send_at: "2026-11-28T18:30:00Z" }), now), "Scheduled");
    assert.equal(statusBadge(request({}), now), "Waiting to start");
    const retrying = request({
      attempts: 1,
      next_attempt_at: "2026-11-27T12:00:30Z",
      error: { code: "x", message: "y" },
    });
    assert.equal(statusBadge(retrying, now), "Will try again");
  });

  test("names the other statuses", () => {
    assert.equal(statusBadge(request({ status: "processing" }), now), "Working on it");
    assert.equal(statusBadge(request({ status: "sent" }), now), "Summary sent");
    assert.equal(statusBadge(request({ status: "failed" }), now), "Something went wrong");
    assert.equal(statusBadge(request({ status: "canceled" }), now), "Canceled");
  });

  test("only a pending request with send_at ahead is scheduled", () => {
    assert.equal(isScheduled(request({ send_at: "2026-11-27T12:00:01Z" }), now), true);
    assert.equal(isScheduled(request({ send_at: "2026-11-27T12:00:00Z" }), now), false);
    assert.equal(isScheduled(request({ status: "canceled", send_at: "2026-11-28T00:00:00Z" }), now), false);
  });
});

describe("failures", () => {
  test("known codes get advice, others the server's words as a sentence", () => {
    assert.match(describeFailure({ code: "no_speech", message: "x" }), /No speech was found/);
    assert.match(describeFailure({ code: "audio_undecodable", message: "x" }), /could not be read/);
    assert.equal(describeFailure({ code: "email_rejected", message: "mailbox unavailable" }), "Mailbox unavailable.");
    assert.equal(describeFailure(null), "No further details were given.");
  });
});
