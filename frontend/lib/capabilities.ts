/**
 * The capabilities of the notes this browser created. A note's access token is the only key to
 * it (there are no accounts): it travels in the status page's URL fragment, which browsers never
 * send to a server, and is kept in localStorage so "Your recent notes" works on this device.
 */

const STORAGE_KEY = "voice-notes:capabilities";
/** What a token looks like (the API's OpenAPI document states the same shape). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Kept at most; the oldest are forgotten first. */
export const MAX_REMEMBERED = 50;

export interface NoteCapability {
  id: string;
  token: string;
  /** Where the summary goes, to tell the notes apart in the list. */
  email: string;
  /** ISO 8601, when it was created. */
  createdAt: string;
}

/** Where the status page of a note lives, with its capability in the fragment. */
export function statusPath(id: string, token: string): string {
  return `/requests/${encodeURIComponent(id)}#token=${encodeURIComponent(token)}`;
}

/** The token in a URL fragment such as `#token=…`, or null. */
export function tokenFromFragment(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token !== null && TOKEN_SHAPE.test(token) ? token : null;
}

/** Whether the fragment asks for the delete confirmation (`#token=…&action=delete`, the summary
 * email's "Delete this note" link): the page asks first, it never deletes on opening a link. */
export function deleteAsked(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, "")).get("action") === "delete";
}

/**
 * The token of an emailed link's fragment (`/confirm#token=…`, `/notes#token=…`), read once and
 * then removed from the address bar, so that it does not stay in the history either.
 */
export function takeLinkToken(
  location: Pick<Location, "hash">,
  history?: Pick<History, "replaceState">,
): string | null {
  const token = tokenFromFragment(location.hash);
  history?.replaceState(null, "", " ");
  return token;
}

function isCapability(value: unknown): value is NoteCapability {
  if (typeof value !== "object" || value === null) return false;
  const note = value as Record<string, unknown>;
  return (
    typeof note.id === "string" &&
    typeof note.token === "string" &&
    typeof note.email === "string" &&
    typeof note.createdAt === "string"
  );
}

/** The stored list as text: a stable snapshot for React's useSyncExternalStore. */
export function storedNotesText(storage: Storage = localStorage): string {
  return storage.getItem(STORAGE_KEY) ?? "[]";
}

/** Calls `onChange` when another tab changes the remembered notes; returns the unsubscribe. */
export function subscribeToNotes(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  return () => window.removeEventListener("storage", onChange);
}

/** The notes in a stored list's text; anything unreadable counts as nothing. */
export function parseNotes(text: string): NoteCapability[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isCapability) : [];
  } catch {
    return [];
  }
}

/** The remembered notes, newest first. */
export function recentNotes(storage: Storage = localStorage): NoteCapability[] {
  return parseNotes(storedNotesText(storage));
}

function save(notes: NoteCapability[], storage: Storage): void {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(notes.slice(0, MAX_REMEMBERED)));
  } catch {
    // Storage full or disabled (private mode): the link in the URL still works.
  }
}

/** Remember a note's capability (replacing an older entry for the same id). */
export function rememberNote(note: NoteCapability, storage: Storage = localStorage): void {
  save([note, ...recentNotes(storage).filter((known) => known.id !== note.id)], storage);
}

/** The remembered token of a note, if this browser has one. */
export function rememberedToken(id: string, storage: Storage = localStorage): string | null {
  return recentNotes(storage).find((note) => note.id === id)?.token ?? null;
}

/** Forget a note (deleted, or its token no longer works). */
export function forgetNote(id: string, storage: Storage = localStorage): void {
  save(
    recentNotes(storage).filter((note) => note.id !== id),
    storage,
  );
}
