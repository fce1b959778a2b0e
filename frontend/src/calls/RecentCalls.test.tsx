import { act, cleanup, render, screen } from "@testing-library/react";
import type { Call, CallSource } from "../api";
import { RecentCalls, recentLimit } from "./RecentCalls";

afterEach(cleanup);

/** A source backed by an array; change() plays the Go "calls:changed" event. */
function fakeSource(initial: Call[]) {
  let rows = initial;
  const listeners = new Set<() => void>();
  const limits: number[] = [];
  const source: CallSource = {
    async recentCalls(limit) {
      limits.push(limit);
      return rows.slice(0, limit);
    },
    onCallsChanged(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    source,
    limits,
    listeners,
    async change(next: Call[]) {
      rows = next;
      await act(async () => listeners.forEach((l) => l()));
    },
  };
}

const row = (id: number, tool: string): Call => ({
  id,
  time: "2026-03-01T12:00:00.000Z",
  server: "s",
  tool,
  tier: "write",
  decision: "allow",
  outcome: "ok",
  durationMs: 3,
  arguments: "{}",
  error: "",
});

describe("RecentCalls", () => {
  it("shows an empty state when there are no calls", async () => {
    const f = fakeSource([]);
    render(<RecentCalls source={f.source} />);
    expect(await screen.findByText("No tool calls yet.")).toBeTruthy();
    expect(screen.getByRole("heading").textContent).toBe("Recent tool calls");
    expect(f.limits).toEqual([recentLimit]);
  });

  it("reloads on calls:changed, newest first", async () => {
    const f = fakeSource([]);
    render(<RecentCalls source={f.source} />);
    await screen.findByText("No tool calls yet.");

    await f.change([row(2, "second"), row(1, "first")]);
    const tools = screen.getAllByRole("row").slice(1).map((r) => r.querySelectorAll("td")[2].textContent);
    expect(tools).toEqual(["second", "first"]);
  });

  it("unsubscribes when it goes away", async () => {
    const f = fakeSource([row(1, "a")]);
    const { unmount } = render(<RecentCalls source={f.source} />);
    await screen.findByText("a");
    expect(f.listeners.size).toBe(1);
    unmount();
    expect(f.listeners.size).toBe(0);
  });

  it("shows a failure as text", async () => {
    const source: CallSource = {
      recentCalls: () => Promise.reject(new Error("disk <b>gone</b>\u202E")),
      onCallsChanged: () => () => {},
    };
    const { container } = render(<RecentCalls source={source} />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Could not read the audit log: disk <b>gone</b>⟨U+202E⟩");
    expect(container.querySelector("[role=alert] b")).toBeNull();
  });
});
