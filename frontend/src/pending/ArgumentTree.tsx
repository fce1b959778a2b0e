import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { Untrusted } from "../text/Untrusted";
import { clip, codePoints } from "../text/visible";
import { parseJson, type JsonNode } from "./json";

/** Strings longer than this (in characters) are folded. */
export const foldChars = 200;
/** Strings with more lines than this are folded. */
export const foldLines = 6;
/** Objects and arrays with more entries than this show the first ones. */
export const foldEntries = 50;

/**
 * Long untrusted text: a head and a "show all (N chars)" toggle that says
 * how much is hidden. The whole text is only rendered when opened.
 */
export function Folded({ text, chars = foldChars, lines = foldLines }: { text: string; chars?: number; lines?: number }) {
  const [open, setOpen] = useState(false);
  const head = foldHead(text, chars, lines);
  if (head === null) return <Untrusted text={text} />;
  const total = codePoints(text);
  return (
    <>
      <Untrusted text={open ? text : head} />
      {!open && <span className="folded-mark">…</span>}
      <button type="button" className="more" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? "show less" : `show all (${total.toLocaleString("en-US")} chars)`}
      </button>
    </>
  );
}

/** The part of text shown folded, or null when it is short enough to show whole. */
export function foldHead(text: string, chars: number, lines: number): string | null {
  let { head } = clip(text, chars);
  let breaks = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] === "\n" && ++breaks === lines) {
      head = head.slice(0, i);
      break;
    }
  }
  return head.length === text.length ? null : head;
}

/**
 * Arguments as a readable tree. Text that is not JSON (or nests too deep
 * for a tree) is shown as folded text with the reason.
 */
export function ArgumentTree({ json }: { json: string }) {
  // Parsed once per text: the box below watches the tree it was given.
  const parsed = useMemo(() => parseJson(json), [json]);
  if (!parsed.ok) {
    return (
      <div className="argtree raw">
        <p className="hint">Not shown as a tree ({parsed.error}); the raw text:</p>
        <div className="string">
          <Folded text={json} />
        </div>
      </div>
    );
  }
  const root = parsed.node;
  if (root.type === "object" && root.entries.length === 0) return <p className="argtree hint">No arguments.</p>;
  return <TreeBox node={root} />;
}

/**
 * The tree in a box of bounded height. When the box hides part of the tree
 * below, a line under it says so: overlay scrollbars (GTK, macOS) show
 * only on hover, and a person must not approve without knowing there is
 * more.
 */
function TreeBox({ node }: { node: JsonNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [below, setBelow] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const check = () => setBelow(el.scrollHeight - el.scrollTop - el.clientHeight > 1);
    check();
    el.addEventListener("scroll", check);
    // The tree grows when a "show all" opens; the box shrinks with the window.
    const resized = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(check);
    resized?.observe(el);
    if (el.firstElementChild) resized?.observe(el.firstElementChild);
    return () => {
      el.removeEventListener("scroll", check);
      resized?.disconnect();
    };
  }, [node]);
  return (
    <>
      <div className="argtree" ref={box}>
        <Node node={node} />
      </div>
      {below && <p className="argtree-below">↓ More arguments below: scroll the box to see them all.</p>}
    </>
  );
}

function Node({ node }: { node: JsonNode }) {
  switch (node.type) {
    case "object":
      return node.entries.length === 0 ? (
        <span className="empty-value">{"{}"}</span>
      ) : (
        <Entries
          count={node.entries.length}
          render={(i) => {
            const [key, value] = node.entries[i];
            return (
              <>
                <span className="key">
                  <Untrusted text={key} />
                </span>
                <span className="colon">: </span>
                <Node node={value} />
              </>
            );
          }}
        />
      );
    case "array":
      return node.items.length === 0 ? (
        <span className="empty-value">[]</span>
      ) : (
        <Entries
          ordered
          count={node.items.length}
          render={(i) => (
            <>
              <span className="index">{i}</span>
              <span className="colon">: </span>
              <Node node={node.items[i]} />
            </>
          )}
        />
      );
    case "string":
      return (
        <span className="string" title={`string, ${codePoints(node.value).toLocaleString("en-US")} chars`}>
          <span className="quote">“</span>
          <Folded text={node.value} />
          <span className="quote">”</span>
        </span>
      );
    case "number":
      return <span className="number">{node.text}</span>;
    case "literal":
      return <span className="literal">{node.text}</span>;
  }
}

/** A list of entries; past foldEntries, the rest opens on request. */
function Entries({ count, render, ordered }: { count: number; render: (i: number) => ReactNode; ordered?: boolean }) {
  const [open, setOpen] = useState(false);
  const shown = open ? count : Math.min(count, foldEntries);
  const items = [];
  for (let i = 0; i < shown; i++) items.push(<li key={i}>{render(i)}</li>);
  return (
    <ul className={ordered ? "entries array" : "entries object"}>
      {items}
      {count > foldEntries && (
        <li>
          <button type="button" className="more" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? "show fewer" : `show all (${count.toLocaleString("en-US")} items)`}
          </button>
        </li>
      )}
    </ul>
  );
}
