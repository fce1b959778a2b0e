import { useCallback, useRef } from "react";

const message = (e: unknown) => String(e instanceof Error ? e.message : e);

/**
 * Returns a reload function for a screen that re-reads on every database
 * change (each proxy's heartbeat is one, every 10 s). One read runs at a
 * time; changes announced during a read make one more read after it, so
 * reads never overlap or land out of order and the last state is shown.
 * show is called only when the data differs from what it was last given
 * (compared as JSON): a heartbeat that changed nothing the screen shows
 * re-renders nothing. fail gets a failed read's message; the screen keeps
 * what it showed, and the next successful read is shown whatever it holds.
 */
export function useReload<T>(read: () => Promise<T>, show: (data: T) => void, fail: (message: string) => void) {
  const reading = useRef(false);
  const stale = useRef(false);
  const last = useRef<string | null>(null);
  // The latest callbacks, so the reload's identity follows read alone.
  const cb = useRef({ show, fail });
  cb.current = { show, fail };

  return useCallback(async () => {
    if (reading.current) {
      stale.current = true;
      return;
    }
    reading.current = true;
    try {
      do {
        stale.current = false;
        try {
          const data = await read();
          const json = JSON.stringify(data);
          if (json !== last.current) {
            last.current = json;
            cb.current.show(data);
          }
        } catch (e) {
          last.current = null;
          cb.current.fail(message(e));
        }
      } while (stale.current);
    } finally {
      reading.current = false;
    }
  }, [read]);
}
