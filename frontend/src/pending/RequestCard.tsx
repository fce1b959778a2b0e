import { useEffect, useState } from "react";
import type { PendingRequest, PendingSource } from "../api";
import { formatTime } from "../calls/CallTable";
import { Untrusted } from "../text/Untrusted";
import { ArgumentTree, Folded } from "./ArgumentTree";
import { allowKey, armDelayMs, choicesFor, denyKey, needsArming, type Choice } from "./choices";

const tierClasses: Record<string, string> = { read: "read", write: "write", destructive: "destructive" };

// A plain call needs no label; the other kinds ask something else.
const kindLabels: Record<string, string> = {
  consent: "first read: consent",
  changed: "tool definition CHANGED",
};

/**
 * The time left before a risky request's allow button arms (a destructive
 * call, or a changed definition with warnings: see needsArming). It counts
 * from when the card is selected, so moving onto a card and pressing A at
 * once never confirms harm, and restarts whenever the card is selected again.
 */
function useArming(risky: boolean, selected: boolean, id: number): number {
  const [left, setLeft] = useState(armDelayMs);
  useEffect(() => {
    setLeft(armDelayMs);
    if (!risky || !selected) return;
    const start = Date.now();
    const t = setInterval(() => {
      const rest = Math.max(0, armDelayMs - (Date.now() - start));
      setLeft(rest);
      if (rest === 0) clearInterval(t);
    }, 100);
    return () => clearInterval(t);
  }, [risky, selected, id]);
  return risky ? left : 0;
}

/** Keys typed into a control are not answers. */
export function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** One waiting request: the summary first, then what a person needs to judge it, then the answers. */
export function RequestCard({
  request: r,
  selected,
  onSelect,
  answer,
}: {
  request: PendingRequest;
  selected: boolean;
  onSelect: () => void;
  answer: PendingSource["answer"];
}) {
  const risky = needsArming(r);
  const left = useArming(risky, selected, r.id);
  const armed = !risky || (selected && left === 0);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState("");

  const choose = async (c: Choice) => {
    if (busy || (c.confirm && !armed)) return;
    setBusy(true);
    setFailure("");
    try {
      await answer(r.id, c.allow, c.scope);
      // Stay busy: the card leaves when the queue reloads.
    } catch (e) {
      setFailure(String(e instanceof Error ? e.message : e));
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!selected) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === "a") {
        e.preventDefault();
        void choose(allowKey(r));
      } else if (key === "d") {
        e.preventDefault();
        void choose(denyKey);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const tier = tierClasses[r.tier] ?? "other";
  return (
    <article
      className={`request tier-${tier}${selected ? " selected" : ""}`}
      aria-current={selected ? "true" : undefined}
      aria-label={`request ${r.id}`}
      data-request-id={r.id}
      // Focusable, and selected when the focus moves into it: A and D
      // answer the card the keyboard is on, never another one.
      tabIndex={-1}
      onFocus={() => {
        if (!selected) onSelect();
      }}
      onClick={onSelect}
    >
      <h2 className="summary">
        <Folded text={r.summary || `${r.server} / ${r.tool}`} chars={300} lines={4} />
      </h2>
      <div className="request-head">
        <span className={`tag tier ${tier}`}>
          <Untrusted text={r.tier.toUpperCase()} />
        </span>
        {r.kind !== "call" && (
          <span className={`kind kind-${r.kind === "changed" ? "changed" : "plain"}`}>
            <Untrusted text={kindLabels[r.kind] ?? r.kind} />
          </span>
        )}
        <span className="where">
          <Untrusted text={r.server} />
          <span className="sep"> / </span>
          <Untrusted text={r.tool} />
        </span>
        <span className="when" title={`asked ${r.created}, expires ${r.expires}`}>
          #{r.id} · asked {formatTime(r.created).slice(11)} · denied at {formatTime(r.expires).slice(11)} if unanswered
          {r.client && (
            <>
              {" · from "}
              <Untrusted text={r.client} />
            </>
          )}
        </span>
      </div>

      {r.findings.length > 0 && (
        <div className="warnings" role="alert">
          <strong>WARNING: the tool's definition contains</strong>
          <ul>
            {r.findings.map((f, i) => (
              <li key={i}>
                <Folded text={f} />
              </li>
            ))}
          </ul>
        </div>
      )}

      {r.reasons.length > 0 && (
        <ul className="reasons" aria-label="why this tier">
          {r.reasons.map((reason, i) => (
            <li key={i}>
              <Folded text={reason} />
            </li>
          ))}
        </ul>
      )}

      {r.kind === "changed" && (
        <section className="diff-box">
          <h3>Definition: what you approved (−) and what the server says now (+)</h3>
          <Diff text={r.diff} />
        </section>
      )}

      <section className="args-box">
        <h3>Arguments</h3>
        <ArgumentTree json={r.arguments} />
      </section>

      <div className="answers" role="group" aria-label="answers">
        {choicesFor(r).map((c) => {
          const waiting = c.confirm && !armed;
          return (
            <button
              key={`${c.allow}-${c.scope}`}
              type="button"
              className={`answer ${c.allow ? "allow" : "deny"}${c.confirm ? " confirm" : ""}`}
              title={c.hint}
              disabled={busy || waiting}
              onClick={(e) => {
                e.stopPropagation();
                onSelect();
                void choose(c);
              }}
            >
              {c.label}
              {c.object !== undefined && <Untrusted text={c.object} />}
              {waiting && (
                <span className="countdown">{selected ? ` (arms in ${(left / 1000).toFixed(1)} s)` : " (select to arm)"}</span>
              )}
            </button>
          );
        })}
        {selected && (
          <span className="keys hint">
            A {allowKey(r).label.toLowerCase()}
            {risky ? " (once armed)" : ""} · D deny · ↑/↓ move
          </span>
        )}
      </div>
      {failure && (
        <p className="failure" role="alert">
          Could not answer: <Untrusted text={failure} />
        </p>
      )}
    </article>
  );
}

/** A line diff; each line keeps its "- ", "+ " or "  " mark. */
export function Diff({ text }: { text: string }) {
  const lines = text.replace(/\n$/, "").split("\n");
  return (
    <div className="diff">
      {lines.map((line, i) => (
        <div key={i} className={line.startsWith("+ ") ? "line add" : line.startsWith("- ") ? "line del" : "line same"}>
          <Folded text={line} chars={400} lines={Number.MAX_SAFE_INTEGER} />
        </div>
      ))}
    </div>
  );
}
