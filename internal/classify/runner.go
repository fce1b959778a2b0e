package classify

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
