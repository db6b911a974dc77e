import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  baseMimeType,
  canChooseFile,
  checkAudioFile,
  fileNameFor,
  initialRecorderState,
  pickMimeType,
  PREFERRED_MIME_TYPES,
  problemFromError,
  recorderReducer,
  remainingMs,
  type Recording,
  type RecorderEvent,
  type RecorderState,
} from "./recorder";

// The reducer only stores the stream; it never touches it, so a stand-in will do.
const stream = {} as MediaStream;
const recording: Recording = {
  blob: new Blob(["x"]),
  fileName: "voice-note.webm",
  source: "microphone",
  durationMs: 12_000,
};
const file: Recording = { blob: new Blob(["y"]), fileName: "note.mp3", source: "file", durationMs: null };

function run(...events: RecorderEvent[]): RecorderState {
  return events.reduce(recorderReducer, initialRecorderState);
}

describe("recorder state machine", () => {
  test("records: idle → requesting → recording → recorded", () => {
    assert.deepEqual(run({ type: "request" }), { kind: "requesting" });
    assert.deepEqual(run({ type: "request" }, { type: "started", at: 5, stream }), {
      kind: "recording",
      startedAt: 5,
      stream,
    });
    assert.deepEqual(
      run({ type: "request" }, { type: "started", at: 5, stream }, { type: "stopped", recording, atLimit: false }),
      { kind: "recorded", recording, stoppedAtLimit: false },
    );
  });

  test("remembers that the length limit stopped the recording", () => {
    const state = run(
      { type: "request" },
      { type: "started", at: 0, stream },
      { type: "stopped", recording, atLimit: true },
    );
    assert.deepEqual(state, { kind: "recorded", recording, stoppedAtLimit: true });
  });

  test("a refused microphone is an error that can be retried", () => {
    const denied = run({ type: "request" }, { type: "failed", problem: "denied" });
    assert.deepEqual(denied, { kind: "error", problem: "denied" });
    assert.deepEqual(recorderReducer(denied, { type: "request" }), { kind: "requesting" });
  });

  test("a recording recovered from an earlier visit is ready to send, but not while recording", () => {
    const recovered: Recording = { ...recording, draftId: "d1", recovered: true };
    assert.deepEqual(recorderReducer(initialRecorderState, { type: "restored", recording: recovered }), {
      kind: "recorded",
      recording: recovered,
      stoppedAtLimit: false,
    });
    const recordingNow = run({ type: "request" }, { type: "started", at: 0, stream });
    assert.equal(recorderReducer(recordingNow, { type: "restored", recording: recovered }), recordingNow);
  });

  test("discarding returns to idle from a recording or an error", () => {
    const recorded = run({ type: "fileChosen", recording: file });
    assert.deepEqual(recorderReducer(recorded, { type: "discard" }), { kind: "idle" });
    const failed = run({ type: "request" }, { type: "failed", problem: "busy" });
    assert.deepEqual(recorderReducer(failed, { type: "discard" }), { kind: "idle" });
  });

  test("a chosen file replaces a recording, but not while the microphone is in use", () => {
    const recorded = run(
      { type: "request" },
      { type: "started", at: 0, stream },
      { type: "stopped", recording, atLimit: true },
    );
    assert.deepEqual(recorderReducer(recorded, { type: "fileChosen", recording: file }), {
      kind: "recorded",
      recording: file,
      stoppedAtLimit: false,
    });
    const recordingNow = run({ type: "request" }, { type: "started", at: 0, stream });
    assert.equal(recorderReducer(recordingNow, { type: "fileChosen", recording: file }), recordingNow);
    assert.equal(canChooseFile(recordingNow), false);
    assert.equal(canChooseFile({ kind: "requesting" }), false);
  });

  test("events that make no sense in a state leave it unchanged", () => {
    const cases: [RecorderState, RecorderEvent][] = [
      [initialRecorderState, { type: "started", at: 1, stream }],
      [initialRecorderState, { type: "stopped", recording, atLimit: false }],
      [initialRecorderState, { type: "failed", problem: "failed" }],
      [initialRecorderState, { type: "discard" }],
      [{ kind: "requesting" }, { type: "request" }],
      [{ kind: "recording", startedAt: 0, stream }, { type: "request" }],
      [{ kind: "recording", startedAt: 0, stream }, { type: "discard" }],
    ];
    for (const [state, event] of cases)
      assert.equal(recorderReducer(state, event), state, `${state.kind} + ${event.type}`);
  });
});

describe("recording limit", () => {
  test("counts down to zero and never below", () => {
    assert.equal(remainingMs(0, 600_000), 600_000);
    assert.equal(remainingMs(599_250, 600_000), 750);
    assert.equal(remainingMs(700_000, 600_000), 0);
  });
});

describe("audio formats", () => {
  test("prefers Opus in WebM, then AAC in MP4 (Safari), then any MP4, then Ogg, else the default", () => {
    assert.deepEqual(
      [...PREFERRED_MIME_TYPES],
      ["audio/webm;codecs=opus", "audio/mp4;codecs=mp4a.40.2", "audio/mp4", "audio/ogg;codecs=opus"],
    );
    assert.equal(
      pickMimeType(() => true),
      "audio/webm;codecs=opus",
    );
    assert.equal(
      pickMimeType(() => false),
      undefined,
    );
  });

  test("picks what each browser records", () => {
    // What isTypeSupported answers for our candidates in each (from their release notes).
    const browsers: [string, string[], string][] = [
      ["Android Chrome", ["audio/webm;codecs=opus", "audio/webm", "audio/mp4"], "audio/webm;codecs=opus"],
      ["iOS Safari 17", ["audio/mp4", "audio/mp4;codecs=mp4a.40.2"], "audio/mp4;codecs=mp4a.40.2"],
      ["iOS Safari 14.5", ["audio/mp4"], "audio/mp4"],
      ["Safari 18.4", ["audio/webm;codecs=opus", "audio/mp4;codecs=mp4a.40.2", "audio/mp4"], "audio/webm;codecs=opus"],
      ["Firefox", ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"], "audio/webm;codecs=opus"],
      ["Firefox without WebM", ["audio/ogg;codecs=opus"], "audio/ogg;codecs=opus"],
    ];
    for (const [browser, supported, expected] of browsers) {
      const picked = pickMimeType((type) => supported.includes(type));
      assert.equal(picked, expected, browser);
      // Each is sent under a name the gateway reads as the container it is.
      assert.match(fileNameFor(picked ?? ""), /\.(webm|m4a|ogg)$/, browser);
    }
  });

  test("names the upload after the recorded type", () => {
    assert.equal(baseMimeType("audio/webm;codecs=opus"), "audio/webm");
    assert.equal(fileNameFor("audio/webm;codecs=opus"), "voice-note.webm");
    assert.equal(fileNameFor("audio/mp4"), "voice-note.m4a");
    assert.equal(fileNameFor("audio/mp4;codecs=mp4a.40.2"), "voice-note.m4a");
    assert.equal(fileNameFor("audio/ogg; codecs=opus"), "voice-note.ogg");
    assert.equal(fileNameFor(""), "voice-note");
  });

  test("accepts audio (and untyped or WebM/MP4 video) files, rejects others and empty ones", () => {
    for (const type of ["audio/mpeg", "audio/wav", "", "video/webm", "video/mp4", "AUDIO/FLAC"]) {
      assert.equal(checkAudioFile({ type, size: 10 }), null, type);
    }
    assert.equal(checkAudioFile({ type: "text/plain", size: 10 }), "not-audio");
    assert.equal(checkAudioFile({ type: "image/png", size: 10 }), "not-audio");
    assert.equal(checkAudioFile({ type: "audio/wav", size: 0 }), "empty");
  });
});

describe("microphone failures", () => {
  test("map DOMException names to problems the page explains", () => {
    const cases: [string, string][] = [
      ["NotAllowedError", "denied"],
      ["SecurityError", "denied"],
      ["NotFoundError", "no-microphone"],
      ["OverconstrainedError", "no-microphone"],
      ["NotReadableError", "busy"],
      ["AbortError", "failed"],
    ];
    for (const [name, problem] of cases) assert.equal(problemFromError(new DOMException("x", name)), problem, name);
    assert.equal(problemFromError("not an error"), "failed");
    assert.equal(problemFromError(null), "failed");
  });
});
