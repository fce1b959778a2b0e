import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { HistoryCall, RuleInfo, RuleInput, RulesSource } from "../api";
import { RulesScreen } from "./RulesScreen";

afterEach(cleanup);

const hostile = '<img src=x onerror="alert(1)">';

const configRule: RuleInfo = {
  id: 0,
  source: "config",
  server: "db",
  tool: hostile,
  args: [{ key: "sql", pattern: "DROP\u202e *" }],
  action: "deny",
  upTo: "",
  note: "",
  text: `deny db/${hostile}`,
  createdAt: "",
  matches: 3,
  matchedAt: "2026-11-20T10:00:00Z",
};

const call = (id: number, summary: string): HistoryCall => ({
  id,
  time: "2026-11-20T10:00:00Z",
  server: "fs",
  tool: "write_file",
  tier: "write",
  decision: "allow",
  outcome: "ok",
  durationMs: 1,
  arguments: "{}",
  error: "",
  client: "",
  session: "",
  decidedBy: "rule",
  reasons: [],
  summary,
  requestId: 0,
  rule: "rule #1: allow fs/write_file",
});

/** Rules in memory; reject makes add and update fail the way Go refuses a rule. */
function fakeRules(opts: { reject?: string; calls?: HistoryCall[] } = {}) {
  let next = 1;
  let rules: RuleInfo[] = [];
  const sent: RuleInput[] = [];
  const asked: [number, string][] = [];
  const info = (r: RuleInput): RuleInfo => ({
    ...r,
    source: "user",
    text: `rule #${r.id}: ${r.action} ${r.server}/${r.tool}`,
    createdAt: "2026-11-25T10:00:00Z",
    matches: 0,
    matchedAt: "",
  });
  const listeners = new Set<() => void>();
  let failReads = "";
  const source: RulesSource = {
    rules: () =>
      failReads
        ? Promise.reject(new Error(failReads))
        : Promise.resolve({ rules: [configRule, ...rules], configPath: "/home/u/.config/airlock/airlock.json", configError: "" }),
    add: (r) => {
      sent.push(r);
      if (opts.reject) return Promise.reject(new Error(opts.reject));
      const added = info({ ...r, id: next++ });
      rules = [...rules, added];
      return Promise.resolve(added);
    },
    update: (r) => {
      sent.push(r);
      if (opts.reject) return Promise.reject(new Error(opts.reject));
      rules = rules.map((x) => (x.id === r.id ? info(r) : x));
      return Promise.resolve();
    },
    remove: (id) => {
      rules = rules.filter((x) => x.id !== id);
      return Promise.resolve();
    },
    calls: (id, text) => {
      asked.push([id, text]);
      return Promise.resolve(opts.calls ?? []);
    },
    onCallsChanged: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    source,
    sent,
    asked,
    setRules: (r: RuleInfo[]) => (rules = r),
    /** Announces a database change, as every commit (a heartbeat too) does. */
    changed: () => listeners.forEach((l) => l()),
    /** Makes reads fail with message ("" reads again). */
    failReads: (message: string) => (failReads = message),
  };
}

const fill = (label: string, value: string, within_: HTMLElement = document.body) =>
  fireEvent.change(within(within_).getByLabelText(label), { target: { value } });

describe("RulesScreen", () => {
  it("says a tier rule reclassifies (it allows nothing) and shows times as the rest of the window does", async () => {
    const f = fakeRules();
    f.setRules([{ ...configRule, id: 3, source: "user", tool: "echo", args: [], action: "read", text: "rule #3: read db/echo" }]);
    render(<RulesScreen source={f.source} />);
    const item = await screen.findByRole("listitem", { name: "Rule 3" });
    expect(item.querySelector(".rule-action")!.textContent).toBe("treat as read");
    expect(item.querySelector(".rule-matches")!.textContent).toMatch(/^3 matches, last 2026-11-\d\d \d\d:\d\d:00$/);
  });

  // An allow rule without a ceiling (from airlock.json, or saved past the
  // form's warning) runs destructive calls unasked: the list says so too.
  it("labels an allow rule that covers destructive calls", async () => {
    const f = fakeRules();
    f.setRules([
      { ...configRule, id: 5, source: "user", tool: "*", args: [], action: "allow", upTo: "", text: "rule #5: allow db/*" },
      { ...configRule, id: 6, source: "user", tool: "*", args: [], action: "allow", upTo: "write", text: "rule #6: allow up to write db/*" },
    ]);
    render(<RulesScreen source={f.source} />);
    const all = await screen.findByRole("listitem", { name: "Rule 5" });
    expect(all.querySelector(".rule-action")!.textContent).toBe("allow, destructive calls too");
    const capped = screen.getByRole("listitem", { name: "Rule 6" });
    expect(capped.querySelector(".rule-action")!.textContent).toBe("allow up to write");
  });

  it("shows config rules read-only with their matches, and hostile text as text", async () => {
    const f = fakeRules({ calls: [call(7, "<script>alert(1)</script> \u200bhidden")] });
    render(<RulesScreen source={f.source} />);
    const item = await screen.findByRole("listitem", { name: "Config rule 1" });
    expect(item.textContent).toContain(hostile);
    expect(item.querySelector("img")).toBeNull();
    expect(item.textContent).toContain("DROP⟨U+202E⟩ *");
    expect(item.textContent).toContain("read-only here: edit the file");
    expect(item.textContent).toContain("3 matches");
    expect(within(item).queryByRole("button", { name: "Edit" })).toBeNull();
    expect(within(item).queryByRole("button", { name: "Remove…" })).toBeNull();

    fireEvent.click(within(item).getByRole("button", { name: "Recent calls" }));
    await within(item).findByText(/alert\(1\)/);
    expect(f.asked).toEqual([[0, `deny db/${hostile}`]]);
    expect(item.querySelector("script")).toBeNull();
    expect(item.textContent).toContain("<script>alert(1)</script> ⟨U+200B⟩hidden");
  });

  it("shows what is wrong with a rule beside its fields and sends nothing", async () => {
    const f = fakeRules();
    render(<RulesScreen source={f.source} />);
    fireEvent.click(await screen.findByRole("button", { name: "New rule…" }));
    const form = screen.getByRole("form", { name: "New rule" });
    fireEvent.click(within(form).getByRole("button", { name: "Add rule" }));
    expect(form.textContent).toContain('Name a server, or "*" for every server.');
    expect(form.textContent).toContain("Name a tool");

    fill("Server", "fs", form);
    fill("Tool", "write\u202e_file", form);
    fireEvent.click(within(form).getByRole("button", { name: "Add argument" }));
    fireEvent.click(within(form).getByRole("button", { name: "Add argument" }));
    fill("Argument 1 name", "path", form);
    fill("Argument 2 name", "path", form);
    fireEvent.click(within(form).getByRole("button", { name: "Add rule" }));
    expect(form.textContent).toContain("The tool contains an invisible character (write⟨U+202E⟩_file)");
    expect(form.textContent).toContain('The argument "path" appears twice.');
    expect(f.sent).toEqual([]);
  });

  it("adds a rule, and keeps the form with Go's reason when Go refuses it", async () => {
    const refused = fakeRules({ reject: 'rule action "allow": <b>bad</b>' });
    render(<RulesScreen source={refused.source} />);
    fireEvent.click(await screen.findByRole("button", { name: "New rule…" }));
    let form = screen.getByRole("form", { name: "New rule" });
    fill("Server", "fs", form);
    fill("Tool", "write_*", form);
    fireEvent.click(within(form).getByRole("button", { name: "Add rule" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe('Not saved: rule action "allow": <b>bad</b>');
    expect(alert.querySelector("b")).toBeNull();
    expect(screen.getByRole("form", { name: "New rule" })).toBeTruthy();
    cleanup();

    const f = fakeRules();
    render(<RulesScreen source={f.source} />);
    fireEvent.click(await screen.findByRole("button", { name: "New rule…" }));
    form = screen.getByRole("form", { name: "New rule" });
    fill("Server", " fs ", form);
    fill("Tool", "write_*", form);
    fireEvent.change(within(form).getByLabelText("Action"), { target: { value: "deny" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add argument" }));
    fill("Argument 1 name", "path", form);
    fill("Argument 1 pattern", "/etc/*", form);
    fill("Note", "never touch /etc", form);
    fireEvent.click(within(form).getByRole("button", { name: "Add rule" }));
    await screen.findByRole("listitem", { name: "Rule 1" });
    expect(f.sent).toEqual([
      { id: 0, server: "fs", tool: "write_*", args: [{ key: "path", pattern: "/etc/*" }], action: "deny", upTo: "", note: "never touch /etc" },
    ]);
    expect(screen.queryByRole("form", { name: "New rule" })).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("Added rule #1: deny fs/write_*");
  });

  it("warns when an allow rule covers destructive calls", async () => {
    render(<RulesScreen source={fakeRules().source} />);
    fireEvent.click(await screen.findByRole("button", { name: "New rule…" }));
    const form = screen.getByRole("form", { name: "New rule" });
    expect(form.textContent).not.toContain("destructive calls run without asking");
    fireEvent.change(within(form).getByLabelText("Allows"), { target: { value: "" } });
    expect(form.textContent).toContain("This rule lets destructive calls run without asking anyone.");
  });

  // A tier rule replaces Airlock's own tier: "read" or "write" on a tool
  // that deletes lets its destructive calls through consent or "always".
  it("warns when a tier rule treats calls as read or write", async () => {
    render(<RulesScreen source={fakeRules().source} />);
    fireEvent.click(await screen.findByRole("button", { name: "New rule…" }));
    const form = screen.getByRole("form", { name: "New rule" });
    const action = within(form).getByLabelText("Action");
    fireEvent.change(action, { target: { value: "read" } });
    expect(form.textContent).toContain("even destructive ones, run without asking once the tool has a read consent");
    fireEvent.change(action, { target: { value: "write" } });
    expect(form.textContent).toContain("even destructive ones, can then be allowed for a session or always");
    fireEvent.change(action, { target: { value: "destructive" } });
    expect(form.textContent).not.toContain("even destructive ones");
    fireEvent.change(action, { target: { value: "deny" } });
    expect(form.textContent).not.toContain("even destructive ones");
  });

  it("keeps a half-typed rule, an edit in progress and open recent calls across reloads", async () => {
    const f = fakeRules({ calls: [call(7, "wrote a file")] });
    const rule4: RuleInfo = {
      id: 4,
      source: "user",
      server: "fs",
      tool: "write_file",
      args: [],
      action: "allow",
      upTo: "write",
      note: "",
      text: "rule #4: allow up to write fs/write_file",
      createdAt: "2026-11-25T10:00:00Z",
      matches: 1,
      matchedAt: "2026-11-25T11:00:00Z",
    };
    f.setRules([rule4]);
    render(<RulesScreen source={f.source} />);
    const item = await screen.findByRole("listitem", { name: "Rule 4" });

    // A person starts a new rule, edits rule 4 and opens the config rule's recent calls.
    fireEvent.click(screen.getByRole("button", { name: "New rule…" }));
    const form = screen.getByRole("form", { name: "New rule" });
    fill("Server", "git", form);
    fill("Tool", "push_", form);
    fireEvent.click(within(item).getByRole("button", { name: "Edit" }));
    const edit = within(item).getByRole("form", { name: "Edit rule 4" });
    fill("Tool", "write_fi", edit);
    const config = screen.getByRole("listitem", { name: "Config rule 1" });
    fireEvent.click(within(config).getByRole("button", { name: "Recent calls" }));
    await within(config).findByText("wrote a file");

    const unchanged = async () => {
      expect((within(screen.getByRole("form", { name: "New rule" })).getByLabelText("Tool") as HTMLInputElement).value).toBe("push_");
      expect((within(screen.getByRole("form", { name: "Edit rule 4" })).getByLabelText("Tool") as HTMLInputElement).value).toBe("write_fi");
      expect(within(screen.getByRole("listitem", { name: "Config rule 1" })).getByText("wrote a file")).toBeTruthy();
    };
    // Heartbeats: nothing changed.
    f.changed();
    f.changed();
    await waitFor(unchanged);
    // Rule 4 matched a call and the CLI added rule 5: the list moves, the drafts stay.
    f.setRules([{ ...rule4, matches: 2 }, { ...rule4, id: 5, text: "rule #5: allow up to write fs/write_file" }]);
    f.changed();
    await screen.findByRole("listitem", { name: "Rule 5" });
    await unchanged();
    // A read fails: it says so, and the list with the edit in it stays.
    f.failReads("database is locked");
    f.changed();
    await waitFor(() => expect(screen.getByText(/Could not read the rules/).textContent).toBe("Could not read the rules: database is locked"));
    await unchanged();
    f.failReads("");
    f.changed();
    await waitFor(() => expect(screen.queryByText(/Could not read the rules/)).toBeNull());
    await unchanged();
  });

  it("edits and removes a window rule", async () => {
    const f = fakeRules();
    f.setRules([
      {
        id: 4,
        source: "user",
        server: "fs",
        tool: "write_file",
        args: [],
        action: "allow",
        upTo: "write",
        note: "from request 9",
        text: "rule #4: allow up to write fs/write_file",
        createdAt: "2026-11-25T10:00:00Z",
        matches: 1,
        matchedAt: "2026-11-25T11:00:00Z",
      },
    ]);
    render(<RulesScreen source={f.source} />);
    let item = await screen.findByRole("listitem", { name: "Rule 4" });
    expect(item.textContent).toContain("1 match,");
    expect(item.textContent).toContain("allow up to write");
    fireEvent.click(within(item).getByRole("button", { name: "Edit" }));
    const form = within(item).getByRole("form", { name: "Edit rule 4" });
    fireEvent.change(within(form).getByLabelText("Action"), { target: { value: "write" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save rule" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Saved rule #4."));
    expect(f.sent.at(-1)).toMatchObject({ id: 4, action: "write", upTo: "" });

    item = screen.getByRole("listitem", { name: "Rule 4" });
    fireEvent.click(within(item).getByRole("button", { name: "Remove…" }));
    fireEvent.click(within(item).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(screen.queryByRole("listitem", { name: "Rule 4" })).toBeNull());
  });
});
