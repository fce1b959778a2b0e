import type { CallName } from "../api";
import { marker, visible } from "../text/visible";

// The Server and Tool filters match a name exactly (a reviewer filtering by
// server "mem" must not get "memory"'s calls), so they suggest the names the
// log holds. A suggestion is shown, and put into the box, as visible text:
// a name with hidden or bidi characters appears with markers (⟨U+202E⟩), and
// resolveName turns the marked text back into the real name to filter by.

/**
 * A name as a suggestion shows it and puts it into a box: visible text, and
 * line breaks as markers too (visible keeps them, but a one-line box drops
 * them from a picked value, which then matched no name).
 */
export function shownName(name: string): string {
  return visible(name).replace(/[\n\r]/g, (c) => marker(c.codePointAt(0) ?? 0));
}

/** The distinct servers, sorted. */
export function serverNames(names: CallName[]): string[] {
  return [...new Set(names.map((n) => n.server))].sort();
}

/** The distinct tools, of server when it is a known server, else of all servers. */
export function toolNames(names: CallName[], server: string): string[] {
  const ofServer = names.filter((n) => n.server === server);
  return [...new Set((ofServer.length > 0 ? ofServer : names).map((n) => n.tool))].sort();
}

/**
 * Whether the tools toolNames suggests for server are cut short: the Go side
 * lists a capped number of tools a server, so one that logs many (or made-up)
 * names cannot push the others out.
 */
export function toolsCut(names: CallName[], server: string): boolean {
  const ofServer = names.filter((n) => n.server === server);
  return (ofServer.length > 0 ? ofServer : names).some((n) => n.more === true);
}

/**
 * The name to filter by for what the box holds: the text itself when it is
 * a known name (or no known name shows as it), else the one known name whose
 * visible form it is. Nothing is matched by prefix.
 */
export function resolveName(text: string, known: string[]): string {
  if (text === "" || known.includes(text)) return text;
  const shown = known.filter((k) => k !== shownName(k) && shownName(k) === text);
  return shown.length === 1 ? shown[0] : text;
}
