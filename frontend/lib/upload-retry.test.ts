import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApiError, apiErrorFromResponse, networkError } from "./api-error";
import {
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
  retryReason,
  withRetries,
  type RetryNotice,
  type RetryPolicy,
} from "./upload-retry";

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000, maxRetryAfterMs: 60_000 };
const noRetryAfter = (status: number) => ({ status, retryAfter: null });

describe("what is retried", () => {
  test("no answer, 429 and 5xx are; other 4xx and 2xx are not", () => {
    for (const status of [0, 429, 500, 502, 503, 504]) assert.equal(isRetryableStatus(status), true, `${status}`);
    for (const status of [200, 400, 401, 403, 404, 408, 413, 415, 422]) {
      assert.equal(isRetryableStatus(status), false, `${status}`);
      assert.equal(retryDelayMs(noRetryAfter(status), 1, policy), null, `${status}`);
    }
  });
});

describe("what the page says while it waits", () => {
  test("a short reason for each kind of failure", () => {
    assert.equal(retryReason(0), "Could not reach the server.");
    assert.equal(retryReason(429), "The server asks us to slow down.");
    assert.equal(retryReason(503), "The server is busy.");
    assert.equal(retryReason(500), "The server had a problem.");
  });
});

describe("how long to wait", () => {
  test("doubles from the base delay up to the cap, half fixed and half random", () => {
    const lowest = (attempt: number) => retryDelayMs(noRetryAfter(503), attempt, policy, 0, () => 0);
    const highest = (attempt: number) => retryDelayMs(noRetryAfter(0), attempt, policy, 0, () => 1);
    assert.deepEqual([1, 2, 3].map(lowest), [500, 1_000, 2_000]);
    assert.deepEqual([1, 2, 3].map(highest), [1_000, 2_000, 4_000]);
    const capped = { ...policy, maxAttempts: 10 };
    assert.equal(
      retryDelayMs(noRetryAfter(0), 8, capped, 0, () => 1),
      5_000,
    );
    assert.equal(
      retryDelayMs(noRetryAfter(0), 8, capped, 0, () => 0),
      2_500,
    );
  });

  test("gives up once the attempts are used", () => {
    assert.notEqual(retryDelayMs(noRetryAfter(0), 3, policy), null);
    assert.equal(retryDelayMs(noRetryAfter(0), 4, policy), null);
  });

  test("honours Retry-After in seconds or as a date, and gives up when it is too long", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    assert.equal(
      retryDelayMs({ status: 429, retryAfter: "7" }, 1, policy, now, () => 0.5),
      7_000,
    );
    assert.equal(retryDelayMs({ status: 503, retryAfter: "0" }, 1, policy, now), 0);
    const inTwelveSeconds = "Sun, 01 Mar 2026 12:00:12 GMT";
    assert.equal(retryDelayMs({ status: 503, retryAfter: inTwelveSeconds }, 1, policy, now), 12_000);
    assert.equal(retryDelayMs({ status: 503, retryAfter: "3600" }, 1, policy, now), null);
    // A 4xx other than 429 is not retried, whatever it says.
    assert.equal(retryDelayMs({ status: 413, retryAfter: "1" }, 1, policy, now), null);
  });

  test("reads Retry-After as RFC 9110 writes it, and nothing else", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    assert.equal(parseRetryAfter(" 120 ", now), 120_000);
    assert.equal(parseRetryAfter("Sun, 01 Mar 2026 11:59:00 GMT", now), 0, "a date in the past: now");
    for (const bad of [null, "", "soon", "-5", "1.5"]) assert.equal(parseRetryAfter(bad, now), null, `${bad}`);
    // Bad values fall back to the backoff rather than stopping.
    assert.equal(
      retryDelayMs({ status: 503, retryAfter: "soon" }, 1, policy, now, () => 0),
      500,
    );
  });
});

describe("retrying an upload", () => {
  /** An attempt function answering from a script of outcomes, and what the loop waited. */
  function scripted(outcomes: (ApiError | Error | "ok")[]) {
    const waits: number[] = [];
    const notices: RetryNotice[] = [];
    let calls = 0;
    const attempt = () => {
      const outcome = outcomes[calls++];
      return outcome === "ok" ? Promise.resolve(`uploaded after ${calls}`) : Promise.reject(outcome);
    };
    const options = {
      signal: new AbortController().signal,
      policy,
      random: () => 0,
      now: () => 0,
      wait: (ms: number) => {
        waits.push(ms);
        return Promise.resolve();
      },
      onRetry: (notice: RetryNotice) => notices.push(notice),
    };
    return { attempt, options, waits, notices, calls: () => calls };
  }

  test("a refused connection and a 503 are retried until the upload goes through", async () => {
    const run = scripted([networkError(), apiErrorFromResponse(503, null, "2"), "ok"]);
    assert.equal(await withRetries(run.attempt, run.options), "uploaded after 3");
    assert.deepEqual(run.waits, [500, 2_000]);
    assert.deepEqual(
      run.notices.map(({ attempt, maxAttempts, delayMs, error }) => [attempt, maxAttempts, delayMs, error.status]),
      [
        [1, 4, 500, 0],
        [2, 4, 2_000, 503],
      ],
    );
  });

  test("a 4xx is final at once: the same bytes would be refused again", async () => {
    const tooLarge = apiErrorFromResponse(413, { error: { code: "payload_too_large" } });
    const run = scripted([tooLarge, "ok"]);
    await assert.rejects(withRetries(run.attempt, run.options), tooLarge);
    assert.equal(run.calls(), 1);
    assert.deepEqual(run.waits, []);
  });

  test("after the last attempt, its error is thrown", async () => {
    const last = apiErrorFromResponse(502, null);
    const run = scripted([networkError(), networkError(), networkError(), last, "ok"]);
    await assert.rejects(withRetries(run.attempt, run.options), last);
    assert.equal(run.calls(), 4);
  });

  test("what is not an ApiError is a bug, not a flaky network: thrown at once", async () => {
    const bug = new TypeError("x is undefined");
    const run = scripted([bug, "ok"]);
    await assert.rejects(withRetries(run.attempt, run.options), bug);
    assert.equal(run.calls(), 1);
  });

  test("canceling during a wait stops it, and no attempt follows", async () => {
    const controller = new AbortController();
    let calls = 0;
    const attempt = () => {
      calls++;
      return Promise.reject(networkError());
    };
    const wait = (_ms: number, signal: AbortSignal) =>
      new Promise<void>((_resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        controller.abort();
      });
    await assert.rejects(withRetries(attempt, { signal: controller.signal, policy, wait }), { name: "AbortError" });
    assert.equal(calls, 1);
  });

  test("an upload canceled mid-transfer is not retried", async () => {
    const controller = new AbortController();
    const attempt = () => {
      controller.abort();
      return Promise.reject(networkError());
    };
    const wait = () => assert.fail("no wait after a cancel");
    await assert.rejects(withRetries(attempt, { signal: controller.signal, policy, wait }), networkError());
  });
});
