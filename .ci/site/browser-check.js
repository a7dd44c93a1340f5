// Loads pages of the built site in headless Chromium at desktop and phone widths and fails on
// any console error, page error, failed request, axe-core violation, or a page wider than the
// screen (a horizontal scroll of the whole page; a table scrolling in its own box is fine); on
// news pages, a search that misses the Q3 release's body words, or whose results do not
// replace the list or read ISO dates; on a phone, a navigation that wraps or news filters after
// the list. Writes a screenshot of each page and width to SCREENSHOTS (a folder) when that
// variable is set.
//
// usage: NODE_PATH=<dir>/node_modules node browser-check.js <base-url> <path>...
// (30-site.sh passes the home, news, a release, financials/, events/ and leadership/.)
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// Runs in the page: how wide the page is against the screen, and the first elements that reach
// past it (a table or chart scrolling in its own box is fine). 30-site.sh proves that this
// probe fails a page that does overflow (its self-test).
function overflowProbe() {
  const screen = document.documentElement.clientWidth;
  return {
    page: document.documentElement.scrollWidth,
    screen,
    widest: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > screen + 1)
      .filter((el) => !el.closest(".table-scroll, .chart-scroll, .visually-hidden, .skip"))
      .slice(0, 3)
      .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "")),
  };
}
const widths = { desktop: 1280, phone: 390 };

async function main() {
  const [base, ...paths] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
  let problems = 0;
  for (const pagePath of paths) {
    for (const [device, width] of Object.entries(widths)) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const errors = [];
      page.on("console", (msg) => { if (msg.type() === "error") errors.push(`console: ${msg.text()}`); });
      page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
      page.on("requestfailed", (req) => errors.push(`request failed: ${req.url()}`));
      page.on("response", (res) => { if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`); });
      const url = base + pagePath;
      await page.goto(url, { waitUntil: "networkidle" });
      if (pagePath.startsWith("news/")) {
        // Exercise the search box: it fetches the index and lists matches.
        await page.fill("#search-input", "quarter");
        await page.waitForSelector(".search-results li", { timeout: 5000 })
          .catch(() => errors.push("search returned no results for 'quarter'"));
        await page.fill("#search-input", "");
      }
      // Searching for body text: "deferred tax" is only in the Q3 release's body. Its result
      // replaces the list, links to the release and dates it as a reader writes dates.
      if (pagePath.startsWith("news/")) {
        await page.fill("#search-input", "deferred tax");
        await page.waitForSelector(".search-results li", { timeout: 5000 })
          .catch(() => errors.push("search returned no results for 'deferred tax'"));
        const found = await page.evaluate(() => {
          const first = document.querySelector(".search-results li");
          const listing = document.querySelector(".news-grid .col-main");
          return first && {
            href: first.querySelector("h3 a").href,
            date: first.querySelector("time").textContent,
            listHidden: !listing || listing.hidden,
          };
        });
        if (found) {
          if (!/-third-quarter-financial-results\/$/.test(found.href)) errors.push(`search for 'deferred tax' leads to ${found.href}`);
          if (!/^[A-Z][a-z]+ \d{1,2}, \d{4}$/.test(found.date)) errors.push(`search result dated '${found.date}', not as a reader writes it`);
          if (!found.listHidden) errors.push("search results do not replace the list of releases");
          const response = await page.request.get(found.href);
          if (response.status() !== 200) errors.push(`search result link ${found.href}: HTTP ${response.status()}`);
        }
        await page.fill("#search-input", "");
      }
      if (device === "phone") {
        // On a phone the navigation stays on one line (it scrolls in its own box) and the year
        // and category filters come before the news list, not after it.
        const layout = await page.evaluate(() => {
          const tops = [...document.querySelectorAll("nav.nav li")]
            .map((li) => Math.round(li.getBoundingClientRect().top));
          const filter = document.querySelector(".news-grid .filter");
          const first = document.querySelector(".news-grid .col-main .release-item");
          return {
            navLines: new Set(tops).size,
            filtersFirst: !filter || !first || filter.getBoundingClientRect().top < first.getBoundingClientRect().top,
          };
        });
        if (layout.navLines > 1) errors.push(`the navigation wraps onto ${layout.navLines} lines`);
        // Chart labels are set at 13 units of a 640-unit view box: drawn narrower, they shrink.
        const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll("svg.chart")]
          .map((svg) => 13 * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)));
        if (smallest < 10) errors.push(`chart labels drawn at ${smallest.toFixed(1)} px on a phone`);
        if (!layout.filtersFirst) errors.push("the year and category filters come after the news list");
      }
      const overflow = await page.evaluate(overflowProbe);
      if (overflow.page > overflow.screen) {
        errors.push(`page is ${overflow.page} px wide on a ${overflow.screen} px screen (scrolls sideways): ${overflow.widest.join(", ")}`);
      }
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      }));
      for (const violation of result.violations) {
        const targets = violation.nodes.map((node) => node.target.join(" ")).slice(0, 5).join(", ");
        errors.push(`axe ${violation.id} (${violation.impact}): ${violation.help} at ${targets}`);
      }
      if (process.env.SCREENSHOTS) {
        const name = (pagePath.replace(/\/$/, "").replace(/[^a-z0-9]+/gi, "-") || "home") + `-${device}.png`;
        await page.screenshot({ path: path.join(process.env.SCREENSHOTS, name), fullPage: true });
      }
      for (const error of errors) console.error(`${url} (${device}): ${error}`);
      problems += errors.length;
      await context.close();
    }
  }
  await browser.close();
  if (problems > 0) {
    console.error(`${problems} problem(s) found in the browser`);
    process.exit(1);
  }
  console.log(`browser check: ${paths.length} pages at ${Object.keys(widths).length} widths, no console errors, no axe violations`);
}

main().catch((err) => { console.error(err); process.exit(1); });
