/**
 * Double opt-in in the browser: a note to an address that has not confirmed waits, and its
 * status page says to check the inbox; the link from the confirmation email confirms the address
 * (its token in the fragment, gone from the address bar once read), and the note is then sent.
 *
 * tests/e2e/test_browser.py makes the request through the API and finds the link in the outbox.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { fetchRequest, launchChromium, newPage, PROCESSING_TIMEOUT_MS, screenshot } from "./support";

/** The note's status page, with its capability in the fragment. */
const STATUS_PATH = process.env.E2E_CONFIRM_STATUS_PATH ?? "";
const CONFIRM_LINK = process.env.E2E_CONFIRM_LINK ?? "";

let browser: Browser;
before(async () => {
  assert.ok(STATUS_PATH && CONFIRM_LINK, "E2E_CONFIRM_STATUS_PATH and E2E_CONFIRM_LINK are set");
  browser = await launchChromium();
});
after(() => browser?.close());

test("the status page asks to confirm; the emailed link confirms and the note is sent", async () => {
  const page = await newPage(browser, { microphone: false });
  await page.goto(STATUS_PATH);
  await page.getByText("Check your inbox to confirm").first().waitFor();
  assert.equal((await fetchRequest(page)).status, "awaiting_confirmation");
  await screenshot(page, "confirm-1-awaiting");

  await page.goto(CONFIRM_LINK);
  await page.getByText("Your address is confirmed. The note that waited for it is on its way.").waitFor();
  assert.ok(!page.url().includes("token="), `the token left the address bar: ${page.url()}`);
  await screenshot(page, "confirm-2-confirmed");

  await page.goto(STATUS_PATH);
  await page.locator(".badge-sent").waitFor({ timeout: PROCESSING_TIMEOUT_MS });
  assert.equal((await fetchRequest(page)).status, "sent");

  await page.goto(CONFIRM_LINK.replace(/token=[^&]+/, `token=${"x".repeat(43)}`));
  await page.getByText("This link is unknown or has expired.", { exact: false }).waitFor();
  await screenshot(page, "confirm-3-unknown-link");
});
