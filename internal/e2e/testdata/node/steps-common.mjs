// What the step files of browser.mjs share: the step timeout and how to
// find a card, its answers and a tab.

export const timeout = Number(process.env.AIRLOCK_STEP_TIMEOUT_MS || 20000);

export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
export const card = (page, id) => page.locator(`article.request[data-request-id="${id}"]`);
/** An answer button by the start of its label ("Deny" is not "Always deny"). */
export const answer = (page, id, label) => card(page, id).locator("button.answer", { hasText: new RegExp(`^${escapeRe(label)}`) });

export async function tab(page, name) {
  await page.getByRole("tab", { name: new RegExp(`^${escapeRe(name)}`) }).click();
}

/** What a card shows: summary, tier tag, kind, server/tool, answers in order. */
export async function readCard(page, id) {
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
