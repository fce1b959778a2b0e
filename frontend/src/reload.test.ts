import { act, renderHook } from "@testing-library/react";
import { useReload } from "./reload";

describe("useReload", () => {
  it("shows data only when it changed, keeps reads in order, and shows again after a failure", async () => {
    let data: unknown = { rules: [1] };
    let fail = "";
    let reads = 0;
    let hold: Promise<void> | null = null;
    const read = async () => {
      reads++;
      if (hold) await hold;
      if (fail) throw new Error(fail);
      return data;
    };
    const shown: unknown[] = [];
    const failed: string[] = [];
    const { result } = renderHook(() => useReload(read, (d) => shown.push(d), (m) => failed.push(m)));

    await act(() => result.current());
    await act(() => result.current()); // a heartbeat: the same data
    expect(reads).toBe(2);
    expect(shown).toEqual([{ rules: [1] }]);

    // Changes during a read make one more read after it, never an overlap.
    let release = () => {};
    hold = new Promise<void>((r) => (release = r));
    let first!: Promise<void>;
    act(() => {
      first = result.current();
    });
    data = { rules: [1, 2] };
    await act(() => result.current());
    await act(() => result.current());
    expect(reads).toBe(3);
    hold = null;
    await act(async () => {
      release();
      await first;
    });
    expect(reads).toBe(4);
    expect(shown).toEqual([{ rules: [1] }, { rules: [1, 2] }]);

    // A failure is reported; the next read is shown even if the data is the same.
    fail = "database is locked";
    await act(() => result.current());
    expect(failed).toEqual(["database is locked"]);
    fail = "";
    await act(() => result.current());
    expect(shown).toEqual([{ rules: [1] }, { rules: [1, 2] }, { rules: [1, 2] }]);
  });
});
