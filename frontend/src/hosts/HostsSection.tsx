import type { HostsSource } from "../api";

/** Which hosts run their MCP servers through Airlock; connect or disconnect them. */
export function HostsSection(_: { source: HostsSource }) {
  return <h2>Hosts</h2>;
}
