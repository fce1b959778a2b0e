import type { DayCount, HistoryCall, HistoryFilter, HistorySource } from "../api";

/** A history row with defaults; tests override what they look at. */
export function historyCall(over: Partial<HistoryCall> = {}): HistoryCall {
  return {
    id: 1,
    time: "2026-03-01T12:00:00.000Z",
    server: "fs",
    tool: "write_file",
    tier: "write",
    decision: "allow",
    outcome: "ok",
    durationMs: 12,
    arguments: '{"path":"/tmp/a.txt"}',
    error: "",
    client: "claude-ai",
    session: "s1",
    decidedBy: "user",
    reasons: ["writes a file"],
    summary: "Write file /tmp/a.txt",
    requestId: 0,
    rule: "",
    ...over,
  };
}

/**
 * A history source over an array, newest first, that records every filter
 * it is asked for. Filtering is by the exact fields only; tests of the Go
 * side cover the real query.
 */
export function fakeHistory(rows: HistoryCall[], days: DayCount[] = []) {
  const filters: HistoryFilter[] = [];
  const exports: Array<[HistoryFilter, string]> = [];
  const listeners = new Set<() => void>();
  const source: HistorySource = {
    async page(f) {
      filters.push(f);
      const match = rows.filter(
        (r) =>
          (!f.server || r.server === f.server) &&
          (!f.tool || r.tool === f.tool) &&
          (!f.tier || r.tier === f.tier) &&
          (!f.decision || r.decision === f.decision) &&
          (!f.outcome || r.outcome === f.outcome) &&
          (!f.beforeId || r.id < f.beforeId),
      );
      const limit = f.limit || 50;
      const calls = match.slice(0, limit);
      return { calls, nextBeforeId: match.length > limit ? calls[calls.length - 1].id : 0 };
    },
    async exportCalls(f, format) {
      exports.push([f, format]);
      return `/home/u/Downloads/airlock-history.${format}`;
    },
    async callsPerDay() {
      return days;
    },
    async names() {
      const pairs = new Map(rows.map((r) => [JSON.stringify([r.server, r.tool]), { server: r.server, tool: r.tool }]));
      return [...pairs.values()].sort((a, b) => (a.server + "\0" + a.tool < b.server + "\0" + b.tool ? -1 : 1));
    },
    onCallsChanged(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { source, filters, exports, listeners };
}
