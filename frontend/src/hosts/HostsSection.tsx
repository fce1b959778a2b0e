import { useCallback, useEffect, useRef, useState } from "react";
import type { HostChange, HostInfo, HostsSource, PlainValue } from "../api";
import { Untrusted } from "../text/Untrusted";
import { TokenOffer } from "./TokenOffer";
import "./hosts.css";

type List = { kind: "loading" } | { kind: "ready"; hosts: HostInfo[] } | { kind: "failed"; message: string };

/**
 * The outcome of the last Connect or Disconnect, shown under its host, with
 * the credentials a Connect left in airlock.json as plain text.
 */
type Outcome = { id: string; ok: boolean; lines: string[]; tokens: PlainValue[]; backup: string };

const message = (e: unknown) => String(e instanceof Error ? e.message : e);

/** What a host's state means, in words. */
function stateText(h: HostInfo): string {
  if (!h.found) return "Not installed (no config file)";
  if (h.error) return "Config cannot be read";
  if (h.hookedUp && h.local > 0) return `Connected, but ${plural(h.local, "server")} added since bypass Airlock`;
  if (h.hookedUp) return "Connected through Airlock";
  if (h.local > 0) return `Not connected: ${plural(h.local, "server")} bypass Airlock`;
  return "Not connected (no local servers)";
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Which hosts run their MCP servers through Airlock; connect or disconnect
 * them. onChanged hears every change this section may have made to
 * airlock.json or the keychain (a Connect, a Disconnect, a token move),
 * whether or not it went through: another section then reads them again.
 * Each change of refresh reads the hosts again.
 */
/**
 * focus counts the requests to bring this section into view: each new one
 * scrolls it to the top and puts the keyboard on its heading once the list
 * has loaded (its length no longer moves what is below the heading's top).
 */
export function HostsSection({
  source,
  onChanged,
  refresh = 0,
  focus = 0,
}: {
  source: HostsSource;
  onChanged?: () => void;
  refresh?: number;
  focus?: number;
}) {
  const [list, setList] = useState<List>({ kind: "loading" });
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  // Only the latest read lands, and none that started before a Connect or
  // Disconnect answered (it would show the host as it was).
  const reads = useRef(0);
  const reload = useCallback(async () => {
    const n = ++reads.current;
    let next: List;
    try {
      next = { kind: "ready", hosts: await source.hosts() };
    } catch (e) {
      next = { kind: "failed", message: message(e) };
    }
    if (n === reads.current) setList(next);
  }, [source]);

  useEffect(() => {
    void reload();
  }, [reload, refresh]);

  const title = useRef<HTMLHeadingElement>(null);
  const focused = useRef(0);
  const loaded = list.kind !== "loading";
  useEffect(() => {
    if (!loaded || focus <= focused.current || !title.current) return;
    focused.current = focus;
    title.current.scrollIntoView?.({ block: "start" });
    title.current.focus({ preventScroll: true });
  }, [loaded, focus]);

  const act = async (h: HostInfo, connect: boolean) => {
    setBusy(h.id);
    setOutcome(null);
    try {
      const change: HostChange = connect ? await source.connect(h.id) : await source.disconnect(h.id);
      reads.current++;
      setOutcome({ id: h.id, ok: true, lines: change.lines, tokens: change.tokens, backup: change.backup });
      setList((l) => (l.kind === "ready" ? { kind: "ready", hosts: l.hosts.map((x) => (x.id === h.id ? change.host : x)) } : l));
    } catch (e) {
      setOutcome({ id: h.id, ok: false, lines: [message(e)], tokens: [], backup: "" });
    } finally {
      setBusy(null);
      onChanged?.();
    }
  };

  const moveSecrets = async (values: PlainValue[]) => {
    try {
      return await source.moveSecrets(values);
    } finally {
      onChanged?.();
    }
  };

  return (
    <section className="hosts" aria-labelledby="hosts-title">
      <h2 id="hosts-title" ref={title} tabIndex={-1}>
        Hosts
      </h2>
      <p className="hint">
        Connect moves a host's local MCP servers into airlock.json and leaves one Airlock entry in its config (a dated
        backup is kept beside it). Disconnect puts the servers back. Restart the host afterwards.
      </p>
      {list.kind === "loading" && <p className="hint">Loading…</p>}
      {list.kind === "failed" && (
        <p className="failure" role="alert">
          Could not read the hosts: <Untrusted text={list.message} />
        </p>
      )}
      {list.kind === "ready" && (
        <ul className="host-list">
          {list.hosts.map((h) => (
            <li key={h.id} className="host" aria-label={`Host ${h.name}`}>
              <div className="host-head">
                <strong>{h.name}</strong>{" "}
                <span className={`host-state${h.hookedUp ? " connected" : ""}`}>{stateText(h)}</span>
              </div>
              <div className="host-path">
                <Untrusted text={h.path} />
              </div>
              {h.error && (
                <p className="failure">
                  <Untrusted text={h.error} />
                </p>
              )}
              {h.found && !h.error && (
                <button type="button" disabled={busy !== null} onClick={() => void act(h, !h.hookedUp || h.local > 0)}>
                  {busy === h.id ? "Working…" : h.hookedUp && h.local === 0 ? "Disconnect" : "Connect"}
                </button>
              )}
              {h.hookedUp && h.local > 0 && !h.error && (
                <button type="button" disabled={busy !== null} onClick={() => void act(h, false)}>
                  Disconnect
                </button>
              )}
              {outcome?.id === h.id && (
                <ul className={outcome.ok ? "host-outcome" : "host-outcome failure"} role={outcome.ok ? "status" : "alert"}>
                  {outcome.lines.map((line, i) => (
                    <li key={i}>
                      <Untrusted text={line} />
                    </li>
                  ))}
                </ul>
              )}
              {outcome?.id === h.id && outcome.tokens.length > 0 && (
                <TokenOffer tokens={outcome.tokens} backup={outcome.backup} move={moveSecrets} />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
