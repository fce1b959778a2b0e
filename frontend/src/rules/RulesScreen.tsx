import type { RulesSource } from "../api";

/** The rules that allow, deny or tier calls, and what each matched. */
export function RulesScreen(_: { source: RulesSource }) {
  return (
    <section className="screen">
      <h1>Rules</h1>
    </section>
  );
}
