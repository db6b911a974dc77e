"use client";

import { useDraftRecovery } from "@/hooks/use-draft-recovery";
import { useRecorder } from "@/hooks/use-recorder";
import { RecorderPanel } from "./RecorderPanel";
import { SendForm } from "./SendForm";

/** The record page's two steps, sharing one recorder so the form sees the audio. */
export function NewNote() {
  const recorder = useRecorder();
  const recovery = useDraftRecovery();
  const recording = recorder.state.kind === "recorded" ? recorder.state.recording : null;

  return (
    <>
      <RecorderPanel recorder={recorder} recovery={recovery} />
      <SendForm recording={recording} />
    </>
  );
}
