/**
 * The "names and terms" and language fields: the languages come from the deployment
 * (GET /v1/config: the bundled tiny.en knows English only), a term over the limit is shown at
 * the field before anything is uploaded, and what is sent is shown on the status page.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { fetchRequest, launchChromium, newPage, screenshot, STATUS_URL } from "./support";

const ADDRESS = "terms@example.com";

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test("names and terms and the language go with the note and show on its page", async () => {
  const page = await newPage(browser, { microphone: true });
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(new URL(request.url()).pathname);
  });
  await page.goto("/");

  await page.getByText("This service’s speech model (tiny.en) understands English only.").waitFor();
  const language = page.getByLabel("Language spoken");
  assert.deepEqual(await language.locator("option").allTextContents(), ["Detect automatically", "English"]);

  await page.getByRole("button", { name: "Start recording" }).click();
  await page.getByRole("timer").getByText("0:02").waitFor({ timeout: 10_000 });
  await page.getByRole("button", { name: "Stop recording" }).click();
  await page.getByRole("heading", { name: /^Your recording/ }).waitFor();

  await page.getByLabel("Email address").fill(ADDRESS);
  const terms = page.getByLabel(/Names and terms/);
  await terms.fill(`Kennedy, ${"x".repeat(51)}`);
  await page.getByRole("button", { name: "Send summary now" }).click();
  await page.getByText(/is longer than 50 characters/).waitFor();
  assert.equal(await terms.getAttribute("aria-invalid"), "true");
  assert.ok(await terms.evaluate((field) => field === document.activeElement), "focus goes to the field");
  assert.deepEqual(posts, [], "nothing is uploaded while a field is wrong");
  await screenshot(page, "40-names-and-terms-too-long");

  await terms.fill("Kennedy, ComfyUI\nkennedy");
  await language.selectOption("en");
  const created = page.waitForRequest(
    (request) => request.url().endsWith("/v1/requests") && request.method() === "POST",
  );
  await page.getByRole("button", { name: "Send summary now" }).click();
  const body = (await created).postDataJSON();
  assert.deepEqual(body.vocabulary, ["Kennedy", "ComfyUI"]);
  assert.equal(body.language, "en");

  await page.waitForURL(STATUS_URL);
  const facts = page.locator(".transcription-asked");
  await facts.getByText("Kennedy, ComfyUI").waitFor();
  await facts.getByText("English").waitFor();
  await screenshot(page, "41-names-and-terms-on-the-status-page");
  const stored = await fetchRequest(page);
  assert.deepEqual(stored.vocabulary, ["Kennedy", "ComfyUI"]);
  assert.equal(stored.language, "en");
});
