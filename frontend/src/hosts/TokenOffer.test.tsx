import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import type { PlainValue, TokensMoved } from "../api";
import { TokenOffer } from "./TokenOffer";

afterEach(cleanup);

const gh: PlainValue = { server: "github", key: "GITHUB_PERSONAL_ACCESS_TOKEN" };
const db: PlainValue = { server: "postgres", key: "PGPASSWORD" };
const backup = "/home/ann/.config/Claude/claude_desktop_config.json.airlock-install-20261125T230000Z";

/** A move that answers with answer(values) and records what it was asked. */
function fakeMove(answer: (values: PlainValue[]) => TokensMoved | Error) {
  const asked: PlainValue[][] = [];
  const move = (values: PlainValue[]) => {
    asked.push(values);
    const a = answer(values);
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  };
  return { move, asked };
}

const allMoved = (values: PlainValue[]): TokensMoved => ({
  keychain: "",
  values: values.map((v) => ({ ...v, name: `${v.server}.${v.key}`, error: "" })),
});

const row = (v: PlainValue) => screen.getByRole("listitem", { name: `Token ${v.server} ${v.key}` });
const offer = () => screen.getByRole("group", { name: "Credentials in airlock.json" });

describe("TokenOffer", () => {
  it("lists the values by server and key, all chosen, and moves the chosen ones", async () => {
    const f = fakeMove(allMoved);
    render(<TokenOffer tokens={[gh, db]} backup={backup} move={f.move} />);
    expect(offer().textContent).toContain("These 2 values look like credentials");
    expect(row(gh).textContent?.trim()).toBe("github's env GITHUB_PERSONAL_ACCESS_TOKEN");
    const boxes = screen.getAllByRole("checkbox") as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, true]);
    expect(screen.getByRole("button").textContent).toBe("Move 2 tokens to the keychain");
    expect(offer().textContent).not.toContain("backup");

    fireEvent.click(within(row(db)).getByRole("checkbox"));
    fireEvent.click(screen.getByRole("button", { name: "Move 1 token to the keychain" }));
    await within(row(gh)).findByText(/is now/);
    expect(f.asked).toEqual([[gh]]);
    expect(row(gh).textContent).toBe("github's env GITHUB_PERSONAL_ACCESS_TOKEN is now ${keyring:github.GITHUB_PERSONAL_ACCESS_TOKEN}");
    expect(within(row(gh)).queryByRole("checkbox")).toBeNull();
    // The one left out is still offered, unchosen.
    expect((within(row(db)).getByRole("checkbox") as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole("button") as HTMLButtonElement).disabled).toBe(true);
    expect(offer().textContent).toContain(`The host config's backup ${backup} still holds the original values`);
    expect(offer().textContent).toContain("(Disconnect does not need it)");

    fireEvent.click(within(row(db)).getByRole("checkbox"));
    fireEvent.click(screen.getByRole("button", { name: "Move 1 token to the keychain" }));
    await within(row(db)).findByText(/is now/);
    expect(f.asked).toEqual([[gh], [db]]);
    expect(screen.queryByRole("button")).toBeNull();
    expect(offer().textContent).toContain("The values are in the OS keychain now.");
  });

  it("names a credential in args by its place, not as an env variable", async () => {
    const arg: PlainValue = { server: "postgres", key: "args[2]" };
    const odd: PlainValue = { server: "postgres", key: "args[2]x" };
    const f = fakeMove(allMoved);
    render(<TokenOffer tokens={[arg, odd]} backup="" move={f.move} />);
    expect(row(arg).textContent?.trim()).toBe("postgres's args[2]");
    expect(row(odd).textContent?.trim()).toBe("postgres's env args[2]x");
    fireEvent.click(within(row(odd)).getByRole("checkbox"));
    fireEvent.click(screen.getByRole("button", { name: "Move 1 token to the keychain" }));
    await within(row(arg)).findByText(/is now/);
    expect(f.asked).toEqual([[arg]]);
    expect(row(arg).textContent).toBe("postgres's args[2] is now ${keyring:postgres.args[2]}");
  });

  it("says the keychain cannot be used and keeps every value as it was", async () => {
    const reason =
      "keychain unavailable (read): no Secret Service on the D-Bus session bus (start gnome-keyring-daemon, KeePassXC's Secret Service or another provider): ServiceUnknown";
    let unlocked = false;
    const f = fakeMove((values) => (unlocked ? allMoved(values) : { keychain: reason, values: [] }));
    render(<TokenOffer tokens={[gh, db]} backup={backup} move={f.move} />);
    fireEvent.click(screen.getByRole("button", { name: "Move 2 tokens to the keychain" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("nothing was moved and the values stay in airlock.json as they are");
    expect(alert.textContent).toContain("no Secret Service on the D-Bus session bus");
    expect(screen.getAllByRole("checkbox")).toHaveLength(2);
    expect(offer().textContent).not.toContain("is now");
    expect(offer().textContent).not.toContain("backup");

    // Once the keychain answers, the same button moves them and the alert goes.
    unlocked = true;
    fireEvent.click(screen.getByRole("button", { name: "Move 2 tokens to the keychain" }));
    await within(row(db)).findByText(/is now/);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(f.asked).toEqual([
      [gh, db],
      [gh, db],
    ]);
  });

  it("shows each value's outcome: moved, or why not", async () => {
    const locked =
      "move postgres's env PGPASSWORD into the keychain: keychain unavailable (store): the keychain is locked (unlock it, e.g. by logging in to the desktop, and try again): prompt dismissed";
    const f = fakeMove(() => ({
      keychain: "",
      values: [
        { ...gh, name: "github.GITHUB_PERSONAL_ACCESS_TOKEN", error: "" },
        { ...db, name: "", error: locked },
      ],
    }));
    render(<TokenOffer tokens={[gh, db]} backup={backup} move={f.move} />);
    fireEvent.click(screen.getByRole("button", { name: "Move 2 tokens to the keychain" }));
    await within(row(gh)).findByText(/is now/);
    expect(row(db).textContent).toContain("not moved: move postgres's env PGPASSWORD into the keychain: keychain unavailable (store): the keychain is locked");
    expect((within(row(db)).getByRole("checkbox") as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole("button").textContent).toBe("Move 1 token to the keychain");
  });

  it("reports a failed call and moves nothing", async () => {
    const f = fakeMove(() => new Error('airlock.json "mcpServers": invalid character'));
    render(<TokenOffer tokens={[gh]} backup={backup} move={f.move} />);
    fireEvent.click(screen.getByRole("button", { name: "Move 1 token to the keychain" }));
    expect((await screen.findByRole("alert")).textContent).toBe('Could not move the values: airlock.json "mcpServers": invalid character');
    expect(within(row(gh)).getByRole("checkbox")).toBeTruthy();
  });

  it("renders hostile server names, keys, names and errors as text: markup, bidi U+202E, zero-width", async () => {
    const hostile: PlainValue = {
      server: '<img src=x onerror="window.__pwned=1">evil\u202Egnp.exe',
      key: "API\u200B_KEY<script>window.__pwned=2</script>",
    };
    const other: PlainValue = { server: "zero\u200Bwidth\u2066", key: "<svg onload=alert(1)>" };
    const f = fakeMove(() => ({
      keychain: "",
      values: [
        { ...hostile, name: "", error: "<b>locked</b>\u202Eexe.txt\u200B" },
        { ...other, name: "zero_width_._svg_onload_alert_1__", error: "" },
      ],
    }));
    const { container } = render(<TokenOffer tokens={[hostile, other]} backup={"/tmp/<i>x</i>\u2066b\u2069"} move={f.move} />);
    const text = offer().textContent ?? "";
    expect(text).toContain('<img src=x onerror="window.__pwned=1">evil⟨U+202E⟩gnp.exe');
    expect(text).toContain("API⟨U+200B⟩_KEY<script>window.__pwned=2</script>");
    expect(text).toContain("zero⟨U+200B⟩width⟨U+2066⟩'s env <svg onload=alert(1)>");
    fireEvent.click(screen.getByRole("button", { name: "Move 2 tokens to the keychain" }));
    await screen.findByText(/not moved/);
    const after = offer().textContent ?? "";
    expect(after).toContain("<b>locked</b>⟨U+202E⟩exe.txt⟨U+200B⟩");
    expect(after).toContain("/tmp/<i>x</i>⟨U+2066⟩b⟨U+2069⟩ still holds");
    for (const t of [text, after]) {
      expect(t).not.toMatch(/[\u202E\u200B\u2066\u2069]/);
    }
    expect(container.querySelectorAll("img, script, svg, b, i").length).toBe(0);
    expect(container.querySelectorAll(".marker").length).toBeGreaterThanOrEqual(6);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(f.asked).toEqual([[hostile, other]]);
  });
  it("names a row with hidden characters as markers, as its text shows them", () => {
    const f = fakeMove(allMoved);
    render(<TokenOffer tokens={[{ server: "ev\u202eil", key: "TOKEN\u200b" }]} backup="" move={f.move} />);
    const li = screen.getByRole("listitem", { name: "Token ev⟨U+202E⟩il TOKEN⟨U+200B⟩" });
    expect(li.getAttribute("aria-label")).not.toMatch(/[\u202e\u200b]/);
    expect(li.textContent).toContain("ev⟨U+202E⟩il's env TOKEN⟨U+200B⟩");
  });
});
