/**
 * Typed client for the gateway HTTP API. Its types are generated from the gateway's OpenAPI
 * document (./api-types, `make api-types`), and openapi-fetch checks every path, parameter and
 * body against them, so a change to the API shows up here as a type error.
 *
 * Every failure surfaces as an `ApiError` (see ./api-error) so callers only
 * ever need `describeError(error)` to show something readable.
 */
import createClient from "openapi-fetch";
import { apiErrorFromResponse, networkError } from "./api-error";
import type { components, paths } from "./api-types";
import { API_BASE_URL } from "./config";

type Schemas = components["schemas"];

/** A summary request as it stands. */
export type VoiceRequest = Schemas["RequestOut"];
export type RequestStatus = Schemas["RequestStatus"];
export type RequestStage = Schemas["RequestStage"];
export type DeliveryStatus = Schemas["DeliveryStatus"];
/** Why a request (or its last attempt) failed. */
export type RequestFailure = Schemas["ErrorOut"];
export type AudioUpload = Schemas["AudioOut"];
export type CreateRequestInput = Schemas["CreateRequestIn"];
/** A new request, with its access token (shown only this once). */
export type CreatedRequest = Schemas["CreatedRequestOut"];
/** A note listed by a "my notes" link, with a capability minted for it. */
export type ListedNote = Schemas["ListedNoteOut"];
/** The files a transcript can be downloaded as: txt, and srt/vtt when it has timings. */
export type TranscriptFormat = Schemas["TranscriptFileFormat"];
/** What the deployment offers: its speech model and languages, limits, double opt-in. */
export type DeploymentConfig = Schemas["ConfigOut"];

const client = createClient<paths>({
  baseUrl: API_BASE_URL,
  cache: "no-store",
  headers: { Accept: "application/json" },
});

/** What openapi-fetch answers: `data` on success, else `error` (the JSON body, or its text). */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; any failure as an ApiError. */
async function dataOf<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (error) {
    // Aborts are the caller's own doing (e.g. leaving the page), not a network failure.
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw networkError();
  }
  const { data, error, response } = answer;
  if (!response.ok || data === undefined) throw apiErrorFromResponse(response.status, error ?? null);
  return data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// Uploads bypass openapi-fetch (see below); the path is still checked against the API.
const UPLOAD_PATH = "/v1/audio" satisfies keyof paths;

/**
 * Uploads audio as multipart `file`, once (lib/upload-retry.ts decides about trying again).
 * Uses XMLHttpRequest rather than fetch because fetch still has no upload-progress events in
 * browsers.
 *
 * @param onProgress called with a fraction in [0, 1] as bytes leave the browser.
 * @param signal aborting it stops the transfer; the promise then rejects with an AbortError.
 */
export function uploadAudio(
  audio: Blob,
  fileName: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<AudioUpload> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const form = new FormData();
    form.append("file", audio, fileName);

    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${API_BASE_URL}${UPLOAD_PATH}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    const abort = () => xhr.abort();
    signal?.addEventListener("abort", abort, { once: true });
    const settle = () => signal?.removeEventListener("abort", abort);
    xhr.onload = () => {
      settle();
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as AudioUpload);
      } else {
        // Readable across origins because the gateway exposes it (CORS expose_headers).
        reject(apiErrorFromResponse(xhr.status, body, xhr.getResponseHeader("Retry-After")));
      }
    };
    // Browsers report DNS failures, CORS rejections and dropped connections
    // identically (status 0, no details), so they share one message.
    xhr.onerror = () => {
      settle();
      reject(networkError());
    };
    xhr.onabort = () => {
      settle();
      reject(signal?.reason ?? new DOMException("The upload was canceled.", "AbortError"));
    };
    xhr.send(form);
  });
}

export function getConfig(signal?: AbortSignal): Promise<DeploymentConfig> {
  return dataOf(client.GET("/v1/config", { signal }));
}

export function createRequest(input: CreateRequestInput): Promise<CreatedRequest> {
  return dataOf(client.POST("/v1/requests", { body: input }));
}

/** The path of one request, and its capability as the bearer token every call about it needs. */
const aRequest = (id: string, token: string) => ({
  params: { path: { request_id: id } },
  headers: { Authorization: `Bearer ${token}` },
});

export function getRequest(id: string, token: string, signal?: AbortSignal): Promise<VoiceRequest> {
  return dataOf(client.GET("/v1/requests/{request_id}", { ...aRequest(id, token), signal }));
}

/** Only a pending request can be canceled; otherwise an ApiError with code `invalid_transition`. */
export function cancelRequest(id: string, token: string): Promise<VoiceRequest> {
  return dataOf(client.POST("/v1/requests/{request_id}/cancel", aRequest(id, token)));
}

/** Moves a pending request to `sendAt` (ISO 8601 with offset), or to now when null. */
export function rescheduleRequest(id: string, token: string, sendAt: string | null): Promise<VoiceRequest> {
  return dataOf(
    client.POST("/v1/requests/{request_id}/reschedule", { ...aRequest(id, token), body: { send_at: sendAt } }),
  );
}

/** Starts a failed request again from the first step it did not finish. */
export function retryRequest(id: string, token: string): Promise<VoiceRequest> {
  return dataOf(client.POST("/v1/requests/{request_id}/retry", aRequest(id, token)));
}

/** Deletes a request's audio, transcript and summary; afterwards it reads as not found. */
export async function deleteRequest(id: string, token: string): Promise<void> {
  let answer: { error?: unknown; response: Response };
  try {
    answer = await client.DELETE("/v1/requests/{request_id}", aRequest(id, token));
  } catch {
    throw networkError();
  }
  if (!answer.response.ok) throw apiErrorFromResponse(answer.response.status, answer.error ?? null);
}

/** A request's transcript as a file (`transcript.<format>`); needs the request's capability. */
export async function downloadTranscript(id: string, token: string, format: TranscriptFormat): Promise<Blob> {
  let answer: { data?: Blob; error?: unknown; response: Response };
  try {
    answer = await client.GET("/v1/requests/{request_id}/transcript.{transcript_format}", {
      params: { path: { request_id: id, transcript_format: format } },
      headers: { Authorization: `Bearer ${token}`, Accept: "*/*" },
      parseAs: "blob",
    });
  } catch {
    throw networkError();
  }
  const { data, error, response } = answer;
  if (!response.ok || data === undefined) throw apiErrorFromResponse(response.status, error ?? null);
  return data;
}

/**
 * Confirms the address a confirmation (or "my notes") email went to, with the token from the
 * link's fragment; its notes that waited for it are sent.
 */
export function confirmRecipient(token: string): Promise<Schemas["ConfirmOut"]> {
  return dataOf(client.POST("/v1/recipients/confirm", { body: { token } }));
}

/** "Email me my notes": the answer is the same whether the address has notes or not. */
export function emailNotesLink(email: string): Promise<Schemas["NotesLinkOut"]> {
  return dataOf(client.POST("/v1/recipients/link", { body: { email } }));
}

/** The notes of the address a "my notes" link went to, newest first, each with its capability. */
export function listNotes(token: string, signal?: AbortSignal): Promise<Schemas["NotesPage"]> {
  return dataOf(client.GET("/v1/recipients/notes", { headers: { Authorization: `Bearer ${token}` }, signal }));
}

/** Stops every email to the address an unsubscribe link went to, until it confirms again. */
export function unsubscribe(token: string): Promise<Schemas["UnsubscribeOut"]> {
  return dataOf(client.POST("/v1/recipients/unsubscribe", { params: { query: { token } } }));
}
