import type { ServersSource } from "../api";

/** Each upstream with its status and its tools. */
export function ServersScreen(_: { source: ServersSource }) {
  return (
    <section className="screen">
      <h1>Servers &amp; tools</h1>
    </section>
  );
}
