import { useReducer } from "react";
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
export function SettingsScreen({ settings, hosts, secrets }: SettingsSources) {
  const [changes, changed] = useReducer((n: number) => n + 1, 0);
  return (
    <section className="screen settings">
      <h1>Settings</h1>
      {settings && <GeneralSettings source={settings} />}
      {hosts && <HostsSection source={hosts} onChanged={changed} />}
      {secrets && <SecretsSection source={secrets} changes={changes} />}
    </section>
  );
}
