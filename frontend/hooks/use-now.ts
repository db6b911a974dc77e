import { useEffect, useState } from "react";

/** The current time in ms, refreshed every `intervalMs` while `running`, so renders stay pure. */
export function useNow(intervalMs: number, running = true): number {
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, running]);

  return now;
}
