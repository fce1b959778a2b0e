import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { fakeHistory, historyCall } from "./fakeHistory";
import { pageSize } from "./filter";
import { HistoryScreen, searchDelayMs } from "./HistoryScreen";

afterEach(cleanup);

const now = () => new Date("2026-03-10T12:00:00.000Z");
const many = (n: number) =>
  Array.from({ length: n }, (_, i) => historyCall({ id: n - i, summary: `call ${n - i}`, tier: i % 2 ? "read" : "write" }));

describe("HistoryScreen", () => {
  it("asks for the first page, then maps each filter control to the api filter", async () => {
    const f = fakeHistory(many(5));
    render(<HistoryScreen source={f.source} now={now} />);
    await screen.findByText("call 5");
    expect(f.filters[0]).toMatchObject({ server: "", tier: "", since: "", beforeId: 0, limit: pageSize });

    fireEvent.change(screen.getByLabelText("Tier"), { target: { value: "read" } });
    await screen.findByText("2 shown");
    expect(f.filters.at(-1)).toMatchObject({ tier: "read", beforeId: 0 });

    fireEvent.change(screen.getByLabelText("Server"), { target: { value: "fs" } });
    fireEvent.change(screen.getByLabelText("Decision"), { target: { value: "allow" } });
    fireEvent.change(screen.getByLabelText("Outcome"), { target: { value: "ok" } });
    fireEvent.change(screen.getByLabelText("Time range"), { target: { value: "7d" } });
    // The server box, typed, applies after a pause.
    await waitFor(() =>
      expect(f.filters.at(-1)).toMatchObject({
        server: "fs", tier: "read", decision: "allow", outcome: "ok", since: "2026-03-03T12:00:00.000Z",
      }),
    );
  });

  it("shows a call waiting for a person as waiting, and no duration for a denied call, which never ran", async () => {
    const f = fakeHistory([
      historyCall({ id: 2, summary: "waits", decision: "pending", outcome: "", durationMs: 0 }),
      historyCall({ id: 1, summary: "refused", decision: "deny", outcome: "denied", durationMs: 0.004 }),
    ]);
    const { container } = render(<HistoryScreen source={f.source} now={now} />);
    await screen.findByText("waits");
    const cells = (id: number) => [...container.querySelectorAll(`[data-call-id="${id}"] > span`)].map((s) => s.textContent);
    expect(cells(2).slice(4, 6)).toEqual(["waiting", "…"]);
    expect(cells(1).slice(4, 6)).toEqual(["denied", "—"]);
  });

  it("loads once on its own clock", async () => {
    const f = fakeHistory(many(3));
    render(<HistoryScreen source={f.source} />);
    await screen.findByText("call 3");
    await act(async () => new Promise((r) => setTimeout(r, 50)));
    expect(f.filters.length).toBe(1);
  });

  it("searches after a pause in typing", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const f = fakeHistory(many(3));
      render(<HistoryScreen source={f.source} now={now} />);
      await screen.findByText("call 3");
      const asked = f.filters.length;
      fireEvent.change(screen.getByRole("searchbox"), { target: { value: "rm -rf" } });
      expect(f.filters.length).toBe(asked);
      await act(async () => vi.advanceTimersByTime(searchDelayMs + 10));
      expect(f.filters.at(-1)).toMatchObject({ search: "rm -rf", beforeId: 0 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("applies the Server and Tool boxes after a pause, and never a half-typed name", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const f = fakeHistory([historyCall({ id: 2, server: "memory", tool: "create_entities", summary: "made" })]);
      render(<HistoryScreen source={f.source} now={now} />);
      await screen.findByText("made");
      const asked = f.filters.length;
      fireEvent.change(screen.getByLabelText("Server"), { target: { value: "m" } });
      fireEvent.change(screen.getByLabelText("Server"), { target: { value: "me" } });
      await act(async () => vi.advanceTimersByTime(searchDelayMs - 50));
      expect(f.filters.length).toBe(asked);
      expect(screen.queryByText("No calls match these filters.")).toBeNull();
      fireEvent.change(screen.getByLabelText("Server"), { target: { value: "memory" } });
      await act(async () => vi.advanceTimersByTime(searchDelayMs - 50));
      expect(f.filters.length).toBe(asked);
      await act(async () => vi.advanceTimersByTime(60));
      expect(f.filters.slice(asked).map((x) => x.server)).toEqual(["memory"]);
      fireEvent.change(screen.getByLabelText("Tool"), { target: { value: "create_entities" } });
      await act(async () => vi.advanceTimersByTime(searchDelayMs + 10));
      expect(f.filters.at(-1)).toMatchObject({ server: "memory", tool: "create_entities" });
      expect(screen.getByText("made")).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it("says when a server's tool suggestions were cut short", async () => {
    const f = fakeHistory([historyCall({ id: 1, server: "mem", tool: "read_graph" })]);
    f.source.names = () =>
      Promise.resolve([
        { server: "loud", tool: "made_up_1", more: true },
        { server: "mem", tool: "read_graph" },
      ]);
    render(<HistoryScreen source={f.source} now={now} />);
    const note = /Not every tool is suggested/;
    expect(await screen.findByText(note)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Server"), { target: { value: "mem" } });
    await waitFor(() => expect(screen.queryByText(note)).toBeNull());
    fireEvent.change(screen.getByLabelText("Server"), { target: { value: "loud" } });
    expect(await screen.findByText(note)).toBeTruthy();
  });

  it("suggests the servers and tools in the log, says the match is exact, and shows hidden characters as markers", async () => {
    const f = fakeHistory([
      historyCall({ id: 4, server: "memory", tool: "read_graph" }),
      historyCall({ id: 3, server: "mem", tool: "create_entities" }),
      historyCall({ id: 2, server: "mem", tool: "create_entities" }),
      historyCall({ id: 1, server: "ev\u202eil", tool: "<b>x</b>" }),
    ]);
    const { container } = render(<HistoryScreen source={f.source} now={now} />);
    const server = screen.getByLabelText("Server") as HTMLInputElement;
    const tool = screen.getByLabelText("Tool") as HTMLInputElement;
    const options = (input: HTMLInputElement) => [...(input.list?.options ?? [])].map((o) => o.value);
    await waitFor(() => expect(options(server)).toEqual(["ev⟨U+202E⟩il", "mem", "memory"]));
    expect(options(tool)).toEqual(["<b>x</b>", "create_entities", "read_graph"]);
    expect(container.querySelector("datalist b")).toBeNull();
    expect(container.querySelector("datalist")?.outerHTML).not.toMatch(/\u202e/);
    expect(server.placeholder).toBe("server (exact name)");
    expect(server.title).toContain("exactly this name");
    expect(tool.placeholder).toBe("tool (exact name)");

    // A known server narrows the tools to its own.
    fireEvent.change(server, { target: { value: "mem" } });
    expect(options(tool)).toEqual(["create_entities"]);
    await waitFor(() => expect(f.filters.at(-1)?.server).toBe("mem"));
    // Exact: "mem" is not "memory".
    await waitFor(() => expect(container.querySelectorAll("button.hrow").length).toBe(2));

    // Picking the marked suggestion filters by the real name.
    fireEvent.change(server, { target: { value: "ev⟨U+202E⟩il" } });
    await waitFor(() => expect(f.filters.at(-1)?.server).toBe("ev\u202eil"));
    await waitFor(() => expect(container.querySelectorAll("button.hrow").length).toBe(1));
  });

  // A one-line box drops line breaks from a picked suggestion: a tool
  // named with one must still be found by picking it.
  it("suggests a name with a line break as a marker, and picking it filters by the real name", async () => {
    const f = fakeHistory([historyCall({ id: 1, server: "mem", tool: "read\ngraph", summary: "hidden" })]);
    const { container } = render(<HistoryScreen source={f.source} now={now} />);
    const tool = screen.getByLabelText("Tool") as HTMLInputElement;
    await waitFor(() => expect(tool.list?.options.length).toBe(1));
    const picked = tool.list!.options[0].value;
    expect(picked).toBe("read⟨U+000A⟩graph");
    fireEvent.change(tool, { target: { value: picked } });
    await waitFor(() => expect(f.filters.at(-1)?.tool).toBe("read\ngraph"));
    await waitFor(() => expect(container.querySelectorAll("button.hrow").length).toBe(1));
  });

  it("keeps the newest suggestions when an older read of the names answers last", async () => {
    const f = fakeHistory([historyCall({ id: 1, server: "mem", summary: "one" })]);
    const held: Array<(n: { server: string; tool: string }[]) => void> = [];
    const first = f.source.names;
    let reads = 0;
    f.source.names = () => (++reads === 1 ? first() : new Promise((r) => held.push(r)));
    render(<HistoryScreen source={f.source} now={now} />);
    const server = screen.getByLabelText("Server") as HTMLInputElement;
    const options = () => [...(server.list?.options ?? [])].map((o) => o.value);
    await waitFor(() => expect(options()).toEqual(["mem"]));
    // Two changes in the log; the second read answers first.
    await act(async () => f.listeners.forEach((l) => l()));
    await act(async () => f.listeners.forEach((l) => l()));
    await waitFor(() => expect(held.length).toBe(2));
    await act(async () => held[1]([{ server: "mem", tool: "write_file" }, { server: "new", tool: "x" }]));
    expect(options()).toEqual(["mem", "new"]);
    await act(async () => held[0]([{ server: "mem", tool: "write_file" }]));
    expect(options()).toEqual(["mem", "new"]);
  });

  it("shows today's calls by time and older ones by date, the full stamp in the tooltip", async () => {
    const local = (y: number, mo: number, d: number, h: number, mi: number, s: number) => new Date(y, mo - 1, d, h, mi, s);
    const f = fakeHistory([
      historyCall({ id: 2, time: local(2026, 3, 10, 9, 5, 7).toISOString(), summary: "today" }),
      historyCall({ id: 1, time: local(2026, 3, 9, 23, 59, 59).toISOString(), summary: "yesterday" }),
    ]);
    const { container } = render(<HistoryScreen source={f.source} now={() => local(2026, 3, 10, 12, 0, 0)} />);
    await screen.findByText("today");
    const time = (id: number) => container.querySelector(`[data-call-id="${id}"] .time`)!;
    expect(time(2).textContent).toBe("09:05:07");
    expect(time(2).getAttribute("title")).toBe("2026-03-10 09:05:07");
    expect(time(1).textContent).toBe("2026-03-09");
    expect(time(1).getAttribute("title")).toBe("2026-03-09 23:59:59");
  });

  it("pages with the keyset cursor and renders only the visible rows", async () => {
    const f = fakeHistory(many(pageSize + 30));
    const { container } = render(<HistoryScreen source={f.source} now={now} />);
    await screen.findByText(`${pageSize} shown, more available`);
    // Virtualized: far fewer row elements than loaded rows.
    expect(container.querySelectorAll("button.hrow").length).toBeLessThan(40);
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText(`${pageSize + 30} shown`);
    expect(f.filters.at(-1)).toMatchObject({ beforeId: 31 });
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("opens the detail panel for a row and exports the filtered view", async () => {
    const f = fakeHistory([historyCall({ id: 7, summary: "Delete file ~/x", tier: "destructive", reasons: ["deletes"] })]);
    render(<HistoryScreen source={f.source} now={now} />);
    fireEvent.click(await screen.findByText("Delete file ~/x"));
    expect(screen.getByRole("complementary", { name: "Call details" }).textContent).toContain("deletes");

    fireEvent.change(screen.getByLabelText("Tier"), { target: { value: "destructive" } });
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("Saved /home/u/Downloads/airlock-history.csv")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Export JSON" }));
    await screen.findByText("Saved /home/u/Downloads/airlock-history.json");
    expect(f.exports.map(([flt, fmt]) => [flt.tier, flt.beforeId, fmt])).toEqual([
      ["destructive", 0, "csv"],
      ["destructive", 0, "json"],
    ]);
  });

  it("tells a first run how to connect a host, and opens Settings from there", async () => {
    const onConnect = vi.fn();
    const { container } = render(<HistoryScreen source={fakeHistory([]).source} now={now} onConnect={onConnect} />);
    await screen.findByText("No calls recorded yet.");
    expect(container.querySelector(".empty")?.textContent).toContain("connect Claude Desktop (or another AI host) in Settings → Hosts");
    fireEvent.click(screen.getByRole("button", { name: "Open Settings → Hosts" }));
    expect(onConnect).toHaveBeenCalled();
  });

  it("tells an empty log from filters that match nothing, and clears the filters", async () => {
    render(<HistoryScreen source={fakeHistory([]).source} now={now} />);
    expect(await screen.findByText("No calls recorded yet.")).toBeTruthy();
    cleanup();

    const f = fakeHistory(many(2));
    render(<HistoryScreen source={f.source} now={now} />);
    await screen.findByText("call 2");
    fireEvent.change(screen.getByLabelText("Tier"), { target: { value: "destructive" } });
    expect(await screen.findByText("No calls match these filters.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(await screen.findByText("call 2")).toBeTruthy();
    expect((screen.getByLabelText("Tier") as HTMLSelectElement).value).toBe("");
    expect(f.filters.at(-1)).toMatchObject({ tier: "" });
  });

  it("reloads when the audit log changes", async () => {
    const rows = many(2);
    const f = fakeHistory(rows);
    render(<HistoryScreen source={f.source} now={now} />);
    await screen.findByText("call 2");
    rows.unshift(historyCall({ id: 3, summary: "call 3" }));
    await act(async () => f.listeners.forEach((l) => l()));
    expect(await screen.findByText("call 3")).toBeTruthy();
  });
});
