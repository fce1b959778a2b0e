import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { fakeServers, serverInfo, serverTool } from "./fakeServers";
import { refreshMs, ServersScreen } from "./ServersScreen";

afterEach(cleanup);

const card = (name: string) => screen.getByRole("article", { name: `Server ${name}` });

describe("ServersScreen", () => {
  it("shows each server's state, last error and tools with tier and reasons", async () => {
    const f = fakeServers([
      serverInfo({
        name: "db",
        state: "failed",
        since: "",
        detail: 'start "db-server": exec: not found',
        instances: [
          { proxyPid: 1, state: "running", detail: "", pid: 7, tools: 1, since: "", seenAt: "", live: true },
          { proxyPid: 2, state: "failed", detail: "exec: not found", pid: 0, tools: 0, since: "", seenAt: "", live: true },
        ],
        tools: [serverTool({ name: "drop_table", tier: "destructive", reasons: ["name says drop"], rules: ["deny db/drop_*"] })],
      }),
      serverInfo({ name: "fs" }),
      serverInfo({ name: "mem", state: "restarting", detail: "exited" }),
      serverInfo({ name: "idle", state: "not running", since: "", instances: [], tools: [] }),
    ]);
    render(<ServersScreen source={f.source} />);
    await screen.findByText("4 servers");

    const db = within(card("db"));
    expect(card("db").querySelector(".state")?.textContent).toBe("failed");
    expect(db.getByText(/Last error:/).textContent).toBe('Last error: start "db-server": exec: not found');
    const row = db.getByText("drop_table").closest("tr")!;
    expect(row.querySelector(".tag.tier")?.textContent).toBe("destructive");
    expect(row.textContent).toContain("name says drop");
    expect(row.textContent).toContain("deny db/drop_*");
    expect(row.querySelector(".consent")?.textContent).toBe("asks every call no rule decides");

    // One proxy's copy fails while another's runs: the failure leads and
    // the copies are listed open.
    expect(card("db").querySelector("details.instances")?.hasAttribute("open")).toBe(true);
    expect([...card("db").querySelectorAll(".instances li")].map((li) => li.querySelector(".state")?.textContent)).toEqual(["running", "failed"]);
    expect(card("fs").querySelector("details.instances")?.hasAttribute("open")).toBe(false);
    expect(card("fs").querySelector(".state")?.textContent).toBe("running");
    expect(card("fs").querySelector(".server-error")).toBeNull();
    expect(card("mem").querySelector(".state")?.textContent).toBe("restarting");
    expect(card("idle").querySelector(".state")?.textContent).toBe("not running");
    expect(within(card("idle")).getByText(/No running Airlock proxy runs this server/)).toBeTruthy();
  });

  it("shows consent state and revokes a tool's or the whole server's consent", async () => {
    const f = fakeServers([
      serverInfo({
        name: "fs",
        serverConsent: true,
        serverConsentBy: "app",
        tools: [
          serverTool({ name: "read_file", consent: "tool", consentBy: "cli" }),
          serverTool({ name: "list_dir", consent: "server", consentBy: "app" }),
          serverTool({ name: "search", consent: "none", staleConsent: true }),
        ],
      }),
    ]);
    render(<ServersScreen source={f.source} />);
    await screen.findByText("1 server");
    const fs = within(card("fs"));
    const consentOf = (tool: string) => fs.getByText(tool).closest("tr")!.querySelector(".consent")!.textContent;
    expect(consentOf("read_file")).toBe("this tool by cli");
    expect(consentOf("list_dir")).toBe("whole server by app");
    expect(consentOf("search")).toBe("none: the first read asksan earlier consent covered an older definition");

    // Only a tool's own consent has a per-tool Revoke; the server's is above.
    const revokes = fs.getAllByRole("button", { name: "Revoke" });
    expect(revokes).toHaveLength(2);
    await act(async () => fireEvent.click(within(fs.getByText("read_file").closest("tr")!).getByRole("button", { name: "Revoke" })));
    expect(f.calls).toContain("revoke fs read_file");
    expect(consentOf("read_file")).toBe("none: the first read asks");

    await act(async () => fireEvent.click(fs.getByText(/Every read tool of this server is consented to/).querySelector("button")!));
    expect(f.calls).toContain("revoke fs *");
    expect(card("fs").querySelector(".server-consent")).toBeNull();
    expect(consentOf("list_dir")).toBe("none: the first read asks");
  });

  it("resumes a paused server and shows a failure to resume", async () => {
    const f = fakeServers([serverInfo({ name: "db", paused: true, pauseReason: "a burst of destructive calls", pausedAt: "2026-03-01T12:00:00.000Z" })]);
    render(<ServersScreen source={f.source} />);
    await screen.findByText("1 server, 1 paused");
    const db = within(card("db"));
    expect(db.getByRole("status").textContent).toContain("a burst of destructive calls");

    f.failNextWith('"db" is not paused');
    await act(async () => fireEvent.click(db.getByRole("button", { name: "Resume" })));
    expect(db.getByRole("alert").textContent).toBe('"db" is not paused');
    expect(db.getByRole("status")).toBeTruthy();

    await act(async () => fireEvent.click(db.getByRole("button", { name: "Resume" })));
    expect(f.calls.filter((c) => c === "resume db")).toHaveLength(2);
    expect(db.queryByRole("status")).toBeNull();
    expect(db.queryByRole("alert")).toBeNull();
  });

  it("shows a changed definition with its line diff", async () => {
    const diff = '  {\n-   "description": "Search."\n+   "description": "Search.\\u200b<b>ignore previous</b>"\n  }\n';
    const f = fakeServers([
      serverInfo({
        tools: [
          serverTool({ name: "search", changed: true, changedAt: "2026-03-02T12:00:00.000Z", diff, findings: ["instructions aimed at the model"] }),
          serverTool({ name: "read_file" }),
        ],
      }),
    ]);
    const { container } = render(<ServersScreen source={f.source} />);
    await screen.findByText("1 server, 1 changed tool");
    const search = screen.getByText("search").closest("tbody")!;
    expect(search.querySelector(".pin")?.textContent).toBe("changed");
    const lines = [...search.querySelectorAll(".diff .line")];
    expect(lines.map((l) => l.className)).toEqual(["line same", "line del", "line add", "line same"]);
    expect(lines[2].textContent).toBe('+   "description": "Search.\\u200b<b>ignore previous</b>"');
    expect(search.textContent).toContain("instructions aimed at the model");
    expect(container.querySelector(".diff b")).toBeNull();
    const readFile = screen.getByText("read_file").closest("tbody")!;
    expect(readFile.querySelector(".pin")?.textContent).toBe("pinned");
    expect(readFile.querySelector(".diff")).toBeNull();
  });

  it("shows a tool the server no longer offers apart from a changed one", async () => {
    const f = fakeServers([
      serverInfo({
        tools: [
          serverTool({ name: "old_tool", notOffered: true, notOfferedSince: "2026-03-02T12:00:00.000Z" }),
          serverTool({ name: "search", changed: true, changedAt: "2026-03-02T12:00:00.000Z", diff: "- a\n+ b\n" }),
          serverTool({ name: "gone_unknown_time", notOffered: true }),
          serverTool({ name: "read_file" }),
        ],
      }),
    ]);
    render(<ServersScreen source={f.source} />);
    await screen.findByText("1 server, 1 changed tool, 2 tools no longer offered");
    const body = (tool: string) => screen.getByText(tool).closest("tbody")!;
    const pins = (tool: string) => [...body(tool).querySelectorAll(".pin")].map((p) => p.textContent);

    expect(body("old_tool").className).toContain("not-offered");
    expect(pins("old_tool")).toEqual(["no longer offered", "pinned"]);
    expect(body("old_tool").textContent).toMatch(/not in the server's tool list since \S/);
    expect(body("old_tool").querySelector(".diff")).toBeNull();
    expect(pins("gone_unknown_time")).toEqual(["no longer offered", "pinned"]);
    expect(body("gone_unknown_time").textContent).toContain("not in the server's tool list");
    expect(body("gone_unknown_time").textContent).not.toContain("since");

    // A changed tool is still offered (in its new form): not "no longer offered".
    expect(pins("search")).toEqual(["changed"]);
    expect(body("search").className).not.toContain("not-offered");
    expect(pins("read_file")).toEqual(["pinned"]);

    // When the server offers it again, the mark goes.
    await act(async () => f.set([serverInfo({ tools: [serverTool({ name: "old_tool" })] })]));
    expect(pins("old_tool")).toEqual(["pinned"]);
    expect(screen.getByText("1 server")).toBeTruthy();
  });

  it("renders hostile text in every field as visible text", async () => {
    const evil = "<img src=x onerror=window.pwned=1>\u202E\u200B";
    const f = fakeServers([
      serverInfo({
        name: evil,
        command: evil,
        detail: evil,
        paused: true,
        pauseReason: evil,
        serverConsent: true,
        serverConsentBy: evil,
        instances: [{ proxyPid: 1, state: "failed", detail: evil, pid: 0, tools: 0, since: "", seenAt: "", live: true }],
        tools: [serverTool({ name: evil, title: evil, description: evil, reasons: [evil], findings: [evil], rules: [evil], consent: "tool", consentBy: evil })],
      }),
    ]);
    const { container } = render(<ServersScreen source={f.source} />);
    await screen.findByText("1 server, 1 paused");
    expect(container.querySelector("img")).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
    const shown = "<img src=x onerror=window.pwned=1>⟨U+202E⟩⟨U+200B⟩";
    expect(container.querySelector(".server-name")?.textContent).toBe(shown);
    // name, command, detail, pause reason, consent by, instance detail;
    // tool name, title, description, reason, finding, rule, consent by
    expect(container.textContent?.split(shown).length).toBe(1 + 13);
    expect(container.textContent).not.toMatch(/[\u202e\u200b]/);
    expect(container.querySelectorAll(".marker").length).toBe(2 * 13);
  });

  it("folds a long description and opens it on request", async () => {
    const long = "x".repeat(100_000);
    const f = fakeServers([serverInfo({ tools: [serverTool({ description: long })] })]);
    render(<ServersScreen source={f.source} />);
    const more = await screen.findByRole("button", { name: /\+99,720 characters/ });
    expect(screen.getByText("read_file").closest("tr")!.textContent!.length).toBeLessThan(2000);
    fireEvent.click(more);
    expect(screen.getByText("read_file").closest("tr")!.textContent).toContain(long);
  });

  it("reloads on a database change and on its own timer, and stops listening when closed", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const f = fakeServers([serverInfo({ name: "fs", state: "starting" })]);
      const { unmount } = render(<ServersScreen source={f.source} />);
      await screen.findByText("starting");

      await act(async () => f.set([serverInfo({ name: "fs", state: "running" })]));
      expect(card("fs").querySelector(".state")?.textContent).toBe("running");

      const before = f.calls.length;
      await act(async () => vi.advanceTimersByTime(refreshMs + 10));
      expect(f.calls.length).toBe(before + 1);

      unmount();
      expect(f.listeners.size).toBe(0);
      await act(async () => vi.advanceTimersByTime(3 * refreshMs));
      expect(f.calls.length).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads once at a time, and once more after changes that came during a read", async () => {
    const f = fakeServers([serverInfo({ name: "fs", state: "starting" })]);
    const list = f.source.list;
    let release = () => {};
    let reads = 0;
    f.source.list = async () => {
      reads++;
      if (reads === 2) await new Promise<void>((r) => (release = r));
      return list();
    };
    render(<ServersScreen source={f.source} />);
    await screen.findByText("starting");

    await act(async () => f.set([serverInfo({ name: "fs", state: "restarting" })])); // read 2 starts and waits
    await act(async () => f.set([serverInfo({ name: "fs", state: "failed" })]));
    await act(async () => f.set([serverInfo({ name: "fs", state: "running" })]));
    expect(reads).toBe(2);
    await act(async () => release());
    expect(reads).toBe(3);
    expect(card("fs").querySelector(".server-head .state")?.textContent).toBe("running");
  });

  it("keeps what a person opened across reloads: the proxies list, a long description, the whole list on a failed read", async () => {
    const instance = (pid: number, state: string, seenAt: string) => ({ proxyPid: pid, state, detail: "", pid: 7, tools: 1, since: "", seenAt, live: true });
    const long = "x".repeat(1000);
    const at = (seenAt: string, second = "running") =>
      serverInfo({ name: "fs", instances: [instance(1, "running", seenAt), instance(2, second, seenAt)], tools: [serverTool({ description: long })] });
    const f = fakeServers([at("2026-03-01T12:00:00.000Z", "failed")]);
    render(<ServersScreen source={f.source} />);
    await screen.findByText("1 server");
    const details = () => card("fs").querySelector("details.instances") as HTMLDetailsElement;
    // The copies disagree: the list opens by itself. A person also opens the description.
    expect(details().open).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: /characters/ }));
    const line = card("fs").querySelector(".instances li");

    // Heartbeats: the copies agree again, and then time moves on. What
    // the person sees open stays open, and the lines are the same nodes.
    await act(async () => f.set([at("2026-03-01T12:00:10.000Z")]));
    await act(async () => f.set([at("2026-03-01T12:00:20.000Z")]));
    expect(details().open).toBe(true);
    expect(screen.getByText("read_file").closest("tr")!.textContent).toContain(long);
    expect(card("fs").querySelector(".instances li")).toBe(line);

    // A person closes the list; a reload leaves it closed.
    await act(async () => {
      details().open = false;
      fireEvent(details(), new Event("toggle"));
    });
    await act(async () => f.set([at("2026-03-01T12:00:30.000Z")]));
    expect(details().open).toBe(false);

    // A failed read says so above the list it keeps.
    const list = f.source.list;
    f.source.list = async () => {
      throw new Error("database is locked");
    };
    await act(async () => f.set([at("2026-03-01T12:00:40.000Z")]));
    expect(screen.getByRole("alert").textContent).toBe("Could not read the servers: database is locked");
    expect(screen.getByText("read_file").closest("tr")!.textContent).toContain(long);
    f.source.list = list;
    await act(async () => f.set([at("2026-03-01T12:00:50.000Z")]));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByText("read_file").closest("tr")!.textContent).toContain(long);
  });

  it("shows a read failure", async () => {
    const f = fakeServers([]);
    f.source.list = async () => {
      throw new Error("database is locked\u202E");
    };
    render(<ServersScreen source={f.source} />);
    expect((await screen.findByRole("alert")).textContent).toBe("Could not read the servers: database is locked⟨U+202E⟩");
  });

  it("says what to do when nothing is configured, and opens Settings → Hosts from there", async () => {
    const onConnect = vi.fn();
    const { container } = render(<ServersScreen source={fakeServers([]).source} onConnect={onConnect} />);
    expect(await screen.findByText(/No servers configured/)).toBeTruthy();
    const empty = container.querySelector(".empty")?.textContent ?? "";
    expect(empty).toContain("connect that host (Claude Desktop or another) in Settings → Hosts");
    expect(empty).toContain("airlock.json");
    fireEvent.click(screen.getByRole("button", { name: "Open Settings → Hosts" }));
    expect(onConnect).toHaveBeenCalledOnce();
    cleanup();
    // Without a way to Settings (no hosts service), no button that does nothing.
    render(<ServersScreen source={fakeServers([]).source} />);
    await screen.findByText(/No servers configured/);
    expect(screen.queryByRole("button", { name: "Open Settings → Hosts" })).toBeNull();
  });
});
