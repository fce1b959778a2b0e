import { type FormEvent, useState } from "react";
import { ACTIONS, type RuleDraft, UP_TO, validate } from "./ruleForm";

/**
 * Adds or edits a window rule. Problems show beside their fields; the
 * submit reports what Go said when it refuses (nothing is saved then).
 */
export function RuleForm({
  initial,
  onSubmit,
  onCancel,
}: {
  initial: RuleDraft;
  onSubmit: (d: RuleDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const [d, setD] = useState<RuleDraft>(initial);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const errs = validate(d);
  const shown = tried ? errs : {};
  const set = (patch: Partial<RuleDraft>) => setD({ ...d, ...patch });
  const setArg = (i: number, patch: Partial<{ key: string; pattern: string }>) =>
    set({ args: d.args.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const editing = d.id !== 0;
  const prefix = editing ? `rule-${d.id}` : "new-rule";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      await onSubmit(d);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="rule-form" aria-label={editing ? `Edit rule ${d.id}` : "New rule"} onSubmit={(e) => void submit(e)}>
      <div className="rule-fields">
        <label>
          Server{" "}
          <input
            value={d.server}
            onChange={(e) => set({ server: e.target.value })}
            placeholder="filesystem, or *"
            spellCheck={false}
            aria-invalid={!!shown.server}
            aria-describedby={shown.server ? `${prefix}-server-err` : undefined}
          />
        </label>
        <label>
          Tool{" "}
          <input
            value={d.tool}
            onChange={(e) => set({ tool: e.target.value })}
            placeholder="write_file, delete_*"
            spellCheck={false}
            aria-invalid={!!shown.tool}
            aria-describedby={shown.tool ? `${prefix}-tool-err` : undefined}
          />
        </label>
        <label>
          Action{" "}
          <select value={d.action} onChange={(e) => set({ action: e.target.value })} aria-invalid={!!shown.action}>
            {ACTIONS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        {d.action === "allow" && (
          <label>
            Allows{" "}
            <select value={d.upTo} onChange={(e) => set({ upTo: e.target.value })}>
              {UP_TO.map((u) => (
                <option key={u.value} value={u.value}>
                  {u.label}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {shown.server && (
        <p className="failure" id={`${prefix}-server-err`}>
          {shown.server}
        </p>
      )}
      {shown.tool && (
        <p className="failure" id={`${prefix}-tool-err`}>
          {shown.tool}
        </p>
      )}
      {shown.action && <p className="failure">{shown.action}</p>}
      {d.action === "allow" && d.upTo === "" && (
        <p className="failure">This rule lets destructive calls run without asking anyone.</p>
      )}
      {/* A tier rule replaces Airlock's own tier, so it can lower it. */}
      {d.action === "read" && (
        <p className="failure">
          The calls it matches count as reads: they, even destructive ones, run without asking once the tool has a read
          consent.
        </p>
      )}
      {d.action === "write" && (
        <p className="failure">
          The calls it matches count as writes: they, even destructive ones, can then be allowed for a session or always.
        </p>
      )}
      <fieldset className="rule-args">
        <legend>Only when arguments match (globs: * any run, ? one character)</legend>
        {d.args.map((a, i) => (
          <div key={i} className="rule-arg">
            <input
              aria-label={`Argument ${i + 1} name`}
              value={a.key}
              onChange={(e) => setArg(i, { key: e.target.value })}
              placeholder="path"
              spellCheck={false}
              aria-invalid={!!shown[`arg${i}`]}
            />{" "}
            <input
              aria-label={`Argument ${i + 1} pattern`}
              value={a.pattern}
              onChange={(e) => setArg(i, { pattern: e.target.value })}
              placeholder="/home/me/scratch/*"
              spellCheck={false}
            />{" "}
            <button type="button" onClick={() => set({ args: d.args.filter((_, j) => j !== i) })}>
              Remove argument
            </button>
            {shown[`arg${i}`] && <p className="failure">{shown[`arg${i}`]}</p>}
          </div>
        ))}
        <button type="button" onClick={() => set({ args: [...d.args, { key: "", pattern: "" }] })}>
          Add argument
        </button>
      </fieldset>
      <label className="rule-note">
        Note{" "}
        <input value={d.note} onChange={(e) => set({ note: e.target.value })} placeholder="why this rule exists" />
      </label>
      <div className="rule-buttons">
        <button type="submit" disabled={busy}>
          {busy ? "Saving…" : editing ? "Save rule" : "Add rule"}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
