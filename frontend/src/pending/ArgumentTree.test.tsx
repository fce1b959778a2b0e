import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { ArgumentTree, foldChars, foldEntries, foldHead, foldLines } from "./ArgumentTree";

afterEach(cleanup);

const text = (el: Element | null) => el?.textContent ?? "";

describe("ArgumentTree", () => {
  it("shows nested objects and arrays as a tree", () => {
    const { container } = render(
      <ArgumentTree json={'{"path":"~/a.txt","opts":{"force":true,"mode":420,"tags":["x","y"]},"none":null,"e":{},"l":[]}'} />,
    );
    const keys = [...container.querySelectorAll(".key")].map((k) => k.textContent);
    expect(keys).toEqual(["path", "opts", "force", "mode", "tags", "none", "e", "l"]);
    expect(container.querySelectorAll(".entries").length).toBe(3); // root, opts, tags
    expect(text(container.querySelector(".string"))).toBe("“~/a.txt”");
    expect([...container.querySelectorAll(".literal, .number")].map((e) => e.textContent)).toEqual(["true", "420", "null"]);
    expect([...container.querySelectorAll(".empty-value")].map((e) => e.textContent)).toEqual(["{}", "[]"]);
  });

  it("shows big numbers exactly and duplicate keys both", () => {
    const { container } = render(<ArgumentTree json={'{"id":12345678901234567890,"id":1}'} />);
    expect(text(container)).toContain("12345678901234567890");
    expect(container.querySelectorAll(".key").length).toBe(2);
  });

  it("says when the box hides arguments below, until it is scrolled to the end", () => {
    // jsdom lays nothing out: the box reports a tree taller than itself.
    const sizes = { scrollHeight: 1000, clientHeight: 420 };
    const restore = (["scrollHeight", "clientHeight"] as const).map((k) => {
      const own = Object.getOwnPropertyDescriptor(HTMLElement.prototype, k);
      Object.defineProperty(HTMLElement.prototype, k, { configurable: true, get: () => sizes[k] });
      return () => (own ? Object.defineProperty(HTMLElement.prototype, k, own) : delete (HTMLElement.prototype as never)[k]);
    });
    try {
      const { container } = render(<ArgumentTree json={'{"a":1,"b":2}'} />);
      expect(screen.getByText(/more arguments below: scroll the box/i)).toBeTruthy();
      const box = container.querySelector(".argtree")!;
      box.scrollTop = 580;
      fireEvent.scroll(box);
      expect(screen.queryByText(/more arguments below/i)).toBeNull();
      cleanup();
      sizes.scrollHeight = 420; // fits
      render(<ArgumentTree json={'{"a":1}'} />);
      expect(screen.queryByText(/more arguments below/i)).toBeNull();
    } finally {
      restore.forEach((r) => r());
    }
  });

  it("says when there are no arguments", () => {
    render(<ArgumentTree json="{}" />);
    expect(screen.getByText("No arguments.")).toBeTruthy();
  });

  it("folds a 100 KB value and opens it whole", () => {
    const big = "A".repeat(60_000) + "<end>" + "B".repeat(40_000);
    const { container } = render(<ArgumentTree json={JSON.stringify({ content: big })} />);
    const toggle = screen.getByRole("button", { name: `show all (${big.length.toLocaleString("en-US")} chars)` });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    const shown = text(container.querySelector(".string"));
    expect(shown.length).toBeLessThan(foldChars + 100);
    expect(shown).toContain("…");
    fireEvent.click(toggle);
    expect(text(container.querySelector(".string"))).toContain(big);
    expect(screen.getByRole("button", { name: "show less" })).toBeTruthy();
  });

  it("folds many short lines too", () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const { container } = render(<ArgumentTree json={JSON.stringify({ script: lines })} />);
    expect(text(container.querySelector(".string"))).not.toContain("line 19");
    fireEvent.click(screen.getByRole("button", { name: /^show all/ }));
    expect(text(container.querySelector(".string"))).toContain("line 19");
  });

  it("folds long lists and says how many items there are", () => {
    const items = Array.from({ length: foldEntries + 7 }, (_, i) => i);
    const { container } = render(<ArgumentTree json={JSON.stringify({ ids: items })} />);
    const list = () => container.querySelectorAll(".entries.array > li .number");
    expect(list().length).toBe(foldEntries);
    fireEvent.click(screen.getByRole("button", { name: `show all (${items.length} items)` }));
    expect(list().length).toBe(items.length);
  });

  const hostile: Array<[string, string]> = [
    ["script", "<script>window.pwned=1</script>"],
    ["img onerror", '<img src=x onerror="window.pwned=1">'],
    ["iframe", "<iframe src=javascript:alert(1)></iframe>"],
    ["svg", "<svg onload=alert(1)>"],
  ];
  it.each(hostile)("renders %s markup in keys and values as text", (_name, markup) => {
    const { container } = render(<ArgumentTree json={JSON.stringify({ [markup]: markup, list: [markup] })} />);
    for (const tag of ["script", "img", "iframe", "svg"]) expect(container.querySelector(tag)).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
    expect(text(container).split(markup).length - 1).toBe(3);
  });

  it("shows bidi overrides and zero-width characters as markers", () => {
    const { container } = render(<ArgumentTree json={'{"file\\u200b":"invoice\\u202Efdp.exe","x":"a\\u2066b\\ufeffc\\u0000"}'} />);
    const markers = [...container.querySelectorAll(".marker")].map((m) => m.textContent);
    expect(markers).toEqual(["⟨U+200B⟩", "⟨U+202E⟩", "⟨U+2066⟩", "⟨U+FEFF⟩", "⟨U+0000⟩"]);
    expect(text(container)).not.toMatch(/[\u200b\u202e\u2066\ufeff\u0000]/);
  });

  it("shows text that is not JSON as folded raw text", () => {
    const raw = "not json <b>x</b>\u202e" + "z".repeat(500);
    const { container } = render(<ArgumentTree json={raw} />);
    expect(screen.getByText(/Not shown as a tree/)).toBeTruthy();
    expect(container.querySelector("b")).toBeNull();
    expect(text(container)).toContain("not json <b>x</b>⟨U+202E⟩");
    expect(screen.getByRole("button", { name: `show all (${raw.length} chars)` })).toBeTruthy();
  });
});

describe("foldHead", () => {
  it.each([
    ["short", "abc", null],
    ["at the limit", "a".repeat(foldChars), null],
    ["over the limit", "a".repeat(foldChars + 1), "a".repeat(foldChars)],
    ["many lines", "a\n".repeat(foldLines + 1), "a\n".repeat(foldLines - 1) + "a"],
    ["emoji not split", "😀".repeat(foldChars + 1), "😀".repeat(foldChars)],
  ])("%s", (_name, input, want) => {
    expect(foldHead(input, foldChars, foldLines)).toBe(want);
  });
});
