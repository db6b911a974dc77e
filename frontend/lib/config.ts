/**
 * Build-time settings. `next build` inlines each `process.env.NEXT_PUBLIC_*`
 * into the browser bundle, so they must be referenced literally, and changing
 * one means rebuilding (see README).
 */

/** Base URL of the HTTP gateway, without a trailing slash. */
export const API_BASE_URL = (process.env.NEXT_PUBLIC_API_BASE_URL || "http://localhost:8000").replace(/\/+$/, "");

const DEFAULT_MAX_RECORDING_SECONDS = 10 * 60;

/** Longest recording allowed; the recorder stops by itself when it is reached. */
export const MAX_RECORDING_MS =
  positiveSecondsOr(process.env.NEXT_PUBLIC_MAX_RECORDING_SECONDS, DEFAULT_MAX_RECORDING_SECONDS) * 1000;

/** A positive number of seconds, or the default for anything else (unset, "", "ten", "-5"). */
export function positiveSecondsOr(value: string | undefined, fallback: number): number {
  const seconds = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(seconds) && seconds > 0 ? seconds : fallback;
}
