/**
 * Pure validation for the send form: turns what the user typed into the
 * values the API wants, or into one readable message per field.
 */
import { parseLocalDateTime, toIsoWithOffset } from "./time";

export type SendMode = "now" | "at";

export interface SendFormValues {
  email: string;
  mode: SendMode;
  /** Raw `<input type="datetime-local">` value, only used when mode is "at". */
  localDateTime: string;
  hasAudio: boolean;
}

export type SendFormField = "email" | "sendAt" | "audio";
export type SendFormErrors = Partial<Record<SendFormField, string>>;

export type SendFormResult =
  { ok: true; email: string; sendAt: string | undefined } | { ok: false; errors: SendFormErrors };

// Deliberately loose: the gateway does the real check; this only catches typos
// like a missing "@" or domain before anything is uploaded.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateSendForm(values: SendFormValues, now: Date): SendFormResult {
  const errors: SendFormErrors = {};
  const email = values.email.trim();

  if (!values.hasAudio) errors.audio = "Record a voice note or choose an audio file first.";

  if (email === "") errors.email = "Enter the email address that should receive the summary.";
  else if (!EMAIL_PATTERN.test(email))
    errors.email = "That does not look like an email address (like name@example.com).";

  let sendAt: string | undefined;
  if (values.mode === "at") {
    const checked = checkSendAt(values.localDateTime, now);
    if (checked.ok) sendAt = checked.sendAt;
    else errors.sendAt = checked.error;
  }

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, email, sendAt };
}

export type SendAtResult = { ok: true; sendAt: string } | { ok: false; error: string };

/** A picked local date-time as the API's ISO 8601 with offset, if it is a valid future time. */
export function checkSendAt(localDateTime: string, now: Date): SendAtResult {
  if (localDateTime === "") return { ok: false, error: "Pick a date and time, or choose “Send now”." };
  const date = parseLocalDateTime(localDateTime);
  if (!date) return { ok: false, error: "That date and time is not valid." };
  if (date.getTime() <= now.getTime()) return { ok: false, error: "Pick a time in the future, or choose “Send now”." };
  return { ok: true, sendAt: toIsoWithOffset(date) };
}
