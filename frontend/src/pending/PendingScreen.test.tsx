import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import type { PendingSource } from "../api";
import { fakeQueue } from "./fakeQueue";
import { request } from "./fixture";
import { PendingScreen } from "./PendingScreen";
import { usePendingQueue } from "./queue";

afterEach(cleanup);

function Screen({ source }: { source: PendingSource }) {
  return <PendingScreen queue={usePendingQueue(source)} source={source} />;
}

const summaries = () => [...document.querySelectorAll("article .summary")].map((s) => s.textContent);
const selected = () => document.querySelector("article[aria-current=true] .summary")?.textContent;
const press = async (key: string) => act(async () => void fireEvent.keyDown(window, { key }));

const r1 = request({ id: 1, summary: "Write file ~/one" });
const r2 = request({ id: 2, summary: "Create issue in acme/api: two" });
const r3 = request({ id: 3, summary: "Run shell: echo three" });

describe("PendingScreen", () => {
  it("shows the queue newest on top with the newest selected", async () => {
    const q = fakeQueue([r1, r3, r2]);
    render(<Screen source={q.source} />);
    expect(await screen.findByText("3 requests")).toBeTruthy();
    expect(summaries()).toEqual(["Run shell: echo three", "Create issue in acme/api: two", "Write file ~/one"]);
    expect(selected()).toBe("Run shell: echo three");
  });

  it("shows an empty state", async () => {
    render(<Screen source={fakeQueue([]).source} />);
    expect(await screen.findByText("Nothing is waiting for approval.")).toBeTruthy();
  });

  it("moves the selection with the arrow keys and answers the selected request", async () => {
    const q = fakeQueue([r1, r2, r3]);
    render(<Screen source={q.source} />);
    await screen.findByText("3 requests");
    await press("ArrowDown");
    await press("ArrowDown");
    await press("ArrowDown"); // stays on the last
    expect(selected()).toBe("Write file ~/one");
    await press("ArrowUp");
    expect(selected()).toBe("Create issue in acme/api: two");

    await press("a");
    expect(q.answers).toEqual([[2, true, "once"]]);
    expect(await screen.findByText("2 requests")).toBeTruthy();
    // The one that took its place is selected: the next one down.
    expect(selected()).toBe("Write file ~/one");
    await press("d");
    expect(q.answers).toEqual([
      [2, true, "once"],
      [1, false, "once"],
    ]);
    expect(await screen.findByText("1 request")).toBeTruthy();
    expect(selected()).toBe("Run shell: echo three");
  });

  it("keeps the selection when a new request arrives on top", async () => {
    const q = fakeQueue([r1, r2]);
    render(<Screen source={q.source} />);
    await screen.findByText("2 requests");
    await press("ArrowDown");
    expect(selected()).toBe("Write file ~/one");
    await q.change([r1, r2, r3]);
    expect(summaries()[0]).toBe("Run shell: echo three");
    expect(selected()).toBe("Write file ~/one");
    expect(screen.getByRole("button", { name: "↑ 2 newer requests above" })).toBeTruthy();
    await press("a");
    expect(q.answers).toEqual([[1, true, "once"]]);
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: "↑ 1 newer request above" })));
    expect(selected()).toBe("Run shell: echo three");
    expect(document.activeElement?.getAttribute("data-request-id")).toBe("3");
    expect(screen.queryByRole("button", { name: /newer/ })).toBeNull();
  });

  it("follows answers given elsewhere", async () => {
    const q = fakeQueue([r1, r2, r3]);
    render(<Screen source={q.source} />);
    await screen.findByText("3 requests");
    await q.change([r1, r2]); // the CLI answered the selected one
    expect(selected()).toBe("Create issue in acme/api: two");
    await q.change([]);
    expect(screen.getByText("Nothing is waiting for approval.")).toBeTruthy();
  });

  it("clicking a card selects it", async () => {
    const q = fakeQueue([r1, r2]);
    render(<Screen source={q.source} />);
    await screen.findByText("2 requests");
    await act(async () => void fireEvent.click(screen.getByText("Write file ~/one")));
    expect(selected()).toBe("Write file ~/one");
  });

  it("selects the card the keyboard focus moves into, so A answers the card the focus is on", async () => {
    const q = fakeQueue([r1, r2]);
    render(<Screen source={q.source} />);
    await screen.findByText("2 requests");
    expect(selected()).toBe("Create issue in acme/api: two");
    const older = document.querySelector<HTMLElement>('article[data-request-id="1"] button.answer')!;
    await act(async () => older.focus());
    expect(selected()).toBe("Write file ~/one");
    await press("a");
    expect(q.answers).toEqual([[1, true, "once"]]);
  });

  it("moves the keyboard focus with the arrow keys", async () => {
    const q = fakeQueue([r1, r2]);
    render(<Screen source={q.source} />);
    await screen.findByText("2 requests");
    await press("ArrowDown");
    expect(document.activeElement?.getAttribute("data-request-id")).toBe("1");
    await press("ArrowUp");
    expect(document.activeElement?.getAttribute("data-request-id")).toBe("2");
  });

  it("puts the focus on the next request after an answer, not back at the top of the window", async () => {
    const q = fakeQueue([r1, r2, r3]);
    render(<Screen source={q.source} />);
    await screen.findByText("3 requests");
    const deny = [...document.querySelectorAll<HTMLElement>('article[data-request-id="3"] button.answer')].find((b) => b.textContent === "Deny")!;
    await act(async () => deny.focus());
    await act(async () => void fireEvent.click(deny));
    expect(await screen.findByText("2 requests")).toBeTruthy();
    expect(selected()).toBe("Create issue in acme/api: two");
    expect(document.activeElement?.getAttribute("data-request-id")).toBe("2");
  });

  it("shows a failure to read the queue as text", async () => {
    const source: PendingSource = {
      pending: () => Promise.reject(new Error("database is locked <i>x</i>")),
      answer: () => Promise.resolve(),
      onPendingChanged: () => () => {},
    };
    const { container } = render(<Screen source={source} />);
    expect((await screen.findByRole("alert")).textContent).toBe("Could not read the approval queue: database is locked <i>x</i>");
    expect(container.querySelector("i")).toBeNull();
  });

  it("unsubscribes when it goes away", async () => {
    const q = fakeQueue([r1]);
    const { unmount } = render(<Screen source={q.source} />);
    await screen.findByText("1 request");
    expect(q.listeners.size).toBe(1);
    unmount();
    expect(q.listeners.size).toBe(0);
  });
});
