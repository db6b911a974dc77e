/**
 * What the browser tests share: where the system under test runs, a Chromium
 * whose fake microphone "speaks" a WAV file, screenshots, and direct reads of
 * the gateway to check what the page claims.
 *
 * tests/e2e/test_browser.py starts the real system and runs these files; to
 * run them by hand, set the variables below (see README, "Tests").
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import type { VoiceRequest } from "../lib/api";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests via tests/e2e/test_browser.py, or see README`);
  return value;
}

/** The front end's origin, e.g. http://127.0.0.1:3000 (the gateway must allow it in CORS_ORIGINS). */
export const BASE_URL = required("E2E_BASE_URL");
/** The gateway the front end was built against (NEXT_PUBLIC_API_BASE_URL). */
export const API_URL = required("E2E_API_URL");
/** A 48 kHz WAV the fake microphone plays in a loop. */
const FAKE_AUDIO = required("E2E_FAKE_AUDIO");
const CHROMIUM = process.env.E2E_CHROMIUM || "/usr/bin/chromium";
const ARTIFACTS_DIR = path.resolve(process.env.E2E_ARTIFACTS_DIR || "../test-artifacts/browser");

/** Where the main flow sends its summary; the Python side looks for it in the outbox. */
export const EMAIL = process.env.E2E_EMAIL || "browser-e2e@example.com";

/** The recording limit the front end was built with (NEXT_PUBLIC_MAX_RECORDING_SECONDS). */
export const MAX_RECORDING_SECONDS = Number(required("E2E_MAX_RECORDING_SECONDS"));

/** Generous: the first transcription on a busy 2-core machine includes loading work. */
export const PROCESSING_TIMEOUT_MS = 90_000;

export function launchChromium(): Promise<Browser> {
  // Playwright gives every launch a fresh temporary profile (--user-data-dir).
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      // Containers and CI machines have no sandbox support and no GPU.
      "--no-sandbox",
      "--disable-gpu",
      // Only the system under test on the network; no first-run or sync UI.
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      // A microphone that plays the WAV. Whether the page may use it is decided per
      // context (see newPage), as a person would answer the permission prompt, so
      // --use-fake-ui-for-media-stream (which says yes to everything) is not used.
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${FAKE_AUDIO}`,
    ],
  });
}

interface PageOptions extends Pick<BrowserContextOptions, "timezoneId" | "viewport"> {
  /** Whether the person allowed the microphone. */
  microphone: boolean;
}

export async function newPage(browser: Browser, { microphone, ...options }: PageOptions): Promise<Page> {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: "en-US",
    permissions: microphone ? ["microphone"] : [],
    ...options,
  });
  const page = await context.newPage();
  // Browser console errors (CORS failures, React warnings) belong in the test output.
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    console.log(`[browser console] ${message.text()}`);
    // Anything the Content-Security-Policy blocked is a page that breaks for people, even
    // where the checks pass: fail the run (the message above says what was refused).
    if (message.text().includes("Content Security Policy")) process.exitCode = 1;
  });
  page.on("pageerror", (error) => console.log(`[page error] ${error.message}`));
  return page;
}

/** Full-page screenshot under test-artifacts/browser/, for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** The request as the gateway has it, to check the page against the source of truth; its
 * capability is the one in the status page's URL fragment. */
export async function fetchRequest(page: Page): Promise<VoiceRequest> {
  const id = requestIdOf(page);
  const token = new URLSearchParams(new URL(page.url()).hash.slice(1)).get("token") ?? "";
  const response = await fetch(`${API_URL}/v1/requests/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET request ${id}: HTTP ${response.status}`);
  return (await response.json()) as VoiceRequest;
}

/** A status page's URL: the request id, and its capability in the fragment. */
export const STATUS_URL = /\/requests\/[0-9a-f-]+#token=[A-Za-z0-9_-]{43}$/;

/** The request id from a status page URL. */
export function requestIdOf(page: Page): string {
  const match = /\/requests\/([^/?#]+)/.exec(page.url());
  if (!match?.[1]) throw new Error(`not a status page: ${page.url()}`);
  return decodeURIComponent(match[1]);
}

/** "And so, my fellow Americans: ask not…" → "and so my fellow americans ask not". */
export function normalized(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
