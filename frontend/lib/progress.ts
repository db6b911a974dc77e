/**
 * What the status page shows for a request, worked out from the request alone:
 * the badge, the three processing steps and a readable failure. Pure, so every
 * combination the gateway can return is unit-tested.
 */
import { sentence } from "./api-error";
import type { RequestFailure, RequestStage, VoiceRequest } from "./api";
import { STATUS_LABELS } from "./polling";

export type StepState = "done" | "current" | "failed" | "upcoming";

export interface ProgressStep {
  stage: RequestStage;
  label: string;
  state: StepState;
}

const STEPS: readonly { stage: RequestStage; label: string }[] = [
  { stage: "transcribing", label: "Transcribe" },
  { stage: "summarizing", label: "Summarize" },
  { stage: "emailing", label: "Email" },
];

/**
 * A step is done when its result is on the request (a transcript, a summary,
 * the sent email), not by the current stage alone: a retry skips finished
 * steps, and a transcript reused from an earlier request never "runs".
 */
function isDone(request: VoiceRequest, stage: RequestStage): boolean {
  switch (stage) {
    case "transcribing":
      return request.transcript !== null;
    case "summarizing":
      return request.summary !== null;
    case "emailing":
      return request.status === "sent";
  }
}

export function progressSteps(request: VoiceRequest): ProgressStep[] {
  const firstOpen = STEPS.find(({ stage }) => !isDone(request, stage))?.stage;
  const active = request.status === "processing" ? (request.stage ?? firstOpen) : firstOpen;
  return STEPS.map(({ stage, label }) => {
    let state: StepState = "upcoming";
    if (isDone(request, stage)) state = "done";
    else if (stage === active && request.status === "processing") state = "current";
    else if (stage === active && request.status === "failed") state = "failed";
    return { stage, label, state };
  });
}

/** The badge text: a pending request is either scheduled, waiting to retry, or about to start. */
export function statusBadge(request: VoiceRequest, now: Date): string {
  if (request.status !== "pending") return STATUS_LABELS[request.status];
  if (request.next_attempt_at !== null) return "Will try again";
  return isScheduled(request, now) ? "Scheduled" : STATUS_LABELS.pending;
}

/** True while a pending request waits for a `send_at` that is still ahead. */
export function isScheduled(request: VoiceRequest, now: Date): boolean {
  return request.status === "pending" && new Date(request.send_at).getTime() > now.getTime();
}

const FAILURES: ReadonlyMap<string, string> = new Map([
  [
    "no_speech",
    "No speech was found in the recording, so there is nothing to summarize. Record again, a little closer to the microphone.",
  ],
  [
    "audio_undecodable",
    "The audio could not be read: the file may be damaged or in a format we cannot decode. Try another recording or file.",
  ],
]);

/** A failure (`request.error`) in words a person can act on. */
export function describeFailure(error: RequestFailure | null): string {
  if (error === null) return "No further details were given.";
  return FAILURES.get(error.code) ?? sentence(error.message);
}
