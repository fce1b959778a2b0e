import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { PlainValue, SecretInfo, SecretsSource } from "../api";
import { SecretsSection } from "./SecretsSection";

afterEach(cleanup);

/** A keychain in memory behind the source; fail makes set and remove reject. */
function fakeSecrets(initial: SecretInfo[], opts: { keychain?: string; fail?: string; plain?: PlainValue[] } = {}) {
  let secrets = [...initial];
  let plain = [...(opts.plain ?? [])];
  const values = new Map<string, string>();
  const calls: string[] = [];
  const source: SecretsSource = {
    secrets: () => Promise.resolve(secrets.map((s) => ({ ...s }))),
    keychain: () => Promise.resolve(opts.keychain ?? ""),
    set: (name, value) => {
      calls.push(`set ${name}`);
      if (opts.fail) return Promise.reject(new Error(opts.fail));
      values.set(name, value);
      secrets = [...secrets.filter((s) => s.name !== name), { name, usedBy: [], stored: true }].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      return Promise.resolve();
    },
    plain: () => Promise.resolve(plain.map((p) => ({ ...p }))),
    move: (server, key) => {
      calls.push(`move ${server} ${key}`);
      if (opts.fail) return Promise.reject(new Error(opts.fail));
      plain = plain.filter((p) => p.server !== server || p.key !== key);
      const name = `${server}.${key}`;
      secrets = [...secrets, { name, usedBy: [server], stored: true }];
      return Promise.resolve(name);
    },
    remove: (name) => {
      calls.push(`remove ${name}`);
      if (opts.fail) return Promise.reject(new Error(opts.fail));
      secrets = secrets.filter((s) => s.name !== name);
      return Promise.resolve();
    },
  };
  return { source, calls, values };
}

const item = (name: string) => screen.getByRole("listitem", { name: `Secret ${name}` });

describe("SecretsSection", () => {
  it("lists names with the servers using them, and flags a name the config needs but nobody stored", async () => {
    const f = fakeSecrets([
      { name: "GH", usedBy: ["github", "gist"], stored: true },
      { name: "MISSING", usedBy: ["linear"], stored: false },
      { name: "SPARE", usedBy: [], stored: true },
    ]);
    render(<SecretsSection source={f.source} />);
    await screen.findByText("GH");
    expect(item("GH").textContent).toContain("used by github, gist");
    expect(item("SPARE").textContent).toContain("not used by any server");
    expect(item("MISSING").textContent).toContain("Not stored: this server cannot start.");
    fireEvent.click(within(item("MISSING")).getByRole("button", { name: "Set" }));
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("MISSING");
  });

  it("sends the value to the keychain from a password field and clears it once stored", async () => {
    const f = fakeSecrets([]);
    render(<SecretsSection source={f.source} />);
    await screen.findByText("No secrets stored.");
    const value = screen.getByLabelText("Value") as HTMLInputElement;
    expect(value.type).toBe("password");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "API_KEY" } });
    fireEvent.change(value, { target: { value: "s3cret-value" } });
    fireEvent.click(screen.getByRole("button", { name: "Save to keychain" }));

    await screen.findByRole("listitem", { name: "Secret API_KEY" });
    expect(f.values.get("API_KEY")).toBe("s3cret-value");
    expect(value.value).toBe("");
    expect(screen.getByRole("status").textContent).toContain("${keyring:API_KEY}");
    expect(document.body.textContent).not.toContain("s3cret-value");
  });

  it("refuses a bad name before asking the keychain, and shows the keychain's refusal", async () => {
    const f = fakeSecrets([], { fail: "keychain unavailable (store): the keychain is locked", keychain: "the keychain is locked" });
    render(<SecretsSection source={f.source} />);
    expect((await screen.findByRole("alert")).textContent).toContain("Keychain unavailable: the keychain is locked");

    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "has space" } });
    fireEvent.change(screen.getByLabelText("Value"), { target: { value: "v" } });
    expect((screen.getByRole("button", { name: "Save to keychain" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Use 1-64 letters/)).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "OK" } });
    fireEvent.click(screen.getByRole("button", { name: "Save to keychain" }));
    await waitFor(() => expect(screen.getAllByRole("alert").map((a) => a.textContent).join()).toContain("is locked"));
    expect(f.calls).toEqual(["set OK"]);
    // The typed value stays for another try.
    expect((screen.getByLabelText("Value") as HTMLInputElement).value).toBe("v");
  });

  it("moves a credential written in airlock.json into the keychain", async () => {
    const f = fakeSecrets([], { plain: [{ server: "github", key: "GITHUB_TOKEN" }] });
    render(<SecretsSection source={f.source} />);
    const row = await screen.findByRole("listitem", { name: "Plain github GITHUB_TOKEN" });
    expect(row.textContent).toContain("github's env GITHUB_TOKEN");
    fireEvent.click(within(row).getByRole("button", { name: "Move to keychain" }));
    await screen.findByRole("listitem", { name: "Secret github.GITHUB_TOKEN" });
    expect(f.calls).toEqual(["move github GITHUB_TOKEN"]);
    expect(screen.queryByText("Written in airlock.json")).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("${keyring:github.GITHUB_TOKEN}");
  });

  it("names a credential in args by its place", async () => {
    const f = fakeSecrets([], { plain: [{ server: "pg", key: "args[2]" }] });
    render(<SecretsSection source={f.source} />);
    const row = await screen.findByRole("listitem", { name: "Plain pg args[2]" });
    expect(row.textContent).toContain("pg's args[2]");
    expect(row.textContent).not.toContain("env");
    fireEvent.click(within(row).getByRole("button", { name: "Move to keychain" }));
    await screen.findByRole("listitem", { name: "Secret pg.args[2]" });
    expect(f.calls).toEqual(["move pg args[2]"]);
    expect(screen.getByRole("status").textContent).toContain("pg's args[2] is now ${keyring:pg.args[2]}");
  });

  it("names a plain value's row with hidden characters as markers, as its text shows them", async () => {
    const f = fakeSecrets([], { plain: [{ server: "ev\u202eil", key: "TOKEN" }] });
    render(<SecretsSection source={f.source} />);
    const row = await screen.findByRole("listitem", { name: "Plain ev⟨U+202E⟩il TOKEN" });
    expect(row.getAttribute("aria-label")).not.toMatch(/\u202e/);
  });

  it("removes only after a confirmation", async () => {
    const f = fakeSecrets([{ name: "GH", usedBy: ["github"], stored: true }]);
    render(<SecretsSection source={f.source} />);
    await screen.findByText("GH");
    fireEvent.click(within(item("GH")).getByRole("button", { name: "Remove…" }));
    expect(f.calls).toEqual([]);
    expect(item("GH").textContent).toContain("Remove GH (its servers will not start)?");
    fireEvent.click(within(item("GH")).getByRole("button", { name: "Remove" }));
    await screen.findByText("No secrets stored.");
    expect(f.calls).toEqual(["remove GH"]);
  });
});
