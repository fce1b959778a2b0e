/**
 * Where a credential sits in airlock.json: an env variable's name, or
 * "args[N]" for the server's Nth argument (Go: secrets.ArgKey). The value
 * itself is never sent to the window.
 */
export const isArgKey = (key: string) => /^args\[(0|[1-9][0-9]*)\]$/.test(key);

/** "server's env KEY" or "server's args[N]", as the CLI says it. */
export const whereText = (server: string, key: string) => `${server}'s ${isArgKey(key) ? "" : "env "}${key}`;
