import { useEffect } from "react";
import type { HistoryCall } from "../api";
import { durationText, formatTime, outcomeText, Tag } from "../calls/CallTable";
import { ArgumentTree, Folded } from "../pending/ArgumentTree";
import { Untrusted } from "../text/Untrusted";

/** Everything recorded about one call. All text is untrusted and shown as text. */
export function DetailPanel({ call, onClose }: { call: HistoryCall; onClose: () => void }) {
  // Escape closes it: in a narrow window the panel lies over the list.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <aside className="detail" aria-label="Call details">
      <header className="detail-head">
        <h2>
          <Untrusted text={call.summary || `${call.server} / ${call.tool}`} />
        </h2>
        <button type="button" className="close" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      <dl>
        <dt>Time</dt>
        <dd title={call.time}>{formatTime(call.time)}</dd>
        <dt>Server / tool</dt>
        <dd>
          <Untrusted text={call.server} /> / <Untrusted text={call.tool} />
        </dd>
        <dt>Tier</dt>
        <dd>
          <Tag kind="tier" value={call.tier} />
        </dd>
        <dt>Decision</dt>
        <dd>
          <Tag kind="decision" value={call.decision} />
          {call.decidedBy && (
            <span className="decided-by">
              {" by "}
              <Untrusted text={call.decidedBy} />
            </span>
          )}
        </dd>
        {call.rule && (
          <>
            <dt>Rule</dt>
            <dd className="rule">
              <Untrusted text={call.rule} />
            </dd>
          </>
        )}
        <dt>Reasons</dt>
        <dd>
          {call.reasons.length === 0 ? (
            <span className="hint">none recorded</span>
          ) : (
            <ul className="reasons">
              {call.reasons.map((r, i) => (
                <li key={i}>
                  <Untrusted text={r} />
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Outcome</dt>
        <dd>
          <Tag kind="outcome" value={outcomeText(call)} />
        </dd>
        {call.error && (
          <>
            <dt>Error</dt>
            <dd className="error">
              <Folded text={call.error} />
            </dd>
          </>
        )}
        <dt>Duration</dt>
        <dd>{durationText(call, true)}</dd>
        {(call.client || call.session) && (
          <>
            <dt>Client</dt>
            <dd>
              <Untrusted text={call.client} />
              {call.session && (
                <span className="hint">
                  {" session "}
                  <Untrusted text={call.session} />
                </span>
              )}
            </dd>
          </>
        )}
      </dl>
      <h3>Arguments</h3>
      <ArgumentTree json={call.arguments} />
    </aside>
  );
}
