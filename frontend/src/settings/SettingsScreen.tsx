import { useEffect, useReducer, useRef, useState } from "react";
import type { HostsSource, SecretsSource, SettingsSource } from "../api";
import { HostsSection } from "../hosts/HostsSection";
import { SecretsSection } from "../secrets/SecretsSection";
import { GeneralSettings } from "./GeneralSettings";

export interface SettingsSources {
  settings?: SettingsSource;
  hosts?: HostsSource;
  secrets?: SecretsSource;
}

/**
 * Settings: one section per concern, each with its own source. Hosts
 * changes airlock.json and the keychain under Secrets' feet (a Connect
 * writes servers with their env, moving tokens fills the keychain): each
 * such change bumps a counter Secrets reloads on.
 */
/**
 * focusHosts counts the requests to bring Hosts into view (App's "Open
 * Settings → Hosts"); each new one is carried out once General above it has
 * loaded, as it would push Hosts down.
 */
export function SettingsScreen({
  settings,
  hosts,
  secrets,
  shown = true,
  focusHosts = 0,
}: SettingsSources & { shown?: boolean; focusHosts?: number }) {
  const [generalLoaded, setGeneralLoaded] = useState(!settings);
  const [changes, changed] = useReducer((n: number) => n + 1, 0);
  // The window keeps this screen mounted, only hidden, once opened (see
  // App). Each time it is shown again, Hosts and Secrets read again: a host
  // config or the keychain may have changed outside the window meanwhile
  // (airlock install, a server added to a host). The forms keep their drafts.
  const [views, viewed] = useReducer((n: number) => n + 1, 0);
  const wasShown = useRef(shown);
  useEffect(() => {
    if (shown && !wasShown.current) viewed();
    wasShown.current = shown;
  }, [shown]);
  return (
    <section className="screen settings">
      <h1>Settings</h1>
      {settings && <GeneralSettings source={settings} onLoaded={() => setGeneralLoaded(true)} />}
      {hosts && <HostsSection source={hosts} onChanged={changed} refresh={views} focus={generalLoaded ? focusHosts : 0} />}
      {secrets && <SecretsSection source={secrets} changes={changes + views} />}
    </section>
  );
}
