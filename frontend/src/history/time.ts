import { formatTime } from "../calls/CallTable";

/**
 * A row's time in the narrow Time column: the local time (HH:MM:SS) for a
 * call of today, the local date (YYYY-MM-DD) for an older one, so the server
 * and tool names get the room. The row's tooltip holds the full stamp.
 */
export function shortTime(rfc3339: string, now: Date): string {
  const full = formatTime(rfc3339);
  if (full === rfc3339) return rfc3339; // not a time: shown as it is
  const p = (n: number) => String(n).padStart(2, "0");
  const today = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
  const [day, time] = full.split(" ");
  return day === today ? time : day;
}
