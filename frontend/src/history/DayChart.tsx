import type { DayCount } from "../api";

/** Tiers stacked bottom to top; anything else (unclassified) goes on top as "other". */
export const chartTiers = ["read", "write", "destructive", "other"] as const;
type ChartTier = (typeof chartTiers)[number];

export interface DayBar {
  day: string;
  total: number;
  denied: number;
  byTier: Record<ChartTier, number>;
}

/** One bar per day from the first to the last day given, empty days included. */
export function dayBars(rows: DayCount[], days: string[]): DayBar[] {
  const bars = new Map<string, DayBar>();
  for (const day of days) bars.set(day, { day, total: 0, denied: 0, byTier: { read: 0, write: 0, destructive: 0, other: 0 } });
  for (const r of rows) {
    const bar = bars.get(r.day);
    if (!bar) continue;
    const tier: ChartTier = (chartTiers as readonly string[]).includes(r.tier) ? (r.tier as ChartTier) : "other";
    bar.byTier[tier] += r.count;
    bar.total += r.count;
    if (r.decision === "deny") bar.denied += r.count;
  }
  return [...bars.values()];
}

/** The local calendar days ending today, oldest first, as YYYY-MM-DD. */
export function lastDays(now: Date, n: number): string[] {
  const out: string[] = [];
  const p = (x: number) => String(x).padStart(2, "0");
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - i);
    out.push(`${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`);
  }
  return out;
}

const width = 640;
const height = 100;
const pad = { top: 4, bottom: 8 };

/**
 * Calls per day, stacked by tier, with the denied part of each day marked
 * by a line under the bar. Built from React SVG elements; every label is a
 * text node. The SVG holds only the bars and stretches to the chart's
 * width (so 30 days fill a wide window and still fit a narrow one); the
 * labels are HTML beside it, so stretching never distorts or overlaps text.
 */
export function DayChart({ rows, days }: { rows: DayCount[]; days: string[] }) {
  const bars = dayBars(rows, days);
  const max = Math.max(1, ...bars.map((b) => b.total));
  const plotH = height - pad.top - pad.bottom;
  const slot = width / Math.max(1, bars.length);
  const barW = Math.max(1, slot * 0.75);
  const total = bars.reduce((n, b) => n + b.total, 0);
  return (
    <figure className="daychart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Calls per day over ${bars.length} days: ${total} in all`}
      >
        {bars.map((b, i) => {
          const x = i * slot + (slot - barW) / 2;
          let y = pad.top + plotH;
          const segments = chartTiers.map((tier) => {
            const h = (b.byTier[tier] / max) * plotH;
            y -= h;
            return b.byTier[tier] > 0 ? <rect key={tier} className={`bar ${tier}`} x={x} y={y} width={barW} height={h} /> : null;
          });
          return (
            <g key={b.day} data-day={b.day}>
              <title>{`${b.day}: ${b.total} calls (${b.byTier.read} read, ${b.byTier.write} write, ${b.byTier.destructive} destructive, ${b.byTier.other} other); ${b.denied} denied`}</title>
              {segments}
              {b.denied > 0 && (
                <rect className="bar denied" x={x} y={pad.top + plotH + 3} width={Math.max(1, (b.denied / b.total) * barW)} height={4} />
              )}
            </g>
          );
        })}
      </svg>
      {bars.length > 0 && (
        <div className="axis" aria-hidden="true">
          <span>{bars[0].day}</span>
          <span>{bars[bars.length - 1].day}</span>
        </div>
      )}
      <figcaption className="legend">
        {chartTiers.map((t) => (
          <span key={t} className={`key ${t}`}>
            {t}
          </span>
        ))}
        <span className="key denied">denied</span>
        <span className="scale">
          {total === 0 ? `no calls in ${bars.length} days` : `busiest day: ${max} ${max === 1 ? "call" : "calls"}`}
        </span>
      </figcaption>
    </figure>
  );
}
