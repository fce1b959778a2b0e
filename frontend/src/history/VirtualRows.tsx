import { useRef, useState, type ReactNode } from "react";

/** Rows drawn beyond the visible ones on each side, so fast scrolling does not flash. */
export const overscan = 8;
/** The viewport height assumed before layout (and in jsdom, which has none). */
const fallbackHeight = 600;

/**
 * A fixed-row-height window over many rows: only the rows in view (plus a
 * margin) are in the DOM, so a year of history scrolls like a page of it.
 */
export function VirtualRows<T>({
  items,
  rowHeight,
  height,
  render,
  footer,
  label,
}: {
  items: T[];
  rowHeight: number;
  height: number;
  render: (item: T, index: number) => ReactNode;
  footer?: ReactNode;
  label: string;
}) {
  const [top, setTop] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const viewport = box.current?.clientHeight || height || fallbackHeight;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((top + viewport) / rowHeight) + overscan);
  const shown = [];
  for (let i = first; i < last; i++) {
    shown.push(
      <div key={i} role="listitem" className="vrow" style={{ top: i * rowHeight, height: rowHeight }}>
        {render(items[i], i)}
      </div>,
    );
  }
  return (
    <div
      ref={box}
      className="vrows"
      role="list"
      aria-label={label}
      style={{ height }}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
    >
      <div className="vspace" style={{ height: items.length * rowHeight }}>
        {shown}
      </div>
      {footer}
    </div>
  );
}
