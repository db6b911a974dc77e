/**
 * When things go wrong the page says what happened and what to do, and keeps
 * what the person already has: a refused microphone, a file that is not
 * audio (caught in the browser, and by the server), and audio that cannot be
 * decoded, dropped onto the page and then retried.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium, newPage, PROCESSING_TIMEOUT_MS, screenshot, STATUS_URL } from "./support";

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

async function openRecorder(options: { microphone: boolean }): Promise<Page> {
  const page = await newPage(browser, options);
  await page.goto("/");
  return page;
}

test("a refused microphone is explained, including the HTTPS requirement", async () => {
  const page = await openRecorder({ microphone: false });
  await page.getByRole("button", { name: "Start recording" }).click();

  const alert = page.getByRole("alert").filter({ hasText: "Microphone access was blocked" });
  await alert.waitFor();
  assert.match(await alert.innerText(), /set Microphone to Allow/);
  assert.match(await alert.innerText(), /https:\/\//);
  await page.getByRole("button", { name: "Try recording again" }).waitFor();
  await screenshot(page, "10-microphone-denied");
});

test("a text file is refused before anything is uploaded", async () => {
  const page = await openRecorder({ microphone: true });
  await page.getByLabel("Or choose an existing audio file").setInputFiles({
    name: "notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("Buy milk. Call Maria about the budget."),
  });

  await page.getByRole("alert").filter({ hasText: "That is not an audio file" }).waitFor();
  await screenshot(page, "11-text-file-refused");
});

test("a text file posing as audio gets the server's not-audio error, and the file stays", async () => {
  const page = await openRecorder({ microphone: true });
  await page.getByLabel("Or choose an existing audio file").setInputFiles({
    name: "notes.mp3",
    mimeType: "audio/mpeg",
    buffer: Buffer.from("Buy milk. Call Maria about the budget."),
  });
  await page.getByRole("heading", { name: /^File: notes\.mp3/ }).waitFor();
  await page.getByLabel("Email address").fill("not-audio@example.com");
  const upload = page.waitForResponse((response) => response.url().endsWith("/v1/audio"));
  await page.getByRole("button", { name: "Send summary now" }).click();

  assert.equal((await upload).status(), 415);
  const alert = page.getByRole("alert").filter({ hasText: "does not look like audio" });
  await alert.waitFor();
  assert.match(await alert.innerText(), /Your recording is still here/);
  assert.match(await alert.innerText(), /reference: [\w-]+/, "the gateway's request id is quoted");
  await page.getByRole("heading", { name: /^File: notes\.mp3/ }).waitFor();
  assert.equal(page.url(), new URL("/", page.url()).href, "still on the record page");
  await screenshot(page, "12-not-audio-from-server");
});

/** A WAV header with nothing decodable behind it: accepted on upload, unreadable when transcribed. */
const BROKEN_WAV = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.alloc(4),
  Buffer.from("WAVE"),
  Buffer.from("not really audio ".repeat(64)),
]);

async function dropFile(page: Page, name: string, type: string, bytes: Buffer): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, type, base64 }) => {
      const transfer = new DataTransfer();
      const data = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([data], name, { type }));
      return transfer;
    },
    { name, type, base64: bytes.toString("base64") },
  );
  await page.dispatchEvent("main", "dragenter", { dataTransfer });
  await page.dispatchEvent("main", "dragover", { dataTransfer });
  await page.getByText("Drop the audio file to use it").waitFor();
  await screenshot(page, "13-dragging-a-file");
  await page.dispatchEvent("main", "drop", { dataTransfer });
}

test("a dropped file that cannot be decoded fails with advice, and can be retried", async () => {
  const page = await openRecorder({ microphone: true });
  await dropFile(page, "broken.wav", "audio/wav", BROKEN_WAV);
  await page.getByRole("heading", { name: /^File: broken\.wav/ }).waitFor();
  await page.getByLabel("Email address").fill("broken@example.com");
  await page.getByRole("button", { name: "Send summary now" }).click();
  await page.waitForURL(STATUS_URL);

  const badge = page.locator(".badge");
  await badge.getByText("Something went wrong").waitFor({ timeout: PROCESSING_TIMEOUT_MS });
  await page.getByText(/The audio could not be read/).waitFor();
  assert.equal(await page.locator('.step[data-state="failed"]').textContent(), "Transcribe (failed)");
  await screenshot(page, "14-failed");

  const retry = page.waitForResponse((response) => response.url().endsWith("/retry"));
  await page.getByRole("button", { name: "Try again" }).click();
  const retried = await retry;
  assert.equal(retried.status(), 200);
  assert.equal((await retried.json()).status, "pending");
  // The same file fails the same way; the page follows it there again.
  await badge.getByText("Something went wrong").waitFor({ timeout: PROCESSING_TIMEOUT_MS });
  await page.getByRole("button", { name: "Try again" }).waitFor();
});
