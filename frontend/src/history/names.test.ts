import { resolveName, serverNames, toolNames, toolsCut } from "./names";

const names = [
  { server: "mem", tool: "create_entities" },
  { server: "mem", tool: "read_graph" },
  { server: "memory", tool: "search" },
  { server: "ev\u202eil", tool: "x" },
];

describe("filter name suggestions", () => {
  it("lists distinct servers, and the tools of a known server or of all", () => {
    expect(serverNames(names)).toEqual(["ev\u202eil", "mem", "memory"]);
    expect(toolNames(names, "mem")).toEqual(["create_entities", "read_graph"]);
    expect(toolNames(names, "me")).toEqual(["create_entities", "read_graph", "search", "x"]);
  });

  it("says when the tools of a server, or of all, are cut short", () => {
    const cut = [...names, { server: "loud", tool: "t199", more: true }];
    expect(toolsCut(cut, "loud")).toBe(true);
    expect(toolsCut(cut, "mem")).toBe(false);
    expect(toolsCut(cut, "")).toBe(true);
    expect(toolsCut(names, "")).toBe(false);
  });

  it("resolves only exact names or the visible form of one, never a prefix", () => {
    const servers = serverNames(names);
    expect(resolveName("mem", servers)).toBe("mem");
    expect(resolveName("me", servers)).toBe("me");
    expect(resolveName("ev⟨U+202E⟩il", servers)).toBe("ev\u202eil");
    expect(resolveName("", servers)).toBe("");
    // A real name that reads like a marked one wins over the marked one.
    expect(resolveName("ev⟨U+202E⟩il", [...servers, "ev⟨U+202E⟩il"])).toBe("ev⟨U+202E⟩il");
  });
});
