import { act } from "@testing-library/react";
import type { PendingRequest, PendingSource, Scope } from "../api";

/**
 * An approval queue in memory, standing in for the Go service: answering
 * removes the request and plays "pending:changed" as the Go side does.
 */
export function fakeQueue(initial: PendingRequest[]) {
  let rows = initial;
  const listeners = new Set<() => void>();
  const answers: Array<[number, boolean, Scope]> = [];
  const source: PendingSource = {
    async pending() {
      return rows;
    },
    async answer(id, allow, scope) {
      answers.push([id, allow, scope]);
      rows = rows.filter((r) => r.id !== id);
      listeners.forEach((l) => l());
    },
    onPendingChanged(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    source,
    answers,
    listeners,
    /** Replaces the queue, as another process would, and announces it. */
    async change(next: PendingRequest[]) {
      rows = next;
      await act(async () => listeners.forEach((l) => l()));
    },
  };
}
