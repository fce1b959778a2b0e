// Steps of browser.mjs for Pending: what a person does there and what the
// page shows. Each step takes the page and its arguments.
import { answer, card, readCard, tab, timeout } from "./steps-common.mjs";

export const pendingSteps = {
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
};
