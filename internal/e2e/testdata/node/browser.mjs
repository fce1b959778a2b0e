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
const timeout = Number(process.env.AIRLOCK_STEP_TIMEOUT_MS || 20000);

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

// ---- Steps: what a person does and sees. ----

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const card = (page, id) => page.locator(`article.request[data-request-id="${id}"]`);
/** An answer button by the start of its label ("Deny" is not "Always deny"). */
const answer = (page, id, label) => card(page, id).locator("button.answer", { hasText: new RegExp(`^${escapeRe(label)}`) });

async function tab(page, name) {
  await page.getByRole("tab", { name: new RegExp(`^${escapeRe(name)}`) }).click();
}

/** What a card shows: summary, tier tag, kind, server/tool, answers in order. */
async function readCard(page, id) {
  const c = card(page, id);
  await c.waitFor();
  return c.evaluate((el) => ({
    summary: el.querySelector("h2.summary")?.textContent ?? "",
    tier: el.querySelector(".tag.tier")?.textContent ?? "",
    kind: el.querySelector(".kind")?.textContent ?? "",
    where: el.querySelector(".where")?.textContent ?? "",
    selected: el.getAttribute("aria-current") === "true",
    text: el.innerText,
    answers: [...el.querySelectorAll("button.answer")].map((b) => ({ label: b.textContent, disabled: b.disabled })),
  }));
}

const steps = {
  async tab(page, { name }) {
    await tab(page, name);
    return null;
  },

  /** Waits for request id's card on the Pending tab (and, if asked, for it to be selected) and reads it. */
  async card(page, { id, selected }) {
    await tab(page, "Pending");
    if (selected) await page.locator(`article.request[data-request-id="${id}"][aria-current="true"]`).waitFor();
    return readCard(page, id);
  },

  /** Clicks an answer on a card; waits for the button to be enabled, as a person would. */
  async click(page, { id, label }) {
    await answer(page, id, label).click();
    return null;
  },

  /** Presses a key with the page focused. */
  async press(page, { key }) {
    await page.keyboard.press(key);
    return null;
  },

  /** Waits until request id's card has left the queue. */
  async gone(page, { id }) {
    await card(page, id).waitFor({ state: "detached" });
    return null;
  },

  /**
   * Records each card's answer buttons the moment the card enters the DOM,
   * before any timer could arm them: read back with firstSeen.
   */
  async watchCards(page) {
    await page.evaluate(() => {
      window.__firstSeen = {};
      const look = () => {
        for (const el of document.querySelectorAll("article.request[data-request-id]")) {
          const id = el.getAttribute("data-request-id");
          if (window.__firstSeen[id]) continue;
          window.__firstSeen[id] = [...el.querySelectorAll("button.answer")].map((b) => ({
            label: b.textContent,
            disabled: b.disabled,
          }));
        }
      };
      look();
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
    });
    return null;
  },

  async firstSeen(page, { id }) {
    await card(page, id).waitFor();
    return page.evaluate((id) => window.__firstSeen?.[id] ?? null, String(id));
  },

  /**
   * For BenchmarkPendingToPage: the moment a MutationObserver sees a request
   * card enter the DOM (state "shown") or leave it ("gone"), POSTs
   * {id, state, at, eventAt} to url, where at is the page's wall clock then
   * (ms) and eventAt when the last pending:changed event reached the page.
   */
  async reportCards(page, { url }) {
    await page.evaluate((url) => {
      const now = () => performance.timeOrigin + performance.now();
      let eventAt = 0;
      window.runtime.EventsOnMultiple("pending:changed", () => (eventAt = now()), -1);
      const shown = new Set();
      const send = (id, state) =>
        void fetch(url, { method: "POST", body: JSON.stringify({ id: Number(id), state, at: now(), eventAt }) });
      const look = () => {
        const present = new Set();
        for (const el of document.querySelectorAll("article.request[data-request-id]")) {
          const id = el.getAttribute("data-request-id");
          present.add(id);
          if (!shown.has(id)) {
            shown.add(id);
            send(id, "shown");
          }
        }
        for (const id of shown) {
          if (present.has(id)) continue;
          shown.delete(id);
          send(id, "gone");
        }
      };
      look();
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
    }, url);
    return null;
  },

  /**
   * For BenchmarkClickToForward: clicks an answer like click does and
   * returns {at}, the page's wall clock (ms) when the click event reached
   * the window, taken by a capturing listener before the app's own handler
   * runs.
   */
  async timedClick(page, { id, label }) {
    const b = answer(page, id, label);
    await b.waitFor();
    await page.evaluate(() => {
      window.__clickAt = 0;
      if (window.__clickTimer) return;
      window.__clickTimer = true;
      const stamp = (e) => {
        if (e.target instanceof Element && e.target.closest("button.answer")) {
          window.__clickAt = performance.timeOrigin + performance.now();
        }
      };
      window.addEventListener("click", stamp, { capture: true });
    });
    await b.click();
    const at = await page.evaluate(() => window.__clickAt);
    if (!at) throw new Error(`the click on ${label} of request ${id} never reached the page`);
    return { at };
  },

  /** Waits until the button starting with label is enabled; returns the card then. */
  async armed(page, { id, label }) {
    const b = answer(page, id, label);
    await b.waitFor();
    await page.waitForFunction((el) => !el.disabled, await b.elementHandle(), { timeout });
    return readCard(page, id);
  },

  /**
   * Stops the page's timers (setTimeout, setInterval, Date) for what comes
   * next, so a screen can only change through events and its own actions,
   * never through a periodic refresh.
   */
  async freezeClock(page) {
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 1000);
    return null;
  },

  /** Lets the page's timers run again after freezeClock. */
  async resumeClock(page) {
    await page.clock.resume();
    return null;
  },

  /** Reads a server's card on the Servers & tools tab, once it shows state if one is given. */
  async server(page, { name, state }) {
    await tab(page, "Servers & tools");
    const c = page.locator(`article.server[aria-label="Server ${name}"]`);
    await c.waitFor();
    if (state) await c.locator(".server-head .state", { hasText: new RegExp(`^${escapeRe(state)}$`) }).waitFor();
    return c.evaluate((el) => ({
      state: el.querySelector(".server-head .state")?.textContent ?? "",
      paused: el.querySelector(".paused") !== null,
      tools: [...el.querySelectorAll("td.tool-name code")].map((t) => t.textContent),
      text: el.innerText,
    }));
  },

  /** Clicks Resume on a paused server and waits until the card says it runs unpaused. */
  async resume(page, { name }) {
    const c = page.locator(`article.server[aria-label="Server ${name}"]`);
    await c.locator(".paused").getByRole("button", { name: "Resume" }).click();
    await c.locator(".paused").waitFor({ state: "detached" });
    return null;
  },

  /** A host in Settings > Hosts: its state text, config path and buttons. */
  async host(page, { name }) {
    await tab(page, "Settings");
    const h = page.locator(`li.host[aria-label="Host ${name}"]`);
    await h.waitFor();
    return h.evaluate((el) => ({
      state: el.querySelector(".host-state")?.textContent ?? "",
      path: el.querySelector(".host-path")?.textContent ?? "",
      buttons: [...el.querySelectorAll("button")].map((b) => b.textContent),
      text: el.innerText,
    }));
  },

  /** Clicks a host's button (Connect, Disconnect) and returns the outcome lines it shows. */
  async hostAction(page, { name, button }) {
    const h = page.locator(`li.host[aria-label="Host ${name}"]`);
    await h.getByRole("button", { name: button, exact: true }).click();
    const outcome = h.locator(".host-outcome");
    await outcome.waitFor();
    return outcome.evaluate((el) => ({ ok: !el.classList.contains("failure"), lines: [...el.querySelectorAll("li")].map((l) => l.textContent) }));
  },

  /**
   * The credentials a Connect offers to move under host name: each row's
   * text, the buttons and any alert. With move, clicks "Move N tokens to the
   * keychain" first and waits until every chosen row shows its outcome.
   */
  async tokenOffer(page, { name, move }) {
    const offer = page.locator(`li.host[aria-label="Host ${name}"]`).getByRole("group", { name: "Credentials in airlock.json" });
    await offer.waitFor();
    if (move) {
      await offer.getByRole("button", { name: /^Move \d+ tokens? to the keychain$/ }).click();
      // Done: the keychain's alert, or no chosen row without its outcome.
      await page.waitForFunction(
        (el) =>
          !el.querySelector("button")?.textContent?.startsWith("Moving") &&
          (el.querySelector('[role="alert"]') !== null ||
            ![...el.querySelectorAll("li")].some((li) => li.querySelector("input:checked") && !li.querySelector(".failure"))),
        await offer.elementHandle(),
      );
    }
    return offer.evaluate((el) => ({
      rows: [...el.querySelectorAll("li")].map((li) => li.textContent),
      buttons: [...el.querySelectorAll("button")].map((b) => b.textContent),
      alert: el.querySelector('[role="alert"]')?.textContent ?? "",
      text: el.innerText,
    }));
  },

  /** Adds a rule through the Rules tab's form; returns the note it shows (ok: saved). */
  async addRule(page, { server, tool, action, upTo, note }) {
    await tab(page, "Rules");
    await page.getByRole("button", { name: "New rule…" }).click();
    const form = page.getByRole("form", { name: "New rule" });
    await form.getByLabel("Server").fill(server);
    await form.getByLabel("Tool").fill(tool);
    await form.getByLabel("Action").selectOption(action);
    if (action === "allow") await form.getByLabel("Allows").selectOption(upTo ?? "write");
    await form.getByLabel("Note").fill(note ?? "");
    await form.getByRole("button", { name: "Add rule" }).click();
    const shown = page.locator(".screen.rules").locator('p[role="status"], p[role="alert"]').first();
    await shown.waitFor();
    return { ok: (await shown.getAttribute("role")) === "status", note: await shown.textContent() };
  },

  /**
   * A rule's row on the Rules tab (label "Rule 3" or "Config rule 1"), once
   * its match count starts with matches if given, with its recent calls opened.
   */
  async rule(page, { label, matches }) {
    await tab(page, "Rules");
    const row = page.getByRole("listitem", { name: label, exact: true });
    await row.waitFor();
    // The count moves when the screen reloads on the backend's change event.
    if (matches) await row.locator(".rule-matches", { hasText: new RegExp(`^${escapeRe(matches)}`) }).waitFor();
    const recent = row.getByRole("button", { name: "Recent calls" });
    if ((await recent.getAttribute("aria-expanded")) !== "true") await recent.click();
    await row.locator("table.rule-calls, p.hint:has-text('No kept call')").first().waitFor();
    return row.evaluate((el) => ({
      text: el.innerText,
      matches: el.querySelector(".rule-matches")?.textContent ?? "",
      calls: [...el.querySelectorAll("table.rule-calls tbody tr")].map((tr) => [...tr.children].map((td) => td.textContent)),
    }));
  },

  /** Saves the Settings tab's general section with the given fields; returns the note shown. */
  async saveSettings(page, fields) {
    await tab(page, "Settings");
    const form = page.locator("form.general-settings");
    await form.waitFor();
    if (fields.wait !== undefined) await form.getByLabel("Approval wait (seconds)").fill(String(fields.wait));
    if (fields.ttlMinutes !== undefined) await form.getByLabel("Approval TTL (minutes)").fill(String(fields.ttlMinutes));
    if (fields.retention !== undefined) await form.getByLabel("Keep history (days)").fill(String(fields.retention));
    const save = form.getByRole("button", { name: "Save settings" });
    if (await save.isDisabled()) return { ok: false, disabled: true, note: await form.innerText() };
    await save.click();
    const shown = form.locator('p[role="status"], p[role="alert"]').first();
    await shown.waitFor();
    return { ok: (await shown.getAttribute("role")) === "status", disabled: false, note: await shown.textContent() };
  },

  /** The general settings as the form shows them. */
  async settings(page) {
    await tab(page, "Settings");
    const form = page.locator("form.general-settings");
    await form.waitFor();
    return {
      wait: await form.getByLabel("Approval wait (seconds)").inputValue(),
      ttlMinutes: await form.getByLabel("Approval TTL (minutes)").inputValue(),
      retention: await form.getByLabel("Keep history (days)").inputValue(),
    };
  },

  /**
   * Sets the History filters (empty strings clear them; range, from and to
   * as setRange takes them) and waits until the rows shown are exactly want
   * (call ids, newest first). Returns the rows shown at the end either way;
   * the Go test compares.
   */
  async history(page, { filter, want }) {
    await tab(page, "History");
    const f = { search: "", server: "", tool: "", tier: "", decision: "", outcome: "", ...filter };
    await page.getByLabel("Search arguments, summary, server and tool").fill(f.search);
    await page.getByLabel("Server", { exact: true }).fill(f.server);
    await page.getByLabel("Tool", { exact: true }).fill(f.tool);
    await page.getByLabel("Tier", { exact: true }).selectOption(f.tier);
    await page.getByLabel("Decision", { exact: true }).selectOption(f.decision);
    await page.getByLabel("Outcome", { exact: true }).selectOption(f.outcome);
    if (f.range !== undefined) await setRange(page, f);
    const read = () =>
      page.evaluate(() => {
        if (document.querySelector(".history .empty")) return [];
        return [...document.querySelectorAll(".hrow[data-call-id]")].map((r) => {
          const cells = [...r.children].map((c) => c.textContent);
          return {
            id: Number(r.getAttribute("data-call-id")),
            where: cells[1],
            tier: cells[2],
            decision: cells[3],
            outcome: cells[4],
            summary: cells[6],
          };
        });
      });
    const expected = want ?? [];
    const same = (rows) => rows.length === expected.length && rows.every((r, i) => r.id === expected[i]);
    const deadline = Date.now() + timeout;
    let rows = await read();
    while (!same(rows) && Date.now() < deadline) {
      await page.waitForTimeout(100);
      rows = await read();
    }
    return rows;
  },

  /**
   * Every row the History list holds, in order: the list draws only the
   * rows in view, so this scrolls it from top to bottom and reads each
   * row's place from its offset. Waits first, if asked, until the top row
   * is call firstId. Returns the ids (null where no row was drawn), the
   * count line and whether "Load more" is offered.
   */
  async historyRows(page, { firstId }) {
    await tab(page, "History");
    const list = page.getByRole("list", { name: "Calls, newest first" });
    await list.waitFor();
    if (firstId) {
      await list.evaluate((el) => (el.scrollTop = 0));
      await list.locator(`.vrow[style*="top: 0px"] .hrow[data-call-id="${firstId}"]`).waitFor();
    }
    return list.evaluate(async (el) => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const space = el.querySelector(".vspace");
      const ids = [];
      const place = (row) => Math.round(parseFloat(row.style.top) / parseFloat(row.style.height));
      // The list draws only the rows in view and redraws after the scroll
      // event, which a busy machine may deliver frames later: wait until the
      // rows drawn include the first and last places in view before reading.
      const drawn = async () => {
        for (let i = 0; i < 600; i++) {
          await frame();
          const rows = [...el.querySelectorAll(".vrow")];
          if (rows.length === 0) continue;
          const h = parseFloat(rows[0].style.height);
          const first = Math.floor(el.scrollTop / h);
          const last = Math.min(Math.ceil((el.scrollTop + el.clientHeight) / h), Math.round(space.offsetHeight / h)) - 1;
          const at = new Set(rows.map(place));
          if (at.has(first) && at.has(last)) return;
        }
      };
      for (let y = 0; ; y += el.clientHeight) {
        el.scrollTop = y;
        await drawn();
        for (const row of el.querySelectorAll(".vrow")) {
          ids[place(row)] = Number(row.querySelector(".hrow").getAttribute("data-call-id"));
        }
        if (y + el.clientHeight >= space.offsetHeight) break;
      }
      const n = Math.round(space.offsetHeight / parseFloat(el.querySelector(".vrow")?.style.height ?? "1"));
      return {
        ids: Array.from({ length: n }, (_, i) => ids[i] ?? null),
        count: document.querySelector(".screen.history .count")?.textContent ?? "",
        more: el.querySelector("button.load-more") !== null,
      };
    });
  },

  /** Clicks "Load more" and waits until the count line changes; returns it. */
  async loadMore(page) {
    const count = page.locator(".screen.history .count");
    const before = await count.textContent();
    await page.locator(".screen.history button.load-more").click();
    await page.waitForFunction((b) => document.querySelector(".screen.history .count")?.textContent !== b, before, { timeout });
    return count.textContent();
  },

  /**
   * Clicks Export CSV or Export JSON on History and waits for the note it
   * shows ("Saved PATH" or "Export failed: ..."); returns the note.
   */
  async exportHistory(page, { format }) {
    await tab(page, "History");
    const note = page.locator(".screen.history > p[role=status]");
    const before = (await note.count()) > 0 ? await note.textContent() : null;
    await page.getByRole("button", { name: `Export ${format.toUpperCase()}`, exact: true }).click();
    await page.waitForFunction(
      (b) => {
        const el = document.querySelector(".screen.history > p[role=status]");
        return el !== null && el.textContent !== b;
      },
      before,
      { timeout },
    );
    return { ok: !(await note.getAttribute("class")).includes("failure"), text: await note.textContent() };
  },

  /**
   * Settings > Secrets once loaded: the keychain alert (if any), and the
   * row of secret name (null without one).
   */
  async secret(page, { name }) {
    await tab(page, "Settings");
    const section = page.locator("section.secrets");
    await section.locator("ul.secret-list, p.hint:has-text('No secrets stored.')").first().waitFor();
    const row = section.locator(`li.secret[aria-label="Secret ${name}"]`);
    return {
      keychain: (await section.locator("p[role=alert]").count()) > 0 ? await section.locator("p[role=alert]").first().textContent() : "",
      row:
        (await row.count()) === 0
          ? null
          : await row.evaluate((el) => ({ text: el.innerText, buttons: [...el.querySelectorAll("button")].map((b) => b.textContent) })),
    };
  },

  /** Types a secret's name and value into Settings > Secrets and saves it; returns the note and what the fields hold then. */
  async setSecret(page, { name, value }) {
    await tab(page, "Settings");
    const form = page.locator("form.secret-form");
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Value", { exact: true }).fill(value);
    await form.getByRole("button", { name: "Save to keychain" }).click();
    const note = page.locator("section.secrets").locator("p[role=status], p[role=alert]").last();
    await note.waitFor();
    return {
      ok: (await note.getAttribute("role")) === "status",
      note: await note.textContent(),
      name: await form.getByLabel("Name", { exact: true }).inputValue(),
      value: await form.getByLabel("Value", { exact: true }).inputValue(),
    };
  },

  /** Removes a stored secret through Remove… and its confirmation; returns the note. */
  async removeSecret(page, { name }) {
    const row = page.locator(`section.secrets li.secret[aria-label="Secret ${name}"]`);
    await row.getByRole("button", { name: "Remove…" }).click();
    await row.getByRole("button", { name: "Remove", exact: true }).click();
    const note = page.locator("section.secrets p[role=status]", { hasText: `Removed ${name}.` });
    await note.waitFor();
    return note.textContent();
  },

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

  /** Opens a history row's detail panel and reads it. */
  async detail(page, { id }) {
    await page.locator(`.hrow[data-call-id="${id}"]`).click();
    const panel = page.getByRole("complementary", { name: "Call details" });
    await panel.waitFor();
    return panel.evaluate((el) => {
      const fields = {};
      const dts = el.querySelectorAll("dt");
      for (const dt of dts) fields[dt.textContent] = dt.nextElementSibling?.textContent ?? "";
      return { title: el.querySelector("h2")?.textContent ?? "", fields, arguments: el.querySelector(".argtree")?.textContent ?? "" };
    });
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

/**
 * Sets History's time range: range is all, 24h, 7d, 30d or custom; a
 * custom range's from and to are epoch milliseconds, typed into the
 * datetime-local fields in the page's own time zone, as a person would.
 */
async function setRange(page, { range, from, to }) {
  await page.getByLabel("Time range", { exact: true }).selectOption(range || "all");
  if (range !== "custom") return;
  const local = (ms) =>
    page.evaluate((ms) => {
      const d = new Date(ms);
      const p = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    }, ms);
  await page.getByLabel("From", { exact: true }).fill(from ? await local(from) : "");
  await page.getByLabel("To", { exact: true }).fill(to ? await local(to) : "");
}

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
