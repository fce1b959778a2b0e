package classify

import (
	"encoding/json"
	"strings"
)

// schemaReading is what a tool's input schema says about its worst use:
// operation arguments with the values they allow, arguments that carry
// something to run (SQL, a command, code), and path-like arguments.
type schemaReading struct {
	ops      []opArg
	runnable []runArg
	outputs  []string // argument names that name a file to write (output, destination...)
	paths    []string // every path-like argument name, destinations first
}

type opArg struct {
	key    string
	values []string
}

type runArg struct {
	key  string
	kind string // "SQL", "commands", "code"
}

type schemaProp struct {
	Enum        []any                  `json:"enum"`
	Description string                 `json:"description"`
	Properties  map[string]*schemaProp `json:"properties"`
}

// normKey lower-cases an argument name and drops separators, so
// output_path, outputPath and output-path compare equal.
func normKey(k string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(k) {
		if r != '_' && r != '-' && r != '.' && r != ' ' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var opKeys = map[string]bool{
	"method": true, "action": true, "operation": true, "op": true, "verb": true,
	"actiontype": true, "operationtype": true, "subcommand": true, "mode": false,
}

var shellKeys = map[string]bool{
	"command": true, "cmd": true, "commands": true, "shellcommand": true,
	"bash": true, "cmdline": true, "commandline": true, "shell": true,
}

var codeKeys = map[string]bool{
	"code": true, "javascript": true, "js": true, "script": true, "python": true,
	"jscode": true, "pythoncode": true, "source": false,
}

// evalKeys hold code only when the tool says it evaluates something
// (browser_evaluate's "function", a calculator's "expression" is not code).
var evalKeys = map[string]bool{"function": true, "expression": true, "expr": true}

var sqlKeys = map[string]bool{"sql": true, "sqlquery": true, "statement": true, "sqlstatement": true}

var outputKeys = []string{
	"destination", "dest", "destinationpath", "destpath", "target", "targetpath",
	"targetfile", "newpath", "output", "outputpath", "outputfile", "outputdir",
	"outputfilename", "outfile", "savepath", "savedir", "savelocation",
	"downloadpath", "localpath", "filename",
}

var inputPathKeys = []string{"path", "filepath", "file", "filename"}

// readSchema reads an input schema. sqlContext says the tool is about a
// database (so a "query" argument is SQL); evalContext that it evaluates
// code (so a "function" argument is code).
func readSchema(raw json.RawMessage, sqlContext, evalContext bool) *schemaReading {
	var s schemaProp
	r := &schemaReading{}
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return r
	}
	present := map[string]string{}
	for key, p := range s.Properties {
		if p == nil {
			continue
		}
		k := normKey(key)
		present[k] = key
		switch {
		case opKeys[k]:
			if vals := opValues(p); len(vals) > 0 {
				r.ops = append(r.ops, opArg{key, vals})
			}
		case sqlKeys[k], k == "query" && sqlContext:
			r.runnable = append(r.runnable, runArg{key, "SQL"})
		case shellKeys[k]:
			r.runnable = append(r.runnable, runArg{key, "commands"})
		case codeKeys[k], evalKeys[k] && evalContext:
			r.runnable = append(r.runnable, runArg{key, "code"})
		}
	}
	for _, k := range outputKeys {
		if key, ok := present[k]; ok {
			r.outputs = append(r.outputs, key)
			r.paths = append(r.paths, key)
		}
	}
	for _, k := range inputPathKeys {
		if key, ok := present[k]; ok && k != "filename" {
			r.paths = append(r.paths, key)
		}
	}
	return r
}

// opValues lists the values an operation argument allows: its enum, or
// failing that the words its description offers ("'create', 'update', or
// 'delete'", "1. get ... 2. get_comments", "ignore, watch, or delete").
func opValues(p *schemaProp) []string {
	var out []string
	for _, e := range p.Enum {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	if len(out) > 0 {
		return out
	}
	d := p.Description
	// Quoted options.
	for i := 0; i < len(d); i++ {
		q := d[i]
		if q != '\'' && q != '"' && q != '`' {
			continue
		}
		// Options are short words: look only a few bytes ahead, so a
		// description full of stray quotes stays linear.
		j := strings.IndexByte(d[i+1:min(len(d), i+42)], q)
		if j <= 0 {
			continue
		}
		w := d[i+1 : i+1+j]
		if isIdent(w) {
			out = append(out, w)
		}
		i += j + 1
	}
	// Numbered options: "1. get - Get details ...".
	for i := 0; i+2 < len(d); i++ {
		if d[i] < '0' || d[i] > '9' || d[i+1] != '.' || d[i+2] != ' ' {
			continue
		}
		j := i + 3
		for j < len(d) && d[j] == ' ' {
			j++
		}
		k := j
		for k < len(d) && (d[k] == '_' || d[k] >= 'a' && d[k] <= 'z' || d[k] >= 'A' && d[k] <= 'Z') {
			k++
		}
		if k > j {
			out = append(out, d[j:k])
		}
	}
	// Options listed after a colon, up to the end of that sentence:
	// "Action to perform: ignore, watch, or delete the subscription."
	if i := strings.IndexByte(d, ':'); i >= 0 {
		rest := d[i+1:]
		if j := strings.IndexAny(rest, ".\n"); j >= 0 {
			rest = rest[:j]
		}
		for _, w := range sentenceWords(rest, 20) {
			if _, _, ok := lookup(w); ok {
				out = append(out, w)
			}
		}
	}
	return out
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// mentionsSQL says a tool is about a database, so that an argument named
// "query" holds SQL rather than search words.
func mentionsSQL(ws []string, desc string) bool {
	for _, w := range ws {
		switch w {
		case "sql", "postgres", "postgresql", "pg", "mysql", "sqlite", "duckdb", "bigquery",
			"snowflake", "mssql", "clickhouse":
			return true
		}
	}
	for _, w := range sentenceWords(desc, 80) {
		switch w {
		case "sql", "select", "postgres", "postgresql", "mysql", "sqlite":
			return true
		}
	}
	return false
}
