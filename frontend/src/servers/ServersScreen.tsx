import { useCallback, useEffect, useRef, useState } from "react";
import type { ServerInfo, ServersSource } from "../api";
import { Untrusted } from "../text/Untrusted";
import { ServerCard } from "./ServerCard";
import "./servers.css";

/**
 * How often the list is re-read without a database change: a proxy that
 * stops beating (killed, crashed) commits nothing, yet its servers must
 * turn "not running" once its heartbeat is stale.
 */
export const refreshMs = 10_000;

type List = { kind: "loading" } | { kind: "ready"; servers: ServerInfo[] } | { kind: "failed"; message: string };

const message = (e: unknown) => String(e instanceof Error ? e.message : e);

/** Each upstream with its status and its tools. */
export function ServersScreen({ source }: { source: ServersSource }) {
  const [list, setList] = useState<List>({ kind: "loading" });
  // One read at a time: the change event comes with every commit (each
  // tool call), and a read classifies every tool. Changes during a read
  // make one more read after it, so the last state is always shown and
  // reads never overlap or land out of order.
  const reading = useRef(false);
  const stale = useRef(false);

  const reload = useCallback(async () => {
    if (reading.current) {
      stale.current = true;
      return;
    }
    reading.current = true;
    try {
      do {
        stale.current = false;
        const servers = await source.list();
        setList({ kind: "ready", servers });
      } while (stale.current);
    } catch (e) {
      setList({ kind: "failed", message: message(e) });
    } finally {
      reading.current = false;
    }
  }, [source]);

  useEffect(() => {
    void reload();
    const off = source.onChanged(() => void reload());
    const t = setInterval(() => void reload(), refreshMs);
    return () => {
      off();
      clearInterval(t);
    };
  }, [source, reload]);

  const servers = list.kind === "ready" ? list.servers : [];
  const paused = servers.filter((s) => s.paused).length;
  const changed = servers.reduce((n, s) => n + s.tools.filter((t) => t.changed).length, 0);
  const gone = servers.reduce((n, s) => n + s.tools.filter((t) => t.notOffered).length, 0);

  return (
    <section className="screen servers" aria-labelledby="servers-title">
      <header className="screen-head">
        <h1 id="servers-title">Servers &amp; tools</h1>
        {list.kind === "ready" && (
          <span className="count" aria-live="polite">
            {servers.length === 1 ? "1 server" : `${servers.length} servers`}
            {paused > 0 && `, ${paused} paused`}
            {changed > 0 && `, ${changed === 1 ? "1 changed tool" : `${changed} changed tools`}`}
            {gone > 0 && `, ${gone === 1 ? "1 tool" : `${gone} tools`} no longer offered`}
          </span>
        )}
      </header>
      {list.kind === "loading" && <p className="hint">Loading…</p>}
      {list.kind === "failed" && (
        <p className="failure" role="alert">
          Could not read the servers: <Untrusted text={list.message} />
        </p>
      )}
      {list.kind === "ready" && servers.length === 0 && (
        <div className="empty">
          <p>No servers configured. Add them to airlock.json (or run airlock install) and start your AI host.</p>
        </div>
      )}
      <div className="server-list">
        {servers.map((s) => (
          <ServerCard key={s.name} server={s} source={source} />
        ))}
      </div>
    </section>
  );
}
