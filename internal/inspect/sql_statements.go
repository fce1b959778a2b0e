package inspect

// segment classifies one statement starting at s.toks[start]. nested says
// whether a ')' at its own depth ends it (a statement inside parentheses).
func (a *sqlAnalysis) segment(s *stmt, start, nested int) {
	own := a.own(s, start, nested)
	end := start
	if n := len(own); n > 0 {
		end = own[n-1] + 1
		if s.toks[own[n-1]].punct("(") {
			end = s.close[own[n-1]] + 1
		}
	}
	w := func(k int) string {
		if k < len(own) {
			return s.word(own[k])
		}
		return ""
	}
	find := func(word string) int {
		for k, i := range own {
			if s.toks[i].is(word) {
				return k
			}
		}
		return -1
	}
	c := a.c
	kw := w(0)
	if kw == "" {
		switch {
		case len(own) > 0 && s.toks[own[0]].punct("("):
			return // a parenthesised query: its inner statements are segments of their own
		default:
			c.add(Write, "SQL: unrecognized statement")
			return
		}
	}
	switch kw {
	case "SELECT", "WITH", "VALUES", "TABLE", "FROM":
		a.query(s, own, kw)
	case "SHOW", "DESCRIBE", "DESC", "USE", "LISTEN", "UNLISTEN", "FETCH", "MOVE", "CLOSE",
		"DEALLOCATE", "DECLARE", "HANDLER", "CHECK", "CHECKSUM", "SUMMARIZE", "PIVOT", "UNPIVOT",
		"LIST", "LS", "HELP":
		c.add(Read, "SQL: "+kw)
	case "EXPLAIN":
		if s.quiet >= 0 {
			c.add(Read, "SQL: EXPLAIN (plan only)")
		} else {
			// The statement it runs is classified as a segment of its own.
			c.add(Read, "SQL: EXPLAIN ANALYZE (runs the statement)")
		}
	case "PRAGMA":
		a.pragma(s, own)
	case "INSERT":
		if w(1) == "OVERWRITE" {
			c.add(Destructive, "SQL: INSERT OVERWRITE (replaces existing data)")
		} else {
			c.add(Write, "SQL: INSERT")
		}
	case "REPLACE", "UPSERT":
		c.add(Write, "SQL: "+kw)
	case "UPDATE", "DELETE":
		where := find("WHERE")
		switch {
		case where < 0:
			c.add(Destructive, "SQL: "+kw+" without WHERE")
		case alwaysTrue(s, own[where+1:]):
			c.add(Destructive, "SQL: "+kw+" with an always-true WHERE")
		case kw == "DELETE":
			c.add(Destructive, "SQL: DELETE")
		default:
			c.add(Write, "SQL: UPDATE")
		}
	case "MERGE":
		if find("DELETE") >= 0 {
			c.add(Destructive, "SQL: MERGE ... DELETE")
		} else {
			c.add(Write, "SQL: MERGE")
		}
	case "CREATE":
		a.create(s, own)
	case "ALTER":
		a.alter(s, own)
	case "DROP":
		c.add(Destructive, "SQL: DROP"+objectKind(w(1), w(2)))
	case "TRUNCATE":
		c.add(Destructive, "SQL: TRUNCATE")
	case "GRANT", "REVOKE", "DENY", "REASSIGN":
		c.add(Destructive, "SQL: "+kw+" (permission change)")
	case "COPY":
		a.copyStmt(s, own)
	case "SET", "RESET", "DISCARD":
		c.add(Write, "SQL: "+kw)
	case "BEGIN", "START", "SAVEPOINT":
		a.sawBegin = true
		c.add(Read, "")
		k := 1
		for k < len(own) && w(k) == "BEGIN" {
			k++
		}
		if kw == "BEGIN" && k < len(own) && s.toks[own[k]].kind == tWord && !txnWords[w(k)] {
			// A block (BEGIN stmt; ... END): its first statement counts.
			a.segment(s, own[k], nested)
		}
	case "COMMIT", "END", "ROLLBACK", "ABORT", "RELEASE":
		if next := w(1); a.sawBegin || (kw == "END" && len(own) > 1 && next != "WORK" && next != "TRANSACTION" && next != "TRAN") {
			// END IF, END LOOP and END $$ close blocks, not transactions.
			c.add(Read, "")
		} else {
			c.add(Write, "SQL: "+kw+" (ends a transaction begun earlier)")
		}
	case "CALL", "EXEC", "EXECUTE":
		a.call(s, own, start, end)
	case "PREPARE":
		a.stringsIn(s, start, end)
		c.add(Read, "")
	case "DO":
		a.doBlock(s, own, start, end)
	case "ATTACH":
		c.add(Destructive, "SQL: ATTACH (opens or creates a database file)")
	case "DETACH":
		c.add(Write, "SQL: DETACH")
	case "VACUUM":
		if find("INTO") >= 0 {
			c.add(Write, "SQL: VACUUM INTO a file")
		} else {
			c.add(Write, "SQL: VACUUM")
		}
	case "LOAD":
		if w(1) == "DATA" || w(1) == "XML" {
			c.add(Write, "SQL: LOAD "+w(1))
		} else {
			c.add(Destructive, "SQL: LOAD (loads a native library)")
		}
	case "KILL":
		c.add(Destructive, "SQL: KILL (ends a session)")
	case "SHUTDOWN":
		c.add(Destructive, "SQL: SHUTDOWN")
	case "RESTORE":
		c.add(Destructive, "SQL: RESTORE (overwrites a database)")
	case "PURGE", "REMOVE", "RM":
		c.add(Destructive, "SQL: "+kw)
	case "WAITFOR":
		c.add(Write, "SQL: WAITFOR (stalls the connection)")
	case "LOCK", "UNLOCK":
		c.add(Write, "SQL: "+kw+" TABLE")
	case "ANALYZE", "ANALYSE", "REINDEX", "CLUSTER", "CHECKPOINT", "REFRESH", "NOTIFY",
		"RENAME", "OPTIMIZE", "REPAIR", "FLUSH", "BACKUP", "DBCC", "RECONFIGURE", "INSTALL",
		"UNINSTALL", "IMPORT", "EXPORT", "COMMENT", "SECURITY", "UNDROP", "PUT", "GET", "UNLOAD":
		c.add(Write, "SQL: "+kw)
	default:
		if se, ok := sideEffects[kw]; ok && se.bare {
			c.add(se.tier, "SQL: "+se.reason)
			return
		}
		c.add(Write, "SQL: unknown statement "+snippet(kw))
	}
}

// query handles SELECT-like statements: read unless a clause writes.
func (a *sqlAnalysis) query(s *stmt, own []int, kw string) {
	tier, reason := Read, "SQL: "+kw
	for k, i := range own {
		t := s.toks[i]
		next := func(n int) token {
			if k+n < len(own) {
				return s.toks[own[k+n]]
			}
			return token{}
		}
		switch {
		case t.is("INTO"):
			switch n := next(1); {
			case n.is("OUTFILE") || n.is("DUMPFILE"):
				a.c.add(Destructive, "SQL: SELECT ... INTO "+n.up+" (writes a server file)")
			case n.kind == tParam:
				// MySQL INTO @variable: a session variable, no side effect.
			default:
				if tier < Write {
					tier, reason = Write, "SQL: SELECT INTO (creates a table)"
				}
			}
		case t.is("FOR") && (next(1).is("UPDATE") || next(1).is("SHARE") || (next(1).is("NO") && next(2).is("KEY")) ||
			(next(1).is("KEY") && next(2).is("SHARE"))):
			if tier < Write {
				tier, reason = Write, "SQL: SELECT ... FOR UPDATE (locks rows)"
			}
		case t.is("LOCK") && next(1).is("IN"):
			if tier < Write {
				tier, reason = Write, "SQL: SELECT ... LOCK IN SHARE MODE (locks rows)"
			}
		}
	}
	a.c.add(tier, reason)
}

// alwaysTrue spots the usual tautologies (1=1, 'a'='a', TRUE, OR 1=1) that
// turn a WHERE into "every row".
func alwaysTrue(s *stmt, cond []int) bool {
	lit := func(k int) (string, bool) {
		if k >= len(cond) {
			return "", false
		}
		t := s.toks[cond[k]]
		if t.kind == tNumber || t.kind == tString {
			return t.text, true
		}
		return "", false
	}
	for k := range cond {
		if k > 0 && !s.toks[cond[k-1]].is("OR") {
			continue
		}
		t := s.toks[cond[k]]
		endOrOr := k+1 >= len(cond) || s.toks[cond[k+1]].is("OR") || clauseEnd[s.word(cond[k+1])]
		if t.is("TRUE") && endOrOr {
			return true
		}
		if t.kind == tNumber && t.text != "0" && endOrOr {
			return true
		}
		if x, ok := lit(k); ok && k+2 < len(cond) && s.toks[cond[k+1]].punct("=") {
			if y, ok := lit(k + 2); ok && x == y {
				return true
			}
		}
	}
	return false
}

var txnWords = setOf("TRANSACTION", "WORK", "TRAN", "ISOLATION", "READ", "DEFERRED", "IMMEDIATE",
	"EXCLUSIVE", "DISTRIBUTED", "TRY", "CATCH", "ATOMIC", "NOT", "DEFERRABLE")

var clauseEnd = setOf("RETURNING", "ORDER", "LIMIT", "GROUP", "OUTPUT")

func objectKind(w1, w2 string) string {
	switch w1 {
	case "TABLE", "VIEW", "INDEX", "DATABASE", "SCHEMA", "SEQUENCE", "FUNCTION", "PROCEDURE",
		"TRIGGER", "TYPE", "USER", "ROLE", "EXTENSION", "COLUMN", "CONSTRAINT", "TABLESPACE",
		"DOMAIN", "POLICY", "RULE", "SERVER", "OWNED", "COLLECTION", "STAGE", "WAREHOUSE",
		"PUBLICATION", "SUBSCRIPTION", "AGGREGATE", "OPERATOR", "LOGIN", "KEYSPACE", "STREAM", "TASK":
		return " " + w1
	case "MATERIALIZED", "FOREIGN", "TEMPORARY", "TEMP", "EVENT":
		if w2 != "" {
			return " " + w1 + " " + w2
		}
		return " " + w1
	}
	return ""
}

func (a *sqlAnalysis) pragma(s *stmt, own []int) {
	name := ""
	k := 1
	if k < len(own) && s.word(own[k]) != "" {
		name = s.word(own[k])
		// schema.pragma
		if k+2 < len(own) && s.toks[own[k+1]].punct(".") {
			name = s.word(own[k+2])
			k += 2
		}
	}
	hasValue := k+1 < len(own) && s.toks[own[k+1]].punct("=")
	hasArg := k+1 < len(own) && s.toks[own[k+1]].punct("(")
	switch {
	case name == "WRITABLE_SCHEMA" && (hasValue || hasArg):
		a.c.add(Destructive, "SQL: PRAGMA writable_schema (can corrupt the database)")
	case hasValue:
		a.c.add(Write, "SQL: PRAGMA "+snippet(name)+" = (changes a setting)")
	case hasArg && !pragmaQueries[name]:
		a.c.add(Write, "SQL: PRAGMA "+snippet(name)+"(...) (changes a setting)")
	case pragmaActions[name]:
		a.c.add(Write, "SQL: PRAGMA "+snippet(name))
	default:
		a.c.add(Read, "SQL: PRAGMA")
	}
}

// pragmaQueries take an argument and only report; pragmaActions take none
// and still act.
var pragmaQueries = setOf("TABLE_INFO", "TABLE_XINFO", "INDEX_INFO", "INDEX_XINFO", "INDEX_LIST",
	"FOREIGN_KEY_LIST", "FOREIGN_KEY_CHECK", "INTEGRITY_CHECK", "QUICK_CHECK", "TABLE_LIST")
var pragmaActions = setOf("OPTIMIZE", "SHRINK_MEMORY", "WAL_CHECKPOINT", "INCREMENTAL_VACUUM")

func (a *sqlAnalysis) create(s *stmt, own []int) {
	k := 1
	orReplace := false
	for k < len(own) {
		switch s.word(own[k]) {
		case "OR":
			if s.word(own[min(k+1, len(own)-1)]) == "REPLACE" {
				orReplace = true
				k++
			}
		case "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "UNIQUE", "DEFINER", "ALGORITHM",
			"SQL", "SECURITY", "TRANSIENT", "VOLATILE", "MATERIALIZED", "RECURSIVE", "CONSTRAINT",
			"TRUSTED", "PROCEDURAL", "EXTERNAL", "VIRTUAL", "CONCURRENTLY", "SECURE", "FOREIGN":
		default:
			goto kind
		}
		k++
	}
kind:
	obj := ""
	if k < len(own) {
		obj = s.word(own[k])
	}
	switch {
	case orReplace:
		a.c.add(Destructive, "SQL: CREATE OR REPLACE"+objectKind(obj, "")+" (overwrites the old definition)")
	case obj == "USER" || obj == "ROLE" || obj == "LOGIN" || obj == "GROUP":
		a.c.add(Destructive, "SQL: CREATE "+obj+" (permission change)")
	default:
		a.c.add(Write, "SQL: CREATE"+objectKind(obj, ""))
	}
}

func (a *sqlAnalysis) alter(s *stmt, own []int) {
	obj := ""
	if len(own) > 1 {
		obj = s.word(own[1])
	}
	switch obj {
	case "USER", "ROLE", "LOGIN", "GROUP", "DEFAULT", "SYSTEM", "SERVER", "AUTHORIZATION":
		a.c.add(Destructive, "SQL: ALTER "+obj+" (permission or server change)")
		return
	}
	for k := 2; k < len(own); k++ {
		switch s.word(own[k]) {
		case "DROP":
			a.c.add(Destructive, "SQL: ALTER ... DROP")
			return
		case "OWNER":
			a.c.add(Destructive, "SQL: ALTER ... OWNER (permission change)")
			return
		case "TYPE", "MODIFY", "CHANGE":
			// A narrower column type truncates or rejects existing data.
			a.c.add(Destructive, "SQL: ALTER ... changes a column type")
			return
		}
	}
	a.c.add(Write, "SQL: ALTER"+objectKind(obj, ""))
}

func (a *sqlAnalysis) copyStmt(s *stmt, own []int) {
	for k, i := range own {
		t := s.toks[i]
		if !t.is("TO") && !t.is("FROM") {
			continue
		}
		next := ""
		nextKind := tPunct
		if k+1 < len(own) {
			next, nextKind = s.word(own[k+1]), s.toks[own[k+1]].kind
		}
		switch {
		case next == "PROGRAM":
			a.c.add(Destructive, "SQL: COPY ... "+t.up+" PROGRAM (runs a shell command)")
		case t.is("TO") && (next == "STDOUT" || next == "STDERR"):
			a.c.add(Read, "SQL: COPY TO STDOUT")
		case t.is("TO") && nextKind == tString:
			a.c.add(Destructive, "SQL: COPY ... TO a server file (overwrites it)")
		case t.is("TO"):
			a.c.add(Write, "SQL: COPY TO")
		default:
			a.c.add(Write, "SQL: COPY FROM")
		}
		return
	}
	a.c.add(Write, "SQL: COPY")
}

func (a *sqlAnalysis) call(s *stmt, own []int, start, end int) {
	kw := s.word(own[0])
	name := ""
	k := 1
	for k < len(own) && (s.word(own[k]) == "IMMEDIATE" || s.word(own[k]) == "PROCEDURE" || s.word(own[k]) == "FUNCTION") {
		k++
	}
	// schema.name: keep the last part.
	for k < len(own) && s.word(own[k]) != "" {
		name = s.word(own[k])
		if k+2 < len(own) && s.toks[own[k+1]].punct(".") {
			k += 2
			continue
		}
		break
	}
	if se, ok := sideEffects[name]; ok {
		a.c.add(se.tier, "SQL: "+se.reason)
	}
	a.stringsIn(s, start, end)
	if name == "" {
		a.c.add(Write, "SQL: "+kw+" dynamic SQL")
		return
	}
	a.c.add(Write, "SQL: "+kw+" "+snippet(name)+" (unknown effect)")
}

// doBlock runs an anonymous code block: PL/pgSQL bodies are SQL and are
// inspected; other languages are code of unknown effect.
func (a *sqlAnalysis) doBlock(s *stmt, own []int, start, end int) {
	lang := "PLPGSQL"
	for k, i := range own {
		if s.toks[i].is("LANGUAGE") && k+1 < len(own) {
			t := s.toks[own[k+1]]
			lang = t.up
			if t.kind != tWord {
				lang = t.text
			}
		}
	}
	if lang != "PLPGSQL" && lang != "plpgsql" && lang != "SQL" {
		a.c.add(Write, "SQL: DO block in "+snippet(lang)+" (unknown effect)")
		return
	}
	// MySQL DO evaluates expressions, whose functions were checked already;
	// a PostgreSQL DO body is a string.
	a.c.add(Read, "")
	a.stringsIn(s, start, end)
}

// explainTarget marks the statement EXPLAIN describes without running it,
// so it does not count as a statement; with ANALYZE it runs and counts.
func (a *sqlAnalysis) explainTarget(s *stmt, first int) {
	analyze := false
	i := first + 1
	for i < len(s.toks) {
		t := s.toks[i]
		switch {
		case t.punct("("):
			for j := i + 1; j < s.close[i] && j < len(s.toks); j++ {
				if s.toks[j].is("ANALYZE") || s.toks[j].is("ANALYSE") {
					off := j+1 < len(s.toks) && (s.toks[j+1].is("FALSE") || s.toks[j+1].is("OFF") ||
						(s.toks[j+1].kind == tNumber && s.toks[j+1].text == "0"))
					analyze = analyze || !off
				}
			}
			i = s.close[i] + 1
			continue
		case t.is("ANALYZE") || t.is("ANALYSE"):
			analyze = true
		case t.kind == tWord && (splitWords[t.up] || t.up == "SELECT" || t.up == "WITH" || t.up == "VALUES" || t.up == "TABLE"):
			if !analyze {
				s.quiet = i
			}
			return
		}
		i++
	}
	if !analyze {
		s.quiet = len(s.toks)
	}
}
