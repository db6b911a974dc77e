"use client";

import { useState } from "react";
import type { DraftRecovery } from "@/hooks/use-draft-recovery";
import { formatElapsed } from "@/lib/format";
import type { Recording } from "@/lib/recorder";

const timeOfDay = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * Recordings an earlier visit did not send (a reload, a crash, a phone that closed the
 * browser): each can be recovered into the recorder, ready to play and send, or discarded.
 */
export function RecoveredDrafts({
  recovery,
  onRecovered,
}: {
  recovery: DraftRecovery;
  onRecovered: (recording: Recording) => void;
}) {
  const [gone, setGone] = useState(false);
  if (recovery.drafts.length === 0) return gone ? <GoneNotice /> : null;

  async function recover(id: string) {
    const recording = await recovery.recover(id);
    if (recording) onRecovered(recording);
    else setGone(true);
  }

  return (
    <div className="notice recovered-drafts" role="region" aria-label="Unsent recordings">
      {recovery.drafts.map((draft) => (
        <div key={draft.id} className="recovered-draft">
          <p className="notice-title">
            An unsent recording from {timeOfDay.format(draft.startedAt)} (
            {formatElapsed((draft.stoppedAt ?? draft.lastChunkAt) - draft.startedAt)}) was kept on this device.
          </p>
          <div className="recovered-actions">
            <button type="button" className="button-primary" onClick={() => void recover(draft.id)}>
              Recover it
            </button>
            <button type="button" className="button-secondary" onClick={() => void recovery.discard(draft.id)}>
              Discard it
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}

function GoneNotice() {
  return (
    <p className="notice" role="status">
      That recording is no longer here: another tab may have taken it up.
    </p>
  );
}
