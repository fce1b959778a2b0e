import type { HostsSource, SecretsSource, SettingsSource } from "../api";
import { HostsSection } from "../hosts/HostsSection";
import { SecretsSection } from "../secrets/SecretsSection";
import { GeneralSettings } from "./GeneralSettings";

export interface SettingsSources {
  settings?: SettingsSource;
  hosts?: HostsSource;
  secrets?: SecretsSource;
}

/** Settings: one section per concern, each with its own source. */
export function SettingsScreen({ settings, hosts, secrets }: SettingsSources) {
  return (
    <section className="screen settings">
      <h1>Settings</h1>
      {settings && <GeneralSettings source={settings} />}
      {hosts && <HostsSection source={hosts} />}
      {secrets && <SecretsSection source={secrets} />}
    </section>
  );
}
