package summary

import (
	"fmt"
	"strings"
)

// Shapes of arguments that say more than the tool name: SQL text, a shell
// command, code to evaluate, an HTTP request, a move from one path to another.

// sqlBytes bounds the SQL read to count statements; a longer text says "or
// more".
const sqlBytes = 1 << 20

var (
	sqlAlwaysKeys = []string{"sql", "sqlquery", "rawsql", "sqlstatement"}
	sqlMaybeKeys  = []string{"query", "statement", "q", "command", "input"}
	dbWords       = map[string]bool{"sql": true, "query": true, "queries": true, "db": true, "database": true,
		"postgres": true, "postgresql": true, "pg": true, "mysql": true, "mariadb": true, "sqlite": true,
		"duckdb": true, "bigquery": true, "snowflake": true, "clickhouse": true, "mssql": true, "oracle": true,
		"supabase": true, "neon": true, "table": true, "tables": true, "redshift": true, "cockroach": true}
	sqlKeywords = map[string]bool{"select": true, "insert": true, "update": true, "delete": true, "drop": true,
		"create": true, "alter": true, "truncate": true, "with": true, "merge": true, "replace": true,
		"upsert": true, "grant": true, "revoke": true, "explain": true, "pragma": true, "attach": true,
		"detach": true, "vacuum": true, "analyze": true, "begin": true, "commit": true, "rollback": true,
		"set": true, "show": true, "describe": true, "call": true, "exec": true, "execute": true,
		"copy": true, "comment": true, "reindex": true, "refresh": true, "lock": true, "use": true,
		"values": true, "table": true, "do": true, "load": true, "optimize": true, "rename": true,
		"prepare": true, "deallocate": true, "declare": true, "listen": true, "notify": true,
		"unlisten": true, "cluster": true, "discard": true, "checkpoint": true, "reassign": true,
		"savepoint": true}
)

// sql: "Run SQL on prod-db: DROP TABLE users", with a count when several
// statements are stacked, so "SELECT 1; DROP TABLE users" cannot pass for a
// read.
func (c *call) sql() (string, bool) {
	f, always := c.args.raw(sqlAlwaysKeys...)
	if !always {
		var ok bool
		f, ok = c.args.raw(sqlMaybeKeys...)
		if !ok || !c.mentions(dbWords) {
			return "", false
		}
	}
	text, cut, ok := scalarText(f.raw, sqlBytes)
	// Text in an argument named sql is run as SQL whatever its first word
	// (DISCARD ALL, REASSIGN OWNED): the headline says so.
	if !ok || f.raw[0] != '"' || strings.TrimSpace(text) == "" || !always && !looksLikeSQL(text) {
		return "", false
	}
	first, n := statements(text)
	var b strings.Builder
	b.WriteString("Run SQL")
	if c.server != "" {
		b.WriteString(" on " + c.server)
	}
	switch {
	case cut:
		fmt.Fprintf(&b, " (%s in the first MB)", plural(n, "statement"))
	case n > 1:
		fmt.Fprintf(&b, " (%d statements)", n)
	}
	b.WriteString(": " + first)
	return b.String(), true
}

// mentions reports whether the tool or server name has one of words.
func (c *call) mentions(words map[string]bool) bool {
	for _, w := range c.words {
		if words[w] {
			return true
		}
	}
	for _, w := range splitWords(c.server) {
		if words[w] {
			return true
		}
	}
	return false
}

func looksLikeSQL(s string) bool {
	first, _ := statements(s)
	first = strings.TrimLeft(first, "( ")
	end := strings.IndexAny(first, " (;")
	if end < 0 {
		end = len(first)
	}
	return sqlKeywords[strings.ToLower(first[:end])]
}

// statements returns the first statement of SQL text on one line, without
// comments (a comment may not hide or disguise what runs), and the number of
// statements. Dialects disagree on what hides text (backslash escapes and #
// comments in MySQL, $$ strings in PostgreSQL), so the text is read both ways
// and the reading that finds more statements wins: the summary may show too
// much, never too little.
func statements(s string) (first string, n int) {
	first, n = splitSQL(s, false)
	if f2, n2 := splitSQL(s, true); n2 > n {
		return f2, n2
	}
	return first, n
}

func splitSQL(s string, mysql bool) (first string, n int) {
	var cur strings.Builder
	done, dropped, nonEmpty := false, false, false
	write := func(s string) {
		switch {
		case done:
		case cur.Len() < 4*valueRunes:
			cur.WriteString(s)
		default:
			dropped = true
		}
	}
	end := func() {
		if nonEmpty {
			n++
			done = true
		}
		nonEmpty = false
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '-' && lineComment(s[i:]), c == '#' && mysql:
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			write(" ")
			i += j
		case c == '/' && strings.HasPrefix(s[i:], "/*") && !strings.HasPrefix(s[i:], "/*!"):
			// MySQL runs /*! ... */, so that one stays as text.
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				j = len(s) - i - 2
			}
			write(" ")
			i += j + 4
		case c == '\'' || c == '"' || c == '`':
			j := quoteEnd(s, i, mysql)
			write(s[i:j])
			nonEmpty = true
			i = j
		case c == '$' && !mysql:
			j := dollarEnd(s, i)
			write(s[i:j])
			nonEmpty = true
			i = j
		case c == ';':
			end()
			i++
		default:
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				nonEmpty = true
			}
			write(s[i : i+1])
			i++
		}
	}
	end()
	first, cut := oneLine(cur.String(), valueRunes)
	if cut || dropped {
		first += "…"
	}
	if n == 0 {
		n = 1
	}
	return first, n
}

// lineComment: "--" starts a comment in every dialect only when followed by
// white space (MySQL reads "1--1" as arithmetic).
func lineComment(s string) bool {
	return len(s) >= 2 && s[1] == '-' && (len(s) == 2 || s[2] == ' ' || s[2] == '\t' || s[2] == '\n' || s[2] == '\r')
}

// quoteEnd finds the end of a quoted SQL string or identifier; a doubled
// quote is an escaped one, and so is a backslashed one in MySQL.
func quoteEnd(s string, i int, mysql bool) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if mysql {
				j++
			}
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// dollarEnd finds the end of a PostgreSQL $tag$...$tag$ string; a lone $ (a
// parameter like $1) is one byte.
func dollarEnd(s string, i int) int {
	j := i + 1
	for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9' && j > i+1) {
		j++
	}
	if j >= len(s) || s[j] != '$' {
		return i + 1
	}
	tag := s[i : j+1]
	k := strings.Index(s[j+1:], tag)
	if k < 0 {
		return len(s)
	}
	return j + 1 + k + len(tag)
}

var (
	shellKeys  = []string{"command", "cmd", "commandline", "shellcommand", "bashcommand"}
	shellWords = map[string]bool{"shell": true, "bash": true, "sh": true, "zsh": true, "terminal": true,
		"command": true, "commands": true, "cmd": true, "exec": true, "execute": true, "run": true,
		"process": true, "console": true, "powershell": true, "pwsh": true, "cli": true, "subprocess": true,
		"kubectl": true, "ssh": true, "docker": true, "container": true, "start": true}
	// runWords name tools that run what they are given.
	runWords = map[string]bool{"shell": true, "bash": true, "sh": true, "zsh": true, "terminal": true,
		"command": true, "commands": true, "cmd": true, "exec": true, "execute": true, "run": true,
		"console": true, "powershell": true, "pwsh": true, "subprocess": true, "process": true}
	cwdKeys = []string{"cwd", "workdir", "workingdirectory", "workingdir", "directory", "dir"}
)

// shell: "Run shell: rm -rf build". A line break shows as ⏎ so a second
// command cannot hide as an argument of the first.
func (c *call) shell() (string, bool) {
	cmd, cut, ok := c.args.text(valueRunes, shellKeys...)
	if !ok || strings.TrimSpace(cmd) == "" {
		return "", false
	}
	if !strings.ContainsAny(strings.TrimSpace(cmd), " |;&<>$`") {
		// One word: "command": "view" or "delete" picks an operation (see
		// operation) unless the tool is a shell.
		if _, isVerb := verbWord(cmd); isVerb && !c.mentions(runWords) || !c.mentions(shellWords) {
			return "", false
		}
	}
	line, cut2 := codeLine(cmd, valueRunes)
	if items, n := c.args.strings(maxItems, valueRunes, "args", "arguments", "argv"); n > 0 {
		for _, a := range items {
			if strings.ContainsAny(a, " \t\n'\"") || a == "" {
				a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
			}
			a, _ = codeLine(a, valueRunes)
			line += " " + a
		}
		if n > len(items) {
			line += " …"
		}
	}
	if cut || cut2 {
		line += "…"
	}
	where := "Run shell"
	if img, icut, ok := c.args.text(valueRunes, "image", "container", "containerid", "containername", "pod"); ok && img != "" {
		where = "Run in container " + value(img, icut)
	} else if dir, dcut, ok := c.args.text(valueRunes, cwdKeys...); ok && dir != "" {
		where += " in " + c.path(dir, dcut)
	} else if host, hcut, ok := c.args.text(valueRunes, "host", "hostname", "server"); ok && host != "" {
		where += " on " + value(host, hcut)
	}
	return where + ": " + line, true
}

var (
	codeKeys  = []string{"function", "script", "code", "expression", "js", "javascript", "source", "python"}
	codeWords = map[string]bool{"evaluate": true, "eval": true, "execute": true, "exec": true, "run": true,
		"script": true, "javascript": true, "js": true, "python": true, "code": true, "interpreter": true}
	browserWords = map[string]bool{"browser": true, "page": true, "playwright": true, "puppeteer": true,
		"chrome": true, "devtools": true, "javascript": true, "js": true, "tab": true, "evaluate": true}
)

// code: "Run JavaScript in browser: () => document.title".
func (c *call) code() (string, bool) {
	src, cut, ok := c.args.text(valueRunes, codeKeys...)
	if !ok || strings.TrimSpace(src) == "" || !c.mentions(codeWords) {
		return "", false
	}
	line, cut2 := codeLine(src, valueRunes)
	if cut || cut2 {
		line += "…"
	}
	what := "Run code"
	switch {
	case c.mentions(map[string]bool{"python": true, "py": true}):
		what = "Run Python"
	case c.mentions(browserWords):
		what = "Run JavaScript in browser"
	case c.mentions(shellWords) && !c.mentions(map[string]bool{"code": true}):
		what = "Run shell"
	}
	return what + ": " + line, true
}

var httpMethods = map[string]bool{"GET": true, "HEAD": true, "OPTIONS": true, "POST": true,
	"PUT": true, "PATCH": true, "DELETE": true}

// http: "Send DELETE request to https://api.example.com/users/7".
func (c *call) http() (string, bool) {
	m, _, ok := c.args.text(10, "method", "httpmethod", "verb")
	if !ok || !httpMethods[strings.ToUpper(m)] {
		return "", false
	}
	u, cut, ok := c.args.text(valueRunes, urlKeys...)
	if !ok || u == "" {
		return "", false
	}
	m = strings.ToUpper(m)
	if m == "GET" || m == "HEAD" || m == "OPTIONS" {
		return "Read " + value(u, cut), true
	}
	return "Send " + m + " request to " + value(u, cut), true
}

var (
	srcKeys = []string{"source", "src", "from", "oldpath", "sourcepath", "frompath", "origin", "sourcefile", "old"}
	dstKeys = []string{"destination", "dest", "dst", "to", "newpath", "destinationpath", "topath", "target", "targetpath", "destinationfile", "new"}
)

// move: "Move ~/a.txt to ~/b.txt".
func (c *call) move() (string, bool) {
	if c.verb != "Move" && c.verb != "Copy" {
		return "", false
	}
	src, scut, ok1 := c.args.text(valueRunes, srcKeys...)
	dst, dcut, ok2 := c.args.text(valueRunes, dstKeys...)
	if !ok1 || !ok2 || src == "" || dst == "" {
		return "", false
	}
	s := c.verb + " " + c.path(src, scut) + " to " + c.path(dst, dcut)
	if notes := c.notes(true); len(notes) > 0 {
		s += " (" + strings.Join(notes, ", ") + ")"
	}
	return s, true
}
