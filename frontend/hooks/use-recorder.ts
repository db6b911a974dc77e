/**
 * Connects the pure recorder state machine (lib/recorder.ts) to the browser's
 * getUserMedia + MediaRecorder. Everything stateful about the microphone
 * lives here so components only render `state` and call the actions.
 */
import { useCallback, useEffect, useReducer, useRef } from "react";
import { MAX_RECORDING_MS } from "@/lib/config";
import {
  baseMimeType,
  checkAudioFile,
  fileNameFor,
  initialRecorderState,
  pickMimeType,
  problemFromError,
  recorderReducer,
  type RecorderProblem,
  type RecorderState,
} from "@/lib/recorder";

export interface RecorderControls {
  state: RecorderState;
  start: () => Promise<void>;
  stop: () => void;
  chooseFile: (file: File) => RecorderProblem | null;
  discard: () => void;
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

export function useRecorder(): RecorderControls {
  const [state, dispatch] = useReducer(recorderReducer, initialRecorderState);
  const mediaRecorderRef = useRef<MediaRecorder | null>(null);
  const limitTimerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

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
    const finish = () => {
      clearTimeout(limitTimerRef.current);
      stopTracks(stream);
      mediaRecorderRef.current = null;
    };
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    recorder.onstop = () => {
      finish();
      // recorder.mimeType is only final once recording started, and may be "" in older Safari.
      const type = recorder.mimeType || preferred || chunks[0]?.type || "";
      const blob = new Blob(chunks, { type: baseMimeType(type) });
      if (blob.size === 0) return dispatch({ type: "failed", problem: "empty" });
      const durationMs = Math.min(Date.now() - startedAt, MAX_RECORDING_MS);
      const recording = { blob, fileName: fileNameFor(type), source: "microphone", durationMs } as const;
      dispatch({ type: "stopped", recording, atLimit });
    };
    recorder.onerror = () => {
      finish();
      dispatch({ type: "failed", problem: "failed" });
    };

    mediaRecorderRef.current = recorder;
    // A timeslice makes the browser hand over data every second, so a long
    // recording is not one giant buffer and a crash loses at most a second.
    recorder.start(1000);
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

  // A rejected file returns its problem instead of entering the error state,
  // so picking a wrong file never throws away a good recording.
  const chooseFile = useCallback((file: File): RecorderProblem | null => {
    const problem = checkAudioFile(file);
    if (!problem) {
      dispatch({
        type: "fileChosen",
        recording: { blob: file, fileName: file.name, source: "file", durationMs: null },
      });
    }
    return problem;
  }, []);

  const discard = useCallback(() => dispatch({ type: "discard" }), []);

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

  return { state, start, stop, chooseFile, discard };
}
