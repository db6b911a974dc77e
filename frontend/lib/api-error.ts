/**
 * Turning gateway failures into sentences a person can act on.
 *
 * The gateway always answers errors with
 * `{"error": {"code", "message", "request_id"}}`. We prefer a message chosen
 * by HTTP status for the cases a user can do something about (file too big,
 * wrong type, slow down), and otherwise show the server's own message.
 */

const NETWORK_ERROR_MESSAGE = "Could not reach the server. Check your connection and try again.";

const MESSAGES_BY_STATUS: Readonly<Record<number, string>> = {
  404: "We could not find that. The link may be wrong or the request has expired.",
  408: "The server took too long to answer. Please try again.",
  413: "That recording is too large to upload. Try a shorter recording or a smaller file.",
  415: "That file does not look like audio. Please choose an audio file (for example .mp3, .m4a, .webm or .wav).",
  429: "Too many requests right now. Please wait a minute and try again.",
};

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  /** Machine-readable snake_case code from the gateway (or a local one). */
  readonly code: string;
  /** Gateway request id, worth quoting in a bug report. */
  readonly requestId: string | null;

  constructor(status: number, code: string, message: string, requestId: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

interface ErrorEnvelope {
  error: { code?: unknown; message?: unknown; request_id?: unknown };
}

function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  return typeof body === "object" && body !== null && typeof (body as ErrorEnvelope).error === "object";
}

const asString = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== "" ? value : null;

/** Builds an ApiError from an HTTP status and the (already JSON-parsed, possibly absent) body. */
export function apiErrorFromResponse(status: number, body: unknown): ApiError {
  const envelope = isErrorEnvelope(body) ? body.error : null;
  const code = asString(envelope?.code) ?? `http_${status}`;
  const serverMessage = asString(envelope?.message);
  const requestId = asString(envelope?.request_id);
  return new ApiError(status, code, messageFor(status, serverMessage), requestId);
}

export function networkError(): ApiError {
  return new ApiError(0, "network_error", NETWORK_ERROR_MESSAGE);
}

function messageFor(status: number, serverMessage: string | null): string {
  const known = MESSAGES_BY_STATUS[status];
  if (known) return known;
  // 5xx messages are often internal ("upstream unavailable"); keep them calm.
  if (status >= 500) return "Something went wrong on our side. Please try again in a moment.";
  return serverMessage ?? `The request failed (HTTP ${status}). Please try again.`;
}

/** A readable message for anything thrown by the API client (or by a bug). */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return error.requestId ? `${error.message} (reference: ${error.requestId})` : error.message;
  }
  return "Something unexpected went wrong. Please try again.";
}
