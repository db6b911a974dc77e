/**
 * Turning gateway failures into sentences a person can act on.
 *
 * The gateway always answers errors with
 * `{"error": {"code", "message", "request_id"}}`. We prefer a message chosen
 * by code, then by HTTP status, for the cases a user can do something about
 * (file too big, wrong type, too late to change, slow down), and otherwise
 * show the server's own message.
 */

const NETWORK_ERROR_MESSAGE = "Could not reach the server. Check your connection and try again.";

// Maps, not object literals: a code such as "constructor" must not find Object.prototype.
const MESSAGES_BY_CODE: ReadonlyMap<string, string> = new Map([
  ["empty_upload", "That file is empty. Record again or choose a different file."],
  ["invalid_transition", "This request can no longer be changed: it has already started or finished."],
  ["invalid_send_at", "Pick a time within the next year."],
  ["audio_not_found", "The uploaded audio is no longer available. Please send it again."],
  ["upload_token_invalid", "The uploaded audio is no longer available. Please send it again."],
  // 503 with Retry-After: the server is receiving as many uploads as it can hold right now.
  ["uploads_busy", "The server is busy receiving other recordings. Please try again in a minute."],
  ["spool_full", "The server is busy receiving other recordings. Please try again in a minute."],
]);

const MESSAGES_BY_STATUS: ReadonlyMap<number, string> = new Map([
  [401, "This link is missing its key: open the full link you got when you sent the note."],
  [404, "We could not find that. The link may be wrong, or the note was deleted or has expired."],
  [408, "The server took too long to answer. Please try again."],
  [413, "That recording is too large to upload. Try a shorter recording or a smaller file."],
  [415, "That file does not look like audio. Please choose an audio file (for example .mp3, .m4a, .webm or .wav)."],
  [429, "Too many requests right now. Please wait a minute and try again."],
]);

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  /** Machine-readable snake_case code from the gateway (or a local one). */
  readonly code: string;
  /** Gateway request id, worth quoting in a bug report. */
  readonly requestId: string | null;
  /** The answer's Retry-After header (429, 503), when the caller could read it. */
  readonly retryAfter: string | null;

  constructor(
    status: number,
    code: string,
    message: string,
    requestId: string | null = null,
    retryAfter: string | null = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }
}

interface ErrorEnvelope {
  error: { code?: unknown; message?: unknown; request_id?: unknown };
}

function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  return typeof body === "object" && body !== null && typeof (body as ErrorEnvelope).error === "object";
}

const asString = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : null);

/** Builds an ApiError from an HTTP status and the (already JSON-parsed, possibly absent) body. */
export function apiErrorFromResponse(status: number, body: unknown, retryAfter: string | null = null): ApiError {
  const envelope = isErrorEnvelope(body) ? body.error : null;
  const code = asString(envelope?.code) ?? `http_${status}`;
  const serverMessage = asString(envelope?.message);
  const requestId = asString(envelope?.request_id);
  return new ApiError(status, code, messageFor(status, code, serverMessage), requestId, retryAfter);
}

export function networkError(): ApiError {
  return new ApiError(0, "network_error", NETWORK_ERROR_MESSAGE);
}

function messageFor(status: number, code: string, serverMessage: string | null): string {
  const known = MESSAGES_BY_CODE.get(code) ?? MESSAGES_BY_STATUS.get(status);
  if (known) return known;
  // 5xx messages are often internal ("upstream unavailable"); keep them calm.
  if (status >= 500) return "Something went wrong on our side. Please try again in a moment.";
  return serverMessage ? sentence(serverMessage) : `The request failed (HTTP ${status}). Please try again.`;
}

/** Server messages are lower-case fragments ("invalid email address: …"); show them as sentences. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalized = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}

/** A readable message for anything thrown by the API client (or by a bug). */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return error.requestId ? `${error.message} (reference: ${error.requestId})` : error.message;
  }
  return "Something unexpected went wrong. Please try again.";
}
