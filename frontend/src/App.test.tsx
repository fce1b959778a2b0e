import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { GeneralSettingsValues, HostsSource, RulesSource, SecretsSource, SettingsSource } from "./api";
import { App } from "./App";
import { fakeHistory } from "./history/fakeHistory";
import { fakeQueue } from "./pending/fakeQueue";
import { request } from "./pending/fixture";
import { fakeServers } from "./servers/fakeServers";

afterEach(cleanup);

const history = fakeHistory([]).source;
const tab = (name: RegExp) => screen.getByRole("tab", { name });

describe("App", () => {
  it("starts on Pending when something waits", async () => {
    render(<App history={history} pending={fakeQueue([request({ id: 1 })]).source} />);
    expect(await screen.findByRole("heading", { name: "Waiting for you" })).toBeTruthy();
    expect(tab(/^Pending/).textContent).toBe("Pending (1)");
    expect(tab(/^Pending/).getAttribute("aria-selected")).toBe("true");
  });

  it("starts on History when nothing waits, and turns to Pending when a request arrives", async () => {
    const q = fakeQueue([]);
    render(<App history={history} pending={q.source} />);
    expect(await screen.findByRole("heading", { name: "History" })).toBeTruthy();
    expect(tab(/^Pending/).textContent).toBe("Pending (0)");
    await q.change([request({ id: 5, summary: "Run SQL on prod-db: DROP TABLE users", tier: "destructive" })]);
    expect(await screen.findByRole("heading", { name: "Waiting for you" })).toBeTruthy();
    expect(screen.getByText("Run SQL on prod-db: DROP TABLE users")).toBeTruthy();
    expect(tab(/^Pending/).textContent).toBe("Pending (1)");
  });

  it("turns from an empty History to Settings, where a host is connected", async () => {
    const hosts: HostsSource = {
      hosts: () => Promise.resolve([]),
      connect: () => Promise.reject(new Error("not in this test")),
      disconnect: () => Promise.reject(new Error("not in this test")),
      moveSecrets: () => Promise.reject(new Error("not in this test")),
    };
    render(<App history={history} pending={fakeQueue([]).source} hosts={hosts} />);
    fireEvent.click(await screen.findByRole("button", { name: "Open Settings → Hosts" }));
    expect(tab(/^Settings/).getAttribute("aria-selected")).toBe("true");
    expect(await screen.findByRole("heading", { name: "Hosts" })).toBeTruthy();
  });

  it("turns from an empty Servers & tools to Settings, where a host is connected", async () => {
    const hosts: HostsSource = {
      hosts: () => Promise.resolve([]),
      connect: () => Promise.reject(new Error("not in this test")),
      disconnect: () => Promise.reject(new Error("not in this test")),
      moveSecrets: () => Promise.reject(new Error("not in this test")),
    };
    render(<App history={history} pending={fakeQueue([]).source} servers={fakeServers([]).source} hosts={hosts} />);
    await screen.findByRole("heading", { name: "History" });
    fireEvent.click(tab(/^Servers/));
    await screen.findByText(/No servers configured/);
    fireEvent.click(screen.getByRole("button", { name: "Open Settings → Hosts" }));
    expect(tab(/^Settings/).getAttribute("aria-selected")).toBe("true");
    expect(await screen.findByRole("heading", { name: "Hosts" })).toBeTruthy();
  });

  // General lies above Hosts: scrolled to before General has loaded, Hosts
  // was pushed out of view when it did.
  it("brings Hosts into view and focuses its heading only once the settings above it have loaded", async () => {
    let general: (v: GeneralSettingsValues) => void = () => {};
    let hostList: (v: []) => void = () => {};
    const settings: SettingsSource = {
      settings: () => new Promise((resolve) => (general = resolve)),
      save: () => Promise.reject(new Error("not in this test")),
      prunable: () => Promise.resolve(0),
    };
    const hosts: HostsSource = {
      hosts: () => new Promise((resolve) => (hostList = resolve)),
      connect: () => Promise.reject(new Error("not in this test")),
      disconnect: () => Promise.reject(new Error("not in this test")),
      moveSecrets: () => Promise.reject(new Error("not in this test")),
    };
    const scrolled: Element[] = [];
    const scroll = vi.fn(function (this: Element) {
      scrolled.push(this);
    });
    Element.prototype.scrollIntoView = scroll;
    try {
      render(<App history={history} pending={fakeQueue([]).source} settings={settings} hosts={hosts} />);
      fireEvent.click(await screen.findByRole("button", { name: "Open Settings → Hosts" }));
      const title = await screen.findByRole("heading", { name: "Hosts" });
      await screen.findByText("Loading settings…");
      hostList([]);
      await waitFor(() => expect(screen.queryByText("Loading…")).toBeNull());
      expect(scroll).not.toHaveBeenCalled();
      expect(document.activeElement).not.toBe(title);
      general({ approvalWaitSeconds: 120, approvalTTLSeconds: 600, retentionDays: 90, notifications: true, configPath: "airlock.json" });
      await waitFor(() => expect(scroll).toHaveBeenCalledTimes(1));
      expect(scrolled).toEqual([title]);
      expect(scroll).toHaveBeenCalledWith({ block: "start" });
      expect(screen.getByRole("heading", { name: "General" })).toBeTruthy();
      expect(document.activeElement).toBe(title);
      // Settings read again later (shown again) does not scroll again.
      fireEvent.click(tab(/^History/));
      fireEvent.click(tab(/^Settings/));
      await waitFor(() => expect(screen.getByRole("heading", { name: "Hosts" })).toBeTruthy());
      expect(scroll).toHaveBeenCalledTimes(1);
    } finally {
      delete (Element.prototype as Partial<Element>).scrollIntoView;
    }
  });

  // Keys typed for a field must never land on an approval: A allows, D
  // denies. The window does not turn to Pending under a person typing.
  it("does not turn to Pending while a field has the focus, so typed keys never answer a request", async () => {
    const q = fakeQueue([]);
    render(<App history={history} pending={q.source} />);
    await screen.findByRole("heading", { name: "History" });
    const search = screen.getByRole("searchbox");
    search.focus();
    await q.change([request({ id: 3, summary: "Write file ~/a" })]);
    expect(tab(/^Pending/).textContent).toBe("Pending (1)");
    expect(tab(/^Pending/).getAttribute("aria-selected")).toBe("false");
    expect(document.activeElement).toBe(search);
    fireEvent.keyDown(search, { key: "a" });
    expect(q.answers).toEqual([]);
    // Once the person leaves the field, the next arrival turns the window as usual.
    search.blur();
    await q.change([request({ id: 3 }), request({ id: 4, summary: "Write file ~/b" })]);
    expect(await screen.findByRole("heading", { name: "Waiting for you" })).toBeTruthy();
  });

  it("turns to Pending when a field keeps the focus in a window that is not in front", async () => {
    const q = fakeQueue([]);
    render(<App history={history} pending={q.source} />);
    await screen.findByRole("heading", { name: "History" });
    screen.getByRole("searchbox").focus();
    const away = vi.spyOn(document, "hasFocus").mockReturnValue(false);
    try {
      await q.change([request({ id: 3 })]);
      expect(await screen.findByRole("heading", { name: "Waiting for you" })).toBeTruthy();
    } finally {
      away.mockRestore();
    }
  });

  // Settings stays mounted once opened (a half-typed secret survives), but
  // what it shows of the world must not: a host config or the keychain can
  // change outside this window (airlock install, a server added to the host).
  it("reads Hosts and Secrets again each time Settings is shown again", async () => {
    let local = 0;
    let stored: string[] = [];
    const hosts: HostsSource = {
      hosts: async () => [
        { id: "claude-desktop", name: "Claude Desktop", path: "config.json", found: true, hookedUp: true, local, kept: 0, error: "" },
      ],
      connect: () => Promise.reject(new Error("not in this test")),
      disconnect: () => Promise.reject(new Error("not in this test")),
      moveSecrets: () => Promise.reject(new Error("not in this test")),
    };
    const secrets: SecretsSource = {
      secrets: async () => stored.map((name) => ({ name, usedBy: [], stored: true })),
      keychain: async () => "",
      plain: async () => [],
      set: async () => {},
      move: async () => "",
      remove: async () => {},
    };
    render(<App history={history} pending={fakeQueue([]).source} hosts={hosts} secrets={secrets} />);
    await screen.findByRole("heading", { name: "History" });
    fireEvent.click(tab(/^Settings/));
    expect(await screen.findByText("Connected through Airlock")).toBeTruthy();
    await screen.findByText("No secrets stored.");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "LINEAR_K" } });

    fireEvent.click(tab(/^History/));
    local = 1; // a server added to the host's config since: it bypasses Airlock
    stored = ["GH"];
    fireEvent.click(tab(/^Settings/));
    expect(await screen.findByText("Connected, but 1 server added since bypass Airlock")).toBeTruthy();
    expect(await screen.findByRole("listitem", { name: "Secret GH" })).toBeTruthy();
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("LINEAR_K");
  });

  // A field of a screen that is hidden, not gone, keeps the keyboard focus
  // in engines without the focus fixup rule (WebKit before 2023, jsdom):
  // keys would edit a rule nobody sees, and A and D would not answer.
  it("takes the focus out of a screen it hides, so keys reach the request shown", async () => {
    const rules: RulesSource = {
      rules: () => Promise.resolve({ rules: [], configPath: "airlock.json", configError: "" }),
      add: () => Promise.reject(new Error("not in this test")),
      update: () => Promise.reject(new Error("not in this test")),
      remove: () => Promise.resolve(),
      calls: () => Promise.resolve([]),
      onCallsChanged: () => () => {},
    };
    const q = fakeQueue([]);
    render(<App history={history} pending={q.source} rules={rules} />);
    await screen.findByRole("heading", { name: "History" });
    fireEvent.click(tab(/^Rules/));
    fireEvent.click(await screen.findByRole("button", { name: "New rule…" }));
    const field = within(screen.getByRole("form", { name: "New rule" })).getByLabelText("Tool");
    field.focus();
    const away = vi.spyOn(document, "hasFocus").mockReturnValue(false);
    try {
      await q.change([request({ id: 9 })]);
      expect(await screen.findByRole("heading", { name: "Waiting for you" })).toBeTruthy();
    } finally {
      away.mockRestore();
    }
    expect(document.activeElement).not.toBe(field);
    fireEvent.keyDown(document.activeElement ?? document.body, { key: "a" });
    await waitFor(() => expect(q.answers).toEqual([[9, true, "once"]]));
    expect((field as HTMLInputElement).value).toBe("");
  });

  it("switches tabs on click", async () => {
    render(<App history={history} pending={fakeQueue([request({ id: 1 })]).source} />);
    await screen.findByRole("heading", { name: "Waiting for you" });
    fireEvent.click(tab(/^History/));
    expect(await screen.findByRole("heading", { name: "History" })).toBeTruthy();
    expect(tab(/^Pending/).textContent).toBe("Pending (1)");
  });

  // A request arriving turns the window to Pending; the rule a person was
  // writing on Rules must still be there when they come back.
  it("keeps a half-written rule when a request arrives and the window turns to Pending", async () => {
    const rules: RulesSource = {
      rules: () => Promise.resolve({ rules: [], configPath: "airlock.json", configError: "" }),
      add: () => Promise.reject(new Error("not in this test")),
      update: () => Promise.reject(new Error("not in this test")),
      remove: () => Promise.resolve(),
      calls: () => Promise.resolve([]),
      onCallsChanged: () => () => {},
    };
    const q = fakeQueue([]);
    render(<App history={history} pending={q.source} rules={rules} />);
    await screen.findByRole("heading", { name: "History" });
    fireEvent.click(tab(/^Rules/));
    fireEvent.click(await screen.findByRole("button", { name: "New rule…" }));
    const form = screen.getByRole("form", { name: "New rule" });
    fireEvent.change(within(form).getByLabelText("Tool"), { target: { value: "write_file" } });

    await q.change([request({ id: 9 })]);
    expect(await screen.findByRole("heading", { name: "Waiting for you" })).toBeTruthy();
    expect(screen.queryByRole("form", { name: "New rule" })).toBeNull(); // hidden, not shown

    fireEvent.click(tab(/^Rules/));
    const back = screen.getByRole("form", { name: "New rule" });
    expect((within(back).getByLabelText("Tool") as HTMLInputElement).value).toBe("write_file");
  });
});
