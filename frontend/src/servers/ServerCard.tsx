import { useEffect, useState } from "react";
import type { ServerInfo, ServerInstance, ServersSource, ServerTool } from "../api";
import { formatTime, Tag } from "../calls/CallTable";
import { Diff } from "../pending/RequestCard";
import { LongText, Untrusted } from "../text/Untrusted";

/** Class names for the states this screen knows; anything else is shown plain. */
const stateClasses: Record<string, string> = {
  running: "running",
  starting: "starting",
  restarting: "restarting",
  failed: "failed",
  "not running": "stopped",
  stopped: "stopped",
};

/** Descriptions longer than this fold; one click shows the rest. */
const descriptionChars = 280;

const message = (e: unknown) => String(e instanceof Error ? e.message : e);

/** The state of a server or one proxy's copy of it, as a colored label. */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`state ${stateClasses[state] ?? "other"}`}>
      <Untrusted text={state} />
    </span>
  );
}

/** A button that runs an action, stays busy meanwhile and shows a failure. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState("");
  const run = async (act: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setFailure("");
    try {
      await act();
    } catch (e) {
      setFailure(message(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, run };
}

/** One upstream: its state, pause, consent and tools. */
export function ServerCard({ server: s, source }: { server: ServerInfo; source: ServersSource }) {
  const resume = useAction();
  const revoke = useAction();
  const failure = resume.failure || revoke.failure;
  return (
    <article className={`server state-${stateClasses[s.state] ?? "other"}`} aria-label={`Server ${s.name}`}>
      <header className="server-head">
        <h2 className="server-name">
          <Untrusted text={s.name} />
        </h2>
        <StateBadge state={s.state} />
        {s.since && (
          <span className="when" title={s.since}>
            since {formatTime(s.since)}
          </span>
        )}
        {!s.configured && <span className="note">not in airlock.json</span>}
        {s.command && (
          <code className="command" title="command">
            <Untrusted text={s.command} />
          </code>
        )}
      </header>

      {s.detail && (
        <p className="server-error">
          Last error: <Untrusted text={s.detail} />
        </p>
      )}
      {s.state === "not running" && s.configured && (
        <p className="hint">No running Airlock proxy runs this server: it starts when your AI host starts Airlock.</p>
      )}

      {s.paused && (
        <div className="paused" role="status">
          <span>
            <strong>Paused</strong>
            {s.pausedAt && <span title={s.pausedAt}> since {formatTime(s.pausedAt)}</span>}: <Untrusted text={s.pauseReason} />.
            Write and destructive calls are refused until you resume it.
          </span>
          <button type="button" disabled={resume.busy} onClick={() => void resume.run(() => source.resume(s.name))}>
            {resume.busy ? "Resuming…" : "Resume"}
          </button>
        </div>
      )}

      {s.serverConsent && (
        <p className="server-consent">
          Every read tool of this server is consented to
          {s.serverConsentBy && (
            <>
              {" by "}
              <Untrusted text={s.serverConsentBy} />
            </>
          )}
          {s.serverConsentAt && <span title={s.serverConsentAt}> on {formatTime(s.serverConsentAt)}</span>}.{" "}
          <button type="button" disabled={revoke.busy} onClick={() => void revoke.run(() => source.revokeConsent(s.name, "*"))}>
            Revoke
          </button>
        </p>
      )}

      {failure && (
        <p className="failure" role="alert">
          <Untrusted text={failure} />
        </p>
      )}

      {s.instances.length > 0 && <Instances instances={s.instances} />}

      {s.tools.length === 0 ? (
        <p className="hint">No tools seen yet: they are listed once a proxy has started this server.</p>
      ) : (
        <table className="tools">
          <thead>
            <tr>
              <th>Tool</th>
              <th>Tier and why</th>
              <th>Consent</th>
              <th>Definition</th>
            </tr>
          </thead>
          {s.tools.map((t) => (
            <ToolRows key={t.name} server={s.name} tool={t} source={source} />
          ))}
        </table>
      )}
    </article>
  );
}

/**
 * Every proxy's copy of the server; one line each. Opens by itself when the
 * live copies disagree, so a failing copy behind a running one (or the
 * other way round) is seen without a click; it never closes by itself, so
 * a reload (every heartbeat) does not shut what a person opened.
 */
function Instances({ instances }: { instances: ServerInstance[] }) {
  const disagree = new Set(instances.filter((i) => i.live).map((i) => i.state)).size > 1;
  const [open, setOpen] = useState(disagree);
  useEffect(() => {
    if (disagree) setOpen(true);
  }, [disagree]);
  return (
    <details className="instances" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{instances.length === 1 ? "1 proxy" : `${instances.length} proxies`}</summary>
      <ul>
        {instances.map((i, n) => (
          // Not keyed by seenAt: it moves with every heartbeat, and a new
          // key would rebuild the line (losing a text selection in it).
          <li key={`${i.proxyPid}-${n}`} className={i.live ? "" : "gone"}>
            proxy pid {i.proxyPid}: <StateBadge state={i.live ? i.state : "not running"} />
            {i.pid > 0 && ` server pid ${i.pid},`} {i.tools} tools
            {i.detail && (
              <>
                {" — "}
                <Untrusted text={i.detail} />
              </>
            )}
            {i.seenAt && (
              <span className="when" title={i.seenAt}>
                {" "}
                {i.live ? "seen" : "last seen"} {formatTime(i.seenAt)}
              </span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** One tool as a table body: its row, and under it a changed definition's diff. */
function ToolRows({ server, tool: t, source }: { server: string; tool: ServerTool; source: ServersSource }) {
  const revoke = useAction();
  return (
    <tbody className={`tool${t.changed ? " changed" : ""}${t.notOffered ? " not-offered" : ""}`}>
      <tr>
        <td className="tool-name">
          <code>
            <Untrusted text={t.name} />
          </code>
          {t.title && (
            <div className="tool-title">
              <Untrusted text={t.title} />
            </div>
          )}
          {t.description && (
            <div className="description">
              <LongText text={t.description} max={descriptionChars} />
            </div>
          )}
        </td>
        <td>
          <Tag kind="tier" value={t.tier} />
          <TextList className="reasons" items={t.reasons} />
          {t.findings.length > 0 && (
            <div className="warnings">
              Suspicious definition:
              <TextList items={t.findings} />
            </div>
          )}
          {t.rules.length > 0 && (
            <div className="rules">
              Rules:
              <TextList items={t.rules} />
            </div>
          )}
        </td>
        <td>
          <Consent tool={t} />
          {t.consent === "tool" && (
            <button type="button" disabled={revoke.busy} onClick={() => void revoke.run(() => source.revokeConsent(server, t.name))}>
              Revoke
            </button>
          )}
          {revoke.failure && (
            <p className="failure" role="alert">
              <Untrusted text={revoke.failure} />
            </p>
          )}
        </td>
        <td>
          {t.notOffered && (
            <>
              <span className="pin gone">no longer offered</span>
              <div className="when" title={t.notOfferedSince || undefined}>
                {t.notOfferedSince ? `not in the server's tool list since ${formatTime(t.notOfferedSince)}` : "not in the server's tool list"}
              </div>
            </>
          )}
          {t.changed ? (
            <>
              <span className="pin changed">changed</span>
              {t.changedAt && <div className="when" title={t.changedAt}>{formatTime(t.changedAt)}: waits for your approval</div>}
            </>
          ) : (
            <>
              <span className="pin pinned">pinned</span>
              {t.pinnedAt && <div className="when" title={t.pinnedAt}>{formatTime(t.pinnedAt)}</div>}
            </>
          )}
        </td>
      </tr>
      {t.changed && (
        <tr className="diff-row">
          <td colSpan={4}>
            <div className="hint">What changed since you approved it (- approved, + offered now):</div>
            <Diff text={t.diff} />
          </td>
        </tr>
      )}
    </tbody>
  );
}

/** A list of untrusted lines; nothing when empty. */
function TextList({ items, className }: { items: string[]; className?: string }) {
  if (items.length === 0) return null;
  return (
    <ul className={className}>
      {items.map((text, i) => (
        <li key={i}>
          <Untrusted text={text} />
        </li>
      ))}
    </ul>
  );
}

/** What a call of this tool needs from a person, given its consent. */
function Consent({ tool: t }: { tool: ServerTool }) {
  // A rule listed beside the tool may answer first (allow or deny): say so,
  // or "asks every call" reads wrong next to "allow ts/*".
  if (t.tier !== "read")
    return <span className="consent ask">{t.rules.length > 0 ? "asks every call no rule decides" : "asks every call"}</span>;
  const by = (
    <>
      {t.consentBy && (
        <>
          {" by "}
          <Untrusted text={t.consentBy} />
        </>
      )}
      {t.consentAt && <span title={t.consentAt}> on {formatTime(t.consentAt)}</span>}
    </>
  );
  return (
    <div className="consent">
      {t.consent === "tool" && <span className="consent yes">this tool{by}</span>}
      {t.consent === "server" && <span className="consent yes">whole server{by}</span>}
      {t.consent !== "tool" && t.consent !== "server" && <span className="consent no">none: the first read asks</span>}
      {t.staleConsent && t.consent !== "tool" && <div className="hint">an earlier consent covered an older definition</div>}
    </div>
  );
}
