import { useEffect, useRef, useState } from "react";
import type { PendingRequest, PendingSource } from "../api";

export type Queue =
  | { kind: "loading" }
  | { kind: "ready"; requests: PendingRequest[]; arrivals: number }
  | { kind: "failed"; message: string };

/**
 * The approval queue, reloaded on every "pending:changed". arrivals counts
 * loads that brought a request not seen before (the first load counts when
 * something waits), so the window can turn to the Pending screen.
 */
export function usePendingQueue(source: PendingSource): Queue {
  const [queue, setQueue] = useState<Queue>({ kind: "loading" });
  const seen = useRef<Set<number>>(new Set());
  const arrivals = useRef(0);

  useEffect(() => {
    let live = true;
    // One load at a time; a change during a load triggers one more.
    let running = false;
    let again = false;
    const load = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      do {
        again = false;
        try {
          const rows = await source.pending();
          if (!live) break;
          // Newest on top, whatever order the source used.
          const requests = [...rows].sort((a, b) => b.id - a.id);
          if (requests.some((r) => !seen.current.has(r.id))) arrivals.current++;
          seen.current = new Set(requests.map((r) => r.id));
          setQueue({ kind: "ready", requests, arrivals: arrivals.current });
        } catch (e) {
          if (live) setQueue({ kind: "failed", message: String(e instanceof Error ? e.message : e) });
        }
      } while (again && live);
      running = false;
    };
    const off = source.onPendingChanged(() => void load());
    void load();
    return () => {
      live = false;
      off();
    };
  }, [source]);

  return queue;
}
