import { useEffect, useReducer, useState } from "react";
import type { HistorySource, PendingSource, RulesSource, ServersSource } from "./api";
import { HistoryScreen } from "./history/HistoryScreen";
import { PendingScreen } from "./pending/PendingScreen";
import { usePendingQueue } from "./pending/queue";
import { typing } from "./pending/RequestCard";
import { RulesScreen } from "./rules/RulesScreen";
import { ServersScreen } from "./servers/ServersScreen";
import { SettingsScreen, type SettingsSources } from "./settings/SettingsScreen";

type Tab = "pending" | "history" | "servers" | "rules" | "settings";

/**
 * The sources of every screen. Pending and History are always there; a
 * management screen's tab shows only when its source is given, so a test
 * of one screen passes only what it needs.
 */
export interface AppSources extends SettingsSources {
  pending: PendingSource;
  history: HistorySource;
  servers?: ServersSource;
  rules?: RulesSource;
}

export function App({ pending, history, servers, rules, settings, hosts, secrets }: AppSources) {
  const queue = usePendingQueue(pending);
  const [tab, setTab] = useState<Tab | null>(null);
  const [opened, setOpened] = useState<ReadonlySet<Tab>>(new Set());
  useEffect(() => {
    if (tab && !opened.has(tab)) setOpened(new Set(opened).add(tab));
  }, [tab, opened]);
  const waiting = queue.kind === "ready" ? queue.requests.length : 0;
  const arrivals = queue.kind === "ready" ? queue.arrivals : 0;

  // The window opens on Pending when something waits, and turns to it
  // whenever a new request arrives: the Go side raises the window for it.
  // Not under a person typing in a field of this window, though: the field
  // would go, and the next keys they type would answer the request (A
  // allows, D denies). The tab shows the count; the next arrival after they
  // leave the field turns the window. (A field left focused in a window
  // that is not in front does not count: nobody is typing into it.)
  useEffect(() => {
    if (arrivals === 0) return;
    const typingHere = document.hasFocus() && typing(document.activeElement);
    setTab((t) => (t !== null && typingHere ? t : "pending"));
  }, [arrivals]);
  useEffect(() => {
    if (tab === null && queue.kind !== "loading" && arrivals === 0) setTab("history");
  }, [tab, queue.kind, arrivals]);

  // A screen kept mounted but hidden must not keep the keyboard focus: an
  // engine without the focus fixup rule (WebKit before 2023) leaves it in a
  // field nobody sees, which then takes the keys meant for the screen shown
  // (A and D would edit a hidden rule instead of answering).
  useEffect(() => {
    const el = document.activeElement;
    if (el instanceof HTMLElement && el.closest(".kept[hidden]")) el.blur();
  }, [tab]);

  // From the first-run hints of History and Servers & tools to Settings >
  // Hosts, which may lie below the general settings in a small window. Each
  // click is a request Settings carries out once Hosts and what lies above
  // it have loaded: scrolled to earlier, Hosts was pushed away by them.
  const [hostsRequests, requestHosts] = useReducer((n: number) => n + 1, 0);
  const openHosts = () => {
    setTab("settings");
    requestHosts();
  };

  return (
    <div className="app">
      <nav className="bar">
        <span className="brand">Airlock</span>
        <div className="tabs" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={tab === "pending"}
            className={waiting > 0 && tab !== "pending" ? "waiting" : undefined}
            onClick={() => setTab("pending")}
          >
            Pending ({waiting})
          </button>
          <button type="button" role="tab" aria-selected={tab === "history"} onClick={() => setTab("history")}>
            History
          </button>
          {servers && (
            <button type="button" role="tab" aria-selected={tab === "servers"} onClick={() => setTab("servers")}>
              Servers &amp; tools
            </button>
          )}
          {rules && (
            <button type="button" role="tab" aria-selected={tab === "rules"} onClick={() => setTab("rules")}>
              Rules
            </button>
          )}
          {(settings || hosts || secrets) && (
            <button type="button" role="tab" aria-selected={tab === "settings"} onClick={() => setTab("settings")}>
              Settings
            </button>
          )}
        </div>
      </nav>
      <main>
        {tab === "pending" && <PendingScreen queue={queue} source={pending} />}
        {tab === "history" && <HistoryScreen source={history} onConnect={hosts ? openHosts : undefined} />}
        {tab === "servers" && servers && <ServersScreen source={servers} onConnect={hosts ? openHosts : undefined} />}
        {/* Rules and Settings hold what a person is typing: once opened they
            stay mounted, only hidden, so a request arriving (which turns the
            window to Pending) does not throw a half-written rule away. */}
        {rules && opened.has("rules") && (
          <div className="kept" hidden={tab !== "rules"}>
            <RulesScreen source={rules} />
          </div>
        )}
        {opened.has("settings") && (
          <div className="kept" hidden={tab !== "settings"}>
            <SettingsScreen
              settings={settings}
              hosts={hosts}
              secrets={secrets}
              shown={tab === "settings"}
              focusHosts={hostsRequests}
            />
          </div>
        )}
      </main>
    </div>
  );
}
