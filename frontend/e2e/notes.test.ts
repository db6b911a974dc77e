/**
 * "Email me my notes" in the browser: the form on the home page answers without saying whether
 * the address is known, and the emailed link opens a page listing the address's notes (and
 * confirms it), from which a note opens (with a capability minted for the listing) and is deleted.
 *
 * tests/e2e/test_browser.py makes a note through the API, asks for the link and finds it in the
 * outbox.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchChromium, newPage, screenshot } from "./support";

const REQUEST_ID = process.env.E2E_NOTES_REQUEST_ID ?? "";
const NOTES_LINK = process.env.E2E_NOTES_LINK ?? "";

let browser: Browser;
before(async () => {
  assert.ok(REQUEST_ID && NOTES_LINK, "E2E_NOTES_REQUEST_ID and E2E_NOTES_LINK are set");
  browser = await launchChromium();
});
after(() => browser?.close());

test("the form answers the same for any address", async () => {
  const page = await newPage(browser, { microphone: false });
  await page.goto("/");
  await page.getByLabel("Email me a link to my notes").fill("nobody-at-all@example.com");
  await page.getByRole("button", { name: "Email me my notes" }).click();
  await page.getByText("If notes were sent to this address, it will get a link to them").waitFor();
  await screenshot(page, "notes-1-asked");
});

test("the emailed link lists the notes, confirms the address and opens a note", async () => {
  const page = await newPage(browser, { microphone: false });
  await page.goto(NOTES_LINK);
  await page.getByText("Your address is confirmed. 1 note sent to it:").waitFor();
  assert.ok(!page.url().includes("token="), `the token left the address bar: ${page.url()}`);
  await screenshot(page, "notes-2-listed");

  await page.locator(`a[href^="/requests/${REQUEST_ID}#token="]`).click();
  await page.waitForURL(new RegExp(`/requests/${REQUEST_ID}#token=[A-Za-z0-9_-]{43}$`));
  await page.getByRole("heading", { name: "Your voice note" }).waitFor();

  // The link lasts an hour: back on the list, the note is deleted from there.
  await page.goto(NOTES_LINK);
  await page.getByText("1 note sent to it").waitFor();
  await page.getByRole("button", { name: "Delete note" }).click();
  await page.getByRole("button", { name: "Yes, delete it" }).click();
  await page.getByText("0 notes sent to it").waitFor();
  await screenshot(page, "notes-3-deleted");
});
