import { useNow } from "./use-now";

/** Milliseconds since `startedAt`, re-rendering a few times a second; 0 when not running. */
export function useElapsed(startedAt: number | null): number {
  // 250 ms keeps the seconds display from visibly lagging without busy work.
  const now = useNow(250, startedAt !== null);
  return startedAt === null ? 0 : Math.max(0, now - startedAt);
}
