// The one module that talks to the Go side. Screens and their tests depend on
// the types and the HistorySource and PendingSource interfaces here, never on
// wailsjs directly, so a test passes its own source and the generated
// bindings can change freely.
import { Answer, Pending } from "../wailsjs/go/app/Approvals";
import { CallsPerDay, Export, History, Names } from "../wailsjs/go/app/History";
import { Install, List as HostsList, MoveSecrets, Uninstall } from "../wailsjs/go/app/Hosts";
import { List as ServersList, Resume, RevokeConsent } from "../wailsjs/go/app/Servers";
import { app } from "../wailsjs/go/models";
import { AddRule, DeleteRule, RuleCalls, Rules, UpdateRule } from "../wailsjs/go/app/Rules";
import { PrunableCount, SaveSettings, Settings } from "../wailsjs/go/app/Settings";
import {
  Keychain,
  List as SecretsList,
  Move as MoveSecret,
  Plain as PlainSecrets,
  Remove as RemoveSecret,
  Set as SetSecret,
} from "../wailsjs/go/app/Secrets";
import { EventsOn } from "../wailsjs/runtime/runtime";

/** One audit-log row. Every string field is untrusted text. */
export interface Call {
  id: number;
  /** RFC 3339 start time, UTC. */
  time: string;
  server: string;
  tool: string;
  tier: string;
  decision: string;
  outcome: string;
  durationMs: number;
  /** Redacted JSON of the arguments. */
  arguments: string;
  error: string;
}

/** The event the Go side emits when the call log changed. */
export const callsChanged = "calls:changed";

/** The event the Go side emits after every commit by another process (status reports, rules and heartbeats too). */
export const dataChanged = "data:changed";

/** What a person is asked: a call, a first-read consent, a changed definition. */
export type RequestKind = "call" | "consent" | "changed";

/**
 * How far an answer reaches. Calls: once, session, always. Consents: once,
 * tool (this read tool), server (every read tool of the server). Denials:
 * once or always. The Go side refuses scopes a request does not accept.
 */
export type Scope = "once" | "session" | "always" | "tool" | "server";

/** One open request in the approval queue. Every string but id, times, kind and tier is untrusted text. */
export interface PendingRequest {
  id: number;
  /** RFC 3339, UTC. */
  created: string;
  /** RFC 3339, UTC: after this the request closes unanswered. */
  expires: string;
  kind: RequestKind | string;
  tier: string;
  server: string;
  tool: string;
  /** A verb and an object, e.g. "Delete file ~/proj/notes.md". */
  summary: string;
  /** Why the call got its tier. */
  reasons: string[];
  /** Injection markers found in the tool's definition. */
  findings: string[];
  /** Redacted JSON text of the arguments. */
  arguments: string;
  client: string;
  session: string;
  /** Kind "changed": line diff, "- " approved before, "+ " now, "  " same. */
  diff: string;
}

/** The event the Go side emits when the queue changes. */
export const pendingChanged = "pending:changed";

/** Where the approval queue comes from and where answers go. */
export interface PendingSource {
  /** Open requests, newest first. */
  pending(): Promise<PendingRequest[]>;
  /** Allows or denies one request; rejects with a readable message. */
  answer(id: number, allow: boolean, scope: Scope): Promise<void>;
  /** Calls listener on every queue change; returns the unsubscribe function. */
  onPendingChanged(listener: () => void): () => void;
}

/** The live queue: the Go Approvals service bound by Wails. */
export const wailsPending: PendingSource = {
  async pending() {
    const rows = await Pending();
    return (rows ?? []).map((r) => ({ ...r, reasons: r.reasons ?? [], findings: r.findings ?? [] }));
  },
  async answer(id, allow, scope) {
    await Answer(id, allow, scope);
  },
  onPendingChanged(listener) {
    return EventsOn(pendingChanged, () => listener());
  },
};

/** The History screen's filter. Empty strings do not filter. */
export interface HistoryFilter {
  server: string;
  tool: string;
  tier: string;
  decision: string;
  outcome: string;
  /** RFC 3339: calls started at or after. */
  since: string;
  /** RFC 3339: calls started before. */
  until: string;
  /** Substring of the arguments, summary, server or tool; any case. */
  search: string;
  /** Keyset cursor: only calls older than this id; 0 for the first page. */
  beforeId: number;
  /** Page size; 0 for the Go default. */
  limit: number;
}

/** An audit row with what the detail panel shows. Every string field is untrusted text. */
export interface HistoryCall extends Call {
  client: string;
  session: string;
  decidedBy: string;
  reasons: string[];
  summary: string;
  requestId: number;
  /** The rule that decided the call (or set its tier), as it read then; "" when none matched. */
  rule: string;
}

/** One page, newest first; nextBeforeId is 0 on the last page. */
export interface HistoryPage {
  calls: HistoryCall[];
  nextBeforeId: number;
}

/** Calls of one tier and decision on one local day (YYYY-MM-DD). */
export interface DayCount {
  day: string;
  tier: string;
  decision: string;
  count: number;
}

export type ExportFormat = "csv" | "json";

/** A server and tool pair seen in the audit log; both untrusted text. */
export interface CallName {
  server: string;
  tool: string;
  /** The last tool listed of a server whose other tools were left out (the Go side caps the tools a server). */
  more?: boolean;
}

/** Where the History screen reads from. */
export interface HistorySource {
  page(filter: HistoryFilter): Promise<HistoryPage>;
  /** Writes every call matching filter to a file; resolves to its path. */
  exportCalls(filter: HistoryFilter, format: ExportFormat): Promise<string>;
  /** Counts for the last days, today included. */
  callsPerDay(days: number): Promise<DayCount[]>;
  /** The server and tool pairs in the log, sorted, for the filters' suggestions. */
  names(): Promise<CallName[]>;
  /** Calls listener on every change to the audit log; returns the unsubscribe function. */
  onCallsChanged(listener: () => void): () => void;
}

/** The live history: the Go History service bound by Wails. */
export const wailsHistory: HistorySource = {
  async page(filter) {
    const p = await History({ ...filter });
    return {
      calls: (p.calls ?? []).map((c) => ({ ...c, reasons: c.reasons ?? [] })),
      nextBeforeId: p.nextBeforeId,
    };
  },
  async exportCalls(filter, format) {
    return Export({ ...filter }, format);
  },
  async callsPerDay(days) {
    const rows = await CallsPerDay(days);
    return (rows ?? []).map((r) => ({ ...r }));
  },
  async names() {
    const rows = await Names();
    return (rows ?? []).map((r) => ({ server: r.server, tool: r.tool, more: r.more === true }));
  },
  onCallsChanged(listener) {
    return EventsOn(callsChanged, () => listener());
  },
};

// Sources of the management screens. Each screen's owner fills in its
// interface and its Wails implementation below; App shows a screen's tab
// only when its source is given.

/** One proxy's copy of a server (each host runs its own proxy). */
export interface ServerInstance {
  proxyPid: number;
  state: string;
  /** Untrusted: the last error. */
  detail: string;
  /** The upstream's process, while running; 0 otherwise. */
  pid: number;
  tools: number;
  /** RFC 3339 or "". */
  since: string;
  seenAt: string;
  /** False when that proxy stopped beating: a record of what it last said. */
  live: boolean;
}

/** How a read tool is consented to: not, this tool alone, or the whole server's reads. */
export type ConsentState = "none" | "tool" | "server";

/** One pinned tool. Name, title, description, reasons, findings, rules and diff are untrusted text. */
export interface ServerTool {
  name: string;
  title: string;
  description: string;
  tier: string;
  reasons: string[];
  /** Injection markers found in the definition. */
  findings: string[];
  /** Rules that apply to this tool (some only to some arguments). */
  rules: string[];
  consent: ConsentState | string;
  consentAt: string;
  consentBy: string;
  /** A consent exists for an earlier definition; it no longer counts. */
  staleConsent: boolean;
  pinnedAt: string;
  /** The server now offers another definition than the pinned one. */
  changed: boolean;
  changedAt: string;
  /** Line diff, "- " pinned, "+ " offered now, "  " same. */
  diff: string;
  /**
   * Every live proxy running the server listed its tools and none offers
   * this one any more. False when that is not known (no proxy runs it).
   */
  notOffered: boolean;
  /** RFC 3339 or "": missing from the server's tool list at least since then. */
  notOfferedSince: string;
}

/** An upstream server with its status and tools. Name, command, detail and pause reason are untrusted text. */
export interface ServerInfo {
  name: string;
  /** False for a server no longer in airlock.json whose tools are still pinned. */
  configured: boolean;
  command: string;
  /** running | starting | restarting | failed | not running */
  state: string;
  detail: string;
  since: string;
  instances: ServerInstance[];
  paused: boolean;
  pauseReason: string;
  pausedAt: string;
  serverConsent: boolean;
  serverConsentAt: string;
  serverConsentBy: string;
  tools: ServerTool[];
}

/** Where the Servers & tools screen reads from. */
export interface ServersSource {
  /** Every server, by name. */
  list(): Promise<ServerInfo[]>;
  /** Lifts a pause; rejects with a readable message. */
  resume(server: string): Promise<void>;
  /** Withdraws a read consent: a tool's, or "*" for the whole server's. */
  revokeConsent(server: string, tool: string): Promise<void>;
  /** Calls listener on every change in the database; returns the unsubscribe function. */
  onChanged(listener: () => void): () => void;
}

/** The live servers: the Go Servers service bound by Wails. */
export const wailsServers: ServersSource = {
  async list() {
    const rows = await ServersList();
    return (rows ?? []).map((s) => ({
      ...s,
      instances: (s.instances ?? []).map((i) => ({ ...i })),
      tools: (s.tools ?? []).map((t) => ({ ...t, reasons: t.reasons ?? [], findings: t.findings ?? [], rules: t.rules ?? [] })),
    }));
  },
  async resume(server) {
    await Resume(server);
  },
  async revokeConsent(server, tool) {
    await RevokeConsent(server, tool);
  },
  onChanged(listener) {
    // Proxies' status reports and trust changes are commits like any
    // other: the same data_version watch announces them.
    return EventsOn(dataChanged, () => listener());
  },
};

/** What a rule does to the calls it matches: allow or deny them, or pin their tier. */
export type RuleAction = "allow" | "deny" | "read" | "write" | "destructive";

/** A glob on one argument (key dotted for nested values). */
export interface RuleArg {
  key: string;
  pattern: string;
}

/** A rule as the form sends it; id 0 adds a new one. Validated again in Go. */
export interface RuleInput {
  id: number;
  server: string;
  tool: string;
  args: RuleArg[];
  action: string;
  /** Allow rules only: the most severe tier allowed; "" for every tier. */
  upTo: string;
  note: string;
}

/**
 * A rule with what it matched. "user" rules live in the database and are
 * edited here; "config" rules come from airlock.json (id 0, found by text).
 * Every string is untrusted text: config rules and notes are typed by anyone
 * who can write the file.
 */
export interface RuleInfo extends RuleInput {
  source: "user" | "config";
  /** The rule as reasons and the audit log spell it. */
  text: string;
  /** RFC 3339; "" for config rules. */
  createdAt: string;
  /** Calls it decided (or set the tier of): ever for window rules, among the kept calls for config rules. */
  matches: number;
  /** RFC 3339 of the last match; "" if none. */
  matchedAt: string;
}

export interface RulesList {
  rules: RuleInfo[];
  configPath: string;
  /** Why airlock.json's rules could not be read; "" when they could. */
  configError: string;
}

/** Where the Rules screen reads from and writes to. */
export interface RulesSource {
  rules(): Promise<RulesList>;
  add(rule: RuleInput): Promise<RuleInfo>;
  update(rule: RuleInput): Promise<void>;
  remove(id: number): Promise<void>;
  /** The latest calls a rule decided, newest first: a window rule by id, a config rule (id 0) by text. */
  calls(id: number, text: string, limit: number): Promise<HistoryCall[]>;
  /** Calls listener on every change to the audit log (match counts move); returns the unsubscribe function. */
  onCallsChanged(listener: () => void): () => void;
}

/** The live rules: the Go Rules service bound by Wails. */
export const wailsRules: RulesSource = {
  async rules() {
    const l = await Rules();
    return {
      rules: (l.rules ?? []).map((r) => ({ ...r, source: r.source === "config" ? "config" : "user", args: r.args ?? [] })),
      configPath: l.configPath,
      configError: l.configError,
    };
  },
  async add(rule) {
    const r = await AddRule(app.RuleInput.createFrom({ ...rule }));
    return { ...r, source: "user", args: r.args ?? [] };
  },
  update: (rule) => UpdateRule(app.RuleInput.createFrom({ ...rule })),
  remove: (id) => DeleteRule(id),
  async calls(id, text, limit) {
    const rows = await RuleCalls(id, text, limit);
    return (rows ?? []).map((c) => ({ ...c, reasons: c.reasons ?? [] }));
  },
  onCallsChanged(listener) {
    // Rules change without calls too (the CLI, an "always" answer).
    return EventsOn(dataChanged, () => listener());
  },
};

/** The Settings screen's general section, as airlock.json holds it. */
export interface GeneralSettingsValues {
  approvalWaitSeconds: number;
  approvalTTLSeconds: number;
  retentionDays: number;
  notifications: boolean;
  /** Where they are stored (untrusted text: a path). Ignored when saving. */
  configPath: string;
}

/** Where the Settings screen's general settings come from. */
export interface SettingsSource {
  settings(): Promise<GeneralSettingsValues>;
  /** Saves and resolves to the settings as read back; rejects with the reason, nothing saved. */
  save(values: GeneralSettingsValues): Promise<GeneralSettingsValues>;
  /** How many calls a retention of days would delete now. */
  prunable(days: number): Promise<number>;
}

/** The live settings: the Go Settings service bound by Wails. */
export const wailsSettings: SettingsSource = {
  settings: () => Settings(),
  save: (values) => SaveSettings({ ...values }),
  prunable: (days) => PrunableCount(days),
};

/** One AI host and whether it runs its MCP servers through Airlock. Path and error are untrusted text. */
export interface HostInfo {
  /** "claude-desktop", "claude-code", "cursor", "vscode". */
  id: string;
  name: string;
  /** The host's MCP config file on this machine. */
  path: string;
  /** False when the config file does not exist (the host is not installed). */
  found: boolean;
  hookedUp: boolean;
  /** Local servers in the host config that bypass Airlock. */
  local: number;
  /** Entries Connect leaves in place (remote servers, disabled ones, host variables). */
  kept: number;
  /** Why the config cannot be read; "" when it can. */
  error: string;
}

/** What a Connect or Disconnect did, one line each for a person. */
export interface HostChange {
  host: HostInfo;
  changed: boolean;
  lines: string[];
  /** Token-like env values a Connect put in airlock.json as plain text: where, never what. */
  tokens: PlainValue[];
  /** The host config's copy of the original (it still holds those values); "" when nothing was written. */
  backup: string;
}

/** What became of one value the window asked to move into the keychain. */
export interface TokenMove {
  server: string;
  key: string;
  /** The secret now holding it (airlock.json says ${keyring:name}); "" when it did not move. */
  name: string;
  /** Why it did not move; airlock.json still holds the value. */
  error: string;
}

/** The answer to moving values: keychain is "" when it answered, else what is missing (nothing was tried). */
export interface TokensMoved {
  keychain: string;
  values: TokenMove[];
}

/** Hooking hosts (Claude Desktop, …) up to Airlock, in Settings. */
export interface HostsSource {
  hosts(): Promise<HostInfo[]>;
  /** Moves the host's servers into airlock.json; rejects with a readable message, having written nothing. */
  connect(id: string): Promise<HostChange>;
  /** Puts the host's servers back; rejects with a readable message. */
  disconnect(id: string): Promise<HostChange>;
  /** Moves the chosen plain-text values of airlock.json into the keychain, each written as ${keyring:NAME}. */
  moveSecrets(values: PlainValue[]): Promise<TokensMoved>;
}

/** The live hosts: the Go Hosts service bound by Wails. */
export const wailsHosts: HostsSource = {
  async hosts() {
    return ((await HostsList()) ?? []).map((h) => ({ ...h }));
  },
  async connect(id) {
    return hostChange(await Install(id));
  },
  async disconnect(id) {
    return hostChange(await Uninstall(id));
  },
  async moveSecrets(values) {
    const m = await MoveSecrets(values.map((v) => ({ server: v.server, key: v.key })));
    return { keychain: m.keychain, values: (m.values ?? []).map((v) => ({ ...v })) };
  },
};

function hostChange(c: app.HostChange): HostChange {
  return {
    host: { ...c.host },
    changed: c.changed,
    lines: c.lines ?? [],
    tokens: (c.tokens ?? []).map((t) => ({ server: t.server, key: t.key })),
    backup: c.backup,
  };
}

/** One secret: a name and the servers whose env uses it. Values never come to the window. */
export interface SecretInfo {
  name: string;
  /** Servers whose env refers to ${keyring:name}. */
  usedBy: string[];
  /** False for a name airlock.json uses that is not stored: those servers cannot start. */
  stored: boolean;
}

/** A token-like env value written in plain text in airlock.json: where it is, never what. */
export interface PlainValue {
  server: string;
  key: string;
}

/** Secrets kept in the OS keychain, in Settings. Values go in and never come back. */
export interface SecretsSource {
  secrets(): Promise<SecretInfo[]>;
  /** Token-like env values airlock.json holds in plain text. */
  plain(): Promise<PlainValue[]>;
  /** Moves one into the keychain, writing ${keyring:NAME} instead; resolves to NAME. */
  move(server: string, key: string): Promise<string>;
  /** "" when the OS keychain answers; otherwise what is missing (no Secret Service, locked, …). */
  keychain(): Promise<string>;
  /** Stores or replaces a value; rejects with a readable message. */
  set(name: string, value: string): Promise<void>;
  remove(name: string): Promise<void>;
}

/** The live secrets: the Go Secrets service bound by Wails. */
export const wailsSecrets: SecretsSource = {
  async secrets() {
    return ((await SecretsList()) ?? []).map((s) => ({ name: s.name, usedBy: s.usedBy ?? [], stored: s.stored }));
  },
  keychain: () => Keychain(),
  set: (name, value) => SetSecret(name, value),
  remove: (name) => RemoveSecret(name),
  async plain() {
    return ((await PlainSecrets()) ?? []).map((p) => ({ server: p.server, key: p.key }));
  },
  move: (server, key) => MoveSecret(server, key),
};
