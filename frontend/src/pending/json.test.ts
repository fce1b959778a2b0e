import { maxDepth, parseJson, type JsonNode } from "./json";

function parsed(text: string): JsonNode {
  const p = parseJson(text);
  if (!p.ok) throw new Error(p.error);
  return p.node;
}

describe("parseJson", () => {
  it("keeps numbers as written", () => {
    const n = parsed('{"id": 12345678901234567890, "f": 1.50, "e": -2E+3}');
    expect(n).toEqual({
      type: "object",
      entries: [
        ["id", { type: "number", text: "12345678901234567890" }],
        ["f", { type: "number", text: "1.50" }],
        ["e", { type: "number", text: "-2E+3" }],
      ],
    });
  });

  it("keeps every key in order, duplicates included", () => {
    const n = parsed('{"path":"/safe","path":"/etc/passwd"}');
    expect(n.type === "object" && n.entries.map(([k, v]) => [k, v.type === "string" && v.value])).toEqual([
      ["path", "/safe"],
      ["path", "/etc/passwd"],
    ]);
  });

  it.each([
    ['"a\\nb\\t\\"\\\\\\/"', 'a\nb\t"\\/'],
    ['"\\u202e\\u200b"', "\u202e\u200b"],
    ['"\\ud83d\\ude00"', "😀"],
    ['"\\ud800x"', "\ud800x"],
    ['"plain <b>text</b>"', "plain <b>text</b>"],
  ])("decodes string %s", (text, want) => {
    expect(parsed(text)).toEqual({ type: "string", value: want });
  });

  it("reads arrays, literals and nesting", () => {
    expect(parsed(' [true, false, null, [], {}, [1]] ')).toEqual({
      type: "array",
      items: [
        { type: "literal", text: "true" },
        { type: "literal", text: "false" },
        { type: "literal", text: "null" },
        { type: "array", items: [] },
        { type: "object", entries: [] },
        { type: "array", items: [{ type: "number", text: "1" }] },
      ],
    });
  });

  it.each(["", "{", '{"a"}', '{"a":1,}', "[1 2]", '"\u0001"', '"\\x"', "01", "{} x", "NaN", '"open'])(
    "refuses %j",
    (text) => {
      expect(parseJson(text).ok).toBe(false);
    },
  );

  it("refuses nesting past the limit instead of overflowing the stack", () => {
    const deep = "[".repeat(maxDepth + 5) + "]".repeat(maxDepth + 5);
    const p = parseJson(deep);
    expect(p.ok).toBe(false);
    expect(!p.ok && p.error).toMatch(/nested deeper/);
    expect(parseJson("[".repeat(50) + "]".repeat(50)).ok).toBe(true);
  });

  it("reads a 100 KB string whole", () => {
    const big = "x".repeat(100_000) + "\\n" + "y".repeat(1000);
    const n = parsed(`{"content":"${big}"}`);
    const v = n.type === "object" ? n.entries[0][1] : null;
    expect(v?.type === "string" && v.value.length).toBe(101_001);
  });
});
