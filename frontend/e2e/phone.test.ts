/**
 * What a phone needs, as far as Chromium can show it: a recording survives a reload (kept in
 * IndexedDB, offered back, sent, then forgotten), an upload survives a refused connection and
 * a busy server (retried with backoff, Retry-After honoured, never a 4xx, cancelable), and the
 * screen is kept on while recording.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page, Route } from "playwright-core";
import {
  API_URL,
  BASE_URL,
  fetchRequest,
  launchChromium,
  newPage,
  normalized,
  screenshot,
  STATUS_URL,
} from "./support";

/** Confirmed beforehand by tests/e2e/test_browser.py, so its notes are sent. */
const PHONE_EMAIL = "phone@example.com";
const UPLOAD_URL = `${API_URL}/v1/audio`;

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

/** The keys the app keeps in IndexedDB (lib/recording-drafts.ts), without creating its database. */
function storedKeys(page: Page): Promise<unknown[]> {
  // No named functions in here: tsx would wrap them in a helper the page does not have.
  return page.evaluate(async () => {
    const known = await indexedDB.databases();
    if (!known.some((database) => database.name === "voice-notes")) return [];
    return new Promise<unknown[]>((resolve, reject) => {
      const open = indexedDB.open("voice-notes");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const request = open.result.transaction("drafts").objectStore("drafts").getAllKeys();
        request.onsuccess = () => {
          open.result.close();
          resolve(request.result as unknown[]);
        };
        request.onerror = () => reject(request.error);
      };
    });
  });
}

async function waitForNoDrafts(page: Page): Promise<void> {
  for (let tries = 0; (await storedKeys(page)).length > 0; tries++) {
    assert.ok(tries < 50, `drafts left: ${JSON.stringify(await storedKeys(page))}`);
    await page.waitForTimeout(100);
  }
}

async function record(page: Page, untilTimer: string): Promise<void> {
  await page.getByRole("button", { name: "Start recording" }).click();
  await page.getByRole("timer").getByText(untilTimer).waitFor({ timeout: 20_000 });
}

async function send(page: Page): Promise<void> {
  await page.getByLabel("Email address").fill(PHONE_EMAIL);
  await page.getByRole("button", { name: "Send summary now" }).click();
}

test("a reload mid-recording offers the recording back; recovered, it is sent and forgotten", async () => {
  const page = await newPage(browser, { microphone: true });
  await page.goto("/");
  await record(page, "0:05");
  const kept = (await storedKeys(page)).length;
  assert.ok(kept >= 4, `the draft and its chunks are kept as they arrive (${kept} keys)`);

  await page.reload(); // as a crash or a phone killing the tab would, with no chance to stop
  const offer = page.getByRole("region", { name: "Unsent recordings" });
  await offer.getByText(/^An unsent recording from .+ \(0:0[3-6]\) was kept on this device\.$/).waitFor();
  await screenshot(page, "phone-01-recovery-offered");
  await offer.getByRole("button", { name: "Recover it" }).click();
  await page.getByRole("heading", { name: /^Your recovered recording \(0:0[3-6], \d+ KB\)$/ }).waitFor();
  assert.equal(await offer.count(), 0);
  await screenshot(page, "phone-02-recovered");

  await send(page);
  await page.waitForURL(STATUS_URL);
  await waitForNoDrafts(page);

  // The recording cut short by the reload is still audio ingest takes and Whisper hears.
  let request = await fetchRequest(page);
  for (let tries = 0; request.status !== "sent"; tries++) {
    assert.ok(tries < 180 && request.status !== "failed", `request: ${JSON.stringify(request)}`);
    await page.waitForTimeout(500);
    request = await fetchRequest(page);
  }
  const heard = request.transcript?.text ?? "";
  // The clip's first 5 s, as tiny.en hears them ("And so, my fellow Americans, ask not").
  assert.ok(/fellow .*ask not/.test(normalized(heard)), `transcript: ${heard}`);

  // Nothing is offered any more.
  await page.goto("/");
  await page.getByRole("button", { name: "Start recording" }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Unsent recordings" }).count(), 0);
  await page.context().close();
});

test("a stopped but unsent recording is kept too, and discarding it forgets it", async () => {
  const page = await newPage(browser, { microphone: true });
  await page.goto("/");
  await record(page, "0:02");
  await page.getByRole("button", { name: "Stop recording" }).click();
  await page.getByRole("heading", { name: /^Your recording \(0:02/ }).waitFor();

  await page.reload();
  const offer = page.getByRole("region", { name: "Unsent recordings" });
  await offer.getByText(/\(0:02\) was kept on this device/).waitFor();
  await offer.getByRole("button", { name: "Discard it" }).click();
  assert.equal(await offer.count(), 0);
  await waitForNoDrafts(page);
  await page.reload();
  await page.getByRole("button", { name: "Start recording" }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Unsent recordings" }).count(), 0);

  // Discarding in the recorder forgets its copy as well.
  await record(page, "0:02");
  await page.getByRole("button", { name: "Stop recording" }).click();
  await page.getByRole("button", { name: "Discard and record again" }).click();
  await waitForNoDrafts(page);
  await page.context().close();
});

/** A page with a 2 s recording ready to send, and every upload it makes passed to `handle`. */
async function pageUploadingThrough(handle: (route: Route, attempt: number) => Promise<void>) {
  const page = await newPage(browser, { microphone: true });
  const attempts: number[] = [];
  await page.route(UPLOAD_URL, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    attempts.push(Date.now());
    await handle(route, attempts.length);
  });
  await page.goto("/");
  await record(page, "0:02");
  await page.getByRole("button", { name: "Stop recording" }).click();
  await page.getByRole("heading", { name: /^Your recording/ }).waitFor();
  return { page, attempts };
}

/** An answer as the gateway gives it, readable by the page (CORS). */
function gatewayAnswer(status: number, code: string, headers: Record<string, string> = {}) {
  return {
    status,
    contentType: "application/json",
    headers: {
      "Access-Control-Allow-Origin": new URL(BASE_URL).origin,
      "Access-Control-Expose-Headers": "x-request-id, retry-after",
      ...headers,
    },
    body: JSON.stringify({ error: { code, message: code, request_id: "r" } }),
  };
}

test("an upload refused twice is tried again with backoff and goes through, with one recording", async () => {
  const { page, attempts } = await pageUploadingThrough((route, attempt) =>
    attempt <= 2 ? route.abort("connectionrefused") : route.continue(),
  );
  await send(page);
  const retrying = page.getByText(/^Could not reach the server\. Trying again in \d s \(attempt 2 of 7\)\.$/);
  await retrying.waitFor();
  await screenshot(page, "phone-03-upload-retrying");
  await page.waitForURL(STATUS_URL, { timeout: 30_000 });
  assert.equal(attempts.length, 3);
  // Equal jitter: at least half of 1 s, then of 2 s.
  assert.ok(attempts[1]! - attempts[0]! >= 450, `waits: ${attempts.map((at) => at - attempts[0]!)}`);
  assert.ok(attempts[2]! - attempts[1]! >= 950, `waits: ${attempts.map((at) => at - attempts[0]!)}`);
  await waitForNoDrafts(page);
  await page.context().close();
});

test("a busy server's Retry-After is honoured", async () => {
  const { page, attempts } = await pageUploadingThrough((route, attempt) =>
    attempt === 1 ? route.fulfill(gatewayAnswer(503, "uploads_busy", { "Retry-After": "3" })) : route.continue(),
  );
  await send(page);
  await page.getByText("The server is busy. Trying again in 3 s (attempt 2 of 7).").waitFor();
  await page.waitForURL(STATUS_URL, { timeout: 30_000 });
  assert.equal(attempts.length, 2);
  assert.ok(attempts[1]! - attempts[0]! >= 2_900, `waited ${attempts[1]! - attempts[0]!} ms`);
  await page.context().close();
});

test("a refusal (4xx) is not tried again, and the recording stays", async () => {
  const { page, attempts } = await pageUploadingThrough((route) =>
    route.fulfill(gatewayAnswer(413, "payload_too_large")),
  );
  await send(page);
  await page.getByRole("alert").getByText("That recording is too large to upload.", { exact: false }).waitFor();
  await page.waitForTimeout(1_500); // longer than the first backoff: no second attempt came
  assert.equal(attempts.length, 1);
  await page.getByRole("heading", { name: /^Your recording/ }).waitFor();
  assert.ok((await storedKeys(page)).length > 0, "the kept copy stays until the note is sent");
  await page.context().close();
});

test("an upload that keeps failing can be canceled, then sent once the network is back", async () => {
  let offline = true;
  const { page, attempts } = await pageUploadingThrough((route) =>
    offline ? route.abort("connectionrefused") : route.continue(),
  );
  await send(page);
  await page.getByText(/Trying again in \d+ s \(attempt 2 of 7\)/).waitFor();
  await page.getByRole("button", { name: "Cancel upload" }).click();
  await page.getByRole("alert").getByText("Upload canceled.").waitFor();
  const canceledAfter = attempts.length;
  await page.waitForTimeout(2_500);
  assert.equal(attempts.length, canceledAfter, "no attempt after the cancel");
  await screenshot(page, "phone-04-upload-canceled");

  offline = false;
  await page.getByRole("button", { name: "Send summary now" }).click();
  await page.waitForURL(STATUS_URL, { timeout: 30_000 });
  await page.context().close();
});

/** navigator.wakeLock and the page's visibility, under the test's control, logging each call. */
const WAKE_LOCK_STUB = `
  window.wakeLockLog = [];
  let visibility = "visible";
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => visibility });
  Object.defineProperty(document, "hidden", { configurable: true, get: () => visibility === "hidden" });
  window.setVisibility = (next) => {
    visibility = next;
    document.dispatchEvent(new Event("visibilitychange"));
  };
  Object.defineProperty(navigator, "wakeLock", {
    configurable: true,
    value: {
      request: async (type) => {
        window.wakeLockLog.push("request " + type);
        const sentinel = new EventTarget();
        sentinel.type = type;
        sentinel.released = false;
        sentinel.release = async () => {
          if (sentinel.released) return;
          sentinel.released = true;
          window.wakeLockLog.push("release");
          sentinel.dispatchEvent(new Event("release"));
        };
        // As browsers do: a hidden page loses its wake lock.
        document.addEventListener("visibilitychange", () => visibility === "hidden" && sentinel.release());
        return sentinel;
      },
    },
  });
`;

type StubbedWindow = Window & { wakeLockLog: string[]; setVisibility: (state: string) => void };

test("the screen is kept on while recording, asked again when the page is shown, and let go after", async () => {
  const page = await newPage(browser, { microphone: true });
  await page.context().addInitScript({ content: WAKE_LOCK_STUB });
  await page.goto("/");
  const log = () => page.evaluate(() => (window as unknown as StubbedWindow).wakeLockLog);
  assert.deepEqual(await log(), [], "not before recording");

  await record(page, "0:01");
  assert.deepEqual(await log(), ["request screen"]);
  await page.evaluate(() => (window as unknown as StubbedWindow).setVisibility("hidden"));
  await page.evaluate(() => (window as unknown as StubbedWindow).setVisibility("visible"));
  await page.waitForFunction(() => (window as unknown as StubbedWindow).wakeLockLog.length === 3);
  assert.deepEqual(await log(), ["request screen", "release", "request screen"]);

  await page.getByRole("button", { name: "Stop recording" }).click();
  await page.getByRole("heading", { name: /^Your recording/ }).waitFor();
  await page.waitForFunction(() => (window as unknown as StubbedWindow).wakeLockLog.length === 4);
  assert.deepEqual(await log(), ["request screen", "release", "request screen", "release"]);
  await page.context().close();

  // Chromium's own API is there (a secure context); whatever it answers, recording works.
  const real = await newPage(browser, { microphone: true });
  await real.goto("/");
  assert.equal(await real.evaluate(() => "wakeLock" in navigator), true);
  await record(real, "0:01");
  await real.getByRole("button", { name: "Stop recording" }).click();
  await real.getByRole("heading", { name: /^Your recording/ }).waitFor();
  await real.context().close();
});
