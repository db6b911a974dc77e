/**
 * The page works wherever people open it on their own machine: at `localhost` and at
 * `127.0.0.1`, against the production build or `next dev` (which once refused its own scripts
 * to 127.0.0.1, so the page never hydrated and the record button did nothing).
 *
 * E2E_ORIGINS: the origins to open, comma-separated; E2E_SEND=1 also sends the note (the
 * gateway must allow each origin in CORS_ORIGINS).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchChromium, newPage, screenshot, STATUS_URL } from "./support";

const ORIGINS = (process.env.E2E_ORIGINS ?? "").split(",").filter(Boolean);
const SEND = process.env.E2E_SEND === "1";
/** `next dev` compiles a page on its first request: slow on a busy 2-core machine. */
const FIRST_LOAD_MS = 120_000;

let browser: Browser;
before(async () => {
  assert.ok(ORIGINS.length > 0, "E2E_ORIGINS is not set");
  browser = await launchChromium();
});
after(() => browser?.close());

for (const origin of ORIGINS) {
  test(`records${SEND ? " and sends" : ""} at ${origin}`, async () => {
    const page = await newPage(browser, { microphone: true });
    await page.goto(`${origin}/`, { timeout: FIRST_LOAD_MS });
    // Hydrated: the click reaches React, which asks for the microphone and starts recording.
    await page.getByRole("button", { name: "Start recording" }).click({ timeout: FIRST_LOAD_MS });
    await page.getByRole("button", { name: "Stop recording" }).waitFor({ timeout: 30_000 });
    await page.getByRole("timer").getByText("0:02").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Stop recording" }).click();
    await page.getByRole("heading", { name: /^Your recording \(0:02/ }).waitFor();
    await screenshot(page, `hosts-${new URL(origin).hostname}${SEND ? "" : "-dev"}`);
    if (SEND) {
      await page.getByLabel("Email address").fill("phone@example.com");
      await page.getByRole("button", { name: "Send summary now" }).click();
      await page.waitForURL(STATUS_URL, { timeout: 30_000 });
      assert.equal(new URL(page.url()).origin, origin);
    }
    await page.context().close();
  });
}
