/**
 * Keeps the screen on while `active` (Screen Wake Lock API), so a phone does not lock itself
 * (and suspend the recording) halfway through a note. The browser drops the lock whenever the
 * page is hidden; it is asked for again when the page is shown. Where the API is missing or
 * refuses (battery saver, an old browser), nothing else changes: recording goes on.
 */
import { useEffect } from "react";

export function useWakeLock(active: boolean): void {
  useEffect(() => {
    if (!active || !("wakeLock" in navigator)) return;
    let sentinel: WakeLockSentinel | null = null;
    let asking = false;
    let ended = false;

    const acquire = async () => {
      if (ended || asking || document.visibilityState !== "visible") return;
      if (sentinel && !sentinel.released) return;
      asking = true;
      try {
        const granted = await navigator.wakeLock.request("screen");
        // Stopped while the browser was deciding: give it straight back.
        if (ended) void granted.release();
        else sentinel = granted;
      } catch {
        // Not allowed right now: the recording matters more than the screen.
      } finally {
        asking = false;
      }
    };
    const onVisibilityChange = () => void acquire();

    void acquire();
    document.addEventListener("visibilitychange", onVisibilityChange);
    return () => {
      ended = true;
      document.removeEventListener("visibilitychange", onVisibilityChange);
      void sentinel?.release().catch(() => undefined);
    };
  }, [active]);
}
