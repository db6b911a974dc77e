"use client";

import type { UploadState } from "@/hooks/use-upload";
import { useNow } from "@/hooks/use-now";

/**
 * The upload as it goes: a progress bar, or, after a failed attempt, why it failed and when it
 * is tried again; either way a button to cancel. Nothing shows while no upload runs.
 */
export function UploadProgress({ state, onCancel }: { state: UploadState; onCancel: () => void }) {
  const now = useNow(250, state.kind === "waiting");
  if (state.kind === "idle") return null;
  const percent = state.kind === "sending" ? Math.round(state.progress * 100) : 0;
  return (
    <div className="upload-progress" data-state={state.kind}>
      {state.kind === "sending" ? (
        // Outside the live region: announcing every percent would drown out everything else.
        <progress max={100} value={percent} aria-label="Upload progress">
          {percent}%
        </progress>
      ) : (
        <p className="notice" role="status">
          {state.reason} Trying again in {Math.max(1, Math.ceil((state.retryAt - now) / 1000))} s (attempt{" "}
          {state.attempt + 1} of {state.maxAttempts}).
        </p>
      )}
      <button type="button" className="button-secondary" onClick={onCancel}>
        Cancel upload
      </button>
    </div>
  );
}
