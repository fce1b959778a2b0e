// Drives the Airlock window's frontend in the system Chromium for the Go
// browser tests (internal/e2e/browser_test.go). One Chromium serves a whole
// test run: the Go side writes one JSON command per line on stdin and reads
// one JSON reply per line on stdout. Steps act like a person (click, type,
// press keys) and report what the page shows; the Go tests make the real
// MCP calls and hold the assertions. Logs go to stderr; stdin closing ends
// the browser.
//
// Commands: {id, op: "open", url} -> {page}; {id, op: "close", page};
// {id, op: "step", page, name, args} -> {result}; {id, op: "shot", page, path}.
// A reply is {id, ok, result} or {id, ok: false, error}. Errors thrown by the
// page, and console errors (a CSP violation is one), fail the next reply.
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";
import { timeout } from "./steps-common.mjs";
import { historySteps } from "./steps-history.mjs";
import { manageSteps } from "./steps-manage.mjs";
import { pendingSteps } from "./steps-pending.mjs";

const executablePath = process.env.AIRLOCK_CHROMIUM || "/usr/lib/chromium/chromium";
// Flags from PLATFORM.md: no sandbox (containers), no GPU, no network
// chatter of its own.
const args = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const browser = await chromium.launch({ executablePath, args, headless: true, timeout: 60000 });
const pages = new Map(); // id -> {context, page, errors}
let nextPage = 1;

const log = (...a) => console.error("[browser]", ...a);

async function open(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(timeout);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console error: ${m.text()}`);
  });
  await page.goto(url);
  // The harness's event stream is open: from here on no event is missed.
  await page.evaluate(() => window.__harness.ready);
  await page.locator("nav.bar").waitFor();
  const id = nextPage++;
  pages.set(id, { context, page, errors });
  return id;
}

// ---- Steps: what a person does and sees, by screen. ----

const steps = {
  ...pendingSteps,
  ...historySteps,
  ...manageSteps,

  /**
   * Everything the page holds that a value could hide in: the markup, the
   * shown text, every field's current value and the page's storage.
   */
  async pageDump(page) {
    return page.evaluate(() =>
      [
        document.documentElement.outerHTML,
        document.body.innerText,
        ...[...document.querySelectorAll("input, textarea, select")].map((el) => el.value),
        JSON.stringify({ ...localStorage }),
        JSON.stringify({ ...sessionStorage }),
      ].join("\n"),
    );
  },

  /**
   * What hostile text turned into: elements that markup would have made,
   * whether any injected script ran, and the visible text of the part of
   * the page that shows the untrusted strings (selector).
   */
  async dom(page, { selector }) {
    const el = page.locator(selector).first();
    await el.waitFor();
    return page.evaluate((selector) => {
      const root = document.querySelector(selector);
      return {
        imgs: document.querySelectorAll("img").length,
        scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src") ?? "inline"),
        iframes: document.querySelectorAll("iframe, object, embed").length,
        pwned: window.__pwned ?? null,
        text: root.innerText,
        markers: [...root.querySelectorAll(".marker")].map((m) => m.textContent),
      };
    }, selector);
  },
};

// ---- The command loop. ----

async function run(cmd) {
  switch (cmd.op) {
    case "open":
      return { page: await open(cmd.url) };
    case "close": {
      const p = pages.get(cmd.page);
      pages.delete(cmd.page);
      if (p) await p.context.close();
      return null;
    }
    case "step": {
      const step = steps[cmd.name];
      if (!step) throw new Error(`no step ${cmd.name}`);
      return step(pageOf(cmd.page), cmd.args ?? {});
    }
    case "shot":
      await pageOf(cmd.page).screenshot({ path: cmd.path, fullPage: true });
      return null;
    default:
      throw new Error(`unknown op ${cmd.op}`);
  }
}

function pageOf(id) {
  const p = pages.get(id);
  if (!p) throw new Error(`no page ${id}`);
  return p.page;
}

const reply = (r) => process.stdout.write(JSON.stringify(r) + "\n");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (e) {
    reply({ id: 0, ok: false, error: `bad command: ${e.message}` });
    continue;
  }
  try {
    const result = await run(cmd);
    const p = pages.get(cmd.page);
    const errors = p ? p.errors.splice(0) : [];
    if (errors.length > 0) reply({ id: cmd.id, ok: false, error: errors.join("\n"), result });
    else reply({ id: cmd.id, ok: true, result });
  } catch (e) {
    const p = pages.get(cmd.page);
    const errors = p ? p.errors.splice(0) : [];
    log(`${cmd.op} ${cmd.name ?? ""} failed: ${e.stack ?? e}`);
    reply({ id: cmd.id, ok: false, error: [String(e.message ?? e), ...errors].join("\n") });
  }
}
await browser.close();
