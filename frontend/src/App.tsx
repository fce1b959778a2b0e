import { useEffect, useState } from "react";
import type { HistorySource, PendingSource } from "./api";
import { HistoryScreen } from "./history/HistoryScreen";
import { PendingScreen } from "./pending/PendingScreen";
import { usePendingQueue } from "./pending/queue";

type Tab = "pending" | "history";

export function App({ pending, history }: { pending: PendingSource; history: HistorySource }) {
  const queue = usePendingQueue(pending);
  const [tab, setTab] = useState<Tab | null>(null);
  const waiting = queue.kind === "ready" ? queue.requests.length : 0;
  const arrivals = queue.kind === "ready" ? queue.arrivals : 0;

  // The window opens on Pending when something waits, and turns to it
  // whenever a new request arrives: the Go side raises the window for it.
  useEffect(() => {
    if (arrivals > 0) setTab("pending");
  }, [arrivals]);
  useEffect(() => {
    if (tab === null && queue.kind !== "loading" && arrivals === 0) setTab("history");
  }, [tab, queue.kind, arrivals]);

  return (
    <div className="app">
      <nav className="bar">
        <span className="brand">Airlock</span>
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === "pending"} onClick={() => setTab("pending")}>
            Pending ({waiting})
          </button>
          <button type="button" role="tab" aria-selected={tab === "history"} onClick={() => setTab("history")}>
            History
          </button>
        </div>
      </nav>
      <main>
        {tab === "pending" && <PendingScreen queue={queue} source={pending} />}
        {tab === "history" && <HistoryScreen source={history} />}
      </main>
    </div>
  );
}
