import { emptyForm, localToRfc3339, pageSize, toApiFilter, type FilterForm } from "./filter";

const now = new Date("2026-03-10T12:00:00.000Z");

describe("toApiFilter", () => {
  const cases: Array<[string, Partial<FilterForm>, Record<string, unknown>]> = [
    ["empty form filters nothing", {}, { server: "", tool: "", tier: "", decision: "", outcome: "", since: "", until: "", search: "" }],
    ["fields pass through, trimmed", { server: " fs ", tool: "write_file", tier: "write", decision: "deny", outcome: "denied" }, { server: "fs", tool: "write_file", tier: "write", decision: "deny", outcome: "denied" }],
    ["search keeps inner spaces", { search: "  rm -rf  build " }, { search: "rm -rf  build" }],
    ["search keeps query syntax as text", { search: '"a" OR b*' }, { search: '"a" OR b*' }],
    ["last 24 hours", { range: "24h" }, { since: "2026-03-09T12:00:00.000Z", until: "" }],
    ["last 7 days", { range: "7d" }, { since: "2026-03-03T12:00:00.000Z", until: "" }],
    ["last 30 days", { range: "30d" }, { since: "2026-02-08T12:00:00.000Z", until: "" }],
    ["custom range", { range: "custom", from: "2026-03-01T08:00", to: "2026-03-02T09:30" }, { since: localToRfc3339("2026-03-01T08:00"), until: localToRfc3339("2026-03-02T09:30") }],
    ["custom range, open end", { range: "custom", from: "2026-03-01T08:00", to: "" }, { since: localToRfc3339("2026-03-01T08:00"), until: "" }],
    ["custom bounds ignored for a preset range", { range: "all", from: "2026-03-01T08:00" }, { since: "", until: "" }],
  ];
  it.each(cases)("%s", (_, form, want) => {
    const got = toApiFilter({ ...emptyForm, ...form }, now);
    expect(got).toMatchObject(want);
    expect(got.beforeId).toBe(0);
    expect(got.limit).toBe(pageSize);
  });

  it("carries the page cursor and size", () => {
    expect(toApiFilter(emptyForm, now, 1234, 10)).toMatchObject({ beforeId: 1234, limit: 10 });
  });

  it("turns local times into UTC and drops invalid ones", () => {
    expect(localToRfc3339("")).toBe("");
    expect(localToRfc3339("not a date")).toBe("");
    expect(localToRfc3339("2026-03-01T08:00")).toBe(new Date(2026, 2, 1, 8, 0).toISOString());
  });
});
