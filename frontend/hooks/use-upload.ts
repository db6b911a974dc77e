/**
 * Uploading a recording the way a phone on a flaky network needs it: tried again with backoff
 * (lib/upload-retry.ts decides when), never recorded again, with its state on show and a
 * cancel button that stops the transfer or the wait at once.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { uploadAudio, type AudioUpload } from "@/lib/api";
import { retryReason, withRetries } from "@/lib/upload-retry";
import { useWakeLock } from "./use-wake-lock";

export type UploadState =
  | { kind: "idle" }
  | { kind: "sending"; attempt: number; progress: number }
  /** Attempt `attempt` failed for `reason`; the next one starts at `retryAt` (epoch ms). */
  | { kind: "waiting"; attempt: number; maxAttempts: number; retryAt: number; reason: string };

export interface UploadControls {
  state: UploadState;
  /** Resolves with the upload; rejects with the last ApiError, or an AbortError if canceled. */
  send: (audio: Blob, fileName: string) => Promise<AudioUpload>;
  cancel: () => void;
}

/** Resolves after `ms`, or as soon as the device is back online; rejects when `signal` aborts. */
function waitOrOnline(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      signal.removeEventListener("abort", aborted);
      resolve();
    };
    const aborted = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      reject(signal.reason);
    };
    const timer = setTimeout(done, ms);
    // Coming back online is the best moment to try; no need to sit out the rest of the wait.
    window.addEventListener("online", done, { once: true });
    signal.addEventListener("abort", aborted, { once: true });
  });
}

export function useUpload(): UploadControls {
  const [state, setState] = useState<UploadState>({ kind: "idle" });
  const controllerRef = useRef<AbortController | null>(null);
  // A phone that locks itself mid-upload may suspend the page, and the upload with it.
  useWakeLock(state.kind !== "idle");

  const send = useCallback(async (audio: Blob, fileName: string) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    try {
      return await withRetries(
        (signal, attempt) => {
          setState({ kind: "sending", attempt, progress: 0 });
          return uploadAudio(audio, fileName, (progress) => setState({ kind: "sending", attempt, progress }), signal);
        },
        {
          signal: controller.signal,
          wait: waitOrOnline,
          onRetry: ({ attempt, maxAttempts, delayMs, error }) =>
            setState({
              kind: "waiting",
              attempt,
              maxAttempts,
              retryAt: Date.now() + delayMs,
              reason: retryReason(error.status),
            }),
        },
      );
    } finally {
      if (controllerRef.current === controller) controllerRef.current = null;
      setState({ kind: "idle" });
    }
  }, []);

  const cancel = useCallback(() => controllerRef.current?.abort(), []);

  // Leaving the page stops a transfer or a wait that nobody would see end.
  useEffect(() => () => controllerRef.current?.abort(), []);

  return { state, send, cancel };
}
