"use client";

import { useEffect, useRef, useState, type ChangeEvent } from "react";
import type { DraftRecovery } from "@/hooks/use-draft-recovery";
import type { RecorderControls } from "@/hooks/use-recorder";
import { useFileDrop } from "@/hooks/use-file-drop";
import { MAX_RECORDING_MS } from "@/lib/config";
import { formatBytes, formatElapsed } from "@/lib/format";
import { canChooseFile, type Recording, type RecorderProblem } from "@/lib/recorder";
import { AudioPreview } from "./AudioPreview";
import { ProblemNotice } from "./ProblemNotice";
import { RecoveredDrafts } from "./RecoveredDrafts";
import { RecordingProgress } from "./RecordingProgress";

const RECORD_LABELS = {
  idle: "Start recording",
  error: "Try recording again",
  requesting: "Waiting for microphone…",
  recording: "Stop recording",
} as const;

/** Step 1: record a note (or pick or drop a file, or recover an unsent one), listen to it, discard it. */
export function RecorderPanel({ recorder, recovery }: { recorder: RecorderControls; recovery: DraftRecovery }) {
  const { state, start, stop, chooseFile, restore, discard } = recorder;
  const [fileProblem, setFileProblem] = useState<RecorderProblem | null>(null);
  const takeFile = (file: File) => setFileProblem(chooseFile(file));
  const dragging = useFileDrop(takeFile, canChooseFile(state));
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
    if (file) takeFile(file);
  }

  return (
    <section className="card" aria-labelledby="record-heading">
      <h2 id="record-heading">1. Record your note</h2>
      {canChooseFile(state) && state.kind !== "recorded" && (
        <RecoveredDrafts recovery={recovery} onRecovered={restore} />
      )}

      {state.kind === "recorded" ? (
        <div className="recorded">
          <h3 ref={recordedHeadingRef} tabIndex={-1}>
            {describeRecording(state.recording)}
          </h3>
          {state.stoppedAtLimit && (
            <p className="notice" role="status">
              Recording stopped at the {formatElapsed(MAX_RECORDING_MS)} limit. Listen to it, then send it or record
              again.
            </p>
          )}
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
          {/* Same height in every state, so nothing below jumps when recording starts. */}
          <div className="recorder-live">
            {state.kind === "recording" ? (
              <RecordingProgress startedAt={state.startedAt} stream={state.stream} />
            ) : (
              <p className="muted">
                Your browser will ask for permission to use the microphone. Up to {formatElapsed(MAX_RECORDING_MS)} per
                note.
              </p>
            )}
          </div>
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
          aria-describedby="audio-file-hint"
        />
        <p id="audio-file-hint" className="muted">
          You can also drop a file anywhere on this page.
        </p>
      </div>
      {fileProblem && <ProblemNotice problem={fileProblem} />}

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <p>{canChooseFile(state) ? "Drop the audio file to use it" : "Stop recording before adding a file"}</p>
        </div>
      )}
    </section>
  );
}

function describeRecording(recording: Recording): string {
  const size = formatBytes(recording.blob.size);
  if (recording.source === "file") return `File: ${recording.fileName} (${size})`;
  const length = recording.durationMs === null ? "" : `${formatElapsed(recording.durationMs)}, `;
  return `${recording.recovered ? "Your recovered recording" : "Your recording"} (${length}${size})`;
}
