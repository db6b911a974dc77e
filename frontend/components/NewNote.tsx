"use client";

import { useRecorder } from "@/hooks/use-recorder";
import { RecorderPanel } from "./RecorderPanel";
import { SendForm } from "./SendForm";

/** The record page's two steps, sharing one recorder so the form sees the audio. */
export function NewNote() {
  const recorder = useRecorder();
  const recording = recorder.state.kind === "recorded" ? recorder.state.recording : null;

  return (
    <>
      <RecorderPanel recorder={recorder} />
      <SendForm recording={recording} />
    </>
  );
}
