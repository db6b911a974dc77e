"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { useDeploymentConfig } from "@/hooks/use-deployment-config";
import { useUpload } from "@/hooks/use-upload";
import { createRequest, type AudioUpload } from "@/lib/api";
import { ApiError, describeError } from "@/lib/api-error";
import { rememberNote, statusPath } from "@/lib/capabilities";
import type { Recording } from "@/lib/recorder";
import { deleteDraft } from "@/lib/recording-drafts";
import { validateSendForm, type SendFormErrors, type SendMode } from "@/lib/send-form";
import { ianaTimeZone, localTimeZoneName, suggestSendTime, toLocalDateTimeValue } from "@/lib/time";
import { UploadProgress } from "./UploadProgress";
import { parseVocabulary } from "@/lib/vocabulary";
import { TranscriptionFields } from "./TranscriptionFields";

type Phase =
  | { kind: "editing" }
  | { kind: "uploading" }
  | { kind: "creating" }
  | { kind: "done" }
  | { kind: "failed"; message: string };

/** The picker's bounds and zone, fixed when the person switches to "Send at". */
interface Schedule {
  min: string;
  zone: string;
}

/** Step 2: where and when to send the summary; uploads and creates the request. */
export function SendForm({ recording }: { recording: Recording | null }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [mode, setMode] = useState<SendMode>("now");
  const [localDateTime, setLocalDateTime] = useState("");
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [errors, setErrors] = useState<SendFormErrors & { vocabulary?: string }>({});
  const [vocabulary, setVocabulary] = useState("");
  const [language, setLanguage] = useState("auto");
  const config = useDeploymentConfig();
  const [phase, setPhase] = useState<Phase>({ kind: "editing" });
  const upload = useUpload();
  // Remembers a finished upload so a retry after a failed second step does
  // not upload the same audio again.
  // The upload of the current recording and its capability, reused if sending is tried again.
  const uploaded = useRef<{ blob: Blob; upload: AudioUpload } | null>(null);
  const busy = phase.kind === "uploading" || phase.kind === "creating" || phase.kind === "done";

  function chooseMode(next: SendMode) {
    setMode(next);
    if (next === "at") {
      const now = new Date();
      setSchedule({ min: toLocalDateTimeValue(now), zone: localTimeZoneName(now) });
      if (localDateTime === "") setLocalDateTime(toLocalDateTimeValue(suggestSendTime(now)));
    }
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const result = validateSendForm({ email, mode, localDateTime, hasAudio: recording !== null }, new Date());
    const terms = parseVocabulary(vocabulary, config?.vocabulary);
    if (!result.ok || !terms.ok) {
      const found = { ...(result.ok ? {} : result.errors), ...(terms.ok ? {} : { vocabulary: terms.error }) };
      setErrors(found);
      // Take keyboard and screen-reader users straight to the first problem.
      const firstInvalid = found.email ? "email" : found.sendAt ? "send-at" : found.vocabulary ? "vocabulary" : null;
      if (firstInvalid) document.getElementById(firstInvalid)?.focus();
      return;
    }
    setErrors({});
    if (!recording) return; // Already reported via hasAudio; this narrows the type.

    try {
      let audio = uploaded.current?.blob === recording.blob ? uploaded.current.upload : null;
      if (audio === null) {
        setPhase({ kind: "uploading" });
        // Tried again by itself on a flaky network (hooks/use-upload.ts), until canceled.
        audio = await upload.send(recording.blob, recording.fileName);
        uploaded.current = { blob: recording.blob, upload: audio };
      }
      setPhase({ kind: "creating" });
      const timeZone = ianaTimeZone();
      const request = await createRequest({
        email: result.email,
        audio_id: audio.audio_id,
        upload_token: audio.upload_token,
        ...(result.sendAt ? { send_at: result.sendAt } : {}),
        ...(timeZone ? { time_zone: timeZone } : {}),
        ...(terms.terms.length > 0 ? { vocabulary: terms.terms } : {}),
        language,
      });
      setPhase({ kind: "done" });
      // Sent: the copy kept against a crash (lib/recording-drafts.ts) is no longer needed.
      if (recording.draftId) void deleteDraft(recording.draftId);
      // The token is shown once: kept on this device, and in the status page's URL fragment.
      rememberNote({
        id: request.id,
        token: request.access_token,
        email: request.email,
        createdAt: request.created_at,
      });
      router.push(statusPath(request.id, request.access_token));
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") {
        setPhase({ kind: "failed", message: "Upload canceled." });
        return;
      }
      // The stored audio is gone (e.g. cleaned up): the next try must upload it again.
      if (error instanceof ApiError && (error.code === "audio_not_found" || error.code === "upload_token_invalid"))
        uploaded.current = null;
      setPhase({ kind: "failed", message: describeError(error) });
    }
  }

  return (
    <section className="card" aria-labelledby="send-heading">
      <h2 id="send-heading">2. Where should the summary go?</h2>
      <form onSubmit={handleSubmit} noValidate>
        <div className="field">
          <label htmlFor="email">Email address</label>
          <input
            id="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? "email-error" : undefined}
          />
          {errors.email && (
            <p id="email-error" className="field-error">
              {errors.email}
            </p>
          )}
        </div>

        <fieldset className="field">
          <legend>When</legend>
          <label className="choice">
            <input type="radio" name="mode" checked={mode === "now"} onChange={() => chooseMode("now")} />
            Send now
          </label>
          <label className="choice">
            <input type="radio" name="mode" checked={mode === "at"} onChange={() => chooseMode("at")} />
            Send at a time I choose
          </label>
          {mode === "at" && schedule && (
            <div className="field nested">
              <label htmlFor="send-at">Date and time</label>
              <input
                id="send-at"
                type="datetime-local"
                min={schedule.min}
                value={localDateTime}
                onChange={(event) => setLocalDateTime(event.target.value)}
                aria-invalid={errors.sendAt ? true : undefined}
                aria-describedby={errors.sendAt ? "send-at-zone send-at-error" : "send-at-zone"}
              />
              <p id="send-at-zone" className="muted">
                Your time zone: {schedule.zone}
              </p>
              {errors.sendAt && (
                <p id="send-at-error" className="field-error">
                  {errors.sendAt}
                </p>
              )}
            </div>
          )}
        </fieldset>

        <TranscriptionFields
          config={config}
          vocabulary={vocabulary}
          onVocabularyChange={setVocabulary}
          vocabularyError={errors.vocabulary}
          language={language}
          onLanguageChange={setLanguage}
        />

        {errors.audio && (
          <p className="field-error" role="alert">
            {errors.audio}
          </p>
        )}

        <button type="submit" className="button-primary" aria-disabled={busy}>
          {mode === "now" ? "Send summary now" : "Schedule summary"}
        </button>

        <div className="progress" role="status" aria-live="polite">
          {phase.kind === "uploading" && "Uploading your recording…"}
          {phase.kind === "creating" && "Creating your request…"}
          {phase.kind === "done" && "Done. Opening the status page…"}
        </div>
        {phase.kind === "uploading" && <UploadProgress state={upload.state} onCancel={upload.cancel} />}
        {phase.kind === "failed" && (
          <div className="notice notice-error" role="alert">
            <p>{phase.message}</p>
            <p>Your recording is still here, so you can simply try again.</p>
          </div>
        )}
      </form>
    </section>
  );
}
