"use client";

import { useElapsed } from "@/hooks/use-elapsed";
import { MAX_RECORDING_MS } from "@/lib/config";
import { formatElapsed, formatRemaining } from "@/lib/format";
import { LIMIT_WARNING_MS, remainingMs } from "@/lib/recorder";
import { LevelMeter } from "./LevelMeter";

interface RecordingProgressProps {
  startedAt: number;
  stream: MediaStream;
}

/** While recording: elapsed time, the live input level and the time left before the limit. */
export function RecordingProgress({ startedAt, stream }: RecordingProgressProps) {
  const elapsed = useElapsed(startedAt);
  const left = remainingMs(elapsed, MAX_RECORDING_MS);
  const nearLimit = left <= LIMIT_WARNING_MS;

  return (
    <>
      <p className="timer" role="timer" aria-label="Recording time">
        <span className="recording-dot" aria-hidden="true" /> {formatElapsed(elapsed)}
      </p>
      <LevelMeter stream={stream} />
      <p className="countdown" data-warning={nearLimit}>
        {formatRemaining(left)} left <span className="muted">(limit {formatElapsed(MAX_RECORDING_MS)})</span>
      </p>
      {/* Announced once, when the warning starts, rather than every second. */}
      <p className="visually-hidden" aria-live="polite">
        {nearLimit ? `Less than ${LIMIT_WARNING_MS / 1000} seconds left. Recording stops by itself at the limit.` : ""}
      </p>
    </>
  );
}
