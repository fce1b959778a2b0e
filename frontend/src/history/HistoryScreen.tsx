import { useCallback, useEffect, useRef, useState } from "react";
import type { CallName, DayCount, ExportFormat, HistoryCall, HistorySource } from "../api";
import { durationText, formatTime, outcomeText, Tag } from "../calls/CallTable";
import { Untrusted } from "../text/Untrusted";
import { clip } from "../text/visible";
import { DayChart, lastDays } from "./DayChart";
import { DetailPanel } from "./DetailPanel";
import { emptyForm, pageSize, toApiFilter, type FilterForm, type Range } from "./filter";
import { resolveName, serverNames, shownName, toolNames, toolsCut } from "./names";
import { shortTime } from "./time";
import { VirtualRows } from "./VirtualRows";
import "./history.css";

/** Days the chart covers. */
export const chartDays = 30;
/**
 * The search and the Server and Tool boxes apply this long after the last
 * keystroke, so a half-typed name does not flash "No calls match".
 */
export const searchDelayMs = 250;
const rowHeight = 34;

/**
 * The list's height for a window this tall: what is left below the chart
 * and the filters (about 340 px at the default size), so the window shows
 * the whole list without scrolling the page, within sane bounds.
 */
export const listHeightFor = (windowHeight: number) => Math.max(200, Math.min(1200, windowHeight - 340));

function useListHeight(): number {
  const [h, setH] = useState(() => listHeightFor(window.innerHeight));
  useEffect(() => {
    const onResize = () => setH(listHeightFor(window.innerHeight));
    window.addEventListener("resize", onResize);
    return () => window.removeEventListener("resize", onResize);
  }, []);
  return h;
}

type Rows = { kind: "loading" } | { kind: "ready"; calls: HistoryCall[]; next: number } | { kind: "failed"; message: string };

// A stable default: the loaders depend on now, and a new function on every
// render would reload on every render.
const systemNow = () => new Date();

const message = (e: unknown) => String(e instanceof Error ? e.message : e);

/**
 * The History screen: filters, search, the calls newest first, a detail
 * panel, export and a chart. onConnect opens where a host is connected: an
 * empty log on a first run says how to start.
 */
export function HistoryScreen({ source, now = systemNow, onConnect }: { source: HistorySource; now?: () => Date; onConnect?: () => void }) {
  const [form, setForm] = useState<FilterForm>(emptyForm);
  // What the typed boxes hold; form takes it after a pause (searchDelayMs).
  const [typed, setTyped] = useState({ search: "", server: "", tool: "" });
  const [names, setNames] = useState<CallName[]>([]);
  const [rows, setRows] = useState<Rows>({ kind: "loading" });
  const [more, setMore] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [exported, setExported] = useState<{ ok: boolean; text: string } | null>(null);
  const [chart, setChart] = useState<DayCount[]>([]);
  const listHeight = useListHeight();
  // Answers to an older filter are dropped: only the latest load may write.
  const generation = useRef(0);
  const loaded = useRef(0);

  const servers = serverNames(names);
  const server = resolveName(typed.server, servers);
  const tools = toolNames(names, server);
  const tool = resolveName(typed.tool, tools);
  const cut = toolsCut(names, server);
  // The typed boxes apply after a pause in typing.
  useEffect(() => {
    const t = setTimeout(
      () => setForm((f) => (f.search === typed.search && f.server === server && f.tool === tool ? f : { ...f, search: typed.search, server, tool })),
      searchDelayMs,
    );
    return () => clearTimeout(t);
  }, [typed.search, server, tool]);

  const reload = useCallback(
    async (keep: boolean) => {
      const gen = ++generation.current;
      // A change in the log reloads as many rows as are shown, so the
      // scroll position and the selection survive.
      const limit = keep ? Math.min(1000, Math.max(pageSize, loaded.current)) : pageSize;
      try {
        const page = await source.page(toApiFilter(form, now(), 0, limit));
        if (gen !== generation.current) return;
        loaded.current = page.calls.length;
        setRows({ kind: "ready", calls: page.calls, next: page.nextBeforeId });
      } catch (e) {
        if (gen === generation.current) setRows({ kind: "failed", message: message(e) });
      }
    },
    [form, source, now],
  );

  // Every change in the log reads these again, and reads may overlap: only
  // the latest lands, so an older answer never drops a newer name.
  const chartReads = useRef(0);
  const reloadChart = useCallback(async () => {
    const n = ++chartReads.current;
    let days: DayCount[] = [];
    try {
      days = await source.callsPerDay(chartDays);
    } catch {
      // The table shows the read error.
    }
    if (n !== chartReads.current) return;
    setChart(days);
    try {
      const latest = await source.names();
      if (n === chartReads.current) setNames(latest);
    } catch {
      // No suggestions; the boxes still filter by what is typed.
    }
  }, [source]);

  useEffect(() => {
    setSelected(null);
    void reload(false);
  }, [reload]);

  useEffect(() => {
    void reloadChart();
    return source.onCallsChanged(() => {
      void reload(true);
      void reloadChart();
    });
  }, [source, reload, reloadChart]);

  const loadMore = async () => {
    if (rows.kind !== "ready" || rows.next === 0 || more) return;
    const gen = generation.current;
    setMore(true);
    try {
      const page = await source.page(toApiFilter(form, now(), rows.next));
      if (gen !== generation.current) return;
      loaded.current = rows.calls.length + page.calls.length;
      setRows({ kind: "ready", calls: [...rows.calls, ...page.calls], next: page.nextBeforeId });
    } catch (e) {
      setRows({ kind: "failed", message: message(e) });
    } finally {
      setMore(false);
    }
  };

  const doExport = async (format: ExportFormat) => {
    setExported(null);
    try {
      const path = await source.exportCalls(toApiFilter(form, now(), 0, 0), format);
      setExported({ ok: true, text: `Saved ${path}` });
    } catch (e) {
      setExported({ ok: false, text: `Export failed: ${message(e)}` });
    }
  };

  const set = (k: keyof FilterForm) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const today = now();
  const current = rows.kind === "ready" ? rows.calls.find((c) => c.id === selected) : undefined;
  const filtered =
    Object.values(typed).some((v) => v !== "") || (Object.keys(emptyForm) as (keyof FilterForm)[]).some((k) => form[k] !== emptyForm[k]);
  const clearFilters = () => {
    setTyped({ search: "", server: "", tool: "" });
    setForm(emptyForm);
  };
  const type = (k: keyof typeof typed) => (e: { target: { value: string } }) => setTyped({ ...typed, [k]: e.target.value });

  return (
    <section className="screen history" aria-labelledby="history-title">
      <header className="screen-head">
        <h1 id="history-title">History</h1>
        {rows.kind === "ready" && (
          <span className="count" aria-live="polite">
            {rows.calls.length} shown{rows.next !== 0 ? ", more available" : ""}
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => void doExport("csv")}>
          Export CSV
        </button>
        <button type="button" onClick={() => void doExport("json")}>
          Export JSON
        </button>
      </header>
      {exported && (
        <p className={exported.ok ? "hint" : "failure"} role="status">
          <Untrusted text={exported.text} />
        </p>
      )}
      <DayChart rows={chart} days={lastDays(now(), chartDays)} />
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <input type="search" aria-label="Search arguments, summary, server and tool" placeholder="Search…" value={typed.search} onChange={type("search")} />
        {/* Exact names: a part of a name matches nothing, so the boxes suggest the names in the log. */}
        <input
          aria-label="Server"
          placeholder="server (exact name)"
          title="Shows only the calls of the server with exactly this name; pick one of the suggestions."
          list="history-servers"
          value={typed.server}
          onChange={type("server")}
        />
        <input
          aria-label="Tool"
          placeholder="tool (exact name)"
          title="Shows only the calls of the tool with exactly this name; pick one of the suggestions."
          list="history-tools"
          value={typed.tool}
          onChange={type("tool")}
        />
        <NameList id="history-servers" names={servers} />
        <NameList id="history-tools" names={tools} />
        <Choice label="Tier" value={form.tier} onChange={set("tier")} options={["read", "write", "destructive"]} />
        <Choice label="Decision" value={form.decision} onChange={set("decision")} options={["allow", "deny", "pending", "forwarded"]} />
        <Choice
          label="Outcome"
          value={form.outcome}
          onChange={set("outcome")}
          options={["ok", "tool_error", "protocol_error", "upstream_down", "cancelled", "denied", "held"]}
        />
        <select aria-label="Time range" value={form.range} onChange={(e) => setForm({ ...form, range: e.target.value as Range })}>
          <option value="all">all time</option>
          <option value="24h">last 24 hours</option>
          <option value="7d">last 7 days</option>
          <option value="30d">last 30 days</option>
          <option value="custom">from … to …</option>
        </select>
        {form.range === "custom" && (
          <>
            <input type="datetime-local" aria-label="From" value={form.from} onChange={set("from")} />
            <input type="datetime-local" aria-label="To" value={form.to} onChange={set("to")} />
          </>
        )}
      </form>
      {cut && (
        <p className="hint">Not every tool is suggested: a server logged too many names. A tool not listed is still found by its exact name.</p>
      )}
      {rows.kind === "loading" && <p className="hint">Loading…</p>}
      {rows.kind === "failed" && (
        <p className="failure" role="alert">
          Could not read the audit log: <Untrusted text={rows.message} />
        </p>
      )}
      {rows.kind === "ready" && rows.calls.length === 0 && (
        <div className="empty">
          {filtered ? (
            <>
              <p>No calls match these filters.</p>
              <button type="button" onClick={() => clearFilters()}>
                Clear filters
              </button>
            </>
          ) : (
            <>
              <p>No calls recorded yet.</p>
              <p className="hint">Every tool call an AI host makes through Airlock appears here, allowed or not.</p>
              <p className="hint">
                To start, connect Claude Desktop (or another AI host) in Settings → Hosts, then restart that host.
              </p>
              {onConnect && (
                <button type="button" onClick={onConnect}>
                  Open Settings → Hosts
                </button>
              )}
            </>
          )}
        </div>
      )}
      {rows.kind === "ready" && rows.calls.length > 0 && (
        <div className="history-body">
          <div className="history-list">
            <div className="hrow hhead" aria-hidden="true">
              <span>Time</span>
              <span>Server / tool</span>
              <span>Tier</span>
              <span>Decision</span>
              <span>Outcome</span>
              <span className="num">Duration</span>
              <span>Summary</span>
            </div>
            <VirtualRows
              label="Calls, newest first"
              items={rows.calls}
              rowHeight={rowHeight}
              height={listHeight}
              render={(c) => <Row call={c} now={today} selected={c.id === selected} onSelect={() => setSelected(c.id)} />}
              footer={
                rows.next !== 0 && (
                  <button type="button" className="load-more" disabled={more} onClick={() => void loadMore()}>
                    {more ? "Loading…" : "Load more"}
                  </button>
                )
              }
            />
          </div>
          {current && <DetailPanel call={current} onClose={() => setSelected(null)} />}
        </div>
      )}
    </section>
  );
}

/** Suggestions for a box: each name as visible text, hidden characters and line breaks as markers (see names.ts). */
function NameList({ id, names }: { id: string; names: string[] }) {
  return (
    <datalist id={id}>
      {names.map((n) => (
        <option key={n} value={shownName(n)} />
      ))}
    </datalist>
  );
}

function Choice({ label, value, onChange, options }: { label: string; value: string; onChange: (e: { target: { value: string } }) => void; options: string[] }) {
  return (
    <select aria-label={label} value={value} onChange={onChange}>
      <option value="">{`any ${label.toLowerCase()}`}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

/** One row: a button, so the keyboard can open the detail panel too. */
function Row({ call, now, selected, onSelect }: { call: HistoryCall; now: Date; selected: boolean; onSelect: () => void }) {
  // Rows are one line high: long text is cut here and shown whole in the panel.
  const line = (s: string) => clip(s, 160).head.replace(/[\r\n\t]+/g, " ");
  return (
    <button type="button" className="hrow" aria-pressed={selected} data-call-id={call.id} onClick={onSelect}>
      <span className="time" title={formatTime(call.time)}>
        {shortTime(call.time, now)}
      </span>
      <span>
        <Untrusted text={line(call.server)} /> / <Untrusted text={line(call.tool)} />
      </span>
      <span>
        <Tag kind="tier" value={call.tier} />
      </span>
      <span>
        <Tag kind="decision" value={call.decision} />
      </span>
      <span>
        <Tag kind="outcome" value={outcomeText(call)} />
      </span>
      <span className="num">{durationText(call)}</span>
      <span className="summary">
        <Untrusted text={line(call.summary || call.arguments)} />
      </span>
    </button>
  );
}
