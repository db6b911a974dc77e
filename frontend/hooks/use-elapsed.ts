import { useEffect, useState } from "react";

/** Milliseconds since `startedAt`, re-rendering a few times a second; 0 when not running. */
export function useElapsed(startedAt: number | null): number {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (startedAt === null) return;
    // 250 ms keeps the seconds display from visibly lagging without busy work.
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [startedAt]);

  return startedAt === null ? 0 : Math.max(0, now - startedAt);
}
