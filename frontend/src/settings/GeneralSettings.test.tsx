import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { GeneralSettingsValues, SettingsSource } from "../api";
import { GeneralSettings } from "./GeneralSettings";

afterEach(cleanup);

const stored: GeneralSettingsValues = {
  approvalWaitSeconds: 45,
  approvalTTLSeconds: 600,
  retentionDays: 90,
  notifications: true,
  configPath: "/home/u/\u202eevil<b>x</b>/airlock.json",
};

function fakeSettings(opts: { reject?: string; load?: string; prunable?: number } = {}) {
  let current = { ...stored };
  const saved: GeneralSettingsValues[] = [];
  const source: SettingsSource = {
    settings: () => (opts.load ? Promise.reject(new Error(opts.load)) : Promise.resolve({ ...current })),
    save: (v) => {
      saved.push(v);
      if (opts.reject) return Promise.reject(new Error(opts.reject));
      current = { ...v, configPath: current.configPath };
      return Promise.resolve({ ...current });
    },
    prunable: () => Promise.resolve(opts.prunable ?? 0),
  };
  return { source, saved };
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const saveButton = () => screen.getByRole("button", { name: "Save settings" }) as HTMLButtonElement;

describe("GeneralSettings", () => {
  it("shows the stored settings, the config path as text, and saves changes", async () => {
    const f = fakeSettings();
    render(<GeneralSettings source={f.source} />);
    await screen.findByLabelText("Approval wait (seconds)");
    expect(field("Approval wait (seconds)").value).toBe("45");
    expect(field("Approval TTL (minutes)").value).toBe("10");
    expect(field("Keep history (days)").value).toBe("90");
    expect(field("Desktop notifications when a call waits").checked).toBe(true);
    const section = screen.getByRole("region", { name: "General" });
    expect(section.textContent).toContain("/home/u/⟨U+202E⟩evil<b>x</b>/airlock.json");
    expect(section.querySelector("b")).toBeNull();

    fireEvent.change(field("Approval wait (seconds)"), { target: { value: "30" } });
    fireEvent.change(field("Approval TTL (minutes)"), { target: { value: "2.5" } });
    fireEvent.change(field("Keep history (days)"), { target: { value: "365" } });
    fireEvent.click(field("Desktop notifications when a call waits"));
    fireEvent.click(saveButton());
    await screen.findByRole("status");
    expect(f.saved).toEqual([
      { approvalWaitSeconds: 30, approvalTTLSeconds: 150, retentionDays: 365, notifications: false, configPath: stored.configPath },
    ]);
    expect(screen.getByRole("status").textContent).toContain("Running proxies use the new wait and TTL");
  });

  it.each([
    ["Approval wait (seconds)", "0", "The approval wait is a whole number of seconds, at least 1."],
    ["Approval wait (seconds)", "4.5", "The approval wait is a whole number of seconds"],
    ["Approval TTL (minutes)", "0.5", "The TTL must be at least as long as the wait"],
    ["Approval TTL (minutes)", "ten", "The approval TTL is a number of minutes"],
    ["Keep history (days)", "0", "Retention is a whole number of days from 1 to 3650."],
    ["Keep history (days)", "5000", "Retention is a whole number of days from 1 to 3650."],
  ])("refuses %s = %s before sending", async (label, value, problem) => {
    const f = fakeSettings();
    render(<GeneralSettings source={f.source} />);
    await screen.findByLabelText(label);
    fireEvent.change(field(label), { target: { value } });
    expect(screen.getByRole("region", { name: "General" }).textContent).toContain(problem);
    expect(field(label).getAttribute("aria-invalid")).toBe("true");
    expect(saveButton().disabled).toBe(true);
    fireEvent.submit(saveButton().closest("form") as HTMLFormElement);
    expect(f.saved).toEqual([]);
  });

  it("warns that a wait past the host's timeout is never seen", async () => {
    render(<GeneralSettings source={fakeSettings().source} />);
    await screen.findByLabelText("Approval wait (seconds)");
    fireEvent.change(field("Approval wait (seconds)"), { target: { value: "90" } });
    fireEvent.change(field("Approval TTL (minutes)"), { target: { value: "10" } });
    expect(screen.getByRole("region", { name: "General" }).textContent).toContain("Claude Desktop gives up on a call after about 60 s");
  });

  it("says how many calls a shorter retention deletes", async () => {
    render(<GeneralSettings source={fakeSettings({ prunable: 1234 }).source} />);
    await screen.findByLabelText("Keep history (days)");
    fireEvent.change(field("Keep history (days)"), { target: { value: "7" } });
    await waitFor(() =>
      expect(screen.getByRole("region", { name: "General" }).textContent).toContain(
        "1,234 calls are older than 7 days and will be deleted at the next prune.",
      ),
    );
  });

  it("shows Go's refusal and keeps what was typed", async () => {
    render(<GeneralSettings source={fakeSettings({ reject: 'field "approvalTTL": <i>shorter</i>' }).source} />);
    await screen.findByLabelText("Approval wait (seconds)");
    fireEvent.change(field("Approval wait (seconds)"), { target: { value: "50" } });
    fireEvent.click(saveButton());
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe('Not saved: field "approvalTTL": <i>shorter</i>');
    expect(alert.querySelector("i")).toBeNull();
    expect(field("Approval wait (seconds)").value).toBe("50");
  });

  it("shows why the settings cannot be read instead of defaults", async () => {
    render(<GeneralSettings source={fakeSettings({ load: 'config: field "retention": 0 days' }).source} />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain('Could not read the settings: config: field "retention": 0 days');
    expect(screen.queryByLabelText("Approval wait (seconds)")).toBeNull();
  });
});
