// Steps of browser.mjs for History: what a person does there and what the
// page shows. Each step takes the page and its arguments.
import { escapeRe, tab, timeout } from "./steps-common.mjs";

export const historySteps = {
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
