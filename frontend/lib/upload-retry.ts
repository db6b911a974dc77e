/**
 * When and how soon to send an upload again, so a recording survives a flaky phone network
 * without being recorded again.
 *
 * Retried: no answer at all (status 0: offline, refused, dropped), 429 and 5xx, the answers
 * that say "not now" rather than "not this". Never retried: any other 4xx (too large, not
 * audio, …), since the same bytes would be refused again. A `Retry-After` from the server is
 * honoured as given; without one the waits double from `baseDelayMs` up to `maxDelayMs`, with
 * "equal jitter" (half fixed, half random) so phones that lost the same network do not all
 * come back at the same moment, and no wait is close to zero.
 */
import { ApiError } from "./api-error";

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking for a longer wait than this is not waited for: the person is told. */
  maxRetryAfterMs: number;
}

/** About a minute and a half of trying (1 + 2 + 4 + 8 + 16 + 30 s at most) over 7 attempts. */
export const UPLOAD_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 7,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** What a failed attempt tells: the HTTP status (0 = no answer) and its Retry-After header. */
export interface AttemptFailure {
  status: number;
  retryAfter: string | null;
}

export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 429 || (status >= 500 && status <= 599);
}

/** Retry-After (RFC 9110: delay-seconds or an HTTP-date) as ms from `now`; null if absent or bad. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  const text = value?.trim() ?? "";
  if (text === "") return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP-date form starts with the day's name; Date.parse alone would take "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * How long to wait after failed attempt number `attempt` (1 is the first) before the next;
 * null to give up: not retryable, attempts used up, or the server asks for too long a wait.
 */
export function retryDelayMs(
  failure: AttemptFailure,
  attempt: number,
  policy: RetryPolicy = UPLOAD_RETRY_POLICY,
  now: number = Date.now(),
  random: () => number = Math.random,
): number | null {
  if (!isRetryableStatus(failure.status) || attempt >= policy.maxAttempts) return null;
  const asked = parseRetryAfter(failure.retryAfter, now);
  if (asked !== null) return asked <= policy.maxRetryAfterMs ? asked : null;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** Why an attempt failed, in the few words the page shows before "Trying again in 4 s". */
export function retryReason(status: number): string {
  if (status === 0) return "Could not reach the server.";
  if (status === 429) return "The server asks us to slow down.";
  if (status === 503) return "The server is busy.";
  return "The server had a problem.";
}

/** Told before each wait, so the page can say what is going on. */
export interface RetryNotice {
  /** The attempt that failed (1-based) and how many there may be. */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  error: ApiError;
}

export interface RetryOptions {
  signal: AbortSignal;
  policy?: RetryPolicy;
  onRetry?: (notice: RetryNotice) => void;
  /** Resolves after `ms` (or earlier, e.g. when the device comes back online); rejects on abort. */
  wait: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/**
 * Runs `attempt` until it succeeds, fails for good (the last error is thrown) or `signal`
 * aborts (an AbortError is thrown). Only ApiErrors are judged; anything else is thrown at once.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal, attemptNumber: number) => Promise<T>,
  { signal, policy = UPLOAD_RETRY_POLICY, onRetry, wait, now = Date.now, random = Math.random }: RetryOptions,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    signal.throwIfAborted();
    try {
      return await attempt(signal, attemptNumber);
    } catch (error) {
      if (signal.aborted || !(error instanceof ApiError)) throw error;
      const delayMs = retryDelayMs(error, attemptNumber, policy, now(), random);
      if (delayMs === null) throw error;
      onRetry?.({ attempt: attemptNumber, maxAttempts: policy.maxAttempts, delayMs, error });
      await wait(delayMs, signal);
    }
  }
}
