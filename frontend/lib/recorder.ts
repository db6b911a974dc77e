/**
 * The recorder as a small pure state machine, plus the browser-independent
 * decisions around it (which audio format to ask for, what a failure means,
 * how much time is left). The React side (hooks/use-recorder.ts) only wires
 * these to real APIs.
 *
 *   idle ──request──▶ requesting ──started──▶ recording ──stopped──▶ recorded
 *     ▲                   │                       │                    │
 *     └──── discard ── error ◀──── failed ────────┘        discard ────┘
 *
 * Choosing (or dropping) a file, or recovering a recording kept from an earlier
 * visit (lib/recording-drafts.ts), jumps straight to `recorded` from idle, error
 * or recorded; a rejected file never changes the state (see hooks/use-recorder.ts).
 */

export interface Recording {
  blob: Blob;
  /** Name sent with the upload; the gateway may use its extension as a hint. */
  fileName: string;
  source: "microphone" | "file";
  /** Length of a microphone recording; unknown for a chosen file. */
  durationMs: number | null;
  /** The copy kept in IndexedDB against a crash (lib/recording-drafts.ts), if one is. */
  draftId?: string;
  /** Recovered after a reload or a crash, rather than recorded in this visit. */
  recovered?: boolean;
}

/** Why we are not recording; each one has its own explanation in `describeProblem`. */
export type RecorderProblem =
  "denied" | "no-microphone" | "busy" | "insecure" | "unsupported" | "failed" | "not-audio" | "empty";

export type RecorderState =
  | { kind: "idle" }
  | { kind: "requesting" }
  | { kind: "recording"; startedAt: number; stream: MediaStream }
  | { kind: "recorded"; recording: Recording; stoppedAtLimit: boolean }
  | { kind: "error"; problem: RecorderProblem };

export type RecorderEvent =
  | { type: "request" }
  | { type: "started"; at: number; stream: MediaStream }
  | { type: "stopped"; recording: Recording; atLimit: boolean }
  | { type: "failed"; problem: RecorderProblem }
  | { type: "fileChosen"; recording: Recording }
  | { type: "restored"; recording: Recording }
  | { type: "discard" };

export const initialRecorderState: RecorderState = { kind: "idle" };

/** Events that make no sense in the current state are ignored, not thrown. */
export function recorderReducer(state: RecorderState, event: RecorderEvent): RecorderState {
  switch (event.type) {
    case "request":
      return state.kind === "idle" || state.kind === "error" ? { kind: "requesting" } : state;
    case "started":
      return state.kind === "requesting" ? { kind: "recording", startedAt: event.at, stream: event.stream } : state;
    case "stopped":
      return state.kind === "recording"
        ? { kind: "recorded", recording: event.recording, stoppedAtLimit: event.atLimit }
        : state;
    case "failed":
      return state.kind === "requesting" || state.kind === "recording"
        ? { kind: "error", problem: event.problem }
        : state;
    case "fileChosen":
    case "restored":
      return canChooseFile(state) ? { kind: "recorded", recording: event.recording, stoppedAtLimit: false } : state;
    case "discard":
      return state.kind === "recorded" || state.kind === "error" ? { kind: "idle" } : state;
  }
}

/** A file may replace the current audio unless the microphone is in use. */
export function canChooseFile(state: RecorderState): boolean {
  return state.kind === "idle" || state.kind === "error" || state.kind === "recorded";
}

/** Below this much time left, the countdown is shown as a warning (and announced). */
export const LIMIT_WARNING_MS = 30_000;

/** Time left before the recorder stops by itself; never negative. */
export function remainingMs(elapsedMs: number, maxMs: number): number {
  return Math.max(0, maxMs - elapsedMs);
}

/**
 * The formats asked for, in this order; the first one `MediaRecorder.isTypeSupported` accepts
 * wins, and with none the browser records its default:
 *
 * 1. Opus in WebM: Chrome and Edge (Android Chrome included), Firefox, Safari from 18.4. Small
 *    (about 32 kbit/s of speech), and what Chromium records best.
 * 2. AAC-LC in MP4: Safari before 18.4 (iOS and macOS), whose only recording format it is.
 * 3. Any MP4: Safari versions that only answer for the bare type.
 * 4. Opus in Ogg: Firefox builds without WebM recording.
 *
 * Each container is one that ingest takes by its bytes (voice_core/audio_types.py: WebM's EBML
 * header, MP4's `ftyp` box, `OggS`), also as the timeslice chunks of a recording cut short by
 * a crash (tests/transcribe_svc/test_browser_recordings.py).
 */
export const PREFERRED_MIME_TYPES = [
  "audio/webm;codecs=opus",
  "audio/mp4;codecs=mp4a.40.2",
  "audio/mp4",
  "audio/ogg;codecs=opus",
] as const;

export function pickMimeType(isTypeSupported: (mimeType: string) => boolean): string | undefined {
  return PREFERRED_MIME_TYPES.find((type) => isTypeSupported(type));
}

/** "audio/webm;codecs=opus" → "audio/webm": servers match on the bare type. */
export function baseMimeType(mimeType: string): string {
  return mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
}

export function fileNameFor(mimeType: string): string {
  const type = baseMimeType(mimeType);
  if (type.endsWith("/webm")) return "voice-note.webm";
  if (type.endsWith("/mp4") || type.endsWith("/aac")) return "voice-note.m4a";
  if (type.endsWith("/ogg")) return "voice-note.ogg";
  return "voice-note";
}

/**
 * Checks a picked file before it replaces the current audio. Some platforms
 * report no type at all (or video/* for .webm/.mp4 audio), so only a clearly
 * different type is rejected; the gateway has the final say.
 */
export function checkAudioFile(file: { type: string; size: number }): RecorderProblem | null {
  if (file.size === 0) return "empty";
  const type = file.type.toLowerCase();
  if (type === "" || type.startsWith("audio/") || type === "video/webm" || type === "video/mp4") return null;
  return "not-audio";
}

/** Maps a getUserMedia / MediaRecorder failure (a DOMException name) to a problem. */
export function problemFromError(error: unknown): RecorderProblem {
  const name = typeof error === "object" && error !== null && "name" in error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
      return "no-microphone";
    case "NotReadableError":
      return "busy";
    default:
      return "failed";
  }
}

export interface ProblemDescription {
  title: string;
  help: string;
}

const HTTPS_NOTE = "Browsers only allow the microphone on secure (https://) pages, or on localhost.";

export function describeProblem(problem: RecorderProblem): ProblemDescription {
  switch (problem) {
    case "denied":
      return {
        title: "Microphone access was blocked",
        help:
          "Allow the microphone for this site: click the lock or settings icon next to the address, " +
          "set Microphone to Allow, then try again. On a phone, also check the browser's microphone " +
          `permission in the system settings. ${HTTPS_NOTE}`,
      };
    case "no-microphone":
      return {
        title: "No microphone found",
        help: "Connect a microphone (or headset) and try again, or choose an existing audio file below.",
      };
    case "busy":
      return {
        title: "The microphone is busy",
        help: "Another app or tab may be using it. Close it and try again.",
      };
    case "insecure":
      return { title: "Recording needs a secure page", help: `${HTTPS_NOTE} You can still choose an audio file.` };
    case "unsupported":
      return {
        title: "This browser cannot record audio",
        help: "Try a current version of Chrome, Firefox, Edge or Safari, or choose an existing audio file.",
      };
    case "failed":
      return { title: "Recording failed", help: "Something went wrong while recording. Please try again." };
    case "not-audio":
      return { title: "That is not an audio file", help: "Choose an audio file such as .mp3, .m4a, .webm or .wav." };
    case "empty":
      return { title: "That recording is empty", help: "Record again or choose a different file." };
  }
}
