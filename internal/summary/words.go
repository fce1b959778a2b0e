package summary

import (
	"strings"
	"unicode"
)

// splitWords breaks a tool name into lower-case words at snake, kebab, dot,
// slash and camel boundaries: "createPullRequest", "create_pull_request" and
// "create-pull-request" give the same words; "getHTTPStatus" gives get, http,
// status.
func splitWords(name string) []string {
	if len(name) > 256 {
		name = name[:256]
	}
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// verbs maps words in tool names (and in operation arguments) to the verb
// the summary leads with. Synonyms fold into one verb so a person learns a
// few words: delete/remove/rm are all "Delete".
var verbs = map[string]string{
	"delete": "Delete", "remove": "Delete", "rm": "Delete", "del": "Delete", "destroy": "Delete",
	"drop": "Delete", "purge": "Delete", "erase": "Delete", "unlink": "Delete", "trash": "Delete",
	"rmdir": "Delete", "wipe": "Delete",
	"create": "Create", "new": "Create", "make": "Create", "mkdir": "Create", "touch": "Create",
	"add": "Add", "insert": "Insert", "append": "Append",
	"update": "Update", "edit": "Update", "set": "Update", "modify": "Update", "patch": "Update",
	"change": "Update", "upsert": "Update", "configure": "Update", "replace": "Replace",
	"write": "Write", "put": "Write", "save": "Write", "overwrite": "Write", "upload": "Upload",
	"read": "Read", "get": "Read", "fetch": "Read", "view": "Read", "show": "Read", "cat": "Read",
	"load": "Read", "retrieve": "Read", "describe": "Read", "inspect": "Read", "open": "Read",
	"download": "Download", "export": "Export", "import": "Import",
	"list": "List", "ls": "List", "enumerate": "List", "browse": "List",
	"search": "Search", "find": "Search", "query": "Search", "lookup": "Search", "grep": "Search",
	"move": "Move", "mv": "Move", "rename": "Move",
	"copy": "Copy", "cp": "Copy", "duplicate": "Copy", "clone": "Clone",
	"run": "Run", "exec": "Run", "execute": "Run", "eval": "Run", "evaluate": "Run",
	"invoke": "Run", "trigger": "Run", "dispatch": "Run", "call": "Run",
	"start": "Start", "launch": "Start", "apply": "Apply",
	"send": "Send", "post": "Send", "notify": "Send", "reply": "Reply", "forward": "Forward",
	"publish": "Publish", "share": "Share", "comment": "Comment", "react": "React",
	"merge": "Merge", "push": "Push", "pull": "Pull", "commit": "Commit", "checkout": "Check out",
	"switch": "Switch", "fork": "Fork", "rebase": "Rebase", "revert": "Revert", "reset": "Reset",
	"stage": "Stage", "unstage": "Unstage", "cherry": "Cherry-pick",
	"kill": "Stop", "terminate": "Stop", "stop": "Stop", "halt": "Stop", "abort": "Stop",
	"shutdown": "Stop", "cancel": "Cancel", "restart": "Restart", "reboot": "Restart",
	"deploy": "Deploy", "install": "Install", "uninstall": "Uninstall", "scale": "Scale",
	"rollback": "Roll back", "rollout": "Roll out", "build": "Build", "compile": "Build",
	"close": "Close", "reopen": "Reopen", "lock": "Lock", "unlock": "Unlock", "approve": "Approve",
	"reject": "Reject", "dismiss": "Dismiss", "resolve": "Resolve", "archive": "Archive",
	"restore": "Restore", "assign": "Assign", "unassign": "Unassign", "invite": "Invite",
	"ban": "Ban", "block": "Block", "unblock": "Unblock", "mute": "Mute", "star": "Star",
	"unstar": "Unstar", "follow": "Follow", "unfollow": "Unfollow", "subscribe": "Subscribe",
	"unsubscribe": "Unsubscribe", "grant": "Grant", "revoke": "Revoke", "sign": "Sign",
	"encrypt": "Encrypt", "decrypt": "Decrypt", "login": "Log in", "logout": "Log out",
	"connect": "Connect", "disconnect": "Disconnect", "sync": "Sync", "schedule": "Schedule",
	"navigate": "Open", "goto": "Open", "visit": "Open", "click": "Click", "hover": "Hover",
	"type": "Type", "fill": "Fill", "press": "Press", "select": "Select", "drag": "Drag",
	"scroll": "Scroll", "screenshot": "Take screenshot", "snapshot": "Take snapshot",
	"refund": "Refund", "charge": "Charge", "pay": "Pay", "capture": "Capture", "void": "Void",
	"transfer": "Transfer", "payout": "Pay out", "finalize": "Finalize", "confirm": "Confirm",
	"compress": "Compress", "gzip": "Compress", "zip": "Compress", "unzip": "Extract",
	"extract": "Extract", "convert": "Convert", "generate": "Generate", "calculate": "Calculate",
	"compute": "Calculate", "analyze": "Analyze", "summarize": "Summarize", "translate": "Translate",
	"validate": "Validate", "check": "Check", "test": "Test", "verify": "Verify", "lint": "Lint",
	"format": "Format", "toggle": "Toggle", "enable": "Enable", "disable": "Disable",
	"mark": "Mark", "link": "Link", "tag": "Tag", "label": "Label", "pin": "Pin", "unpin": "Unpin",
	"wait": "Wait", "sleep": "Wait", "print": "Print", "render": "Render", "resize": "Resize",
	"rerun": "Rerun", "retry": "Rerun", "request": "Request", "manage": "Manage", "simulate": "Simulate",
	"init": "Create", "initialize": "Create", "pause": "Pause", "resume": "Resume",
	"recreate": "Recreate", "upgrade": "Upgrade", "ping": "Ping", "cleanup": "Clean up",
	"transition": "Transition",
}

// readNouns are words that name something looked at; a tool named only by
// one of them (git_status, directory_tree) reads.
var readNouns = map[string]bool{
	"status": true, "diff": true, "log": true, "logs": true, "info": true, "stats": true,
	"metadata": true, "health": true, "version": true, "whoami": true, "tree": true,
	"blame": true, "history": true, "details": true,
}

// dropWords never help a person understand the object.
var dropWords = map[string]bool{
	"a": true, "an": true, "the": true, "or": true, "and": true, "tool": true, "mcp": true,
	"multiple": true, "single": true, "specific": true, "given": true, "one": true,
	"browser": true, "playwright": true, "puppeteer": true, "my": true, "take": true, "str": true,
	"editor": true,
}

// stopWords end the object: what follows them describes how, not what
// ("list_directory_with_sizes", "gzip_file_as_resource").
var stopWords = map[string]bool{
	"with": true, "by": true, "using": true, "via": true, "as": true, "for": true,
}

// nounSpelling writes out abbreviations a person should not have to decode.
var nounSpelling = map[string]string{
	"pr": "pull request", "prs": "pull requests", "repo": "repository", "repos": "repositories",
	"dir": "directory", "dirs": "directories", "db": "database", "env": "environment",
	"msg": "message", "me": "own profile", "k8s": "Kubernetes", "mr": "merge request",
	"mrs": "merge requests",
}

// verbOf finds the verb in a tool name's words: the first word that is one,
// "create or update" kept whole. at is its index, -1 when none.
func verbOf(words []string) (verb string, at, end int) {
	for i, w := range words {
		v, ok := verbs[w]
		if !ok || compoundNoun(words, i) {
			continue
		}
		end = i + 1
		if end == len(words)-1 && trailingVerbs[words[end]] {
			// "label_write", "issue_read": a noun named first, the verb
			// last, as GitHub's grouped tools are named.
			return verbs[words[end]], end, end + 1
		}
		if i+2 < len(words) && words[i+1] == "or" {
			if v2, ok := verbs[words[i+2]]; ok {
				v += " or " + strings.ToLower(v2)
				end = i + 3
			}
		}
		return v, i, end
	}
	for i, w := range words {
		if readNouns[w] {
			return "Read", -1, i
		}
	}
	return "", -1, 0
}

// trailingVerbs, last in a name right after a word that could be a verb,
// are the verb ("label_write" writes a label).
var trailingVerbs = map[string]bool{"read": true, "write": true, "get": true, "list": true}

// compoundNoun reports a verb-like word that is part of a noun: "pull" and
// "request" in "pull request", "merge" and "request" in "merge request".
func compoundNoun(words []string, i int) bool {
	isRequest := func(w string) bool { return w == "request" || w == "requests" }
	switch words[i] {
	case "pull", "merge":
		return i+1 < len(words) && isRequest(words[i+1])
	case "request", "requests":
		return i > 0 && (words[i-1] == "pull" || words[i-1] == "merge")
	}
	return false
}

// nounsOf returns the object words of a tool name: the words before and after
// the verb, without filler, the server's own name, or trailing "how" words.
func nounsOf(words []string, at, end int, server string) []string {
	serverWords := map[string]bool{}
	for _, w := range splitWords(server) {
		serverWords[w] = true
	}
	// The server's own name is dropped only as a prefix of the tool name
	// (slack_post_message, maps_geocode); later it is part of the object
	// (get_current_time on a server named "time").
	lead := 0
	for lead < len(words) && serverWords[words[lead]] {
		lead++
	}
	var out []string
	add := func(from, to int) {
		for i := from; i < to; i++ {
			w := words[i]
			if stopWords[w] {
				return
			}
			if dropWords[w] || i < lead {
				continue
			}
			if s, ok := nounSpelling[w]; ok {
				w = s
			}
			out = append(out, w)
		}
	}
	if at < 0 {
		add(0, len(words))
		return out
	}
	add(0, at)
	add(end, len(words))
	return out
}

// verbWord maps an operation argument ("action": "delete", "method":
// "create") to a verb.
func verbWord(s string) (string, bool) {
	ws := splitWords(s)
	if len(ws) == 0 || len(ws) > 3 {
		return "", false
	}
	v, ok := verbs[ws[0]]
	return v, ok
}
