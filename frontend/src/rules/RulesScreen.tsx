import { useCallback, useEffect, useState } from "react";
import type { HistoryCall, RuleInfo, RulesList, RulesSource } from "../api";
import { formatTime } from "../calls/CallTable";
import { useReload } from "../reload";
import { LongText, Untrusted } from "../text/Untrusted";
import { RuleForm } from "./RuleForm";
import { type RuleDraft, draftOf, emptyDraft, toInput } from "./ruleForm";
import "./rules.css";

type Note = { ok: boolean; text: string } | null;

const message = (e: unknown) => String(e instanceof Error ? e.message : e);

/** How many recent calls a rule's list shows. */
export const RECENT = 10;

/** Key of a rule in this screen: window rules by id, config rules by text and place. */
const keyOf = (r: RuleInfo, i: number) => (r.source === "user" ? `user-${r.id}` : `config-${i}`);

// Times read as everywhere else in the window (History, Pending).
const when = (iso: string) => (iso ? formatTime(iso) : "never");

/** What a rule does, in words: a tier rule reclassifies, it allows nothing. */
function actionLabel(r: RuleInfo): string {
  // Without a ceiling an allow rule runs destructive calls unasked: say so.
  if (r.action === "allow") return r.upTo ? `allow up to ${r.upTo}` : "allow, destructive calls too";
  if (r.action === "deny") return "deny";
  return `treat as ${r.action}`;
}

/**
 * The rules that allow, deny or set the tier of calls before anyone is
 * asked, and what each matched. Rules made here (or by an "always" answer)
 * can be edited and removed; rules from airlock.json are shown read-only,
 * since the file is the person's own (edit it; running proxies follow it).
 */
export function RulesScreen({ source }: { source: RulesSource }) {
  // null until the first read answers. A failed read keeps the list (and
  // a rule being edited in it) and says so above it.
  const [list, setList] = useState<RulesList | null>(null);
  const [failure, setFailure] = useState("");
  const [note, setNote] = useState<Note>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  // Every commit (each proxy's heartbeat too) reloads; a reload that
  // changed nothing re-renders nothing, and forms keep their own drafts.
  const read = useCallback(() => source.rules(), [source]);
  const reload = useReload(
    read,
    (l) => {
      setList(l);
      setFailure("");
    },
    setFailure,
  );

  useEffect(() => {
    void reload();
    return source.onCallsChanged(() => void reload());
  }, [reload, source]);

  // A refused rule leaves the form open with Go's reason; nothing was saved.
  const save = async (d: RuleDraft) => {
    setNote(null);
    try {
      if (d.id === 0) {
        const r = await source.add(toInput(d));
        setAdding(false);
        setNote({ ok: true, text: `Added ${r.text}.` });
      } else {
        await source.update(toInput(d));
        setEditing(null);
        setNote({ ok: true, text: `Saved rule #${d.id}.` });
      }
      await reload();
    } catch (e) {
      setNote({ ok: false, text: `Not saved: ${message(e)}` });
    }
  };

  const remove = async (id: number) => {
    setConfirming(null);
    setNote(null);
    try {
      await source.remove(id);
      setNote({ ok: true, text: `Removed rule #${id}.` });
      await reload();
    } catch (e) {
      setNote({ ok: false, text: `Not removed: ${message(e)}` });
    }
  };

  return (
    <section className="screen rules">
      <div className="screen-head">
        <h1>Rules</h1>
        {!adding && (
          <button type="button" onClick={() => setAdding(true)}>
            New rule…
          </button>
        )}
      </div>
      <p className="hint">
        A deny rule wins over everything. An allow rule runs matching calls without asking, up to its tier. A tier rule
        changes how calls are classified. Server and tool are globs: <code>*</code> any run, <code>?</code> one
        character.
      </p>
      {adding && <RuleForm initial={emptyDraft()} onSubmit={save} onCancel={() => setAdding(false)} />}
      {note && (
        <p className={note.ok ? "hint" : "failure"} role={note.ok ? "status" : "alert"}>
          <Untrusted text={note.text} />
        </p>
      )}
      {list === null && !failure && <p className="hint">Loading…</p>}
      {failure && (
        <p className="failure" role="alert">
          Could not read the rules: <Untrusted text={failure} />
        </p>
      )}
      {list?.configError && (
        <p className="failure" role="alert">
          The rules in airlock.json could not be read, and running proxies keep the last ones they could:{" "}
          <Untrusted text={list.configError} />
        </p>
      )}
      {list?.rules.length === 0 && (
        <p className="hint">No rules yet. Answering “always allow” or “always deny” to a call also makes one.</p>
      )}
      {list && list.rules.length > 0 && (
        <ul className="rule-list">
          {list.rules.map((r, i) => {
            const key = keyOf(r, i);
            return (
              <li key={key} className={`rule rule-${r.action}`} aria-label={r.source === "user" ? `Rule ${r.id}` : `Config rule ${i + 1}`}>
                {editing === r.id && r.source === "user" ? (
                  <RuleForm initial={draftOf(r)} onSubmit={save} onCancel={() => setEditing(null)} />
                ) : (
                  <RuleRow
                    rule={r}
                    configPath={list.configPath}
                    onEdit={() => setEditing(r.id)}
                    confirming={confirming === r.id}
                    onRemove={() => setConfirming(r.id)}
                    onConfirm={() => void remove(r.id)}
                    onCancel={() => setConfirming(null)}
                  />
                )}
                <button type="button" className="link" aria-expanded={open === key} onClick={() => setOpen(open === key ? null : key)}>
                  {open === key ? "Hide recent calls" : "Recent calls"}
                </button>
                {open === key && <RecentCalls source={source} rule={r} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function RuleRow(props: {
  rule: RuleInfo;
  configPath: string;
  onEdit: () => void;
  confirming: boolean;
  onRemove: () => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const r = props.rule;
  return (
    <div className="rule-row">
      <span className={`rule-action action-${r.action}${r.action === "allow" && !r.upTo ? " uncapped" : ""}`}>{actionLabel(r)}</span>{" "}
      <code className="rule-target">
        <Untrusted text={r.server} />/<Untrusted text={r.tool} />
      </code>
      {r.args.length > 0 && (
        <span className="rule-args-view">
          {" when "}
          {r.args.map((a, i) => (
            <span key={i}>
              {i > 0 && ", "}
              <code>
                <Untrusted text={a.key} />
              </code>{" "}
              matches{" "}
              <code>
                <LongText text={a.pattern} max={200} />
              </code>
            </span>
          ))}
        </span>
      )}
      {r.note && (
        <div className="hint">
          <LongText text={r.note} max={300} />
        </div>
      )}
      <div className="rule-meta hint">
        {r.source === "config" ? (
          <>
            From <Untrusted text={props.configPath} /> (read-only here: edit the file)
          </>
        ) : (
          <>Rule #{r.id}, made in Airlock</>
        )}
        {" · "}
        <span className="rule-matches">
          {r.matches === 1 ? "1 match" : `${r.matches.toLocaleString("en-US")} matches`}, last {when(r.matchedAt)}
        </span>
      </div>
      {r.source === "user" && (
        <div className="rule-buttons">
          <button type="button" onClick={props.onEdit}>
            Edit
          </button>{" "}
          {props.confirming ? (
            <span>
              Remove this rule? Matching calls will be asked about again.{" "}
              <button type="button" onClick={props.onConfirm}>
                Remove
              </button>{" "}
              <button type="button" onClick={props.onCancel}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" onClick={props.onRemove}>
              Remove…
            </button>
          )}
        </div>
      )}
    </div>
  );
}

type Calls = { kind: "loading" } | { kind: "ready"; calls: HistoryCall[] } | { kind: "failed"; message: string };

/** The latest calls a rule decided (or set the tier of). */
function RecentCalls({ source, rule }: { source: RulesSource; rule: RuleInfo }) {
  const [calls, setCalls] = useState<Calls>({ kind: "loading" });
  useEffect(() => {
    let live = true;
    source.calls(rule.source === "user" ? rule.id : 0, rule.text, RECENT).then(
      (c) => live && setCalls({ kind: "ready", calls: c }),
      (e: unknown) => live && setCalls({ kind: "failed", message: message(e) }),
    );
    return () => {
      live = false;
    };
  }, [source, rule.id, rule.text, rule.source, rule.matches]);
  if (calls.kind === "loading") return <p className="hint">Loading…</p>;
  if (calls.kind === "failed")
    return (
      <p className="failure" role="alert">
        <Untrusted text={calls.message} />
      </p>
    );
  if (calls.calls.length === 0) return <p className="hint">No kept call was decided by this rule.</p>;
  return (
    <table className="rule-calls">
      <thead>
        <tr>
          <th>Time</th>
          <th>Call</th>
          <th>Decision</th>
          <th>By</th>
        </tr>
      </thead>
      <tbody>
        {calls.calls.map((c) => (
          <tr key={c.id}>
            <td className="time">{formatTime(c.time)}</td>
            <td>
              <LongText text={c.summary || `${c.server}/${c.tool}`} max={160} />
            </td>
            <td>
              <Untrusted text={c.decision} />
            </td>
            <td>
              <Untrusted text={c.decidedBy} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
