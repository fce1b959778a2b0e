import type { HistoryFilter } from "../api";

/** Time ranges the screen offers; "custom" uses the from/to fields. */
export type Range = "all" | "24h" | "7d" | "30d" | "custom";

/** What the filter controls hold. Empty strings do not filter. */
export interface FilterForm {
  server: string;
  tool: string;
  tier: string;
  decision: string;
  outcome: string;
  range: Range;
  /** Custom range bounds as an <input type="datetime-local"> gives them (local time). */
  from: string;
  to: string;
  search: string;
}

export const emptyForm: FilterForm = {
  server: "",
  tool: "",
  tier: "",
  decision: "",
  outcome: "",
  range: "all",
  from: "",
  to: "",
  search: "",
};

/** Rows per page asked of the Go side. */
export const pageSize = 100;

const rangeMs: Record<Exclude<Range, "all" | "custom">, number> = {
  "24h": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
  "30d": 30 * 24 * 3600_000,
};

/** The api filter for a form, a page cursor and the current time. */
export function toApiFilter(form: FilterForm, now: Date, beforeId = 0, limit = pageSize): HistoryFilter {
  let since = "";
  let until = "";
  if (form.range === "custom") {
    since = localToRfc3339(form.from);
    until = localToRfc3339(form.to);
  } else if (form.range !== "all") {
    since = new Date(now.getTime() - rangeMs[form.range]).toISOString();
  }
  return {
    server: form.server.trim(),
    tool: form.tool.trim(),
    tier: form.tier,
    decision: form.decision,
    outcome: form.outcome,
    since,
    until,
    // Spaces inside a search are part of it ("rm -rf"); only the ends go.
    search: form.search.trim(),
    beforeId,
    limit,
  };
}

/** "2026-03-01T12:30" in local time to RFC 3339 UTC; "" for empty or invalid. */
export function localToRfc3339(local: string): string {
  if (!local) return "";
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
}
