import { useCallback, useEffect, useState } from "react";
import type { ServerInfo, ServersSource } from "../api";
import { useReload } from "../reload";
import { Untrusted } from "../text/Untrusted";
import { ServerCard } from "./ServerCard";
import "./servers.css";

/**
 * How often the list is re-read without a database change: a proxy that
 * stops beating (killed, crashed) commits nothing, yet its servers must
 * turn "not running" once its heartbeat is stale.
 */
export const refreshMs = 10_000;

/**
 * Each upstream with its status and its tools. onConnect opens where a host
 * is connected: with no server yet, that is the way to get some.
 */
export function ServersScreen({ source, onConnect }: { source: ServersSource; onConnect?: () => void }) {
  // null until the first read answers. A failed read keeps the list shown
  // (and whatever is open in it) and says so above it.
  const [servers, setServers] = useState<ServerInfo[] | null>(null);
  const [failure, setFailure] = useState("");
  // A read classifies every tool, and the change event comes with every
  // commit (each tool call, each proxy's heartbeat): see useReload.
  const read = useCallback(() => source.list(), [source]);
  const reload = useReload(
    read,
    (list) => {
      setServers(list);
      setFailure("");
    },
    setFailure,
  );

  useEffect(() => {
    void reload();
    const off = source.onChanged(() => void reload());
    const t = setInterval(() => void reload(), refreshMs);
    return () => {
      off();
      clearInterval(t);
    };
  }, [source, reload]);

  const ready = servers !== null;
  const list = servers ?? [];
  const paused = list.filter((s) => s.paused).length;
  const changed = list.reduce((n, s) => n + s.tools.filter((t) => t.changed).length, 0);
  const gone = list.reduce((n, s) => n + s.tools.filter((t) => t.notOffered).length, 0);

  return (
    <section className="screen servers" aria-labelledby="servers-title">
      <header className="screen-head">
        <h1 id="servers-title">Servers &amp; tools</h1>
        {ready && (
          <span className="count" aria-live="polite">
            {list.length === 1 ? "1 server" : `${list.length} servers`}
            {paused > 0 && `, ${paused} paused`}
            {changed > 0 && `, ${changed === 1 ? "1 changed tool" : `${changed} changed tools`}`}
            {gone > 0 && `, ${gone === 1 ? "1 tool" : `${gone} tools`} no longer offered`}
          </span>
        )}
      </header>
      {!ready && !failure && <p className="hint">Loading…</p>}
      {failure && (
        <p className="failure" role="alert">
          Could not read the servers: <Untrusted text={failure} />
        </p>
      )}
      {ready && list.length === 0 && (
        <div className="empty">
          <p>No servers configured.</p>
          <p className="hint">
            To bring in the MCP servers an AI host already uses, connect that host (Claude Desktop or another) in Settings → Hosts, then
            restart it. You can also add servers to airlock.json yourself, or run airlock install.
          </p>
          {onConnect && (
            <button type="button" onClick={onConnect}>
              Open Settings → Hosts
            </button>
          )}
        </div>
      )}
      <div className="server-list">
        {list.map((s) => (
          <ServerCard key={s.name} server={s} source={source} />
        ))}
      </div>
    </section>
  );
}
