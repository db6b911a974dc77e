/** Small display formatters shared by the record and status pages. */
import { localTimeZoneName } from "./time";

const pad = (n: number): string => String(n).padStart(2, "0");

/** "m:ss" (or "h:mm:ss") for the recording timer. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/** "840 KB", "12.3 MB": enough precision to judge whether an upload is large. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** Human-readable timestamp in the viewer's own zone and locale. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** "Nov 28, 2026, 6:30 PM (America/St_Johns)": the zone named, so nobody wonders whose time it is. */
export function formatLocalDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${formatDateTime(iso)} (${localTimeZoneName(date)})`;
}

/** Time left, rounded up: a countdown shows "0:12" for its whole first second, and "0:00" only at the end. */
export function formatRemaining(ms: number): string {
  return formatElapsed(Math.ceil(Math.max(0, ms) / 1000) * 1000);
}
