// Runners and dispatchers: the two kinds of tool whose arguments may take a
// call below its definition (see the package comment).

package classify

import (
	"strings"

	"github.com/airlock-dev/airlock/internal/inspect"
)

// runnerWords are the only words a runner's name may hold: every one is
// about running a statement, a command or code. Anything else in the name
// (container, workflow, pod as an object) means the tool does more than
// run what the inspector sees.
var runnerWords = map[string]bool{
	"run": true, "exec": true, "execute": true, "eval": true, "evaluate": true,
	"query": true, "sql": true, "command": true, "cmd": true, "commands": true,
	"shell": true, "bash": true, "sh": true, "terminal": true, "script": true,
	"code": true, "javascript": true, "js": true, "statement": true, "raw": true,
	"read": true, "write": true, "start": true, "process": true, "python": true,
	"node": true, "invoke": true, "call": true, "unsafe": true, "safe": true,
}

// prepositions end the part of a name that says what the tool does:
// exec_in_pod runs a command, the pod is where.
var prepositions = map[string]bool{
	"in": true, "on": true, "at": true, "from": true, "to": true, "against": true,
	"with": true, "via": true, "for": true, "into": true, "inside": true,
}

// runnerName says a name is only about running something: query,
// execute_sql, run_command, browser_evaluate, pods_exec, exec_in_pod. A
// first word that is not a verb is taken as a namespace (browser_, mysql_,
// pods_) and skipped.
func runnerName(ws []string) bool {
	if len(ws) == 0 {
		return false
	}
	start := 0
	if _, _, ok := lookup(ws[0]); !ok && !runnerWords[ws[0]] {
		start = 1
	}
	seen := false
	for _, w := range ws[start:] {
		if prepositions[w] {
			break
		}
		if !runnerWords[w] {
			return false
		}
		seen = true
	}
	return seen
}

// genericVerbs say only "perform the operation": in a dispatcher's name
// (label_write, actions_run_trigger, manage_subscription) the operation
// argument says what actually happens.
var genericVerbs = map[string]bool{
	"manage": true, "handle": true, "run": true, "trigger": true, "write": true,
	"read": true, "execute": true, "exec": true, "perform": true, "process": true,
	"call": true, "invoke": true, "modify": true, "change": true, "get": true,
	"list": true, "rollout": true, "request": true,
}

// opSignal reads one operation value ("delete", "get_comments", "POST");
// known says some word of it was understood.
func opSignal(key, v string) (signal, bool) {
	nr := readName(words(v), key)
	if nr.found {
		worst := nr.signals[0]
		for _, s := range nr.signals[1:] {
			if s.tier > worst.tier {
				worst = s
			}
		}
		return signal{nr.tier, key + " " + v + ": " + strings.TrimPrefix(worst.reason, key+" says ")}, true
	}
	if f, ok := inspect.Verb(v); ok {
		reason := key + " " + v
		if len(f.Reasons) > 0 {
			reason += ": " + f.Reasons[0]
		}
		return signal{f.Tier, reason}, true
	}
	return signal{Write, key + " " + v + ": unknown, treated as write"}, false
}
