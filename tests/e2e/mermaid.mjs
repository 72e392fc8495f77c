// Parses every Mermaid diagram trailmap wrote (graphs/*.mmd and the ```mermaid blocks of the
// journey pages) with Mermaid itself, in headless Chromium.
//
// Usage: node mermaid.mjs PATH/TO/dist
import { chromium } from "playwright-core";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import assert from "node:assert/strict";

const dist = process.argv[2];
const diagrams = [];
for (const name of readdirSync(join(dist, "graphs")).filter((n) => n.endsWith(".mmd")).sort()) {
  diagrams.push([`graphs/${name}`, readFileSync(join(dist, "graphs", name), "utf8")]);
}
for (const name of readdirSync(join(dist, "docs/journeys")).sort()) {
  const page = readFileSync(join(dist, "docs/journeys", name), "utf8");
  for (const match of page.matchAll(/```mermaid\n([\s\S]*?)```/g)) diagrams.push([`docs/journeys/${name}`, match[1]]);
}
assert.ok(diagrams.length >= 2, "no Mermaid diagrams found");

const mermaidScript = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const failures = [];
try {
  const page = await browser.newPage();
  await page.setContent("<!doctype html><html><body></body></html>");
  await page.addScriptTag({ path: mermaidScript });
  for (const [source, text] of diagrams) {
    const error = await page.evaluate(async (diagram) => {
      try {
        await window.mermaid.parse(diagram);
        const { svg } = await window.mermaid.render("d" + Math.random().toString(36).slice(2), diagram);
        return svg.includes("<svg") ? null : "rendered no SVG";
      } catch (e) {
        return String(e && e.message ? e.message : e);
      }
    }, text);
    if (error) failures.push(`${source}: ${error}`);
  }
} finally {
  await browser.close();
}
assert.deepEqual(failures, []);
console.log(`mermaid e2e: ${diagrams.length} passed, 0 failed`);
