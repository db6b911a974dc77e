import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApiError, apiErrorFromResponse, describeError, networkError, sentence } from "./api-error";

const envelope = (code: string, message: string, requestId = "req-1") => ({
  error: { code, message, request_id: requestId },
});

describe("gateway errors → readable messages", () => {
  test("keeps the code, status and request id from the error format", () => {
    const error = apiErrorFromResponse(415, envelope("unsupported_media_type", "this file is not audio we can read"));
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 415);
    assert.equal(error.code, "unsupported_media_type");
    assert.equal(error.requestId, "req-1");
  });

  test("explains what a person can do about too large, not audio and rate limited", () => {
    assert.match(
      apiErrorFromResponse(413, envelope("payload_too_large", "the file is larger than 100 MB")).message,
      /too large/,
    );
    assert.match(
      apiErrorFromResponse(415, envelope("unsupported_media_type", "x")).message,
      /does not look like audio/,
    );
    assert.match(apiErrorFromResponse(429, envelope("rate_limited", "x")).message, /wait a minute/);
    assert.match(apiErrorFromResponse(503, envelope("uploads_busy", "x")).message, /busy receiving/);
    assert.match(
      apiErrorFromResponse(404, envelope("request_not_found", "no summary request")).message,
      /could not find/,
    );
  });

  test("prefers a message for the code over one for the status", () => {
    const tooLate = apiErrorFromResponse(
      409,
      envelope("invalid_transition", "the request is processing; only pending requests can be canceled"),
    );
    assert.match(tooLate.message, /can no longer be changed/);
    assert.match(
      apiErrorFromResponse(400, envelope("empty_upload", "the file is empty")).message,
      /That file is empty/,
    );
    assert.match(apiErrorFromResponse(404, envelope("audio_not_found", "no audio")).message, /send it again/);
  });

  test("shows other 4xx messages from the server as sentences", () => {
    const error = apiErrorFromResponse(
      422,
      envelope("invalid_email", "invalid email address: the domain does not exist"),
    );
    assert.equal(error.message, "Invalid email address: the domain does not exist.");
  });

  test("keeps 5xx details (often internal) out of sight", () => {
    const error = apiErrorFromResponse(503, envelope("ingest_unavailable", "upstream connect error"));
    assert.equal(error.code, "ingest_unavailable");
    assert.match(error.message, /went wrong on our side/);
    assert.doesNotMatch(error.message, /upstream/);
  });

  test("copes with bodies that are not the error format", () => {
    for (const body of [null, "Bad Gateway", { detail: "x" }, { error: "flat" }, { error: { code: 7, message: "" } }]) {
      const error = apiErrorFromResponse(400, body);
      assert.equal(error.code, "http_400");
      assert.equal(error.requestId, null);
      assert.match(error.message, /HTTP 400/);
    }
  });

  test("never mistakes a code for an inherited object property", () => {
    assert.match(apiErrorFromResponse(400, envelope("constructor", "bad thing")).message, /^Bad thing\.$/);
  });
});

describe("describeError", () => {
  test("adds the request id as a reference for bug reports", () => {
    const error = apiErrorFromResponse(415, envelope("unsupported_media_type", "x", "abc123"));
    assert.match(describeError(error), /\(reference: abc123\)$/);
  });

  test("explains network failures and hides unexpected ones", () => {
    assert.match(describeError(networkError()), /Could not reach the server/);
    assert.equal(describeError(new TypeError("x is undefined")), "Something unexpected went wrong. Please try again.");
  });
});

test("sentence() capitalizes and ends with a full stop once", () => {
  assert.equal(sentence("the file is empty"), "The file is empty.");
  assert.equal(sentence("Already done!"), "Already done!");
  assert.equal(sentence("  padded.  "), "Padded.");
});
