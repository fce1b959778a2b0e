package inspect

import "strings"

// HTTPMethod classifies an HTTP method; an unknown method is a write.
func HTTPMethod(method string) Finding {
	m := strings.ToUpper(strings.TrimSpace(method))
	switch m {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "SEARCH", "REPORT":
		return Finding{Tier: Read, Reasons: []string{"HTTP " + m}}
	case "POST", "PUT", "PATCH", "CONNECT", "MKCOL", "COPY", "MOVE", "PROPPATCH", "LOCK", "UNLOCK", "QUERY":
		return Finding{Tier: Write, Reasons: []string{"HTTP " + m}}
	case "DELETE", "PURGE":
		return Finding{Tier: Destructive, Reasons: []string{"HTTP " + m}}
	case "":
		return Finding{Tier: Write, Reasons: []string{"HTTP method missing"}}
	}
	return Finding{Tier: Write, Reasons: []string{"HTTP method " + snippet(m) + " (unknown)"}}
}

// verbs maps operation words to tiers. Deploying and overwriting are
// destructive (they replace what runs or what was stored); stopping and
// disabling are writes (they can be undone by starting again).
var verbs = map[string]Tier{}

func init() {
	for _, v := range []string{"get", "list", "read", "show", "describe", "view", "search", "find",
		"query", "select", "count", "head", "options", "status", "inspect", "info", "check", "exists",
		"stat", "ls", "cat", "lookup", "fetch", "download", "export", "preview", "diff", "validate",
		"explain", "watch", "logs", "log", "history", "tail", "browse", "retrieve", "scan", "test",
		"ping", "health", "verify", "dry-run", "dryrun", "plan", "analyze", "summarize", "trace"} {
		verbs[v] = Read
	}
	for _, v := range []string{"create", "update", "set", "post", "put", "patch", "insert", "add",
		"append", "write", "edit", "modify", "upsert", "save", "upload", "send", "move", "rename",
		"copy", "merge", "apply", "enable", "start", "restart", "run", "execute", "exec", "invoke",
		"call", "push", "commit", "publish", "import", "install", "upgrade", "replace", "stop",
		"disable", "pause", "resume", "close", "open", "lock", "unlock", "archive", "restore",
		"approve", "reject", "assign", "unassign", "comment", "reply", "submit", "trigger", "schedule",
		"cancel", "transfer", "pay", "charge", "refund", "invite", "share", "grant", "tag", "label",
		"scale", "rollout", "rollback", "sync", "clone", "fork", "checkout", "mkdir", "touch", "chmod",
		"login", "logout", "connect", "disconnect", "attach", "detach", "click", "type", "fill",
		"press", "navigate", "goto", "select-option", "uninstall", "unsubscribe", "subscribe", "mark",
		"increment", "decrement", "toggle", "reset", "revert", "sign", "deploy-preview", "build"} {
		verbs[v] = Write
	}
	for _, v := range []string{"delete", "drop", "destroy", "purge", "remove", "truncate", "kill",
		"terminate", "force-push", "forcepush", "erase", "wipe", "rm", "del", "unlink", "revoke",
		"overwrite", "deploy", "shutdown", "reboot", "format", "prune", "nuke", "clear", "flush",
		"ban", "suspend", "deactivate", "void", "expunge", "evict", "drain", "reset-hard"} {
		verbs[v] = Destructive
	}
}

// Verb classifies an enum-like argument value such as an operation or an
// action. A compound value (delete_user, bulk-delete, listFiles) takes its
// most dangerous known word; false means no word is known.
func Verb(word string) (Finding, bool) {
	v := strings.ToLower(strings.TrimSpace(word))
	if v == "" || len(v) > 64 {
		return Finding{}, false
	}
	norm := strings.NewReplacer("_", "-", " ", "-").Replace(v)
	if t, ok := verbs[norm]; ok {
		return verbFinding(t, norm), true
	}
	best, bestWord, found := Read, "", false
	for _, part := range wordsOf(word) {
		if t, ok := verbs[part]; ok && (!found || t > best) {
			best, bestWord, found = t, part, true
		}
	}
	if !found {
		return Finding{}, false
	}
	return verbFinding(best, bestWord), true
}

func verbFinding(t Tier, v string) Finding {
	return Finding{Tier: t, Reasons: []string{"operation \"" + snippet(v) + "\""}}
}

// wordsOf breaks snake, kebab, dotted and camel case into lower-case words.
func wordsOf(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		var c byte
		if i < len(s) {
			c = s[i]
		}
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		upper := c >= 'A' && c <= 'Z'
		boundary := !letter || (upper && i > 0 && s[i-1] >= 'a' && s[i-1] <= 'z')
		if boundary && start >= 0 {
			out = append(out, strings.ToLower(s[start:i]))
			start = -1
		}
		if letter && start < 0 {
			start = i
		}
	}
	return out
}
