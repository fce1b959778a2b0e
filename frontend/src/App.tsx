import type { CallSource } from "./api";
import { RecentCalls } from "./calls/RecentCalls";

export function App({ calls }: { calls: CallSource }) {
  return (
    <div className="app">
      <nav className="bar">
        <span className="brand">Airlock</span>
      </nav>
      <main>
        <RecentCalls source={calls} />
      </main>
    </div>
  );
}
