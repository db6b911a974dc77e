/**
 * A long note's status page while it is transcribed: "Transcribing… 40 %", a progress bar a
 * screen reader can read, and the time left, all following the polls up to the summary.
 *
 * tests/e2e/test_browser.py uploads a few minutes of speech and makes the request through the
 * API, then runs this with its status page's path.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchChromium, newPage, PROCESSING_TIMEOUT_MS, screenshot } from "./support";

const STATUS_PATH = process.env.E2E_PROGRESS_STATUS_PATH ?? "";

let browser: Browser;
before(async () => {
  assert.ok(STATUS_PATH, "E2E_PROGRESS_STATUS_PATH is set");
  browser = await launchChromium();
});
after(() => browser?.close());

test("the percentage and the time left follow the transcription", async () => {
  const page = await newPage(browser, { microphone: false });
  await page.goto(STATUS_PATH);
  const line = page.locator(".status-line");
  const bar = page.getByRole("progressbar", { name: "Transcription" });

  await bar.waitFor({ timeout: PROCESSING_TIMEOUT_MS });
  assert.equal(await bar.getAttribute("aria-valuemin"), "0");
  assert.equal(await bar.getAttribute("aria-valuemax"), "100");
  const first = Number(await bar.getAttribute("aria-valuenow"));
  assert.ok(first >= 0 && first < 100, `starts below 100 %: ${first}`);
  assert.match(await line.innerText(), /Transcribing… \d+ %/);

  // Later polls move the bar on, with an estimate of the time left.
  await page.waitForFunction(
    (before) => {
      const now = document.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow");
      return now !== null && now !== undefined && Number(now) > before && Number(now) < 100;
    },
    first,
    { timeout: PROCESSING_TIMEOUT_MS },
  );
  await page.getByText(/^(About \d+ minutes? left|Less than a minute left)$/).waitFor();
  // Read in one go, while the bar is there: each poll may move it on between two reads.
  const snapshot = await page.waitForFunction(
    () => {
      const bar = document.querySelector('[role="progressbar"]');
      const line = document.querySelector<HTMLElement>(".status-line");
      if (!bar || !line) return null;
      return {
        now: bar.getAttribute("aria-valuenow") ?? "",
        text: bar.getAttribute("aria-valuetext") ?? "",
        line: line.innerText,
      };
    },
    undefined,
    { timeout: PROCESSING_TIMEOUT_MS },
  );
  const shown = (await snapshot.jsonValue()) as { now: string; text: string; line: string };
  assert.match(shown.line, new RegExp(`Transcribing… ${shown.now} %`));
  assert.match(shown.text, new RegExp(`^${shown.now} %, (about|less than)`));
  await screenshot(page, "progress-1-transcribing");

  // Done transcribing: the bar goes, the steps carry on to the email.
  await page.locator(".badge").getByText("Summary sent").waitFor({ timeout: PROCESSING_TIMEOUT_MS });
  assert.equal(await bar.count(), 0);
  await screenshot(page, "progress-2-sent");
});
