import { cleanup, render } from "@testing-library/react";
import type { DayCount } from "../api";
import { DayChart, dayBars, lastDays } from "./DayChart";

afterEach(cleanup);

const fixture: DayCount[] = [
  { day: "2026-03-01", tier: "read", decision: "allow", count: 6 },
  { day: "2026-03-01", tier: "write", decision: "allow", count: 3 },
  { day: "2026-03-01", tier: "write", decision: "deny", count: 1 },
  { day: "2026-03-03", tier: "destructive", decision: "deny", count: 2 },
  { day: "2026-03-03", tier: "<script>", decision: "allow", count: 1 },
  { day: "2026-02-01", tier: "read", decision: "allow", count: 99 }, // outside the window
];
const days = ["2026-03-01", "2026-03-02", "2026-03-03"];

describe("DayChart", () => {
  it("sums each day by tier, counts denials, keeps empty days", () => {
    const bars = dayBars(fixture, days);
    expect(bars.map((b) => [b.day, b.total, b.denied])).toEqual([
      ["2026-03-01", 10, 1],
      ["2026-03-02", 0, 0],
      ["2026-03-03", 3, 2],
    ]);
    expect(bars[0].byTier).toEqual({ read: 6, write: 4, destructive: 0, other: 0 });
    expect(bars[2].byTier).toEqual({ read: 0, write: 0, destructive: 2, other: 1 });
  });

  it("draws stacked bars scaled to the busiest day, as SVG elements", () => {
    const { container } = render(<DayChart rows={fixture} days={days} />);
    const svg = container.querySelector("svg")!;
    expect(svg.getAttribute("aria-label")).toBe("Calls per day over 3 days: 13 in all");
    const groups = [...svg.querySelectorAll("g")];
    expect(groups.map((g) => g.getAttribute("data-day"))).toEqual(days);
    const heights = (g: Element) => Object.fromEntries([...g.querySelectorAll("rect")].map((r) => [r.getAttribute("class"), Number(r.getAttribute("height"))]));
    const first = heights(groups[0]);
    const last = heights(groups[2]);
    // Heights are proportional to counts.
    expect(first["bar read"] / first["bar write"]).toBeCloseTo(6 / 4);
    expect(last["bar destructive"] / first["bar read"]).toBeCloseTo(2 / 6);
    expect(first["bar denied"]).toBeDefined();
    expect(groups[1].querySelectorAll("rect").length).toBe(0);
    // An unknown tier is "other"; its name is never used as a class.
    expect(last["bar other"]).toBeGreaterThan(0);
    expect(svg.querySelector("script")).toBeNull();
    expect(groups[0].querySelector("title")!.textContent).toBe(
      "2026-03-01: 10 calls (6 read, 4 write, 0 destructive, 0 other); 1 denied",
    );
  });

  it("labels the scale and the first and last day as text beside the bars", () => {
    const { container } = render(<DayChart rows={fixture} days={days} />);
    expect(container.querySelector(".legend .scale")!.textContent).toBe("busiest day: 10 calls");
    expect([...container.querySelectorAll(".axis span")].map((s) => s.textContent)).toEqual(["2026-03-01", "2026-03-03"]);
    expect(container.querySelector("svg text")).toBeNull();
    const empty = render(<DayChart rows={[]} days={days} />);
    expect(empty.container.querySelector(".legend .scale")!.textContent).toBe("no calls in 3 days");
  });

  it("lists the last days, oldest first, across a month boundary", () => {
    expect(lastDays(new Date(2026, 2, 2, 10), 3)).toEqual(["2026-02-28", "2026-03-01", "2026-03-02"]);
  });
});
