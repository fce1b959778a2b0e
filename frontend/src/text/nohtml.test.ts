// Guards invariant 5: untrusted text is never parsed as HTML. A grep is
// blunt, but it catches the one line that would undo every other test.
const sources = import.meta.glob(["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

// Spelled in parts so that this file itself does not contain the names
// that repository-wide greps for HTML sinks look for.
const html = "HTML";
const forbidden = [
  "inner" + html,
  "outer" + html,
  "dangerouslySetInner" + html,
  "insertAdjacent" + html,
  "document.write",
  "createContextualFragment",
  // Newer and less obvious ways to parse markup or run a string.
  "set" + html + "Unsafe",
  "parse" + html + "Unsafe",
  "DOMParser",
  "srcdoc",
  "new Function",
];

describe("frontend sources", () => {
  it("are found", () => {
    expect(Object.keys(sources)).toContain("../calls/CallTable.tsx");
  });
  it.each(forbidden)("never use %s", (api) => {
    const hits = Object.entries(sources)
      .filter(([, text]) => text.includes(api))
      .map(([path]) => path);
    expect(hits).toEqual([]);
  });
});
