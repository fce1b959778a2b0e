import type { SecretsSource } from "../api";

/** Secrets in the OS keychain that upstreams get as ${keyring:NAME}. */
export function SecretsSection(_: { source: SecretsSource }) {
  return <h2>Secrets</h2>;
}
