"use client";

import { useEffect, useRef, useState, type ChangeEvent } from "react";
import type { RecorderControls } from "@/hooks/use-recorder";
import { useElapsed } from "@/hooks/use-elapsed";
import { formatBytes, formatElapsed } from "@/lib/format";
import { canChooseFile, type RecorderProblem } from "@/lib/recorder";
import { AudioPreview } from "./AudioPreview";
import { ProblemNotice } from "./ProblemNotice";

const RECORD_LABELS = {
  idle: "Start recording",
  error: "Try recording again",
  requesting: "Waiting for microphone…",
  recording: "Stop recording",
} as const;

/** Step 1: record a note (or pick a file), listen to it, discard it. */
export function RecorderPanel({ recorder }: { recorder: RecorderControls }) {
  const { state, start, stop, chooseFile, discard } = recorder;
  const [fileProblem, setFileProblem] = useState<RecorderProblem | null>(null);
  const elapsed = useElapsed(state.kind === "recording" ? state.startedAt : null);
  const recordButtonRef = useRef<HTMLButtonElement>(null);
  const recordedHeadingRef = useRef<HTMLHeadingElement>(null);
  const previousKind = useRef(state.kind);

  // The control under the keyboard focus disappears when a recording is made
  // or discarded; move focus to what replaced it instead of losing it.
  useEffect(() => {
    const previous = previousKind.current;
    previousKind.current = state.kind;
    if (previous === state.kind) return;
    if (state.kind === "recorded") recordedHeadingRef.current?.focus();
    else if (previous === "recorded") recordButtonRef.current?.focus();
  }, [state.kind]);

  function handleRecordClick() {
    if (state.kind === "recording") return stop();
    setFileProblem(null);
    void start();
  }

  function handleFileChange(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    // Reset so that picking the same file again still fires a change event.
    event.target.value = "";
    if (file) setFileProblem(chooseFile(file));
  }

  return (
    <section className="card" aria-labelledby="record-heading">
      <h2 id="record-heading">1. Record your note</h2>

      {state.kind === "recorded" ? (
        <div className="recorded">
          <h3 ref={recordedHeadingRef} tabIndex={-1}>
            {state.recording.source === "file" ? `File: ${state.recording.fileName}` : "Your recording"}{" "}
            <span className="muted">({formatBytes(state.recording.blob.size)})</span>
          </h3>
          <AudioPreview blob={state.recording.blob} label="Play back your recording" />
          <button type="button" className="button-secondary" onClick={discard}>
            {state.recording.source === "file" ? "Remove this file" : "Discard and record again"}
          </button>
        </div>
      ) : (
        <div className="recorder">
          <button
            ref={recordButtonRef}
            type="button"
            className="record-button"
            data-state={state.kind}
            // Not `disabled`: a disabled button drops keyboard focus mid-flow.
            aria-disabled={state.kind === "requesting"}
            onClick={handleRecordClick}
          >
            <span className="record-icon" aria-hidden="true" />
            {RECORD_LABELS[state.kind]}
          </button>
          <p className="timer" role="timer" aria-label="Recording time" hidden={state.kind !== "recording"}>
            <span className="recording-dot" aria-hidden="true" /> {formatElapsed(elapsed)}
          </p>
          {state.kind === "idle" && <p className="muted">Your browser will ask for permission to use the microphone.</p>}
        </div>
      )}

      {state.kind === "error" && <ProblemNotice problem={state.problem} />}

      <div className="field file-field">
        <label htmlFor="audio-file">Or choose an existing audio file</label>
        <input
          id="audio-file"
          type="file"
          accept="audio/*"
          disabled={!canChooseFile(state)}
          onChange={handleFileChange}
        />
      </div>
      {fileProblem && <ProblemNotice problem={fileProblem} />}
    </section>
  );
}
