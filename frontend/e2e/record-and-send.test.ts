/**
 * The main path, keyboard first: record about 12 s of speech through the fake
 * microphone, send it now, and follow the status page until the summary is sent.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import {
  EMAIL,
  launchChromium,
  newPage,
  normalized,
  PROCESSING_TIMEOUT_MS,
  requestIdOf,
  screenshot,
  STATUS_URL,
} from "./support";

const JFK_PHRASE = "ask not what your country can do for you";

type WatchedWindow = Window & { statusLines?: string[] };

/** Collects every text the live status line shows, into `window.statusLines`. */
async function recordStatusLine(page: Page): Promise<void> {
  await page.locator(".status-line").waitFor();
  // No named functions in here: tsx would wrap them in a helper the page does not have.
  await page.evaluate(() => {
    const line = document.querySelector(".status-line");
    if (!line) throw new Error("no status line");
    const seen = [line.textContent ?? ""];
    (window as WatchedWindow).statusLines = seen;
    new MutationObserver(() => {
      const text = line.textContent ?? "";
      if (text !== seen.at(-1)) seen.push(text);
    }).observe(line, { subtree: true, childList: true, characterData: true });
  });
}

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test("record 12 s, send now, and watch the summary arrive", async () => {
  const page = await newPage(browser, { microphone: true });
  await page.goto("/");
  await screenshot(page, "01-record-page");

  // Focus order: skip link, site name, then the record button.
  const recordButton = page.getByRole("button", { name: "Start recording" });
  for (let press = 0; press < 3; press++) await page.keyboard.press("Tab");
  assert.ok(await recordButton.evaluate((button) => button === document.activeElement), "Tab ×3 reaches Record");
  await page.keyboard.press("Enter");

  const stopButton = page.getByRole("button", { name: "Stop recording" });
  await stopButton.waitFor();
  // The level meter moves with the speech the fake microphone plays.
  await page.waitForFunction(
    () => Number(document.querySelector('[role="meter"]')?.getAttribute("aria-valuenow")) > 20,
    undefined,
    { timeout: 5_000 },
  );
  assert.match(await page.locator(".countdown").innerText(), /\d:\d\d left/);
  await page.getByRole("timer").getByText("0:03").waitFor();
  await screenshot(page, "02-recording");

  await page.getByRole("timer").getByText("0:12").waitFor({ timeout: 20_000 });
  assert.ok(await stopButton.evaluate((button) => button === document.activeElement), "focus stays on the button");
  await page.keyboard.press("Enter");

  // Focus moves to the new recording, so the keyboard user is not lost.
  const recorded = page.getByRole("heading", { name: /^Your recording \(0:12, \d+ KB\)$/ });
  await recorded.waitFor();
  assert.ok(await recorded.evaluate((heading) => heading === document.activeElement));
  await page.getByLabel("Email address").fill(EMAIL);
  await screenshot(page, "03-recorded");
  await page.getByLabel("Email address").press("Enter");

  await page.waitForURL(STATUS_URL);
  await recordStatusLine(page);
  const badge = page.locator(".badge");
  await badge.getByText("Summary sent").waitFor({ timeout: PROCESSING_TIMEOUT_MS });
  // How fast the stages go by depends on the machine, so they are shown, not asserted.
  const statusLines = await page.evaluate(() => (window as WatchedWindow).statusLines ?? []);
  console.log(`request ${requestIdOf(page)}: ${statusLines.join(" → ")}`);

  // A shareable page: everything is still there after a reload.
  await page.reload();
  await badge.getByText("Summary sent").waitFor();
  const bullets = await page.locator(".bullets li").allInnerTexts();
  assert.ok(bullets.length >= 1 && bullets.length <= 5, `bullets: ${JSON.stringify(bullets)}`);
  await page.getByRole("heading", { name: "Next step" }).waitFor();
  const nextStep = await page.locator(".next-step").innerText();
  assert.ok(nextStep.trim().length > 0, "a next step is shown");
  assert.deepEqual(
    await page.locator(".step").evaluateAll((steps) => steps.map((step) => step.getAttribute("data-state"))),
    ["done", "done", "done"],
  );
  assert.match(await page.getByRole("definition").first().innerText(), /^Sent$/);

  await page.getByText("Show the full transcript").click();
  const transcript = await page.locator(".transcript").innerText();
  assert.ok(normalized(transcript).includes(JFK_PHRASE), `transcript: ${transcript}`);
  await screenshot(page, "04-sent");

  // The browser remembers the note: the record page lists it, and its link opens it.
  const statusUrl = page.url();
  await page.goto(new URL("/", statusUrl).href);
  const recent = page.getByRole("region", { name: "Your recent notes" });
  await recent.getByRole("link", { name: new RegExp(EMAIL) }).click();
  await page.waitForURL(statusUrl);
  await badge.getByText("Summary sent").waitFor();

  // Without the key in the fragment, another browser cannot open it.
  const stranger = await newPage(browser, { microphone: false });
  await stranger.goto(statusUrl.replace(/#.*$/, ""));
  await stranger.getByRole("heading", { name: "This link is incomplete" }).waitFor();
  await stranger.close();

  // Deleting asks once, then the note is gone here and at the API.
  await page.getByRole("button", { name: "Delete note" }).click();
  await page.getByRole("button", { name: "Yes, delete it" }).click();
  await page.getByRole("heading", { name: "Note deleted" }).waitFor();
  await screenshot(page, "05-deleted");
  await page.goto(new URL("/", statusUrl).href);
  await page.getByRole("heading", { name: /Say it once/ }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Your recent notes" }).count(), 0);
});
