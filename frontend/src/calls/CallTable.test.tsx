import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import type { Call } from "../api";
import { CallTable, argumentsPreview, formatDuration } from "./CallTable";

afterEach(cleanup);

function call(over: Partial<Call>): Call {
  return {
    id: 1,
    time: "2026-03-01T12:30:45.123Z",
    server: "fs",
    tool: "read_file",
    tier: "read",
    decision: "allow",
    outcome: "ok",
    durationMs: 12.4,
    arguments: '{"path":"/tmp/a.txt"}',
    error: "",
    ...over,
  };
}

function cells(row: HTMLElement) {
  return within(row).getAllByRole("cell").map((c) => c.textContent);
}

describe("CallTable", () => {
  it("shows the columns in order", () => {
    render(<CallTable calls={[call({})]} />);
    const heads = screen.getAllByRole("columnheader").map((h) => h.textContent);
    expect(heads).toEqual(["Time", "Server", "Tool", "Tier", "Decision", "Outcome", "Duration", "Arguments"]);
    const [row] = screen.getAllByRole("row").slice(1);
    const got = cells(row);
    expect(got.slice(1)).toEqual(["fs", "read_file", "read", "allow", "ok", "12 ms", '{"path":"/tmp/a.txt"}']);
    expect(got[0]).toMatch(/^2026-03-0[12] \d\d:\d\d:45$/);
  });

  it("keeps the given order (newest first)", () => {
    render(<CallTable calls={[call({ id: 3, tool: "c" }), call({ id: 2, tool: "b" }), call({ id: 1, tool: "a" })]} />);
    const tools = screen.getAllByRole("row").slice(1).map((r) => cells(r)[2]);
    expect(tools).toEqual(["c", "b", "a"]);
  });

  const hostile: Array<[string, Partial<Call>]> = [
    ["script tag in arguments", { arguments: '{"q":"<script>window.pwned=1</script>"}' }],
    ["img onerror in server", { server: '<img src=x onerror="window.pwned=1">' }],
    ["markup in tool", { tool: "<b>bold</b><iframe src=javascript:alert(1)>" }],
    ["markup in error", { outcome: "tool_error", error: "<svg onload=alert(1)>" }],
    ["markup in tier, decision and outcome", { tier: "<i>x</i>", decision: "<u>y</u>", outcome: "<a href=javascript:1>z</a>" }],
  ];
  it.each(hostile)("renders %s as text", (_name, over) => {
    const c = call(over);
    const { container } = render(<CallTable calls={[c]} />);
    for (const tag of ["script", "img", "iframe", "svg", "b", "i", "u", "a"]) {
      expect(container.querySelector(`tbody ${tag}`)).toBeNull();
    }
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
    const text = container.querySelector("tbody")?.textContent ?? "";
    for (const v of [c.server, c.tool, c.arguments, c.error, c.tier, c.decision, c.outcome]) {
      expect(text).toContain(v);
    }
  });

  it("makes bidi and zero-width characters visible", () => {
    const { container } = render(
      <CallTable calls={[call({ tool: "delete\u202Eelif_daer", arguments: '{"path":"a\u200Bb\u2066c\u2069"}' })]} />,
    );
    const text = container.querySelector("tbody")?.textContent ?? "";
    expect(text).toContain("delete⟨U+202E⟩elif_daer");
    expect(text).toContain("a⟨U+200B⟩b⟨U+2066⟩c⟨U+2069⟩");
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200F]/);
    expect(container.querySelectorAll(".marker")).toHaveLength(4);
  });

  it("does not let a value pose as a marker", () => {
    const { container } = render(<CallTable calls={[call({ tool: "⟨U+202E⟩" })]} />);
    expect(container.querySelectorAll(".marker")).toHaveLength(0);
  });

  it("shows a 100 KB argument in part, says how much is left, and shows it all on request", () => {
    const big = '{"data":"' + "A".repeat(100 * 1024) + '"}';
    const { container } = render(<CallTable calls={[call({ arguments: big })]} />);
    const args = container.querySelector("td.args") as HTMLElement;
    const omitted = big.length - argumentsPreview;
    const more = within(args).getByRole("button");
    expect(more.textContent).toBe(`… +${omitted.toLocaleString("en-US")} characters`);
    expect(args.textContent?.startsWith(big.slice(0, argumentsPreview))).toBe(true);

    fireEvent.click(more);
    expect(args.textContent).toBe(big + "show less");
  });

  it("handles many huge hostile rows", () => {
    const evil = "\u202E<script>x</script>\u200B".repeat(4000); // ~100 KB
    const calls = Array.from({ length: 50 }, (_, i) => call({ id: i + 1, arguments: evil, error: evil, outcome: "tool_error" }));
    const { container } = render(<CallTable calls={calls} />);
    expect(container.querySelectorAll("tbody tr")).toHaveLength(50);
    expect(container.querySelector("tbody script")).toBeNull();
  });

  it("shows a running call without a duration", () => {
    render(<CallTable calls={[call({ outcome: "", durationMs: 0 })]} />);
    const [row] = screen.getAllByRole("row").slice(1);
    expect(cells(row)[5]).toBe("running");
    expect(cells(row)[6]).toBe("…");
  });
});

describe("formatDuration", () => {
  it.each([
    [0.25, "0.25 ms"],
    [12.4, "12 ms"],
    [1500, "1.5 s"],
    [125_000, "2 min 5 s"],
    [-1, "—"],
    [Number.NaN, "—"],
  ])("%s ms is %s", (ms, want) => {
    expect(formatDuration(ms)).toBe(want);
  });
});
