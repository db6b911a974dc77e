/**
 * Connects the pure recorder state machine (lib/recorder.ts) to the browser's
 * getUserMedia + MediaRecorder. Everything stateful about the microphone
 * lives here so components only render `state` and call the actions.
 *
 * For phones: every chunk is also kept in IndexedDB as it arrives (lib/recording-drafts.ts)
 * until the note is sent or discarded, and the screen stays on while recording.
 */
import { useCallback, useEffect, useReducer, useRef } from "react";
import { MAX_RECORDING_MS } from "@/lib/config";
import {
  baseMimeType,
  canChooseFile,
  checkAudioFile,
  fileNameFor,
  initialRecorderState,
  pickMimeType,
  problemFromError,
  recorderReducer,
  type Recording,
  type RecorderProblem,
  type RecorderState,
} from "@/lib/recorder";
import { appendChunk, deleteDraft, finishDraft, startDraft } from "@/lib/recording-drafts";
import { useWakeLock } from "./use-wake-lock";

export interface RecorderControls {
  state: RecorderState;
  start: () => Promise<void>;
  stop: () => void;
  chooseFile: (file: File) => RecorderProblem | null;
  /** Takes up a recording recovered from an earlier visit (hooks/use-draft-recovery.ts). */
  restore: (recording: Recording) => void;
  discard: () => void;
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

export function useRecorder(): RecorderControls {
  const [state, dispatch] = useReducer(recorderReducer, initialRecorderState);
  const mediaRecorderRef = useRef<MediaRecorder | null>(null);
  const limitTimerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The draft behind the current recording: forgotten when it is discarded or replaced.
  const draftIdRef = useRef<string | null>(null);
  useWakeLock(state.kind === "recording");

  const canStart = state.kind === "idle" || state.kind === "error";

  const start = useCallback(async () => {
    // Guards against a double click opening two microphone streams.
    if (!canStart) return;
    dispatch({ type: "request" });
    // navigator.mediaDevices is simply missing on insecure (plain http) pages.
    if (!window.isSecureContext) return dispatch({ type: "failed", problem: "insecure" });
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === "undefined") {
      return dispatch({ type: "failed", problem: "unsupported" });
    }

    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      return dispatch({ type: "failed", problem: problemFromError(error) });
    }

    const preferred = pickMimeType((type) => MediaRecorder.isTypeSupported(type));
    let recorder: MediaRecorder;
    try {
      recorder = new MediaRecorder(stream, preferred ? { mimeType: preferred } : undefined);
    } catch (error) {
      stopTracks(stream);
      return dispatch({ type: "failed", problem: problemFromError(error) });
    }

    const chunks: Blob[] = [];
    const startedAt = Date.now();
    let atLimit = false;
    // Resolves to the draft's id (null where nothing can be kept); chunks wait for it.
    let draft: Promise<string | null> = Promise.resolve(null);
    const finish = () => {
      clearTimeout(limitTimerRef.current);
      stopTracks(stream);
      mediaRecorderRef.current = null;
    };
    recorder.ondataavailable = (event) => {
      if (event.data.size === 0) return;
      const seq = chunks.push(event.data);
      const at = Date.now();
      void draft.then((id) => (id ? appendChunk(id, seq, event.data, at) : undefined));
    };
    recorder.onstop = async () => {
      finish();
      const stoppedAt = Date.now();
      // recorder.mimeType is only final once recording started, and may be "" in older Safari.
      const type = recorder.mimeType || preferred || chunks[0]?.type || "";
      const blob = new Blob(chunks, { type: baseMimeType(type) });
      const draftId = await draft;
      if (blob.size === 0) {
        if (draftId) void deleteDraft(draftId);
        return dispatch({ type: "failed", problem: "empty" });
      }
      if (draftId) void finishDraft(draftId, stoppedAt);
      draftIdRef.current = draftId;
      const durationMs = Math.min(stoppedAt - startedAt, MAX_RECORDING_MS);
      const recording: Recording = {
        blob,
        fileName: fileNameFor(type),
        source: "microphone",
        durationMs,
        ...(draftId ? { draftId } : {}),
      };
      dispatch({ type: "stopped", recording, atLimit });
    };
    recorder.onerror = () => {
      finish();
      void draft.then((id) => (id ? deleteDraft(id) : undefined));
      dispatch({ type: "failed", problem: "failed" });
    };

    mediaRecorderRef.current = recorder;
    // A timeslice makes the browser hand over data every second, so a long
    // recording is not one giant buffer and a crash loses at most a second.
    recorder.start(1000);
    const type = recorder.mimeType || preferred || "";
    draft = startDraft(baseMimeType(type), fileNameFor(type), startedAt);
    limitTimerRef.current = setTimeout(() => {
      atLimit = true;
      if (recorder.state !== "inactive") recorder.stop();
    }, MAX_RECORDING_MS);
    dispatch({ type: "started", at: startedAt, stream });
  }, [canStart]);

  const stop = useCallback(() => {
    const recorder = mediaRecorderRef.current;
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }, []);

  /** The current recording is going away (discarded or replaced): so is its kept copy. */
  const forgetDraft = useCallback(() => {
    if (draftIdRef.current) void deleteDraft(draftIdRef.current);
    draftIdRef.current = null;
  }, []);

  // A rejected file returns its problem instead of entering the error state,
  // so picking a wrong file never throws away a good recording.
  const chooseFile = useCallback(
    (file: File): RecorderProblem | null => {
      const problem = checkAudioFile(file);
      if (!problem) {
        forgetDraft();
        dispatch({
          type: "fileChosen",
          recording: { blob: file, fileName: file.name, source: "file", durationMs: null },
        });
      }
      return problem;
    },
    [forgetDraft],
  );

  const restore = useCallback(
    (recording: Recording) => {
      if (!canChooseFile(state)) return;
      forgetDraft();
      draftIdRef.current = recording.draftId ?? null;
      dispatch({ type: "restored", recording });
    },
    [state, forgetDraft],
  );

  const discard = useCallback(() => {
    forgetDraft();
    dispatch({ type: "discard" });
  }, [forgetDraft]);

  // A phone may kill a hidden tab without warning: hand over what was recorded so far, so
  // the kept draft is complete up to the moment it was hidden.
  useEffect(() => {
    const flush = () => {
      const recorder = mediaRecorderRef.current;
      if (document.visibilityState === "hidden" && recorder?.state === "recording") recorder.requestData();
    };
    document.addEventListener("visibilitychange", flush);
    return () => document.removeEventListener("visibilitychange", flush);
  }, []);

  // Leaving the page mid-recording must release the microphone (and its indicator).
  useEffect(
    () => () => {
      clearTimeout(limitTimerRef.current);
      const recorder = mediaRecorderRef.current;
      if (!recorder) return;
      recorder.onstop = null;
      if (recorder.state !== "inactive") recorder.stop();
      stopTracks(recorder.stream);
    },
    [],
  );

  return { state, start, stop, chooseFile, restore, discard };
}
