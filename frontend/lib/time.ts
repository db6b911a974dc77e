/**
 * Pure date/time helpers for the "send at" picker.
 *
 * A `<input type="datetime-local">` yields a wall-clock value without a zone
 * ("2026-11-27T18:30"). The API needs an absolute instant, and we keep the
 * user's offset in the string (not UTC "Z") so the backend and emails can
 * show the time the way the user picked it.
 */

const LOCAL_VALUE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const pad = (n: number): string => String(n).padStart(2, "0");

/** "+01:00" / "-05:30" for a `Date#getTimezoneOffset()` value (minutes, sign inverted). */
export function formatOffset(timezoneOffsetMinutes: number): string {
  const east = -timezoneOffsetMinutes;
  const sign = east >= 0 ? "+" : "-";
  const abs = Math.abs(east);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** ISO 8601 with the local offset, e.g. "2026-11-27T18:30:00+01:00". */
export function toIsoWithOffset(date: Date): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day}T${time}${formatOffset(date.getTimezoneOffset())}`;
}

/**
 * Parses a datetime-local value as a time in the runtime's local zone.
 * Returns null for anything malformed or impossible (e.g. Feb 30).
 */
export function parseLocalDateTime(value: string): Date | null {
  const match = LOCAL_VALUE.exec(value);
  if (!match) return null;
  // Seconds are optional in datetime-local values; a missing group reads as 0.
  const field = (index: number): number => Number(match[index] ?? "0");
  const [year, month, day] = [field(1), field(2), field(3)];
  const date = new Date(year, month - 1, day, field(4), field(5), field(6));
  // The Date constructor silently rolls over invalid days (Feb 30 → Mar 2).
  if (date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  // A wall-clock time inside a DST gap (e.g. 02:30 on spring-forward night)
  // does not exist; the constructor moves it forward, and the ISO string is
  // built from the resulting Date, so the offset always matches the instant.
  return date;
}

/** The inverse of parseLocalDateTime, minute precision: used for the picker's `min`. */
export function toLocalDateTimeValue(date: Date): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A sensible default for the picker: at least an hour ahead, on a quarter hour. */
export function suggestSendTime(now: Date): Date {
  const quarterMs = 15 * 60 * 1000;
  return new Date(Math.ceil((now.getTime() + 60 * 60 * 1000) / quarterMs) * quarterMs);
}

/** IANA zone name such as "Europe/Berlin" (falls back to the offset if unknown). */
/** The browser's IANA time zone ("Europe/Paris"), or undefined when it does not say. */
export function ianaTimeZone(): string | undefined {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
}

export function localTimeZoneName(now: Date = new Date()): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || `UTC${formatOffset(now.getTimezoneOffset())}`;
}
