package inspect

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// Bounds on hostile arguments. Walking is linear in the input; these keep
// the inspectors' share linear too and fail closed when they bind.
const (
	maxArgsDepth    = 64      // deeper values are not inspected: at least a write
	maxInspectBytes = 8 << 20 // total text handed to inspectors per call
)

// Args walks a call's JSON arguments and applies the inspector each value's
// key and shape call for. It returns the highest tier found, with every
// reason.
func Args(args json.RawMessage) Finding {
	var c collector
	trimmed := bytes.TrimSpace(args)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return Finding{Tier: Read}
	}
	var v any
	if err := json.Unmarshal(trimmed, &v); err != nil {
		c.add(Write, "arguments: not valid JSON")
		return c.finding()
	}
	w := argWalker{c: &c, budget: maxInspectBytes}
	w.value("", v, 0)
	return c.finding()
}

type argWalker struct {
	c      *collector
	budget int
	deep   bool
}

func (w *argWalker) value(key string, v any, depth int) {
	if depth > maxArgsDepth {
		if !w.deep {
			w.deep = true
			w.c.add(Write, "arguments: nested too deeply to inspect")
		}
		return
	}
	switch v := v.(type) {
	case map[string]any:
		w.object(key, v, depth)
	case []any:
		if k := normKey(key); shellKeys[k] && allStrings(v) {
			w.inspect(k, func() Finding { return Shell(quoteArgv(v)) }, len(v))
			return
		}
		for _, x := range v {
			w.value(key, x, depth+1)
		}
	case string:
		if t := strings.TrimSpace(v); !known(normKey(key)) && len(t) > 1 && (t[0] == '{' && t[len(t)-1] == '}' || t[0] == '[' && t[len(t)-1] == ']') {
			// JSON inside a string ({"input": "{\"sql\": ...}"}) is walked too.
			var inner any
			if w.budget >= len(t) && json.Unmarshal([]byte(t), &inner) == nil {
				w.budget -= len(t)
				w.value(key, inner, depth+1)
				return
			}
		}
		w.str(key, v)
	}
}

// object handles {"command": "git", "args": ["push", "--force"]}, the shape
// process-running tools use, before walking each key.
func (w *argWalker) object(parent string, m map[string]any, depth int) {
	// {"sql": {"text": "..."}}: values under a known key keep its meaning.
	inherit := ""
	if known(normKey(parent)) {
		inherit = parent
	}
	keyOf := func(k string) string {
		if inherit != "" && !known(normKey(k)) {
			return inherit
		}
		return k
	}
	var cmd string
	var argv []any
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // reasons in a stable order
	for _, k := range keys {
		x := m[k]
		switch nk := normKey(k); {
		case nk == "command" || nk == "cmd" || nk == "executable" || nk == "program":
			if s, ok := x.(string); ok {
				cmd = s
			}
		case nk == "args" || nk == "argv" || nk == "arguments":
			if a, ok := x.([]any); ok && allStrings(a) {
				argv = a
			}
		}
	}
	if cmd != "" && argv != nil {
		line := quoteArgv(append([]any{cmd}, argv...))
		w.inspect("command", func() Finding { return Shell(line) }, len(line))
		for _, k := range keys {
			x := m[k]
			if nk := normKey(k); nk != "command" && nk != "cmd" && nk != "executable" && nk != "program" && nk != "args" && nk != "argv" && nk != "arguments" {
				w.value(keyOf(k), x, depth+1)
			}
		}
		return
	}
	for _, k := range keys {
		w.value(keyOf(k), m[k], depth+1)
	}
}

func (w *argWalker) str(key, s string) {
	k := normKey(key)
	switch {
	case sqlKey(k) && (k != "query" && k != "queries" || looksLikeSQL(s) && sqlShaped(s)):
		w.inspect(k, func() Finding { return SQL(s) }, len(s))
	case (k == "query" || k == "mutation") && isGraphQLMutation(s):
		w.graphQL(s)
	case strings.TrimSpace(s) == "":
	case k == "method" || strings.HasSuffix(k, "method"):
		if f := HTTPMethod(s); !strings.Contains(strings.Join(f.Reasons, ""), "unknown") {
			w.c.addFinding(f)
			return
		}
		w.verb(s)
	case verbKeys[k] || strings.HasPrefix(k, "operation") || strings.HasPrefix(k, "action"):
		w.verb(s)
	case shellKeys[k]:
		if f, ok := Verb(s); ok && isSimpleWord(s) && !isCommand(s) {
			w.c.addFinding(f)
			return
		}
		if (k == "script" || k == "scripts") && looksLikeJS(s) {
			w.inspect(k, func() Finding { return Code(s) }, len(s))
			return
		}
		w.inspect(k, func() Finding { return Shell(s) }, len(s))
	case codeKeys[k]:
		if k == "code" && !looksLikeJS(s) {
			w.inspect(k, func() Finding { return Shell(s) }, len(s))
			return
		}
		w.inspect(k, func() Finding { return Code(s) }, len(s))
	}
}

func isGraphQLMutation(s string) bool {
	return strings.HasPrefix(strings.TrimSpace(s), "mutation")
}

// graphQL names a mutation's most dangerous field verb (deleteUser).
func (w *argWalker) graphQL(s string) {
	tier, reason := Write, "GraphQL mutation"
	for _, t := range lexJS(s[:min(len(s), 1<<16)]) {
		if t.kind != 'i' {
			continue
		}
		if f, ok := Verb(t.s); ok && f.Tier > tier {
			tier, reason = f.Tier, "GraphQL mutation "+snippet(t.s)
		}
	}
	w.c.add(tier, reason)
}

func (w *argWalker) verb(s string) {
	if f, ok := Verb(s); ok {
		w.c.addFinding(f)
	}
}

// inspect runs an inspector while the byte budget lasts; past it, values
// are not read and the call is destructive, since anything could hide there.
func (w *argWalker) inspect(key string, run func() Finding, size int) {
	if size > w.budget {
		w.budget = 0
		w.c.add(Destructive, "arguments: too large to inspect")
		return
	}
	w.budget -= size
	w.c.addFinding(run())
}

// normKey lower-cases a key and drops separators: http_method, httpMethod
// and HTTP-Method are all "httpmethod".
func normKey(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 32)
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteByte(c)
		}
	}
	return b.String()
}

// known keys select an inspector.
func known(k string) bool {
	return sqlKey(k) || shellKeys[k] || codeKeys[k] || verbKeys[k] || k == "method" || strings.HasSuffix(k, "method") ||
		k == "args" || k == "argv" || k == "arguments"
}

func sqlKey(k string) bool {
	switch k {
	case "query", "queries", "statement", "statements", "stmt", "querytext", "sqlquery":
		return true
	}
	return strings.Contains(k, "sql")
}

var shellKeys = setOf("command", "commands", "cmd", "cmds", "commandline", "cmdline", "shell", "bash",
	"sh", "shellcommand", "script", "scripts", "exec", "zsh", "powershell", "terminalcommand")

var verbKeys = setOf("operation", "op", "action", "verb", "mode", "operationtype", "actiontype", "opname", "crud")

var codeKeys = setOf("function", "expression", "js", "javascript", "pagefunction", "evaluate", "fn", "code", "jscode")

// looksLikeSQL is true when the text starts (past comments and brackets)
// with a statement keyword; "query" keys often hold search text instead.
func looksLikeSQL(s string) bool {
	for _, t := range lexSQL(s[:min(len(s), 256)], dialects[0]) {
		if t.punct("(") {
			continue
		}
		if t.kind == tMeta {
			return true
		}
		if t.kind != tWord {
			return false
		}
		if splitWords[t.up] {
			return true
		}
		switch t.up {
		case "SELECT", "WITH", "SHOW", "DESCRIBE", "EXPLAIN", "VALUES", "BEGIN", "SET", "PRAGMA", "DO", "TABLE", "USE":
			return true
		}
		return false
	}
	return false
}

// sqlShaped separates "DELETE FROM t" from search text that happens to
// start with a verb ("delete button not working"): SQL has structure words
// or punctuation, or is a few words long.
func sqlShaped(s string) bool {
	if strings.ContainsAny(s, ";*=(),'\"`") || len(strings.Fields(s)) <= 3 {
		return true
	}
	for _, w := range strings.Fields(strings.ToUpper(s[:min(len(s), 4096)])) {
		switch w {
		case "FROM", "INTO", "SET", "TABLE", "WHERE", "VALUES", "JOIN", "DATABASE", "SCHEMA", "INDEX",
			"VIEW", "COLUMN", "LIMIT", "RETURNING", "USING":
			return true
		}
	}
	return false
}

// looksLikeJS tells browser code from a shell script in a "script" or
// "code" value.
func looksLikeJS(s string) bool {
	for _, m := range []string{"document.", "window.", "=>", "querySelector", "function", "const ", "let ", "return ", "console.", "localStorage", "fetch("} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// isCommand says a single word is a known command (ls, rm) rather than an
// operation name, so "command": "rm" is read as the rm command.
func isCommand(s string) bool {
	_, ok := commands[cmdName(strings.TrimSpace(s))]
	return ok
}

// isSimpleWord is true for enum-like values: letters, digits, - and _.
func isSimpleWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return s != ""
}

func allStrings(v []any) bool {
	if len(v) == 0 {
		return false
	}
	for _, x := range v {
		if _, ok := x.(string); !ok {
			return false
		}
	}
	return true
}

// quoteArgv joins an argv into a command line the shell parser reads back
// as the same words.
func quoteArgv(v []any) string {
	var b strings.Builder
	for i, x := range v {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('\'')
		b.WriteString(strings.ReplaceAll(x.(string), "'", `'\''`))
		b.WriteByte('\'')
	}
	return b.String()
}
