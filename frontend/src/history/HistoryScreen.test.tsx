import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
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
    await act(async () => {});
    expect(f.filters.at(-1)).toMatchObject({
      server: "fs", tier: "read", decision: "allow", outcome: "ok", since: "2026-03-03T12:00:00.000Z",
    });
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
