/**
 * Polls one request until it reaches a final status, backing off from
 * 500 ms to every 5 s, and more slowly while it is only due later (lib/polling.ts). Transient errors keep it polling so a
 * restarting gateway or a flaky phone connection heals by itself; only
 * "not found" stops it, because that will not change on its own.
 */
import { useCallback, useEffect, useState } from "react";
import { getRequest, type VoiceRequest } from "@/lib/api";
import { ApiError, describeError } from "@/lib/api-error";
import { delayBeforeNextPoll, FIRST_POLL_DELAY_MS, isFinalStatus, nextPollDelay } from "@/lib/polling";

export interface PollState {
  /** The latest successful answer; kept while later polls fail. */
  request: VoiceRequest | null;
  /** Readable message for the latest failed poll, cleared by the next success. */
  error: string | null;
  /** False once the request is final or cannot be found. */
  polling: boolean;
}

export interface RequestPolling extends PollState {
  /**
   * Shows a request an action just returned (cancel, reschedule, retry) and
   * polls again from the quickest delay; with no argument it only re-polls.
   */
  refresh: (request?: VoiceRequest) => void;
}

/** Polls with the note's capability; polls nothing while `token` is not known (null or undefined). */
export function useRequestPolling(id: string, token: string | null | undefined): RequestPolling {
  const [state, setState] = useState<PollState>({ request: null, error: null, polling: true });
  // Bumping it restarts the polling effect, e.g. after a retry made a final request live again.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = FIRST_POLL_DELAY_MS;
    let latest: VoiceRequest | null = null;
    if (!token) return;
    const key = token;

    async function poll(): Promise<void> {
      try {
        latest = await getRequest(id, key, controller.signal);
        const final = isFinalStatus(latest.status);
        setState({ request: latest, error: null, polling: !final });
        if (final) return;
      } catch (error) {
        if (controller.signal.aborted) return;
        const notFound = error instanceof ApiError && error.status === 404;
        setState((previous) => ({ ...previous, error: describeError(error), polling: !notFound }));
        if (notFound) return;
      }
      timer = setTimeout(poll, latest ? delayBeforeNextPoll(latest, delay, Date.now()) : delay);
      delay = nextPollDelay(delay);
    }

    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id, token, generation]);

  const refresh = useCallback((request?: VoiceRequest) => {
    if (request) setState({ request, error: null, polling: !isFinalStatus(request.status) });
    setGeneration((previous) => previous + 1);
  }, []);

  return { ...state, refresh };
}
