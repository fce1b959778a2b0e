import { useEffect, useRef, useState } from "react";
import type { PendingSource } from "../api";
import { Untrusted } from "../text/Untrusted";
import type { Queue } from "./queue";
import { RequestCard } from "./RequestCard";
import "./pending.css";

/** Focuses a request's card (without scrolling) and returns it. */
function focusCard(id: number): HTMLElement | null {
  const card = document.querySelector<HTMLElement>(`article[data-request-id="${id}"]`);
  card?.focus({ preventScroll: true });
  return card;
}

/**
 * The approval queue, newest on top. One card is selected: A and D answer
 * it, the arrow keys move. The selection follows a request by id, so a new
 * request arriving on top never moves it onto something the person has not
 * looked at.
 */
export function PendingScreen({ queue, source }: { queue: Queue; source: PendingSource }) {
  const requests = queue.kind === "ready" ? queue.requests : [];
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const lastIndex = useRef(0);

  // Keep the selection on a request that is still there: when the selected
  // one leaves (answered here or elsewhere), take the one now in its place.
  const index = requests.findIndex((r) => r.id === selectedId);
  const current = index >= 0 ? index : requests.length === 0 ? -1 : Math.min(lastIndex.current, requests.length - 1);
  const currentId = current >= 0 ? requests[current].id : null;
  useEffect(() => {
    if (current >= 0) lastIndex.current = current;
    if (currentId === selectedId) return;
    // The selected card left and took the keyboard focus with it (a
    // focused button that goes away leaves it on the body): give it to the
    // card now selected, so Tab and Enter go on from there, not from the
    // top of the window.
    const lost = !document.activeElement || document.activeElement === document.body;
    if (selectedId !== null && currentId !== null && lost) focusCard(currentId);
    setSelectedId(currentId);
  }, [current, currentId, selectedId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || requests.length === 0) return;
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      e.preventDefault();
      const next = Math.max(0, Math.min(requests.length - 1, current + (e.key === "ArrowDown" ? 1 : -1)));
      setSelectedId(requests[next].id);
      // The focus moves with the selection: a button still focused in
      // another card would answer that card on Enter.
      focusCard(requests[next].id)?.scrollIntoView?.({ block: "nearest" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [requests, current]);

  return (
    <section className="screen pending" aria-labelledby="pending-title">
      <header className="screen-head">
        <h1 id="pending-title">Waiting for you</h1>
        {queue.kind === "ready" && (
          <span className="count" aria-live="polite">
            {requests.length === 1 ? "1 request" : `${requests.length} requests`}
          </span>
        )}
      </header>
      {queue.kind === "loading" && <p className="hint">Loading…</p>}
      {queue.kind === "failed" && (
        <p className="failure" role="alert">
          Could not read the approval queue: <Untrusted text={queue.message} />
        </p>
      )}
      {queue.kind === "ready" && requests.length === 0 && (
        <div className="empty">
          <p>Nothing is waiting for approval.</p>
          <p className="hint">
            When a call from an AI host needs your answer (a write or destructive call, the first read of a server, a tool
            whose definition changed), it appears here and this window comes forward.
          </p>
        </div>
      )}
      {current > 0 && (
        <button
          type="button"
          className="newer"
          onClick={() => {
            setSelectedId(requests[0].id);
            // This button goes away once the top card is selected: the
            // focus goes to that card instead of the body.
            focusCard(requests[0].id);
            window.scrollTo?.({ top: 0 });
          }}
        >
          ↑ {current === 1 ? "1 newer request" : `${current} newer requests`} above
        </button>
      )}
      <div className="requests">
        {requests.map((r) => (
          <RequestCard
            key={r.id}
            request={r}
            selected={r.id === currentId}
            onSelect={() => setSelectedId(r.id)}
            answer={(id, allow, scope) => source.answer(id, allow, scope)}
          />
        ))}
      </div>
    </section>
  );
}
