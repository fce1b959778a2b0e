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
  /** How far the answer reaches, shown as the button's tooltip (no untrusted text). */
  hint?: string;
}

/** How long a risky request's allow button stays disarmed after its card is selected. */
export const armDelayMs = 1500;

/** A call that deletes or overwrites irreversibly: allow once or deny, nothing more. */
export function isDestructive(r: PendingRequest): boolean {
  return r.kind === "call" && r.tier === "destructive";
}

/**
 * A changed definition that looks like a rug pull: the scanner found
 * something in it (data sent out, hidden text, orders to the model), or the
 * tool as described now is destructive. Accepting it is as grave as allowing
 * a destructive call, so it gets the same disarmed, deny-first answers.
 */
export function isRiskyChange(r: PendingRequest): boolean {
  return r.kind === "changed" && (r.findings.length > 0 || r.tier === "destructive");
}

/** The allow answer starts disarmed and arms after armDelayMs of the card being selected. */
export function needsArming(r: PendingRequest): boolean {
  return isDestructive(r) || isRiskyChange(r);
}

// The hints say what internal/store's Answer and the checkpoint do with each scope.
const deny: Choice = { label: "Deny", allow: false, scope: "once", hint: "Refuse this one call." };
const denyAlways: Choice = { label: "Always deny", allow: false, scope: "always", hint: "Add a rule that refuses every call of this tool." };
const allowOnce: Choice = { label: "Allow once", allow: true, scope: "once", hint: "Let this one call through." };

/**
 * The answers a request offers, in the order shown. They match what the
 * store accepts (internal/store checkScope): destructive calls only once,
 * consents per tool or server, a changed definition accepted once.
 */
export function choicesFor(r: PendingRequest): Choice[] {
  if (isDestructive(r)) {
    // Deny first: the confirmation is never the first or default choice.
    return [deny, { ...allowOnce, confirm: true }];
  }
  switch (r.kind) {
    case "consent":
      return [
        { label: "Allow this tool", allow: true, scope: "tool", hint: "Let this tool read without asking, until its definition changes." },
        { label: "Allow all reads of ", object: r.server, allow: true, scope: "server", hint: "Let every read tool of this server run without asking." },
        allowOnce,
        deny,
      ];
    case "changed": {
      const accept: Choice = {
        label: "Accept the new definition",
        allow: true,
        scope: "once",
        hint: "Approve the tool as it is described now, and let this call through.",
      };
      // Warnings or a destructive tool: refusing comes first, accepting last and armed late.
      if (isRiskyChange(r)) return [deny, denyAlways, { ...accept, confirm: true }];
      return [accept, deny, denyAlways];
    }
    case "call":
      return [
        allowOnce,
        {
          label: "Allow for session",
          allow: true,
          scope: "session",
          hint: "Let this tool's write calls from this host session through until the host restarts; destructive calls still ask.",
        },
        {
          label: "Always allow",
          allow: true,
          scope: "always",
          // The rule stops at the tier seen (a read stays a read).
          hint: `Add a rule that lets this tool's calls through, up to ${r.tier === "read" ? "read" : "write"}; its destructive calls still ask.`,
        },
        deny,
        denyAlways,
      ];
    default:
      // A kind this window does not know: the narrowest answers only.
      return [allowOnce, deny];
  }
}

/** What the A key does: allow once, the narrowest allow every kind accepts. */
export function allowKey(r: PendingRequest): Choice {
  return choicesFor(r).find((c) => c.allow && c.scope === "once") ?? allowOnce;
}

/** What the D key does: deny this request once. */
export const denyKey: Choice = deny;
