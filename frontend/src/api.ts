// The one module that talks to the Go side. Screens and their tests depend on
// the types and the CallSource interface here, never on wailsjs directly, so
// a test passes its own source and the generated bindings can change freely.
import { RecentCalls } from "../wailsjs/go/app/Calls";
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

/** The event the Go side emits after another process commits. */
export const callsChanged = "calls:changed";

/** Where the call list comes from. */
export interface CallSource {
  /** Up to limit calls, newest first. */
  recentCalls(limit: number): Promise<Call[]>;
  /** Calls listener on every change; returns the unsubscribe function. */
  onCallsChanged(listener: () => void): () => void;
}

/** The live source: the Go service bound by Wails. */
export const wailsCalls: CallSource = {
  async recentCalls(limit) {
    const rows = await RecentCalls(limit);
    return (rows ?? []).map((r) => ({ ...r }));
  },
  onCallsChanged(listener) {
    return EventsOn(callsChanged, () => listener());
  },
};
