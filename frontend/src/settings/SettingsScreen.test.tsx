import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { HostInfo, HostsSource, PlainValue, SecretInfo, SecretsSource } from "../api";
import { SettingsScreen } from "./SettingsScreen";

afterEach(cleanup);

/**
 * One airlock.json and one keychain behind both sections, the way the Go
 * side has them: a Connect writes servers whose env holds a token, and a
 * move replaces the value with ${keyring:NAME} and stores it.
 */
function fakeHome() {
  let plain: PlainValue[] = [];
  let secrets: SecretInfo[] = [];
  const host: HostInfo = {
    id: "claude-desktop",
    name: "Claude Desktop",
    path: "/home/u/.config/Claude/claude_desktop_config.json",
    found: true,
    hookedUp: false,
    local: 1,
    kept: 0,
    error: "",
  };
  const token = { server: "github", key: "GITHUB_TOKEN" };
  const hosts: HostsSource = {
    hosts: async () => [host],
    async connect() {
      plain = [token];
      return { host: { ...host, hookedUp: true, local: 0 }, changed: true, lines: ["moved github into airlock.json"], tokens: [token], backup: "backup.json" };
    },
    async disconnect() {
      throw new Error("not connected");
    },
    async moveSecrets(values) {
      plain = plain.filter((p) => !values.some((v) => v.server === p.server && v.key === p.key));
      const moved = values.map((v) => ({ ...v, name: v.key, error: "" }));
      secrets = [...secrets, ...moved.map((m) => ({ name: m.name, usedBy: [m.server], stored: true }))];
      return { keychain: "", values: moved };
    },
  };
  const secretsSource: SecretsSource = {
    secrets: async () => secrets.map((s) => ({ ...s })),
    keychain: async () => "",
    plain: async () => plain.map((p) => ({ ...p })),
    set: async () => {},
    move: async () => "",
    remove: async () => {},
  };
  return { hosts, secrets: secretsSource };
}

describe("SettingsScreen", () => {
  it("reads Secrets again after Hosts connects a host and moves its token, keeping what is typed there", async () => {
    const home = fakeHome();
    render(<SettingsScreen hosts={home.hosts} secrets={home.secrets} />);
    await screen.findByText("No secrets stored.");
    // Someone is typing a secret's name meanwhile.
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "LINEAR_K" } });

    // Connect: airlock.json now holds the token as plain text, and Secrets says so.
    const host = screen.getByRole("listitem", { name: "Host Claude Desktop" });
    fireEvent.click(within(host).getByRole("button", { name: "Connect" }));
    const plain = await screen.findByRole("listitem", { name: "Plain github GITHUB_TOKEN" });
    expect(plain.textContent).toContain("github's env GITHUB_TOKEN");

    // Moving it from the Hosts offer: Secrets lists it stored, no longer plain.
    fireEvent.click(await within(host).findByRole("button", { name: "Move 1 token to the keychain" }));
    const stored = await screen.findByRole("listitem", { name: "Secret GITHUB_TOKEN" });
    expect(stored.textContent).toContain("used by github");
    await waitFor(() => expect(screen.queryByRole("listitem", { name: "Plain github GITHUB_TOKEN" })).toBeNull());
    expect(screen.queryByText("No secrets stored.")).toBeNull();
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("LINEAR_K");
  });
});
