import type { SettingsSource } from "../api";

/** Approval wait, TTL, retention, notifications. */
export function GeneralSettings(_: { source: SettingsSource }) {
  return <h2>General</h2>;
}
