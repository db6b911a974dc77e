"use client";

import { useState, type FormEvent } from "react";
import { checkSendAt } from "@/lib/send-form";
import { localTimeZoneName, suggestSendTime, toLocalDateTimeValue } from "@/lib/time";
import { focusOnMount } from "./focus-on-mount";

interface RescheduleFormProps {
  /** The request's current `send_at`, used as the starting value when it is still ahead. */
  sendAt: string;
  busy: boolean;
  onSubmit: (sendAt: string) => void;
  onClose: () => void;
}

/** Picks a new local date and time for a pending request. */
export function RescheduleForm({ sendAt, busy, onSubmit, onClose }: RescheduleFormProps) {
  // Fixed when the form opens, like the send form's picker.
  const [opened] = useState(() => new Date());
  const [value, setValue] = useState(() => {
    const current = new Date(sendAt);
    return toLocalDateTimeValue(current > opened ? current : suggestSendTime(opened));
  });
  const [error, setError] = useState<string | null>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const checked = checkSendAt(value, new Date());
    setError(checked.ok ? null : checked.error);
    if (checked.ok) onSubmit(checked.sendAt);
  }

  return (
    <form className="reschedule" onSubmit={handleSubmit} noValidate>
      <div className="field">
        <label htmlFor="reschedule-at">New date and time</label>
        <input
          ref={focusOnMount}
          id="reschedule-at"
          type="datetime-local"
          min={toLocalDateTimeValue(opened)}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "reschedule-zone reschedule-error" : "reschedule-zone"}
        />
        <p id="reschedule-zone" className="muted">
          Your time zone: {localTimeZoneName(opened)}
        </p>
        {error && (
          <p id="reschedule-error" className="field-error">
            {error}
          </p>
        )}
      </div>
      <div className="button-row">
        <button type="submit" className="button-primary" aria-disabled={busy}>
          Save new time
        </button>
        <button type="button" className="button-secondary" onClick={onClose}>
          Keep the current time
        </button>
      </div>
    </form>
  );
}
