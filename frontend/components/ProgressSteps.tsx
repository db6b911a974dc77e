import type { VoiceRequest } from "@/lib/api";
import { progressSteps, type StepState } from "@/lib/progress";

const STATE_TEXT: Readonly<Record<StepState, string>> = {
  done: "done",
  current: "in progress",
  failed: "failed",
  upcoming: "not started",
};

/** Transcribe → Summarize → Email, each marked done, in progress, failed or not started. */
export function ProgressSteps({ request }: { request: VoiceRequest }) {
  return (
    <ol className="steps" aria-label="Progress">
      {progressSteps(request).map((step) => (
        <li
          key={step.stage}
          className="step"
          data-state={step.state}
          aria-current={step.state === "current" ? "step" : undefined}
        >
          <span className="step-marker" aria-hidden="true" />
          {step.label}
          <span className="visually-hidden"> ({STATE_TEXT[step.state]})</span>
        </li>
      ))}
    </ol>
  );
}
