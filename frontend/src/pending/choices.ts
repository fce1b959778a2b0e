import type { PendingRequest, Scope } from "../api";

/** One answer button. */
export interface Choice {
  label: string;
  /** Untrusted text shown after the label, such as a server name. */
  object?: string;
  allow: boolean;
  scope: Scope;
  /** Needs the arming delay and looks like a confirmation of harm. */
  confirm?: boolean;
}

/** How long a destructive call's allow button stays disarmed after its card is selected. */
export const armDelayMs = 1500;

/** A call that deletes or overwrites irreversibly: allow once or deny, nothing more. */
export function isDestructive(r: PendingRequest): boolean {
  return r.kind === "call" && r.tier === "destructive";
}

const deny: Choice = { label: "Deny", allow: false, scope: "once" };
const denyAlways: Choice = { label: "Always deny", allow: false, scope: "always" };

/**
 * The answers a request offers, in the order shown. They match what the
 * store accepts (internal/store checkScope): destructive calls only once,
 * consents per tool or server, a changed definition accepted once.
 */
export function choicesFor(r: PendingRequest): Choice[] {
  if (isDestructive(r)) {
    // Deny first: the confirmation is never the first or default choice.
    return [deny, { label: "Allow once", allow: true, scope: "once", confirm: true }];
  }
  switch (r.kind) {
    case "consent":
      return [
        { label: "Allow this tool", allow: true, scope: "tool" },
        { label: "Allow all reads of ", object: r.server, allow: true, scope: "server" },
        { label: "Allow once", allow: true, scope: "once" },
        deny,
      ];
    case "changed":
      return [{ label: "Accept the new definition", allow: true, scope: "once" }, deny, denyAlways];
    case "call":
      return [
        { label: "Allow once", allow: true, scope: "once" },
        { label: "Allow for session", allow: true, scope: "session" },
        { label: "Always allow", allow: true, scope: "always" },
        deny,
        denyAlways,
      ];
    default:
      // A kind this window does not know: the narrowest answers only.
      return [{ label: "Allow once", allow: true, scope: "once" }, deny];
  }
}

/** What the A key does: allow once, the narrowest allow every kind accepts. */
export function allowKey(r: PendingRequest): Choice {
  return choicesFor(r).find((c) => c.allow && c.scope === "once") ?? { label: "Allow once", allow: true, scope: "once" };
}

/** What the D key does: deny this request once. */
export const denyKey: Choice = deny;
