package classify

// verb is what one word of a tool name (or of a description's opening)
// says about the tool.
type verb struct {
	tier Tier
	// code marks verbs that run whatever they are given (run, exec, eval):
	// destructive on their own, but a tool built only to run the inspected
	// thing may be refined by its arguments (see runner.go).
	code bool
	// anywhere marks words that count wherever they stand in a name, even
	// after another verb (search_replace, get_or_delete). Most verbs count
	// only in the verb position, because after a verb they are usually
	// nouns: list_commits, get_workflow_run, list_refunds.
	anywhere bool
	// saves marks read verbs that also write a file when the tool takes an
	// output path (download, export).
	saves bool
}

var lexicon = map[string]verb{}

func init() {
	add := func(v verb, words ...string) {
		for _, w := range words {
			lexicon[w] = v
		}
	}
	add(verb{tier: Read},
		"get", "list", "ls", "read", "cat", "head", "tail", "search", "find", "grep",
		"fetch", "show", "describe", "view", "inspect", "count", "check", "browse",
		"lookup", "explain", "validate", "verify", "analyze", "analyse", "preview",
		"query", "retrieve", "echo", "ping", "whoami", "summarize", "summarise",
		"compare", "calculate", "compute", "convert", "parse", "capture",
		"screenshot", "snapshot", "hover", "wait", "scroll", "poll", "monitor",
		"lint", "estimate", "suggest", "extract", "scrape", "crawl", "discover",
		"detect", "identify", "measure", "diff", "stat", "peek", "probe", "return")
	add(verb{tier: Read, saves: true}, "download", "export")
	add(verb{tier: Write},
		"create", "add", "new", "make", "insert", "upsert", "update", "set", "edit",
		"modify", "change", "patch", "put", "post", "write", "save", "store", "send",
		"reply", "respond", "comment", "react", "upload", "move", "mv", "rename",
		"copy", "cp", "merge", "commit", "push", "pull", "start", "stop",
		"restart", "trigger", "rerun", "retry", "publish", "unpublish", "invite",
		"assign", "unassign", "close", "reopen", "open", "archive", "unarchive",
		"navigate", "go", "click", "type", "fill", "press", "select", "drag", "tap",
		"swipe", "resize", "enable", "disable", "toggle",
		"mark", "dismiss", "star", "unstar", "follow", "unfollow", "subscribe",
		"unsubscribe", "fork", "clone", "checkout", "switch", "stage", "unstage",
		"tag", "label", "schedule", "book", "reserve", "approve", "reject",
		"submit", "request", "scale", "rollout", "restore", "import",
		"sync", "link", "unlink", "attach", "detach", "connect", "disconnect",
		"login", "logout", "register", "lock", "unlock", "pin", "unpin", "share",
		"notify", "invoke", "call", "remember", "record", "track", "append",
		"prepend", "init", "initialize", "setup", "configure", "provision",
		"handle", "manage", "resolve", "unresolve", "acknowledge", "ack",
		"snooze", "mute", "unmute", "block", "unblock", "ban", "unban", "suspend",
		"resume", "pause", "unpause", "hide", "unhide", "complete", "finish",
		"finalize", "duplicate", "transition", "reorder", "reprioritize", "vote",
		"like", "accept", "decline", "confirm", "authorize", "redo",
		"revert", "cherrypick", "backup", "trash", "emit", "log", "increment",
		"decrement", "bump", "upvote", "downvote", "claim", "fire", "dispatch",
		"fix", "repair", "correct", "adjust", "refactor", "optimize", "compact", "reindex",
		"vacuum", "rotate", "renew", "extend", "rebuild", "regenerate", "refresh", "reload",
		"promote", "demote", "reassign", "sign", "replay", "reconcile", "sanitize", "seed",
		"populate", "bootstrap", "scaffold", "place",
		"enqueue", "queue", "cordon", "uncordon", "annotate", "tweet", "invalidate", "expire", "generate", "draft", "compose",
		"reply_all", "forward", "mount", "unmount", "deactivate", "activate",
		"replace", "sort", "format")
	add(verb{tier: Destructive},
		"delete", "del", "remove", "rm", "rmdir", "drop", "destroy", "purge",
		"truncate", "wipe", "erase", "kill", "terminate", "revoke", "reset",
		"force", "overwrite", "uninstall", "deploy", "undeploy", "transfer",
		"refund", "pay", "payout", "charge", "withdraw", "cancel", "clear", "clean",
		"cleanup", "prune", "flush", "rollback", "rebase", "squash", "amend",
		"discard", "shutdown", "reboot", "void", "grant", "chmod", "chown",
		"migrate", "evict", "drain", "obliterate", "nuke", "sudo",
		"reinstall", "recreate", "undo", "install", "rewrite", "buy", "purchase",
		"redeploy", "upgrade", "downgrade", "apply", "build")
	add(verb{tier: Destructive, code: true},
		"run", "exec", "execute", "eval", "evaluate", "shell", "bash", "sh",
		"spawn", "interpret", "repl")

	// Words that count even after another verb: they are almost never the
	// object of a read (search_replace, file_delete_recursive, push_force).
	for _, w := range []string{
		"delete", "remove", "rm", "rmdir", "drop", "destroy", "purge", "truncate",
		"wipe", "erase", "kill", "terminate", "uninstall", "overwrite", "replace",
		"insert", "upsert", "rename", "revoke", "force", "shutdown", "obliterate",
		"nuke", "evict", "exec", "execute", "eval", "write", "edit", "modify",
		"cleanup", "prune", "mark",
	} {
		v := lexicon[w]
		v.anywhere = true
		lexicon[w] = v
	}
}

// readNouns end names that have no verb but plainly name something to look
// at: git_status, directory_tree, pods_top, service_details.
var readNouns = map[string]bool{
	"status": true, "diff": true, "log": true, "logs": true, "tree": true,
	"info": true, "details": true, "detail": true, "history": true, "stats": true,
	"statistics": true, "metrics": true, "usage": true, "health": true,
	"version": true, "versions": true, "schema": true, "config": true,
	"configuration": true, "summary": true, "overview": true, "me": true,
	"contents": true, "metadata": true, "top": true, "graph": true, "env": true,
	"time": true, "weather": true, "forecast": true, "docs": true,
	"documentation": true, "profile": true, "report": true,
}

// lightVerbs open a description without saying much ("Perform click on a
// web page", "Take a screenshot"): the real verb follows within a few words.
var lightVerbs = map[string]bool{
	"perform": true, "make": true, "do": true, "take": true, "use": true,
	"allow": true, "allows": true, "let": true, "lets": true, "help": true,
	"helps": true, "tool": true, "will": true, "can": true, "attempt": true,
	"attempts": true, "try": true, "to": true, "this": true, "that": true,
	"a": true, "an": true, "the": true, "you": true, "user": true, "users": true,
	"me": true, "us": true, "please": true, "quickly": true, "simply": true,
	"used": true, "function": true, "endpoint": true, "api": true,
}

// compounds are word pairs that mean one thing: "pull request" is a noun,
// "look up" is one verb.
var compounds = map[[2]string]string{
	{"pull", "request"}:   "pullrequest",
	{"pull", "requests"}:  "pullrequests",
	{"merge", "request"}:  "mergerequest",
	{"merge", "requests"}: "mergerequests",
	{"look", "up"}:        "lookup",
	{"set", "up"}:         "setup",
	{"sign", "in"}:        "login",
	{"log", "in"}:         "login",
	{"log", "out"}:        "logout",
	{"clean", "up"}:       "cleanup",
	{"check", "out"}:      "checkout",
	{"dry", "run"}:        "dryrun",
	{"read", "only"}:      "readonly",
	{"follow", "up"}:      "followup",
	{"drag", "drop"}:      "drag",
	{"cherry", "pick"}:    "cherrypick",
	{"shut", "down"}:      "shutdown",
	{"web", "search"}:     "search",
}

// conjunctions join two actions in one name: get_or_create, search_and_replace.
var conjunctions = map[string]bool{"and": true, "or": true, "then": true, "also": true, "plus": true}

// nounVerbs are verbs that are just as often nouns. When one opens a name
// and a plain CRUD word follows (comment_list, runs_get, API-post-search),
// the CRUD word is the action; alone at the end of a name after no verb
// (git_log, pods_log) a read noun names something to look at.
var nounVerbs = map[string]bool{
	"comment": true, "tag": true, "label": true, "log": true, "commit": true,
	"merge": true, "post": true, "run": true, "deploy": true, "transfer": true,
	"refund": true, "charge": true, "record": true, "link": true, "request": true,
	"book": true, "schedule": true, "stage": true, "star": true, "like": true,
	"share": true, "vote": true, "pin": true, "lock": true, "block": true,
	"track": true, "trigger": true, "patch": true, "draft": true, "backup": true,
	"import": true, "export": true, "download": true, "upload": true,
	"snapshot": true, "screenshot": true, "query": true, "search": true,
	"view": true, "check": true, "change": true, "preview": true, "call": true,
	"update": true, "type": true, "reply": true, "sort": true, "format": true,
	"build": true, "order": true, "copy": true, "store": true, "test": true,
	"diff": true, "stat": true, "count": true, "echo": true, "place": true,
}

// crudWords are the actions that follow a noun in noun-first names
// (pods_list, issueCreate, resources_delete).
var crudWords = map[string]bool{
	"list": true, "get": true, "create": true, "update": true, "delete": true,
	"read": true, "write": true, "search": true, "find": true, "describe": true,
	"show": true, "add": true, "remove": true, "set": true, "edit": true,
	"put": true, "fetch": true, "retrieve": true, "inspect": true, "exec": true,
	"query": true, "upsert": true, "insert": true, "rm": true, "ls": true,
	"new": true, "destroy": true, "cancel": true, "patch": true,
}

// objectRules let the thing a verb acts on change what it means:
// resolve_library_id looks something up (resolve_issue closes one),
// open_nodes reads a graph (open_pull_request creates one), mouse_move
// moves only the pointer, snapshot_volume creates a snapshot,
// capture_payment and create_refund move money, create_deployment deploys.
// words are matched anywhere in the name; heads only as its last word.
var objectRules = []struct {
	verbs  map[string]bool
	words  map[string]bool
	heads  map[string]bool
	tier   Tier
	reason string
}{
	{verbs: setOf("resolve"), tier: Read, words: setOf("id", "ids", "name", "names", "address",
		"path", "url", "uri", "reference", "ref", "symbol", "host", "hostname", "dns", "library",
		"alias", "version")},
	{verbs: setOf("open"), tier: Read, words: setOf("node", "nodes", "file", "files", "document",
		"documents", "entity", "entities", "record", "records")},
	{verbs: setOf("move"), tier: Read, words: setOf("mouse", "cursor", "pointer")},
	{verbs: setOf("place"), tier: Read, words: setOf("details", "detail", "info", "id", "ids",
		"photo", "photos", "reviews", "autocomplete", "nearby")},
	{verbs: setOf("snapshot", "capture"), tier: Write, reason: "creates a snapshot", words: setOf("volume",
		"volumes", "vm", "disk", "disks", "instance", "database", "db", "cluster", "server", "bucket")},
	{verbs: setOf("create", "new", "add", "send", "place", "submit", "make", "issue", "initiate",
		"confirm", "capture", "process", "execute", "start", "trigger", "post", "book", "approve"),
		tier: Destructive, reason: "moves money", heads: setOf("payment", "payments", "charge",
			"charges", "transfer", "transfers", "payout", "payouts", "refund", "refunds", "withdrawal",
			"money", "funds", "wire", "order", "orders", "purchase", "purchases", "tip", "donation")},
	{verbs: setOf("capture"), tier: Destructive, reason: "moves money", words: setOf("payment",
		"payments", "charge", "funds", "intent")},
	{verbs: setOf("create", "new", "trigger", "start", "make", "promote", "approve", "push", "run",
		"rollback", "redeploy"), tier: Destructive, reason: "deploys",
		heads: setOf("deployment", "deployments", "deploy", "deploys")},
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
