// Opens the built catalog (dist/site/index.html) from disk in headless Chromium and checks that
// it loads without console errors or network requests, that search finds a known event, that
// the filters narrow the list, and that every journey shows its diagram. Saves a screenshot.
//
// Usage: node site.mjs PATH/TO/site/index.html SCREENSHOT.png
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import assert from "node:assert/strict";

const [page_path, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    if (!request.url().startsWith("file:") && !request.url().startsWith("data:")) problems.push(`external request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(page_path).href);

  const total = await page.locator("article.item").count();
  assert.ok(total > 100, `only ${total} items`);
  assert.equal(await page.locator("#journeys svg.journey-diagram").count(), await page.locator("article[data-kind=journey]").count());

  await page.fill("#search", "add_to_cart");
  assert.ok(await page.locator("#event-add_to_cart").isVisible(), "search does not show add_to_cart");
  assert.ok(!(await page.locator("#event-purchase").isVisible()), "search does not hide purchase");
  const count = await page.locator("#count").textContent();
  assert.match(count, /^\d+ of \d+ shown$/);

  await page.fill("#search", "");
  await page.selectOption("#owner", "privacy");
  await page.click("nav.kinds button[data-kind=event]");
  const shown = await page.locator("article.item:not([hidden])").evaluateAll((items) => items.map((item) => item.id));
  assert.deepEqual(shown, ["event-consent_updated"], `owner + kind filters show ${shown}`);

  await page.selectOption("#owner", "");
  await page.click("nav.kinds button[data-kind=\"\"]");
  await page.selectOption("#classification", "sensitive");
  const sensitive = await page.locator("article.item:not([hidden])").evaluateAll((items) => items.map((item) => item.id));
  assert.ok(sensitive.includes("field-geohash") && sensitive.length < 10, `classification filter shows ${sensitive}`);
  await page.selectOption("#classification", "");

  await page.screenshot({ path: screenshot, fullPage: false });
} finally {
  await browser.close();
}
assert.deepEqual(problems, []);
console.log("site e2e: 1 passed, 0 failed");
