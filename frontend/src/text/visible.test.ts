import { clip, codePoints, marker, reveal, visible } from "./visible";

describe("visible", () => {
  const cases: Array<[string, string, string]> = [
    ["plain text is unchanged", "read_file /tmp/a.txt", "read_file /tmp/a.txt"],
    ["tab and newline are kept", "a\tb\nc", "a\tb\nc"],
    ["markup stays literal", "<b>x</b><script>alert(1)</script>", "<b>x</b><script>alert(1)</script>"],
    ["right-to-left override", "evil\u202Etxt.exe", "evil⟨U+202E⟩txt.exe"],
    ["all bidi embeddings", "\u202A\u202B\u202C\u202D\u202E", "⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩⟨U+202E⟩"],
    ["bidi isolates", "\u2066\u2067\u2068\u2069", "⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩"],
    ["zero-width characters", "a\u200Bb\u200Cc\u200Dd\u2060e\uFEFF", "a⟨U+200B⟩b⟨U+200C⟩c⟨U+200D⟩d⟨U+2060⟩e⟨U+FEFF⟩"],
    ["LRM and RLM", "\u200E\u200F", "⟨U+200E⟩⟨U+200F⟩"],
    ["C0 controls, CR and escape", "\u0000\u0007\r\u001B[31m", "⟨U+0000⟩⟨U+0007⟩⟨U+000D⟩⟨U+001B⟩[31m"],
    ["DEL and C1 controls", "\u007F\u0085\u009B", "⟨U+007F⟩⟨U+0085⟩⟨U+009B⟩"],
    ["line and paragraph separators", "a\u2028b\u2029c", "a⟨U+2028⟩b⟨U+2029⟩c"],
    ["soft hyphen", "pass\u00ADword", "pass⟨U+00AD⟩word"],
    ["tag characters", "hi\u{E0049}\u{E0067}", "hi⟨U+E0049⟩⟨U+E0067⟩"],
    ["variation selector supplement", "x\u{E0100}", "x⟨U+E0100⟩"],
    ["lone surrogates", "a\uD800b\uDC00", "a⟨U+D800⟩b⟨U+DC00⟩"],
    ["emoji and non-Latin text are kept", "héllo 世界 😀 ❤️ שלום", "héllo 世界 😀 ❤️ שלום"],
    ["empty", "", ""],
  ];
  it.each(cases)("%s", (_name, input, want) => {
    expect(visible(input)).toBe(want);
  });

  it("agrees with reveal", () => {
    for (const [, input, want] of cases) {
      expect(reveal(input).map((s) => s.text).join("")).toBe(want);
    }
  });

  it("marks markers as markers", () => {
    expect(reveal("a\u202Eb")).toEqual([
      { text: "a", marker: false },
      { text: "⟨U+202E⟩", marker: true },
      { text: "b", marker: false },
    ]);
  });

  it("leaves no hidden character in any BMP output", () => {
    let all = "";
    for (let c = 0; c < 0x10000; c++) all += String.fromCharCode(c);
    const out = visible(all);
    for (const bad of [0x00, 0x1b, 0x7f, 0x9f, 0x200b, 0x202e, 0x2066, 0x2069, 0xfeff, 0xd800]) {
      expect(out.includes(String.fromCharCode(bad))).toBe(false);
    }
  });

  it("handles 100 KB quickly enough to render", () => {
    const big = "\u202E<x>".repeat(25_000);
    const out = visible(big);
    expect(out.startsWith("⟨U+202E⟩<x>")).toBe(true);
    expect(out.includes("\u202E")).toBe(false);
  });
});

describe("marker", () => {
  it("pads to four hex digits", () => {
    expect(marker(0)).toBe("⟨U+0000⟩");
    expect(marker(0xe0001)).toBe("⟨U+E0001⟩");
  });
});

describe("clip", () => {
  it("keeps short text whole", () => {
    expect(clip("abc", 5)).toEqual({ head: "abc", omitted: 0 });
  });
  it("reports what it leaves out", () => {
    expect(clip("abcdef", 4)).toEqual({ head: "abcd", omitted: 2 });
  });
  it("never splits a surrogate pair", () => {
    const { head, omitted } = clip("😀😀😀", 2);
    expect(head).toBe("😀😀");
    expect(omitted).toBe(1);
  });
  it("counts code points", () => {
    expect(codePoints("a😀b")).toBe(3);
  });
});
