import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import type { PlainValue, SecretInfo, SecretsSource } from "../api";
import { Untrusted } from "../text/Untrusted";
import { visible } from "../text/visible";
import "./secrets.css";
import { whereText } from "./where";

/** The name rule of internal/secrets: it sits inside ${keyring:NAME} in airlock.json. */
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

type List = { kind: "loading" } | { kind: "ready"; secrets: SecretInfo[] } | { kind: "failed"; message: string };
type Note = { ok: boolean; text: string } | null;

const message = (e: unknown) => String(e instanceof Error ? e.message : e);

/**
 * Secrets in the OS keychain that upstreams get as ${keyring:NAME}. The
 * window sends values to the keychain and never reads them back: the list
 * holds names and the servers using them. changes counts changes made
 * elsewhere in the window (Settings > Hosts): each one reads the list again.
 */
export function SecretsSection({ source, changes = 0 }: { source: SecretsSource; changes?: number }) {
  const [list, setList] = useState<List>({ kind: "loading" });
  const [keychain, setKeychain] = useState("");
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [plain, setPlain] = useState<PlainValue[]>([]);

  // Reloads come from this section and from Hosts; only the latest lands.
  const reads = useRef(0);
  const reload = useCallback(async () => {
    const n = ++reads.current;
    let next: List;
    try {
      next = { kind: "ready", secrets: await source.secrets() };
    } catch (e) {
      next = { kind: "failed", message: message(e) };
    }
    // A config that cannot be read shows in the list above; here it means nothing to move.
    const plainNow = await source.plain().catch(() => []);
    if (n !== reads.current) return;
    setList(next);
    setPlain(plainNow);
  }, [source]);

  useEffect(() => {
    source.keychain().then(setKeychain, (e: unknown) => setKeychain(message(e)));
  }, [source]);
  // Read again when another section changed airlock.json or the keychain;
  // the form (a name and value being typed) is not touched.
  useEffect(() => {
    void reload();
  }, [reload, changes]);

  const nameError = name !== "" && !NAME.test(name) ? "Use 1-64 letters, digits, '_', '.' or '-'." : "";

  /** Runs one change; its text becomes the note, and the list is read again. */
  const run = async (change: () => Promise<string>) => {
    setBusy(true);
    setNote(null);
    try {
      const text = await change();
      await reload();
      setNote({ ok: true, text });
    } catch (err) {
      setNote({ ok: false, text: message(err) });
    } finally {
      setBusy(false);
    }
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!NAME.test(name) || value === "") return;
    void run(async () => {
      await source.set(name, value);
      setName("");
      setValue(""); // the value leaves the page once the keychain has it
      return `Stored ${name} in the keychain. Use it in airlock.json as \${keyring:${name}}.`;
    });
  };

  const remove = (n: string) => {
    setConfirming(null);
    void run(async () => {
      await source.remove(n);
      return `Removed ${n}.`;
    });
  };

  const move = (p: PlainValue) =>
    void run(async () => {
      const n = await source.move(p.server, p.key);
      return `${whereText(p.server, p.key)} is now \${keyring:${n}}; the value is in the keychain.`;
    });

  return (
    <section className="secrets" aria-labelledby="secrets-title">
      <h2 id="secrets-title">Secrets</h2>
      <p className="hint">
        Values live only in the OS keychain. In airlock.json, an env value or arg <code>{"${keyring:NAME}"}</code> (alone or
        inside a longer value, like <code>{"Bearer ${keyring:NAME}"}</code>) is filled in when the server starts, and
        Airlock hides the value from its logs, its history and what the model sees.
      </p>
      {keychain && (
        <p className="failure" role="alert">
          Keychain unavailable: <Untrusted text={keychain} />
        </p>
      )}
      {list.kind === "loading" && <p className="hint">Loading…</p>}
      {list.kind === "failed" && (
        <p className="failure" role="alert">
          Could not read the secrets: <Untrusted text={list.message} />
        </p>
      )}
      {list.kind === "ready" && list.secrets.length === 0 && <p className="hint">No secrets stored.</p>}
      {list.kind === "ready" && list.secrets.length > 0 && (
        <ul className="secret-list">
          {list.secrets.map((s) => (
            <li key={s.name} className="secret" aria-label={`Secret ${s.name}`}>
              <code className="secret-name">
                <Untrusted text={s.name} />
              </code>{" "}
              <span className="hint">
                {s.usedBy.length > 0 ? (
                  <>
                    used by <Untrusted text={s.usedBy.join(", ")} />
                  </>
                ) : (
                  "not used by any server"
                )}
              </span>
              {!s.stored && (
                <span className="failure">
                  {" "}
                  Not stored: {s.usedBy.length === 1 ? "this server cannot" : "these servers cannot"} start.{" "}
                  <button type="button" disabled={busy} onClick={() => setName(s.name)}>
                    Set
                  </button>
                </span>
              )}
              {s.stored &&
                (confirming === s.name ? (
                  <span className="secret-confirm">
                    {" "}
                    Remove {s.name}
                    {s.usedBy.length > 0 ? " (its servers will not start)" : ""}?{" "}
                    <button type="button" disabled={busy} onClick={() => remove(s.name)}>
                      Remove
                    </button>{" "}
                    <button type="button" onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <>
                    {" "}
                    <button type="button" disabled={busy} onClick={() => setConfirming(s.name)}>
                      Remove…
                    </button>
                  </>
                ))}
            </li>
          ))}
        </ul>
      )}
      {plain.length > 0 && (
        <div className="secret-plain">
          <h3>Written in airlock.json</h3>
          <p className="hint">These values look like credentials and sit in airlock.json as plain text.</p>
          <ul className="secret-list">
            {plain.map((p) => (
              <li key={`${p.server}/${p.key}`} className="secret" aria-label={visible(`Plain ${p.server} ${p.key}`)}>
                <Untrusted text={whereText(p.server, p.key)} />{" "}
                <button type="button" disabled={busy} onClick={() => move(p)}>
                  Move to keychain
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form className="secret-form" onSubmit={save}>
        <label>
          Name{" "}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="GITHUB_TOKEN"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={nameError !== ""}
          />
        </label>{" "}
        <label>
          Value{" "}
          <input type="password" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="new-password" />
        </label>{" "}
        <button type="submit" disabled={busy || !NAME.test(name) || value === ""}>
          Save to keychain
        </button>
        {nameError && <p className="failure">{nameError}</p>}
      </form>
      {note && (
        <p className={note.ok ? "hint" : "failure"} role={note.ok ? "status" : "alert"}>
          <Untrusted text={note.text} />
        </p>
      )}
    </section>
  );
}
