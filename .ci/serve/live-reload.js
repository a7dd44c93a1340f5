// Live reload and the error overlay of `hemasite serve`, as a person sees them in Chromium: the
// page is opened once and never navigated by the script; every change must reach it through
// serve's event stream.
//
// usage: NODE_PATH=<dir>/node_modules node live-reload.js <release-page-url> <site-folder> <release.md>
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const TIMEOUT = 30000;

async function main() {
  const [url, site, releaseFile] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console: ${msg.text()}`); });
  const shot = async (name) => {
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: path.join(process.env.SCREENSHOTS, `serve-${name}.png`) });
    }
  };
  // A mark that only this load of the page has: gone once the page reloaded itself.
  const mark = () => page.evaluate(() => { window.__loadedBefore = true; });
  const reloaded = () => page.waitForFunction(() => !window.__loadedBefore, null, { timeout: TIMEOUT });

  await page.goto(url, { waitUntil: "load" });
  await mark();
  const before = (await page.textContent("h1")).trim();
  console.log(`opened ${url}: "${before}"`);
  await shot("1-before");

  // 1. An edited title reaches the open page.
  const newTitle = `${before} (Edited While Open)`;
  const text = fs.readFileSync(releaseFile, "utf8");
  const edited = text.replace(/^title: .*$/m, `title: ${newTitle}`);
  if (edited === text) throw new Error(`${releaseFile} has no title line`);
  fs.writeFileSync(releaseFile, edited);
  await reloaded();
  await page.waitForFunction((title) => document.querySelector("h1")?.textContent.includes(title),
    newTitle, { timeout: TIMEOUT });
  console.log("the page reloaded by itself and shows the new title");
  await shot("2-edited");

  // 2. A broken template shows the error over the page, with file and line.
  await mark();
  const template = path.join(site, "templates", "release.html");
  fs.mkdirSync(path.dirname(template), { recursive: true });
  fs.writeFileSync(template, '{% extends "base.html" %}\n{{ oops(\n');
  await reloaded();
  const overlay = await page.waitForSelector("#hemasite-build-error", { state: "visible", timeout: TIMEOUT });
  const message = await overlay.textContent();
  if (!/release\.html:2/.test(message)) throw new Error(`the overlay does not name release.html:2:\n${message}`);
  console.log("the overlay names the template and line");
  await shot("3-error");

  // 3. Fixing it brings the page back without the overlay.
  await mark();
  fs.unlinkSync(template);
  await reloaded();
  await page.waitForFunction(() => !document.getElementById("hemasite-build-error"), null, { timeout: TIMEOUT });
  const after = (await page.textContent("h1")).trim();
  if (!after.includes(newTitle)) throw new Error(`after the fix the page shows "${after}"`);
  console.log("the overlay is gone once the template is fixed");
  await shot("4-fixed");

  await browser.close();
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
}

main().catch((err) => { console.error(err); process.exit(1); });
