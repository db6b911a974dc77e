"use client";

import { useState } from "react";
import { cancelRequest, rescheduleRequest, retryRequest, type VoiceRequest } from "@/lib/api";
import { ApiError, describeError } from "@/lib/api-error";
import { focusOnMount } from "./focus-on-mount";
import { RescheduleForm } from "./RescheduleForm";

type Panel = "buttons" | "confirm-cancel" | "reschedule";

interface RequestActionsProps {
  request: VoiceRequest;
  /** The note's capability, which every change needs. */
  token: string;
  scheduled: boolean;
  /** Receives the request an action returned, or nothing when it should simply be fetched again. */
  onChange: (request?: VoiceRequest) => void;
}

/** Change a pending request (reschedule, send now, cancel) or retry a failed one. */
export function RequestActions({ request, token, scheduled, onChange }: RequestActionsProps) {
  const [panel, setPanel] = useState<Panel>("buttons");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // An error stays visible even when the request has moved on (a 409 means exactly that).
  if (request.status !== "pending" && request.status !== "failed" && !error) return null;

  async function run(action: () => Promise<VoiceRequest>) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await action();
      setPanel("buttons");
      onChange(updated);
    } catch (failure) {
      setError(describeError(failure));
      // Someone (or the scheduler) got there first: show what the request is now.
      if (failure instanceof ApiError && failure.status === 409) onChange();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="actions">
      {request.status === "failed" && (
        <button
          type="button"
          className="button-primary"
          aria-disabled={busy}
          onClick={() => run(() => retryRequest(request.id, token))}
        >
          Try again
        </button>
      )}

      {request.status === "pending" && panel === "buttons" && (
        <div className="button-row">
          <button type="button" className="button-secondary" onClick={() => setPanel("reschedule")}>
            Change time
          </button>
          {scheduled && (
            <button
              type="button"
              className="button-secondary"
              aria-disabled={busy}
              onClick={() => run(() => rescheduleRequest(request.id, token, null))}
            >
              Send now instead
            </button>
          )}
          <button type="button" className="button-secondary" onClick={() => setPanel("confirm-cancel")}>
            Cancel
          </button>
        </div>
      )}

      {request.status === "pending" && panel === "confirm-cancel" && (
        <div className="confirm" role="group" aria-labelledby="confirm-cancel-text">
          <p id="confirm-cancel-text">Cancel this summary? Nothing will be sent, and this cannot be undone.</p>
          <div className="button-row">
            <button
              ref={focusOnMount}
              type="button"
              className="button-danger"
              aria-disabled={busy}
              onClick={() => run(() => cancelRequest(request.id, token))}
            >
              Yes, cancel it
            </button>
            <button type="button" className="button-secondary" onClick={() => setPanel("buttons")}>
              Keep it
            </button>
          </div>
        </div>
      )}

      {request.status === "pending" && panel === "reschedule" && (
        <RescheduleForm
          sendAt={request.send_at}
          busy={busy}
          onSubmit={(sendAt) => run(() => rescheduleRequest(request.id, token, sendAt))}
          onClose={() => setPanel("buttons")}
        />
      )}

      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
