// The Rules screen's form: its fields, and the checks it makes before
// anything is sent. Go checks again (policy.Rule.Validate) and its answer
// is what counts; these checks only say early what Go would refuse.
import type { RuleAction, RuleInfo, RuleInput } from "../api";
import { codePoints, visible } from "../text/visible";

export const ACTIONS: { value: RuleAction; label: string }[] = [
  { value: "allow", label: "Allow without asking" },
  { value: "deny", label: "Deny" },
  { value: "read", label: "Treat as read" },
  { value: "write", label: "Treat as write" },
  { value: "destructive", label: "Treat as destructive" },
];

/** An allow rule's ceiling: "" allows every tier, destructive calls included. */
export const UP_TO: { value: string; label: string }[] = [
  { value: "write", label: "read and write calls" },
  { value: "read", label: "read calls only" },
  { value: "", label: "every call, destructive ones too" },
];

/** The form's state: a rule input as typed (trimmed and checked by toInput and validate). */
export type RuleDraft = RuleInput;

export const emptyDraft = (): RuleDraft => ({
  id: 0,
  server: "",
  tool: "",
  args: [],
  action: "allow",
  upTo: "write",
  note: "",
});

export const draftOf = (r: RuleInfo): RuleDraft => ({
  id: r.id,
  server: r.server,
  tool: r.tool,
  args: r.args.map((a) => ({ ...a })),
  action: r.action,
  upTo: r.upTo,
  note: r.note,
});

const MAX_PATTERN = 1024; // policy.maxPattern

/** Why a glob cannot be used, or "". */
function patternProblem(p: string): string {
  if (visible(p) !== p) return `contains an invisible character (${visible(p)})`;
  if (codePoints(p) > MAX_PATTERN) return `is longer than ${MAX_PATTERN} characters`;
  return "";
}

/** Field name -> problem, for every field the draft gets wrong. Empty when it can be sent. */
export function validate(d: RuleDraft): Record<string, string> {
  const errs: Record<string, string> = {};
  if (d.server.trim() === "") errs.server = 'Name a server, or "*" for every server.';
  else if (patternProblem(d.server)) errs.server = `The server ${patternProblem(d.server)}.`;
  if (d.tool.trim() === "") errs.tool = 'Name a tool or a glob such as "delete_*"; "*" for every tool.';
  else if (patternProblem(d.tool)) errs.tool = `The tool ${patternProblem(d.tool)}.`;
  if (!ACTIONS.some((a) => a.value === d.action)) errs.action = "Choose what the rule does.";
  const seen = new Set<string>();
  d.args.forEach((a, i) => {
    const key = a.key;
    let problem = "";
    if (key === "" || key.startsWith(".") || key.endsWith(".") || key.includes(".."))
      problem = 'Name the argument (use "." between names for a nested value).';
    else if (seen.has(key)) problem = `The argument "${visible(key)}" appears twice.`;
    else if (patternProblem(key)) problem = `The argument name ${patternProblem(key)}.`;
    else if (patternProblem(a.pattern)) problem = `The pattern ${patternProblem(a.pattern)}.`;
    seen.add(key);
    if (problem) errs[`arg${i}`] = problem;
  });
  return errs;
}

/** The draft as the source takes it; an action other than allow has no ceiling. */
export function toInput(d: RuleDraft): RuleInput {
  return {
    id: d.id,
    server: d.server.trim(),
    tool: d.tool.trim(),
    args: d.args.map((a) => ({ key: a.key, pattern: a.pattern })),
    action: d.action,
    upTo: d.action === "allow" ? d.upTo : "",
    note: d.note,
  };
}
