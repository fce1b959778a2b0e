import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { App } from "./App";
import { fakeHistory } from "./history/fakeHistory";
import { fakeQueue } from "./pending/fakeQueue";
import { request } from "./pending/fixture";

afterEach(cleanup);

const history = fakeHistory([]).source;
const tab = (name: RegExp) => screen.getByRole("tab", { name });

describe("App", () => {
  it("starts on Pending when something waits", async () => {
    render(<App history={history} pending={fakeQueue([request({ id: 1 })]).source} />);
    expect(await screen.findByRole("heading", { name: "Waiting for you" })).toBeTruthy();
    expect(tab(/^Pending/).textContent).toBe("Pending (1)");
    expect(tab(/^Pending/).getAttribute("aria-selected")).toBe("true");
  });

  it("starts on History when nothing waits, and turns to Pending when a request arrives", async () => {
    const q = fakeQueue([]);
    render(<App history={history} pending={q.source} />);
    expect(await screen.findByRole("heading", { name: "History" })).toBeTruthy();
    expect(tab(/^Pending/).textContent).toBe("Pending (0)");
    await q.change([request({ id: 5, summary: "Run SQL on prod-db: DROP TABLE users", tier: "destructive" })]);
    expect(await screen.findByRole("heading", { name: "Waiting for you" })).toBeTruthy();
    expect(screen.getByText("Run SQL on prod-db: DROP TABLE users")).toBeTruthy();
    expect(tab(/^Pending/).textContent).toBe("Pending (1)");
  });

  it("switches tabs on click", async () => {
    render(<App history={history} pending={fakeQueue([request({ id: 1 })]).source} />);
    await screen.findByRole("heading", { name: "Waiting for you" });
    fireEvent.click(tab(/^History/));
    expect(await screen.findByRole("heading", { name: "History" })).toBeTruthy();
    expect(tab(/^Pending/).textContent).toBe("Pending (1)");
  });
});
