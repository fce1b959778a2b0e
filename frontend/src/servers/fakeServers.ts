import type { ServerInfo, ServersSource, ServerTool } from "../api";

/** A tool with defaults; tests override what they look at. */
export function serverTool(over: Partial<ServerTool> = {}): ServerTool {
  return {
    name: "read_file",
    title: "",
    description: "Read a file from disk",
    tier: "read",
    reasons: ["name says read"],
    findings: [],
    rules: [],
    consent: "none",
    consentAt: "",
    consentBy: "",
    staleConsent: false,
    pinnedAt: "2026-03-01T12:00:00.000Z",
    changed: false,
    changedAt: "",
    diff: "",
    notOffered: false,
    notOfferedSince: "",
    ...over,
  };
}

/** A running server with defaults. */
export function serverInfo(over: Partial<ServerInfo> = {}): ServerInfo {
  return {
    name: "fs",
    configured: true,
    command: "node",
    state: "running",
    detail: "",
    since: "2026-03-01T12:00:00.000Z",
    instances: [
      { proxyPid: 100, state: "running", detail: "", pid: 200, tools: 1, since: "2026-03-01T12:00:00.000Z", seenAt: "2026-03-01T12:05:00.000Z", live: true },
    ],
    paused: false,
    pauseReason: "",
    pausedAt: "",
    serverConsent: false,
    serverConsentAt: "",
    serverConsentBy: "",
    tools: [serverTool()],
    ...over,
  };
}

/**
 * A servers source over a mutable list that records what it was asked to
 * do. Resume and revoke change the list the way the Go side would, and
 * announce a change as the database watch does.
 */
export function fakeServers(initial: ServerInfo[]) {
  let servers = initial;
  const calls: string[] = [];
  const listeners = new Set<() => void>();
  let failNext = "";
  const changed = () => listeners.forEach((l) => l());
  const source: ServersSource = {
    async list() {
      calls.push("list");
      return servers;
    },
    async resume(name) {
      calls.push(`resume ${name}`);
      if (failNext) {
        const m = failNext;
        failNext = "";
        throw new Error(m);
      }
      servers = servers.map((s) => (s.name === name ? { ...s, paused: false, pauseReason: "" } : s));
      changed();
    },
    async revokeConsent(name, tool) {
      calls.push(`revoke ${name} ${tool}`);
      servers = servers.map((s) => {
        if (s.name !== name) return s;
        if (tool === "*") {
          return { ...s, serverConsent: false, tools: s.tools.map((t) => (t.consent === "server" ? { ...t, consent: "none" } : t)) };
        }
        return { ...s, tools: s.tools.map((t) => (t.name === tool ? { ...t, consent: "none" } : t)) };
      });
      changed();
    },
    onChanged(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    source,
    calls,
    /** Replaces the list and announces it, as a proxy's report would. */
    set(next: ServerInfo[]) {
      servers = next;
      changed();
    },
    failNextWith(m: string) {
      failNext = m;
    },
    listeners,
  };
}
