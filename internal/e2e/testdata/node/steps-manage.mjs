// Steps of browser.mjs for Servers & tools, Rules and Settings: what a person does there and what the
// page shows. Each step takes the page and its arguments.
import { escapeRe, tab, timeout } from "./steps-common.mjs";

export const manageSteps = {
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
};
