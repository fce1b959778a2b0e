import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import type { HostChange, HostInfo, HostsSource, PlainValue } from "../api";
import { HostsSection } from "./HostsSection";

afterEach(cleanup);

const host = (over: Partial<HostInfo>): HostInfo => ({
  id: "claude-desktop",
  name: "Claude Desktop",
  path: "/home/ann/.config/Claude/claude_desktop_config.json",
  found: true,
  hookedUp: false,
  local: 0,
  kept: 0,
  error: "",
  ...over,
});

/** A source over a list of hosts; connect/disconnect flip hookedUp unless fail says why not. */
function fakeHosts(hosts: HostInfo[], fail?: string, tokens: PlainValue[] = []) {
  const calls: string[] = [];
  const change = (id: string, connect: boolean): Promise<HostChange> => {
    calls.push(`${connect ? "connect" : "disconnect"} ${id}`);
    if (fail) return Promise.reject(new Error(fail));
    const h = hosts.find((x) => x.id === id)!;
    const next = { ...h, hookedUp: connect, local: connect ? 0 : 2 };
    return Promise.resolve({
      host: next,
      changed: true,
      lines: connect ? ["moved memory into airlock.json", "left \u202eevil in place: remote server"] : ["restored memory to the host config"],
      tokens: connect ? tokens : [],
      backup: "/home/ann/.config/Claude/claude_desktop_config.json.airlock-install-20261125T230000Z",
    });
  };
  const source: HostsSource = {
    hosts: () => Promise.resolve(hosts),
    connect: (id) => change(id, true),
    disconnect: (id) => change(id, false),
    moveSecrets: (values) => {
      calls.push(`move ${values.map((v) => `${v.server}/${v.key}`).join(" ")}`);
      return Promise.resolve({ keychain: "", values: values.map((v) => ({ ...v, name: `${v.server}.${v.key}`, error: "" })) });
    },
  };
  return { source, calls };
}

const item = (name: string) => screen.getByRole("listitem", { name: `Host ${name}` });

describe("HostsSection", () => {
  it("shows each host's state and path, with a button only where one applies", async () => {
    const f = fakeHosts([
      host({ local: 2 }),
      host({ id: "claude-code", name: "Claude Code", path: "/home/ann/.claude.json", hookedUp: true }),
      host({ id: "cursor", name: "Cursor", found: false, path: "/home/ann/.cursor/mcp.json" }),
      host({ id: "vscode", name: "VS Code", error: "VS Code config is not valid JSON" }),
    ]);
    render(<HostsSection source={f.source} />);
    await screen.findByText("Claude Desktop");

    expect(within(item("Claude Desktop")).getByText("Not connected: 2 servers bypass Airlock")).toBeTruthy();
    expect(within(item("Claude Desktop")).getByRole("button").textContent).toBe("Connect");
    expect(item("Claude Desktop").textContent).toContain("/home/ann/.config/Claude/claude_desktop_config.json");
    expect(within(item("Claude Code")).getByText("Connected through Airlock")).toBeTruthy();
    expect(within(item("Claude Code")).getByRole("button").textContent).toBe("Disconnect");
    expect(within(item("Cursor")).getByText("Not installed (no config file)")).toBeTruthy();
    expect(within(item("Cursor")).queryByRole("button")).toBeNull();
    expect(within(item("VS Code")).getByText("VS Code config is not valid JSON")).toBeTruthy();
    expect(within(item("VS Code")).queryByRole("button")).toBeNull();
  });

  it("connects, shows what moved (hidden characters made visible) and the new state", async () => {
    const f = fakeHosts([host({ local: 2 })]);
    render(<HostsSection source={f.source} />);
    fireEvent.click(await screen.findByRole("button", { name: "Connect" }));
    const status = await screen.findByRole("status");
    expect(f.calls).toEqual(["connect claude-desktop"]);
    expect(status.textContent).toContain("moved memory into airlock.json");
    expect(status.textContent).not.toContain("\u202e");
    expect(status.querySelector(".marker")).not.toBeNull();
    expect(within(item("Claude Desktop")).getByText("Connected through Airlock")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Disconnect" }));
    expect((await screen.findByRole("status")).textContent).toContain("restored memory");
    expect(f.calls).toEqual(["connect claude-desktop", "disconnect claude-desktop"]);
    expect(within(item("Claude Desktop")).getByRole("button").textContent).toBe("Connect");
  });

  it("offers to move the credentials a Connect left in airlock.json, and only then", async () => {
    const f = fakeHosts([host({ local: 2 })], undefined, [{ server: "github", key: "GITHUB_TOKEN" }]);
    render(<HostsSection source={f.source} />);
    fireEvent.click(await screen.findByRole("button", { name: "Connect" }));
    const offer = await screen.findByRole("group", { name: "Credentials in airlock.json" });
    expect(within(item("Claude Desktop")).getByRole("group")).toBe(offer);
    expect(offer.textContent).toContain("github's env GITHUB_TOKEN");
    fireEvent.click(within(offer).getByRole("button", { name: "Move 1 token to the keychain" }));
    expect((await within(offer).findByText(/is now/)).textContent).toContain("${keyring:github.GITHUB_TOKEN}");
    expect(f.calls).toEqual(["connect claude-desktop", "move github/GITHUB_TOKEN"]);

    fireEvent.click(screen.getByRole("button", { name: "Disconnect" }));
    await screen.findByText(/restored memory/);
    expect(screen.queryByRole("group", { name: "Credentials in airlock.json" })).toBeNull();
  });

  it("offers nothing after a Connect without credentials", async () => {
    const f = fakeHosts([host({ local: 2 })]);
    render(<HostsSection source={f.source} />);
    fireEvent.click(await screen.findByRole("button", { name: "Connect" }));
    await screen.findByRole("status");
    expect(screen.queryByRole("group", { name: "Credentials in airlock.json" })).toBeNull();
  });

  it("says why a connect failed and keeps the state", async () => {
    const f = fakeHosts([host({ local: 1 })], 'airlock.json already has a server "memory" with a different definition');
    render(<HostsSection source={f.source} />);
    fireEvent.click(await screen.findByRole("button", { name: "Connect" }));
    expect((await screen.findByRole("alert")).textContent).toContain('already has a server "memory"');
    expect(within(item("Claude Desktop")).getByText("Not connected: 1 server bypass Airlock")).toBeTruthy();
  });

  it("reports a failure to list the hosts", async () => {
    const source: HostsSource = {
      hosts: () => Promise.reject(new Error("find home folder: $HOME is not defined")),
      connect: () => Promise.reject(new Error("unused")),
      disconnect: () => Promise.reject(new Error("unused")),
      moveSecrets: () => Promise.reject(new Error("unused")),
    };
    render(<HostsSection source={source} />);
    expect((await screen.findByRole("alert")).textContent).toContain("$HOME is not defined");
  });
  it("drops a read that started before a Connect answered, so the host does not show as it was", async () => {
    let answer: (hs: HostInfo[]) => void = () => {};
    let reads = 0;
    const source: HostsSource = {
      hosts: () => {
        reads++;
        if (reads === 1) return Promise.resolve([host({ local: 2 })]);
        return new Promise<HostInfo[]>((r) => (answer = r)); // the refresh answers late
      },
      connect: () => Promise.resolve({ host: host({ hookedUp: true }), changed: true, lines: ["moved memory into airlock.json"], tokens: [], backup: "" }),
      disconnect: () => Promise.reject(new Error("not in this test")),
      moveSecrets: () => Promise.reject(new Error("not in this test")),
    };
    const { rerender } = render(<HostsSection source={source} refresh={0} />);
    fireEvent.click(await screen.findByRole("button", { name: "Connect" }));
    rerender(<HostsSection source={source} refresh={1} />);
    expect(await screen.findByText("Connected through Airlock")).toBeTruthy();
    answer([host({ local: 2 })]); // read before the Connect landed
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.getByText("Connected through Airlock")).toBeTruthy();
  });
});
