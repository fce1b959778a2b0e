import { useState } from "react";
import type { PlainValue, TokensMoved } from "../api";
import { isArgKey } from "../secrets/where";
import { Untrusted } from "../text/Untrusted";
import { visible } from "../text/visible";

/** One offered value: where it is, whether it is chosen, and what became of it. */
type Row = PlainValue & { chosen: boolean; name: string; error: string };

const message = (e: unknown) => String(e instanceof Error ? e.message : e);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const same = (a: PlainValue, b: PlainValue) => a.server === b.server && a.key === b.key;

/**
 * "server's env KEY" or "server's args[N]": both come from the host config,
 * so both are shown as untrusted text, and a row's accessible name shows
 * hidden characters as markers too (a screen reader hears what is seen).
 */
function Where({ v }: { v: PlainValue }) {
  return (
    <>
      <Untrusted text={v.server} />
      {isArgKey(v.key) ? "'s " : "'s env "}
      <code>
        <Untrusted text={v.key} />
      </code>
    </>
  );
}

/**
 * After a Connect, the token-like env values and args it put in airlock.json
 * as plain text, by server and key (never the value), with the offer `airlock
 * install` makes in a terminal: move them into the OS keychain. Each is
 * chosen by default; the outcome is shown per value. When the keychain
 * cannot be used nothing moves, and the reason is shown.
 */
export function TokenOffer({
  tokens,
  backup,
  move,
}: {
  tokens: PlainValue[];
  backup: string;
  move: (values: PlainValue[]) => Promise<TokensMoved>;
}) {
  const [rows, setRows] = useState<Row[]>(() => tokens.map((t) => ({ ...t, chosen: true, name: "", error: "" })));
  const [busy, setBusy] = useState(false);
  const [keychain, setKeychain] = useState("");
  const [failure, setFailure] = useState("");

  const pending = rows.filter((r) => r.name === "");
  const chosen = pending.filter((r) => r.chosen);
  const moved = rows.length - pending.length;

  const toggle = (r: Row) => setRows((rs) => rs.map((x) => (x === r ? { ...x, chosen: !x.chosen } : x)));

  const run = async () => {
    setBusy(true);
    setKeychain("");
    setFailure("");
    try {
      const res = await move(chosen.map((r) => ({ server: r.server, key: r.key })));
      setKeychain(res.keychain);
      setRows((rs) =>
        rs.map((r) => {
          const o = res.values.find((v) => same(v, r));
          return o ? { ...r, name: o.name, error: o.error } : r;
        }),
      );
    } catch (e) {
      setFailure(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="token-offer" role="group" aria-label="Credentials in airlock.json">
      <p>
        {pending.length === 0
          ? "The values are in the OS keychain now."
          : rows.length === 1
            ? "This value looks like a credential and sits in airlock.json as plain text. Keep it in the OS keychain instead?"
            : `These ${rows.length} values look like credentials and sit in airlock.json as plain text. Keep them in the OS keychain instead?`}{" "}
        {pending.length > 0 && <span className="hint">airlock.json then says {"${keyring:NAME}"} where the value was.</span>}
      </p>
      <ul className="token-list">
        {rows.map((r) => (
          <li key={`${r.server}\u0000${r.key}`} aria-label={visible(`Token ${r.server} ${r.key}`)}>
            {r.name ? (
              <span className="token-moved">
                <Where v={r} /> is now{" "}
                <code>
                  <Untrusted text={`\${keyring:${r.name}}`} />
                </code>
              </span>
            ) : (
              <label>
                <input type="checkbox" checked={r.chosen} disabled={busy} onChange={() => toggle(r)} /> <Where v={r} />
              </label>
            )}
            {r.error && (
              <span className="failure">
                {" "}
                not moved: <Untrusted text={r.error} />
              </span>
            )}
          </li>
        ))}
      </ul>
      {pending.length > 0 && (
        <button type="button" disabled={busy || chosen.length === 0} onClick={() => void run()}>
          {busy ? "Moving…" : `Move ${plural(chosen.length, "token")} to the keychain`}
        </button>
      )}
      {keychain && (
        <p className="failure" role="alert">
          The keychain cannot be used, so nothing was moved and the values stay in airlock.json as they are:{" "}
          <Untrusted text={keychain} />
        </p>
      )}
      {failure && (
        <p className="failure" role="alert">
          Could not move the values: <Untrusted text={failure} />
        </p>
      )}
      {moved > 0 && backup && (
        <p className="hint">
          The host config's backup <Untrusted text={backup} /> still holds the original values: delete it once Airlock
          works for you (Disconnect does not need it).
        </p>
      )}
    </div>
  );
}
