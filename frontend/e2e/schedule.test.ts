/**
 * On a phone-sized screen in a zone with a half-hour offset and daylight
 * saving time: record until the length limit stops it, schedule the summary
 * at a local time, see that time on the status page, move it, then cancel.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { fetchRequest, launchChromium, MAX_RECORDING_SECONDS, newPage, screenshot, STATUS_URL } from "./support";

const ZONE = "America/St_Johns";
const PHONE = { width: 390, height: 844 };

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

/** "2026-11-29" for the day `daysAhead` from now, in the zone. */
function dayInZone(daysAhead: number): string {
  const date = new Date(Date.now() + daysAhead * 24 * 60 * 60 * 1000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, dateStyle: "short" }).format(date);
}

/** "2026-11-29 18:30": the wall-clock time an instant is in the zone. */
function wallClockInZone(iso: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((found) => found.type === type)?.value;
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

/** ICU versions differ in which space they put before "PM". */
const spaces = (text: string) => text.replace(/\s+/gu, " ");

async function scheduledText(page: Page): Promise<string> {
  return spaces(await page.locator(".scheduled-for").innerText());
}

async function assertFitsTheScreen(page: Page): Promise<void> {
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    "no sideways scrolling",
  );
}

test("record to the limit, schedule in local time, reschedule and cancel", async () => {
  const page = await newPage(browser, { microphone: true, timezoneId: ZONE, viewport: PHONE });
  await page.goto("/");
  await assertFitsTheScreen(page);

  await page.getByRole("button", { name: "Start recording" }).click();
  const limit = `0:${String(MAX_RECORDING_SECONDS).padStart(2, "0")}`;
  await page
    .getByText(`Recording stopped at the ${limit} limit`)
    .waitFor({ timeout: (MAX_RECORDING_SECONDS + 10) * 1000 });
  await page.getByRole("heading", { name: new RegExp(`^Your recording \\(${limit}, \\d+ KB\\)$`) }).waitFor();
  await screenshot(page, "20-phone-limit-reached");

  await page.getByLabel("Email address").fill("later@example.com");
  await page.getByLabel("Send at a time I choose").check();
  await page.getByText(`Your time zone: ${ZONE}`).waitFor();
  const day = dayInZone(2);
  await page.getByLabel("Date and time").fill(`${day}T18:30`);
  await screenshot(page, "21-phone-schedule-form");
  const posted = page.waitForRequest(
    (request) => request.url().endsWith("/v1/requests") && request.method() === "POST",
  );
  await page.getByRole("button", { name: "Schedule summary" }).click();
  // Sent with St John's offset for that date: -03:30 in winter, -02:30 in summer.
  assert.match((await posted).postDataJSON().send_at, new RegExp(`^${day}T18:30:00-0[23]:30$`));

  await page.waitForURL(STATUS_URL);
  await page.locator(".badge").getByText("Scheduled").waitFor();
  assert.equal(wallClockInZone((await fetchRequest(page)).send_at), `${day} 18:30`);
  assert.match(await scheduledText(page), new RegExp(`^Scheduled for .+ 6:30 PM \\(${ZONE}\\)\\.`));
  await assertFitsTheScreen(page);
  await screenshot(page, "22-phone-scheduled");

  await page.getByRole("button", { name: "Change time" }).click();
  const picker = page.getByLabel("New date and time");
  assert.ok(await picker.evaluate((input) => input === document.activeElement), "focus moves into the form");
  await picker.fill(`${day}T19:45`);
  await page.getByRole("button", { name: "Save new time" }).click();
  await page
    .locator(".scheduled-for")
    .getByText(/7:45\sPM/)
    .waitFor();
  assert.equal(wallClockInZone((await fetchRequest(page)).send_at), `${day} 19:45`);
  await screenshot(page, "23-phone-rescheduled");

  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  await page.getByRole("button", { name: "Yes, cancel it" }).click();
  await page.locator(".badge").getByText("Canceled").waitFor();
  await page.getByText("This request was canceled; no email will be sent.").waitFor();
  assert.equal((await fetchRequest(page)).status, "canceled");
  await screenshot(page, "24-phone-canceled");
});
