/**
 * Typed client for the gateway HTTP API (see the repo's gateway for the contract).
 *
 * Every failure surfaces as an `ApiError` (see ./api-error) so callers only
 * ever need `describeError(error)` to show something readable.
 */
import { apiErrorFromResponse, networkError } from "./api-error";
import { API_BASE_URL } from "./config";

export type RequestStatus = "pending" | "processing" | "sent" | "failed" | "canceled";
export type RequestStage = "transcribing" | "summarizing" | "emailing";

export interface AudioUpload {
  audio_id: string;
  sha256: string;
  size_bytes: number;
  content_type: string;
  duration_s: number | null;
}

export interface Transcript {
  source: "raw" | "existing" | "transcribed";
  text: string;
  language: string | null;
}

export interface Summary {
  bullets: string[];
  next_step: string;
}

export interface Delivery {
  status: string;
  provider: string;
  provider_message_id: string | null;
  sent_at: string | null;
}

export interface VoiceRequest {
  id: string;
  status: RequestStatus;
  stage: RequestStage | null;
  email: string;
  audio_id: string;
  /** When it is (or was) due; equals `created_at` for "send now". */
  send_at: string;
  created_at: string;
  updated_at: string;
  attempts: number;
  /** Set while a failed attempt waits to be tried again (then `error` says why it failed). */
  next_attempt_at: string | null;
  transcript: Transcript | null;
  summary: Summary | null;
  delivery: Delivery | null;
  error: { code: string; message: string } | null;
}

export interface CreateRequestInput {
  email: string;
  audio_id: string;
  /** ISO 8601 with offset; omitted means "send now". */
  send_at?: string;
  /** The browser's IANA time zone, so that the email shows the recipient's local time. */
  time_zone?: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

interface JsonRequest {
  method?: "GET" | "POST";
  /** Sent as JSON when present. */
  body?: unknown;
  signal?: AbortSignal;
}

async function requestJson<T>(path: string, { method = "GET", body, signal }: JsonRequest = {}): Promise<T> {
  const hasBody = body !== undefined;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${API_BASE_URL}${path}`, {
      method,
      signal,
      cache: "no-store",
      headers: hasBody
        ? { Accept: "application/json", "Content-Type": "application/json" }
        : { Accept: "application/json" },
      body: hasBody ? JSON.stringify(body) : undefined,
    });
    text = await response.text();
  } catch (error) {
    // Aborts are the caller's own doing (e.g. leaving the page), not a network failure.
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw networkError();
  }
  const responseBody = parseJson(text);
  if (!response.ok) throw apiErrorFromResponse(response.status, responseBody);
  return responseBody as T;
}

/**
 * Uploads audio as multipart `file`. Uses XMLHttpRequest rather than fetch
 * because fetch still has no upload-progress events in browsers.
 *
 * @param onProgress called with a fraction in [0, 1] as bytes leave the browser.
 */
export function uploadAudio(
  audio: Blob,
  fileName: string,
  onProgress: (fraction: number) => void,
): Promise<AudioUpload> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append("file", audio, fileName);

    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${API_BASE_URL}/v1/audio`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as AudioUpload);
      } else {
        reject(apiErrorFromResponse(xhr.status, body));
      }
    };
    // Browsers report DNS failures, CORS rejections and dropped connections
    // identically (status 0, no details), so they share one message.
    xhr.onerror = () => reject(networkError());
    xhr.send(form);
  });
}

export function createRequest(input: CreateRequestInput): Promise<VoiceRequest> {
  return requestJson<VoiceRequest>("/v1/requests", { method: "POST", body: input });
}

const requestPath = (id: string): string => `/v1/requests/${encodeURIComponent(id)}`;

export function getRequest(id: string, signal?: AbortSignal): Promise<VoiceRequest> {
  return requestJson<VoiceRequest>(requestPath(id), { signal });
}

/** Only a pending request can be canceled; otherwise an ApiError with code `invalid_transition`. */
export function cancelRequest(id: string): Promise<VoiceRequest> {
  return requestJson<VoiceRequest>(`${requestPath(id)}/cancel`, { method: "POST" });
}

/** Moves a pending request to `sendAt` (ISO 8601 with offset), or to now when null. */
export function rescheduleRequest(id: string, sendAt: string | null): Promise<VoiceRequest> {
  return requestJson<VoiceRequest>(`${requestPath(id)}/reschedule`, { method: "POST", body: { send_at: sendAt } });
}

/** Starts a failed request again from the first step it did not finish. */
export function retryRequest(id: string): Promise<VoiceRequest> {
  return requestJson<VoiceRequest>(`${requestPath(id)}/retry`, { method: "POST" });
}
