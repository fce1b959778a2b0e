import { useEffect, useState } from "react";
import type { Call, CallSource } from "../api";
import { CallTable } from "./CallTable";
import { Untrusted } from "../text/Untrusted";

/** How many calls the screen shows. */
export const recentLimit = 100;

type State = { kind: "loading" } | { kind: "ready"; calls: Call[] } | { kind: "failed"; message: string };

/** The "Recent tool calls" screen; reloads whenever the source says so. */
export function RecentCalls({ source }: { source: CallSource }) {
  const [state, setState] = useState<State>({ kind: "loading" });

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
          const calls = await source.recentCalls(recentLimit);
          if (live) setState({ kind: "ready", calls });
        } catch (e) {
          if (live) setState({ kind: "failed", message: String(e instanceof Error ? e.message : e) });
        }
      } while (again && live);
      running = false;
    };
    const off = source.onCallsChanged(() => void load());
    void load();
    return () => {
      live = false;
      off();
    };
  }, [source]);

  return (
    <section className="screen" aria-labelledby="recent-title">
      <header className="screen-head">
        <h1 id="recent-title">Recent tool calls</h1>
        {state.kind === "ready" && (
          <span className="count" aria-live="polite">
            {state.calls.length === recentLimit ? `latest ${recentLimit}` : `${state.calls.length} calls`}
          </span>
        )}
      </header>
      {state.kind === "loading" && <p className="hint">Loading…</p>}
      {state.kind === "failed" && (
        <p className="failure" role="alert">
          Could not read the audit log: <Untrusted text={state.message} />
        </p>
      )}
      {state.kind === "ready" && state.calls.length === 0 && (
        <div className="empty">
          <p>No tool calls yet.</p>
          <p className="hint">
            Calls appear here as soon as a host such as Claude Desktop uses a server through <code>airlock proxy</code>.
          </p>
        </div>
      )}
      {state.kind === "ready" && state.calls.length > 0 && <CallTable calls={state.calls} />}
    </section>
  );
}
