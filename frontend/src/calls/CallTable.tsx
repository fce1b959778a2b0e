import type { Call } from "../api";
import { LongText, Untrusted } from "../text/Untrusted";

/** Arguments longer than this show a head and a "show all" control. */
export const argumentsPreview = 240;

/** The audit rows, newest first as given. */
export function CallTable({ calls }: { calls: Call[] }) {
  return (
    <table className="calls">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Server</th>
          <th scope="col">Tool</th>
          <th scope="col">Tier</th>
          <th scope="col">Decision</th>
          <th scope="col">Outcome</th>
          <th scope="col" className="num">
            Duration
          </th>
          <th scope="col">Arguments</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((c) => (
          <tr key={c.id} data-call-id={c.id}>
            <td className="time" title={c.time}>
              {formatTime(c.time)}
            </td>
            <td>
              <Untrusted text={c.server} />
            </td>
            <td>
              <Untrusted text={c.tool} />
            </td>
            <td>
              <Tag kind="tier" value={c.tier} />
            </td>
            <td>
              <Tag kind="decision" value={c.decision} />
            </td>
            <td>
              <Tag kind="outcome" value={c.outcome || "running"} />
              {c.error && (
                <div className="error">
                  <LongText text={c.error} max={argumentsPreview} />
                </div>
              )}
            </td>
            <td className="num">{c.outcome ? formatDuration(c.durationMs) : "…"}</td>
            <td className="args">
              <LongText text={c.arguments} max={argumentsPreview} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A short enum value; classes come from a fixed list, never from the value. */
export function Tag({ kind, value }: { kind: string; value: string }) {
  if (!value) return <span className="tag none">—</span>;
  const known = tagClasses[value] ?? "other";
  return (
    <span className={`tag ${kind} ${known}`}>
      <Untrusted text={value} />
    </span>
  );
}

const tagClasses: Record<string, string> = {
  read: "read",
  write: "write",
  destructive: "destructive",
  allow: "allow",
  deny: "deny",
  ask: "ask",
  pending: "ask",
  ok: "ok",
  tool_error: "error",
  protocol_error: "error",
  upstream_down: "error",
  cancelled: "other",
  denied: "deny",
  held: "ask",
  running: "running",
  waiting: "ask",
};

/** A call as the outcome and duration helpers read it. */
type Finished = { outcome: string; decision: string; durationMs: number };

/**
 * The outcome shown for a call: one without an outcome is running, unless
 * it still waits for a person, when nothing runs yet.
 */
export function outcomeText(c: Finished): string {
  return c.outcome || (c.decision === "pending" ? "waiting" : "running");
}

/**
 * The duration shown for a call, short for a table cell or long for the
 * detail panel. A denied call never reached its server: the time the
 * checkpoint took is not a duration a person cares about.
 */
export function durationText(c: Finished, long = false): string {
  if (c.outcome === "denied") return long ? "never run: denied before it reached the server" : "—";
  if (!c.outcome) return long ? (c.decision === "pending" ? "waiting for approval" : "still running") : "…";
  return formatDuration(c.durationMs);
}

/** Local date and time, to the second; the exact value is in the tooltip. */
export function formatTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
