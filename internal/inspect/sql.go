package inspect

import (
	"strconv"
	"strings"
)

// maxSQL bounds the text the SQL inspector reads; longer text is an unusual
// call and gets the highest tier rather than a partial reading.
const maxSQL = 1 << 20

// maxSQLNesting bounds recursion into SQL held in strings (DO bodies,
// EXECUTE 'text', dblink_exec): each level re-reads a substring, so work
// stays linear times this constant.
const maxSQLNesting = 3

// SQL classifies one or many SQL statements. A batch is as dangerous as its
// most dangerous statement under any dialect's reading of the text.
func SQL(text string) Finding {
	var c collector
	sh := sqlShared{c: &c, budget: 32*len(text) + 1<<16}
	sh.inspect(text, 0)
	return c.finding()
}

// sqlShared is the state of one SQL call across dialects and nested SQL:
// the verdict, the strings already inspected (each dialect sees most of
// them the same), and a work budget that keeps hostile nesting linear.
type sqlShared struct {
	c      *collector
	seen   map[string]bool
	budget int
	over   bool
}

// spend charges n units of work; past the budget the text is too complex
// to read and is destructive.
func (sh *sqlShared) spend(n int) bool {
	sh.budget -= n
	if sh.budget < 0 && !sh.over {
		sh.over = true
		sh.c.add(Destructive, "SQL: too complex to inspect")
	}
	return !sh.over
}

func (sh *sqlShared) inspect(text string, nesting int) {
	if len(text) > maxSQL {
		sh.c.add(Destructive, "SQL: text too long to inspect ("+strconv.Itoa(len(text))+" bytes)")
		return
	}
	if nesting > maxSQLNesting {
		sh.c.add(Write, "SQL: nested too deeply to inspect")
		return
	}
	if nesting > 0 {
		key := string(rune('0'+nesting)) + text
		if sh.seen[key] {
			return
		}
		if sh.seen == nil {
			sh.seen = map[string]bool{}
		}
		sh.seen[key] = true
	}
	for _, d := range readings(text) {
		if !sh.spend(len(text)) {
			return
		}
		a := sqlAnalysis{sh: sh, c: sh.c, nesting: nesting}
		a.run(lexSQL(text, d))
	}
}

// sqlAnalysis classifies the tokens of one dialect's reading.
type sqlAnalysis struct {
	sh       *sqlShared
	c        *collector
	nesting  int
	sawBegin bool // a transaction opened in this text: COMMIT/ROLLBACK only end it
}

func (a *sqlAnalysis) run(toks []token) {
	start := 0
	for i := 0; i <= len(toks); i++ {
		if i == len(toks) || toks[i].punct(";") || toks[i].kind == tMeta {
			if i > start {
				a.statement(toks[start:i])
			}
			if i < len(toks) && toks[i].kind == tMeta {
				a.meta(toks[i].text)
			}
			start = i + 1
		}
	}
}

// stmt is one statement's tokens with its parentheses matched, so scans can
// step over a group in one move and the whole analysis stays linear.
type stmt struct {
	toks  []token
	close []int // for '(' the index of its ')', or len(toks) when unclosed
	kind  string
	quiet int // index of a keyword that must not start a statement (EXPLAIN's target)

	inspected []bool // string tokens already read as nested SQL
}

func (s *stmt) word(i int) string {
	if i < len(s.toks) && s.toks[i].kind == tWord {
		return s.toks[i].up
	}
	return ""
}

func newStmt(toks []token) *stmt {
	s := &stmt{toks: toks, close: make([]int, len(toks)), quiet: -1}
	var open []int
	for i, t := range toks {
		s.close[i] = -1
		switch {
		case t.punct("("):
			open = append(open, i)
		case t.punct(")") && len(open) > 0:
			s.close[open[len(open)-1]] = i
			open = open[:len(open)-1]
		}
	}
	for _, o := range open {
		s.close[o] = len(toks)
	}
	return s
}

func (a *sqlAnalysis) statement(toks []token) {
	s := newStmt(toks)
	first := 0
	for first < len(toks) && toks[first].punct("(") {
		first++
	}
	if first == len(toks) {
		a.c.add(Write, "SQL: unrecognized statement")
		return
	}
	s.kind = s.word(first)
	if s.kind == "EXPLAIN" {
		a.explainTarget(s, first)
	}
	a.functions(s)
	if first == 0 {
		a.segment(s, 0, 0)
	} else if !a.splits(s, first) {
		a.segment(s, first, 1)
	}
	for i := 1; i < len(toks); i++ {
		if a.splits(s, i) {
			a.segment(s, i, 1)
		}
	}
}

// splitWords start a statement wherever they appear outside the clause
// contexts below: SQL Server runs "SELECT 1 DELETE FROM t" as two
// statements, and CTEs, rules and blocks nest statements in parentheses.
var splitWords = setOf("INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "TRUNCATE", "ALTER",
	"CREATE", "GRANT", "REVOKE", "DENY", "CALL", "EXEC", "EXECUTE", "COPY", "REPLACE",
	"UPSERT", "ATTACH", "DETACH", "VACUUM", "KILL", "SHUTDOWN", "RESTORE", "LOAD", "PRAGMA",
	"PURGE", "RENAME", "REASSIGN", "WAITFOR", "DBCC", "RECONFIGURE", "BACKUP", "LOCK")

// clauseBefore are words after which a split word is part of a clause
// (ON DELETE CASCADE, FOR UPDATE, ON DUPLICATE KEY UPDATE, ON CONFLICT DO
// UPDATE, CREATE OR REPLACE, GRANT SELECT, UPDATE, trigger events).
var clauseBefore = setOf("ON", "FOR", "KEY", "DO", "OR", "GRANT", "REVOKE", "DENY",
	"BEFORE", "AFTER", "OF", "AS")

// alterClauses are split words that are clauses inside ALTER.
var alterClauses = setOf("DROP", "RENAME", "ALTER", "LOCK")

func (a *sqlAnalysis) splits(s *stmt, i int) bool {
	t := s.toks[i]
	if t.kind != tWord || !splitWords[t.up] || i == s.quiet {
		return false
	}
	prev := s.toks[i-1]
	if prev.punct(".") || prev.punct(",") || prev.punct("=") || (prev.kind == tWord && clauseBefore[prev.up]) {
		// "AS" is a clause word for column aliases, but PREPARE x AS DELETE
		// and CREATE RULE ... DO INSTEAD DELETE nest real statements.
		if !(prev.is("AS") && (s.kind == "PREPARE" || s.kind == "CREATE")) {
			return false
		}
	}
	if i+1 < len(s.toks) && s.toks[i+1].punct("(") && t.up != "EXEC" && t.up != "EXECUTE" {
		return false // a function such as REPLACE(x, y, z)
	}
	if t.up == "LOCK" && s.word(i+1) == "IN" {
		return false // MySQL LOCK IN SHARE MODE
	}
	if s.kind == "ALTER" && alterClauses[t.up] {
		return false
	}
	if s.kind == "MERGE" && prev.is("THEN") {
		return false
	}
	return true
}

// own returns the indexes of the segment's tokens at its own depth, from
// start up to the next statement at that depth or the ')' closing it. Groups
// are represented by their '(' only.
func (a *sqlAnalysis) own(s *stmt, start int, nested int) []int {
	out := make([]int, 0, 16)
	defer func() { a.sh.spend(len(out)) }()
	for i := start; i < len(s.toks); i++ {
		t := s.toks[i]
		if i > start && a.splits(s, i) {
			break
		}
		if t.punct(")") {
			if nested > 0 {
				break
			}
			continue
		}
		out = append(out, i)
		if t.punct("(") {
			i = s.close[i]
		}
	}
	return out
}

func (a *sqlAnalysis) meta(line string) {
	cmd := line
	if i := strings.IndexAny(line, " \t"); i >= 0 {
		cmd = line[:i]
	}
	switch {
	case strings.HasPrefix(cmd, `\!`):
		a.c.add(Destructive, `SQL: psql \! runs a shell command`)
	case cmd == `\copy`:
		if strings.Contains(strings.ToLower(line), " program ") {
			a.c.add(Destructive, `SQL: psql \copy with PROGRAM runs a shell command`)
		} else {
			a.c.add(Write, `SQL: psql \copy`)
		}
	case cmd == `\i` || cmd == `\ir` || cmd == `\include` || cmd == `\o` || cmd == `\out` ||
		cmd == `\w` || cmd == `\write` || cmd == `\gexec` || cmd == `\e` || cmd == `\edit` ||
		cmd == `\lo_import` || cmd == `\lo_export` || cmd == `\lo_unlink` || cmd == `\g` || cmd == `\set`:
		a.c.add(Write, "SQL: psql "+snippet(cmd))
	case cmd == `\c` || cmd == `\connect` || strings.HasPrefix(cmd, `\d`) || strings.HasPrefix(cmd, `\l`) ||
		cmd == `\x` || cmd == `\timing` || cmd == `\conninfo` || cmd == `\?` || cmd == `\h` || cmd == `\echo`:
		a.c.add(Read, "")
	default:
		a.c.add(Write, "SQL: psql "+snippet(cmd))
	}
}

// nestedSQL inspects SQL text held in a string literal (EXECUTE 'DROP ...').
func (a *sqlAnalysis) nestedSQL(text string) {
	a.sh.inspect(text, a.nesting+1)
}

// stringsIn inspects every string literal in toks[from:to] as SQL.
func (a *sqlAnalysis) stringsIn(s *stmt, from, to int) {
	a.stringsWhere(s, from, to, func(string) bool { return true })
}

// stringsWhere inspects the string literals in toks[from:to] that pass
// keep. Ranges nest (EXEC(EXEC(...))), so the scan is charged to the budget.
func (a *sqlAnalysis) stringsWhere(s *stmt, from, to int, keep func(string) bool) {
	to = min(to, len(s.toks))
	if from >= to || !a.sh.spend(to-from) {
		return
	}
	if s.inspected == nil {
		s.inspected = make([]bool, len(s.toks))
	}
	for i := from; i < to; i++ {
		t := s.toks[i]
		if t.kind != tString || s.inspected[i] {
			continue
		}
		s.inspected[i] = true
		if a.sh.spend(min(len(t.text), 256)) && keep(t.text) {
			a.nestedSQL(t.text)
		}
	}
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
