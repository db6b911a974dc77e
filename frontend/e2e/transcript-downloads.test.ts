/**
 * Transcripts to keep: the status page of a transcribed note offers its transcript as .txt,
 * .srt and .vtt, and each button saves the very file the API serves; a note sent with a typed
 * transcript offers .txt only.
 *
 * tests/e2e/test_browser.py makes both notes through the API (the first transcribed by the real
 * Whisper) and passes their status pages, each with its capability in the fragment.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { API_URL, launchChromium, newPage, PROCESSING_TIMEOUT_MS, requestIdOf, screenshot } from "./support";

const TRANSCRIBED_PATH = process.env.E2E_TRANSCRIBED_STATUS_PATH ?? "";
const TYPED_PATH = process.env.E2E_TYPED_STATUS_PATH ?? "";
const BUTTONS = ["Text (.txt)", "Subtitles (.srt)", "Subtitles (.vtt)"];

let browser: Browser;
before(async () => {
  assert.ok(TRANSCRIBED_PATH && TYPED_PATH, "E2E_TRANSCRIBED_STATUS_PATH and E2E_TYPED_STATUS_PATH are set");
  browser = await launchChromium();
});
after(() => browser?.close());

/** The download buttons the page shows, in order. */
async function downloadButtons(page: Page): Promise<string[]> {
  const group = page.getByRole("group", { name: "Download the transcript" });
  await group.waitFor({ timeout: PROCESSING_TIMEOUT_MS });
  return group.getByRole("button").allInnerTexts();
}

/** Clicks a button and returns the saved file's name and text. */
async function save(page: Page, label: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: label }).click(),
  ]);
  const savedAt = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(savedAt, "utf8") };
}

/** The file as the API serves it to the holder of the page's capability. */
async function served(page: Page, format: string): Promise<string> {
  const token = new URLSearchParams(new URL(page.url()).hash.slice(1)).get("token") ?? "";
  const response = await fetch(`${API_URL}/v1/requests/${requestIdOf(page)}/transcript.${format}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 200);
  return response.text();
}

test("a transcribed note downloads as text and subtitles", async () => {
  const page = await newPage(browser, { microphone: false });
  await page.goto(TRANSCRIBED_PATH);
  await page.locator(".badge-sent").waitFor({ timeout: PROCESSING_TIMEOUT_MS });
  assert.deepEqual(await downloadButtons(page), BUTTONS);
  await screenshot(page, "transcript-downloads");

  const txt = await save(page, "Text (.txt)");
  assert.equal(txt.name, "transcript.txt");
  assert.equal(txt.text, await served(page, "txt"));
  const srt = await save(page, "Subtitles (.srt)");
  assert.equal(srt.name, "transcript.srt");
  assert.match(srt.text, /^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\n/);
  assert.equal(srt.text, await served(page, "srt"));
  const vtt = await save(page, "Subtitles (.vtt)");
  assert.equal(vtt.name, "transcript.vtt");
  assert.match(vtt.text, /^WEBVTT\n\n00:00:\d\d\.\d{3} --> 00:00:\d\d\.\d{3}\n/);
  assert.equal(vtt.text, await served(page, "vtt"));
  await page.close();
});

test("a typed transcript downloads as text only", async () => {
  const page = await newPage(browser, { microphone: false });
  await page.goto(TYPED_PATH);
  assert.deepEqual(await downloadButtons(page), ["Text (.txt)"]);
  const txt = await save(page, "Text (.txt)");
  assert.equal(txt.text, await served(page, "txt"));
  await page.close();
});
