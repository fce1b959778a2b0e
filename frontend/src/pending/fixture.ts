import type { PendingRequest } from "../api";

/** A pending write call for tests; over replaces fields. */
export function request(over: Partial<PendingRequest>): PendingRequest {
  return {
    id: 7,
    created: "2026-03-01T12:00:00.000Z",
    expires: "2026-03-01T12:10:00.000Z",
    kind: "call",
    tier: "write",
    server: "fs",
    tool: "write_file",
    summary: "Write file ~/proj/notes.md",
    reasons: ["name says write"],
    findings: [],
    arguments: '{"path":"~/proj/notes.md","content":"hello"}',
    client: "claude-ai",
    session: "s1",
    diff: "",
    ...over,
  };
}
