import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { DetailPanel } from "./DetailPanel";
import { historyCall } from "./fakeHistory";

afterEach(cleanup);

describe("DetailPanel", () => {
  it("shows reasons, who decided, outcome, error, duration and the argument tree", () => {
    const call = historyCall({
      decidedBy: "user",
      reasons: ["writes a file", "outside the project"],
      outcome: "tool_error",
      error: "disk full",
      durationMs: 1500,
      arguments: '{"path":"/tmp/a.txt","mode":420}',
    });
    const { container } = render(<DetailPanel call={call} onClose={() => {}} />);
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Write file /tmp/a.txt");
    expect([...container.querySelectorAll(".reasons li")].map((l) => l.textContent)).toEqual(["writes a file", "outside the project"]);
    expect(container.querySelector(".decided-by")?.textContent).toBe(" by user");
    expect(screen.getByText("tool_error")).toBeTruthy();
    expect(screen.getByText("disk full")).toBeTruthy();
    expect(screen.getByText("1.5 s")).toBeTruthy();
    expect([...container.querySelectorAll(".argtree .key")].map((k) => k.textContent)).toEqual(["path", "mode"]);
  });

  it("closes on Escape, since in a narrow window it lies over the list", () => {
    let closed = 0;
    render(<DetailPanel call={historyCall({})} onClose={() => closed++} />);
    fireEvent.keyDown(window, { key: "Enter" });
    expect(closed).toBe(0);
    fireEvent.keyDown(window, { key: "Escape" });
    expect(closed).toBe(1);
  });

  it("renders hostile text as text: markup, script, bidi overrides, zero-width, 100 KB", () => {
    const script = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const big = "A".repeat(100_000);
    const call = historyCall({
      summary: script,
      server: "evil\u202Egnp.exe",
      tool: "zero\u200Bwidth",
      decidedBy: "<b>root</b>",
      reasons: ["<iframe src=javascript:alert(3)>"],
      error: big,
      outcome: "tool_error",
      arguments: JSON.stringify({ html: script, big }),
      client: "\u2066isolate\u2069",
    });
    const { container } = render(<DetailPanel call={call} onClose={() => {}} />);
    expect(container.querySelector("img, script, iframe, b")).toBeNull();
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe(script);
    expect(container.textContent).toContain("<iframe src=javascript:alert(3)>");
    // Hidden characters become visible markers.
    const markers = container.querySelectorAll(".marker");
    expect(markers.length).toBeGreaterThanOrEqual(4);
    expect(container.textContent).not.toContain("\u202E");
    expect(container.textContent).not.toContain("\u200B");
    // 100 KB values are folded, with a way to open them.
    expect(container.textContent!.length).toBeLessThan(5_000);
    expect(screen.getAllByRole("button", { name: /show all \(100,000 chars\)/ }).length).toBe(2);
  });

  it("names the rule that decided the call, as text", () => {
    const { container, rerender } = render(<DetailPanel call={historyCall()} onClose={() => {}} />);
    expect(container.querySelector("dd.rule")).toBeNull();
    const rule = 'allow fs/<b>x</b>\u202e {"path":"/tmp/*"}';
    rerender(<DetailPanel call={historyCall({ decidedBy: "rule", rule })} onClose={() => {}} />);
    const dd = container.querySelector("dd.rule");
    expect(dd?.textContent).toBe('allow fs/<b>x</b>⟨U+202E⟩ {"path":"/tmp/*"}');
    expect(dd?.querySelector("b")).toBeNull();
  });

  it("says a call waiting for a person is waiting, not running, and that a denied call never ran", () => {
    const { container, rerender } = render(
      <DetailPanel call={historyCall({ decision: "pending", outcome: "", decidedBy: "", durationMs: 0 })} onClose={() => {}} />,
    );
    const field = (name: string) => [...container.querySelectorAll("dt")].find((d) => d.textContent === name)?.nextElementSibling?.textContent;
    expect(field("Outcome")).toBe("waiting");
    expect(field("Duration")).toBe("waiting for approval");
    rerender(<DetailPanel call={historyCall({ decision: "deny", outcome: "denied", durationMs: 0.004 })} onClose={() => {}} />);
    expect(field("Duration")).toBe("never run: denied before it reached the server");
    rerender(<DetailPanel call={historyCall({ decision: "allow", outcome: "", durationMs: 0 })} onClose={() => {}} />);
    expect(field("Outcome")).toBe("running");
    expect(field("Duration")).toBe("still running");
  });

  it("closes", () => {
    const onClose = vi.fn();
    render(<DetailPanel call={historyCall()} onClose={onClose} />);
    fireEvent.click(screen.getByRole("button", { name: "Close details" }));
    expect(onClose).toHaveBeenCalled();
  });
});
