/**
 * "Stop these emails" in the browser: the link in a summary email opens a page that changes
 * nothing until its one button is pressed (link scanners open links too), takes the token out
 * of the address bar, and says when a link is unknown.
 *
 * tests/e2e/test_browser.py sends a note to a confirmed address, finds the link in the email,
 * and checks afterwards that the address is unsubscribed.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchChromium, newPage, screenshot } from "./support";

const UNSUBSCRIBE_LINK = process.env.E2E_UNSUBSCRIBE_LINK ?? "";

let browser: Browser;
before(async () => {
  assert.ok(UNSUBSCRIBE_LINK, "E2E_UNSUBSCRIBE_LINK is set");
  browser = await launchChromium();
});
after(() => browser?.close());

test("an unknown link says so when the button is pressed", async () => {
  const page = await newPage(browser, { microphone: false });
  await page.goto(UNSUBSCRIBE_LINK.replace(/token=[^&]+/, `token=${"x".repeat(43)}`));
  await page.getByRole("button", { name: "Stop all emails to this address" }).click();
  await page.getByText("This link is unknown or has expired.").waitFor();
});

test("an incomplete link says so and offers no button", async () => {
  const page = await newPage(browser, { microphone: false });
  await page.goto(UNSUBSCRIBE_LINK.replace(/#.*/, ""));
  await page.getByText("This link is incomplete: open it from the email again.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Stop all emails to this address" }).count(), 0);
});

test("the emailed link stops the emails with one button", async () => {
  const page = await newPage(browser, { microphone: false });
  await page.goto(UNSUBSCRIBE_LINK);
  const stop = page.getByRole("button", { name: "Stop all emails to this address" });
  await stop.waitFor();
  assert.ok(!page.url().includes("token="), `the token left the address bar: ${page.url()}`);
  await screenshot(page, "unsubscribe-1-asked");
  await stop.click();
  await page.getByText("Done: this address gets no more voice note summaries.").waitFor();
  await screenshot(page, "unsubscribe-2-done");
});
