// Text from MCP servers, models and tool arguments is untrusted. It is always
// rendered as text (never as HTML), and characters that are invisible or that
// reorder what the reader sees are replaced by a visible marker such as
// ⟨U+202E⟩, so a human approves what is really there.

// Kept as they are: tab and newline are common in arguments and harmless.
// Variation selectors U+FE00-FE0F are left alone because emoji need them.
const hidden = new RegExp(
  [
    "[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F]", // C0 (but tab, LF), DEL, C1
    "[\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180E]", // soft hyphen, joiners, fillers
    "[\\u200B-\\u200F]", // zero-width space/joiners, LRM, RLM
    "[\\u2028-\\u202E]", // line/paragraph separators, bidi embeddings and overrides
    "[\\u2060-\\u206F]", // word joiner, invisible operators, bidi isolates, deprecated formats
    "[\\u3164\\uFEFF\\uFFA0\\uFFF9-\\uFFFB]", // fillers, BOM, interlinear annotations
    "[\\u{E0000}-\\u{E007F}]", // tag characters (invisible ASCII)
    "[\\u{E0100}-\\u{E01EF}]", // variation selectors supplement (can smuggle bytes)
    "[\\uD800-\\uDFFF]", // lone surrogates (paired ones never match in u mode)
  ].join("|"),
  "gu",
);

/** A run of text; marker runs stand for one hidden code point. */
export interface Segment {
  text: string;
  marker: boolean;
}

/** The marker shown in place of a hidden code point. */
export function marker(codePoint: number): string {
  return `⟨U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}⟩`;
}

/** Splits s into plain runs and markers for hidden characters. */
export function reveal(s: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of s.matchAll(hidden)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: s.slice(last, at), marker: false });
    out.push({ text: marker(m[0].codePointAt(0) ?? 0), marker: true });
    last = at + m[0].length;
  }
  if (last < s.length) out.push({ text: s.slice(last), marker: false });
  return out;
}

/** s with every hidden character replaced by its marker. */
export function visible(s: string): string {
  return s.replace(hidden, (c) => marker(c.codePointAt(0) ?? 0));
}

/** Counts code points, so a cut never splits a surrogate pair. */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Splits s after max code points. The caller shows how much was left out:
 * nothing long is cut silently.
 */
export function clip(s: string, max: number): { head: string; omitted: number } {
  if (s.length <= max) return { head: s, omitted: 0 };
  let n = 0;
  let end = 0;
  for (const c of s) {
    if (n === max) break;
    n++;
    end += c.length;
  }
  return { head: s.slice(0, end), omitted: codePoints(s.slice(end)) };
}
