// A JSON reader for showing arguments to a person. JSON.parse would round
// big numbers (12345678901234567890 becomes 12345678901234567000) and keep
// only the last of two equal keys, so a person could approve something other
// than what runs. This reader keeps numbers as written and every key in
// order, duplicates included.

export type JsonNode =
  | { type: "object"; entries: Array<[string, JsonNode]> }
  | { type: "array"; items: JsonNode[] }
  | { type: "string"; value: string }
  | { type: "number"; text: string }
  | { type: "literal"; text: "true" | "false" | "null" };

export type Parsed = { ok: true; node: JsonNode } | { ok: false; error: string };

/** Nesting deeper than this is shown as raw text instead of a tree. */
export const maxDepth = 200;

const escapes: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Reader {
  at = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at offset ${this.at}`);
  }

  space() {
    while (this.at < this.s.length) {
      const c = this.s[this.at];
      if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") break;
      this.at++;
    }
  }

  value(depth: number): JsonNode {
    if (depth > maxDepth) this.fail(`nested deeper than ${maxDepth} levels`);
    this.space();
    const c = this.s[this.at];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return { type: "string", value: this.string() };
    for (const text of ["true", "false", "null"] as const) {
      if (this.s.startsWith(text, this.at)) {
        this.at += text.length;
        return { type: "literal", text };
      }
    }
    numberPattern.lastIndex = this.at;
    const m = numberPattern.exec(this.s);
    if (!m) this.fail("unexpected character");
    this.at += m[0].length;
    return { type: "number", text: m[0] };
  }

  object(depth: number): JsonNode {
    this.at++; // {
    const entries: Array<[string, JsonNode]> = [];
    this.space();
    if (this.s[this.at] === "}") {
      this.at++;
      return { type: "object", entries };
    }
    for (;;) {
      this.space();
      if (this.s[this.at] !== '"') this.fail("expected a key");
      const key = this.string();
      this.space();
      if (this.s[this.at] !== ":") this.fail('expected ":"');
      this.at++;
      entries.push([key, this.value(depth + 1)]);
      this.space();
      const c = this.s[this.at++];
      if (c === "}") return { type: "object", entries };
      if (c !== ",") this.fail('expected "," or "}"');
    }
  }

  array(depth: number): JsonNode {
    this.at++; // [
    const items: JsonNode[] = [];
    this.space();
    if (this.s[this.at] === "]") {
      this.at++;
      return { type: "array", items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.space();
      const c = this.s[this.at++];
      if (c === "]") return { type: "array", items };
      if (c !== ",") this.fail('expected "," or "]"');
    }
  }

  /** Reads a string; copies runs between escapes in one slice each. */
  string(): string {
    this.at++; // opening quote
    let out = "";
    let run = this.at;
    for (;;) {
      if (this.at >= this.s.length) this.fail("unterminated string");
      const c = this.s.charCodeAt(this.at);
      if (c === 0x22) break;
      if (c < 0x20) this.fail("control character in string");
      if (c !== 0x5c) {
        this.at++;
        continue;
      }
      out += this.s.slice(run, this.at);
      const e = this.s[this.at + 1];
      if (e === "u") {
        const hex = this.s.slice(this.at + 2, this.at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape");
        // One UTF-16 unit at a time: pairs join by themselves, and a lone
        // surrogate stays in the text where the reveal step marks it.
        out += String.fromCharCode(parseInt(hex, 16));
        this.at += 6;
      } else if (e !== undefined && e in escapes) {
        out += escapes[e];
        this.at += 2;
      } else {
        this.fail("bad escape");
      }
      run = this.at;
    }
    out += this.s.slice(run, this.at);
    this.at++; // closing quote
    return out;
  }
}

/** Parses JSON text, keeping number spellings and duplicate keys. */
export function parseJson(text: string): Parsed {
  const r = new Reader(text);
  try {
    const node = r.value(0);
    r.space();
    if (r.at !== text.length) r.fail("unexpected text after the value");
    return { ok: true, node };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
