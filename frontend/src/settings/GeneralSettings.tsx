import { type FormEvent, useEffect, useState } from "react";
import type { GeneralSettingsValues, SettingsSource } from "../api";
import { Untrusted } from "../text/Untrusted";

/** Claude Desktop gives up on a call after about 60 s; a longer wait is never seen. */
const HOST_TIMEOUT_SECONDS = 60;
const MAX_RETENTION_DAYS = 3650; // config.MaxRetentionDays

type Load = { kind: "loading" } | { kind: "ready"; saved: GeneralSettingsValues } | { kind: "failed"; message: string };
type Note = { ok: boolean; text: string } | null;

/** The form's fields, as typed (strings), so a half-typed number is not lost. */
interface Draft {
  wait: string;
  ttlMinutes: string;
  retention: string;
  notifications: boolean;
}

const message = (e: unknown) => String(e instanceof Error ? e.message : e);

const draftOf = (v: GeneralSettingsValues): Draft => ({
  wait: String(v.approvalWaitSeconds),
  ttlMinutes: String(Math.round((v.approvalTTLSeconds / 60) * 100) / 100),
  retention: String(v.retentionDays),
  notifications: v.notifications,
});

const whole = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);
const decimal = (s: string) => (/^\d+(\.\d+)?$/.test(s.trim()) ? Number(s.trim()) : NaN);

/** Field -> problem; empty when the draft can be saved. Go checks again. */
export function validateSettings(d: Draft): Record<string, string> {
  const errs: Record<string, string> = {};
  const wait = whole(d.wait);
  const ttl = decimal(d.ttlMinutes) * 60;
  const days = whole(d.retention);
  if (!(wait >= 1)) errs.wait = "The approval wait is a whole number of seconds, at least 1.";
  if (!(ttl >= 1)) errs.ttl = "The approval TTL is a number of minutes, more than 0.";
  else if (wait >= 1 && ttl < wait) errs.ttl = "The TTL must be at least as long as the wait: a request cannot expire while a call waits on it.";
  if (!(days >= 1 && days <= MAX_RETENTION_DAYS)) errs.retention = `Retention is a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`;
  return errs;
}

/** Approval wait, TTL, retention, notifications: stored in airlock.json, followed by running proxies. */
/** onLoaded is told once the first read has settled (shown or failed). */
export function GeneralSettings({ source, onLoaded }: { source: SettingsSource; onLoaded?: () => void }) {
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const [doomed, setDoomed] = useState<number | null>(null);

  useEffect(() => {
    source.settings().then(
      (v) => {
        setLoad({ kind: "ready", saved: v });
        setDraft(draftOf(v));
      },
      (e: unknown) => setLoad({ kind: "failed", message: message(e) }),
    );
  }, [source]);

  const settled = load.kind !== "loading" && (load.kind !== "ready" || draft !== null);
  useEffect(() => {
    if (settled) onLoaded?.();
  }, [settled, onLoaded]);

  // A shorter retention deletes history at the next prune: say how much
  // before it is saved, so the person can export first.
  const days = draft ? whole(draft.retention) : NaN;
  const savedDays = load.kind === "ready" ? load.saved.retentionDays : NaN;
  useEffect(() => {
    setDoomed(null);
    if (!(days >= 1 && days <= MAX_RETENTION_DAYS) || !(days < savedDays)) return;
    let live = true;
    source.prunable(days).then(
      (n) => live && setDoomed(n),
      () => live && setDoomed(null),
    );
    return () => {
      live = false;
    };
  }, [source, days, savedDays]);

  if (load.kind === "loading" || (load.kind === "ready" && !draft)) return <p className="hint">Loading settings…</p>;
  if (load.kind === "failed")
    return (
      <section aria-labelledby="general-title">
        <h2 id="general-title">General</h2>
        <p className="failure" role="alert">
          Could not read the settings: <Untrusted text={load.message} />
        </p>
      </section>
    );
  const d = draft as Draft;
  const errs = validateSettings(d);
  const set = (patch: Partial<Draft>) => {
    setDraft({ ...d, ...patch });
    setNote(null);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    setNote(null);
    try {
      const saved = await source.save({
        approvalWaitSeconds: whole(d.wait),
        approvalTTLSeconds: Math.round(decimal(d.ttlMinutes) * 60),
        retentionDays: whole(d.retention),
        notifications: d.notifications,
        configPath: load.saved.configPath,
      });
      setLoad({ kind: "ready", saved });
      setDraft(draftOf(saved));
      setNote({ ok: true, text: "Saved. Running proxies use the new wait and TTL from their next call." });
    } catch (err) {
      setNote({ ok: false, text: `Not saved: ${message(err)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="general-title">
      <h2 id="general-title">General</h2>
      <form className="general-settings" onSubmit={(e) => void save(e)}>
        <p>
          <label>
            Approval wait (seconds){" "}
            <input inputMode="numeric" value={d.wait} onChange={(e) => set({ wait: e.target.value })} aria-invalid={!!errs.wait} />
          </label>
          <br />
          <span className="hint">How long a call waits for an answer before the model is told to ask you and retry.</span>
          {errs.wait && <span className="failure"> {errs.wait}</span>}
          {!errs.wait && whole(d.wait) >= HOST_TIMEOUT_SECONDS && (
            <span className="failure"> Claude Desktop gives up on a call after about {HOST_TIMEOUT_SECONDS} s; keep the wait below that.</span>
          )}
        </p>
        <p>
          <label>
            Approval TTL (minutes){" "}
            <input inputMode="decimal" value={d.ttlMinutes} onChange={(e) => set({ ttlMinutes: e.target.value })} aria-invalid={!!errs.ttl} />
          </label>
          <br />
          <span className="hint">How long a request stays answerable; an answer given later covers one identical retry.</span>
          {errs.ttl && <span className="failure"> {errs.ttl}</span>}
        </p>
        <p>
          <label>
            Keep history (days){" "}
            <input inputMode="numeric" value={d.retention} onChange={(e) => set({ retention: e.target.value })} aria-invalid={!!errs.retention} />
          </label>
          <br />
          <span className="hint">Older calls are deleted when Airlock starts and once a day. Export them from History first to keep them.</span>
          {errs.retention && <span className="failure"> {errs.retention}</span>}
          {!errs.retention && doomed !== null && doomed > 0 && (
            <span className="failure" role="status">
              {" "}
              {doomed.toLocaleString("en-US")} {doomed === 1 ? "call is" : "calls are"} older than {days} days and will be deleted at the next prune.
            </span>
          )}
        </p>
        <p>
          <label>
            <input type="checkbox" checked={d.notifications} onChange={(e) => set({ notifications: e.target.checked })} /> Desktop
            notifications when a call waits
          </label>
          <br />
          <span className="hint">Off, the window still comes forward.</span>
        </p>
        <button type="submit" disabled={busy || Object.keys(errs).length > 0}>
          {busy ? "Saving…" : "Save settings"}
        </button>{" "}
        <span className="hint">
          Stored in <Untrusted text={load.saved.configPath} />
        </span>
        {note && (
          <p className={note.ok ? "hint" : "failure"} role={note.ok ? "status" : "alert"}>
            <Untrusted text={note.text} />
          </p>
        )}
      </form>
    </section>
  );
}
