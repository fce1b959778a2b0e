// Package summary writes the one-line headline of a tool call that a person
// judges in two seconds: a verb and an object first ("Delete file
// ~/proj/notes.md", "Run SQL on prod-db: DROP TABLE users"). It is shown in
// approval prompts and in the message telling the model a call waits for
// approval.
//
// A summary is a headline, not the record: it leaves arguments out and
// shortens long ones (ending with "…"). The approval prompt and the audit log
// keep the full arguments next to it. Every character a person could not see
// is written out as ⟨U+XXXX⟩ (see Visible), so the summary is plain, safe
// text.
package summary

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Of returns the summary of a call to tool on server with the JSON arguments
// args (which may be empty or invalid). Paths under home are shown as ~/...;
// pass "" to keep them as written.
func Of(server, tool string, args json.RawMessage, home string) string {
	obj, _ := parseObject(args)
	words := splitWords(tool)
	c := &call{server: server, tool: tool, words: words, args: obj, home: home}
	c.verb, c.verbAt, c.verbEnd = verbOf(words)
	if op, ok := c.operation(); ok {
		c.verb = op
	}
	if hasHidden(tool) {
		// Words read out of a name with hidden characters would hide them;
		// show the name as it is.
		c.verb, c.words, c.verbAt, c.verbEnd = "", nil, -1, 0
	}
	return render(c.summary())
}

type call struct {
	server, tool    string
	words           []string
	args            object
	home            string
	verb            string
	verbAt, verbEnd int
}

func (c *call) summary() string {
	if s, ok := c.sql(); ok {
		return s
	}
	if s, ok := c.shell(); ok {
		return s
	}
	if s, ok := c.code(); ok {
		return s
	}
	if s, ok := c.http(); ok {
		return s
	}
	if s, ok := c.move(); ok {
		return s
	}
	if s, ok := c.known(); ok {
		return s
	}
	return c.general()
}

// general assembles verb, object, place and detail:
//
//	Create issue in acme/api: Fix login bug
//	Write file ~/notes/todo.md (1.2 KB)
//	Call acme frobnicate: level=high
func (c *call) general() string {
	var b strings.Builder
	nouns := nounsOf(c.words, c.verbAt, c.verbEnd, c.server)
	if kind, _, ok := c.args.text(60, "resourcetype", "kind", "resource", "objecttype"); ok && kind != "" && !strings.ContainsAny(kind, " \n{:") {
		nouns = []string{strings.ToLower(kind)}
	}
	if c.verb == "" {
		b.WriteString("Call ")
		if c.server != "" {
			b.WriteString(c.server + " ")
		}
		if c.tool == "" {
			b.WriteString("an unnamed tool")
		} else {
			b.WriteString(c.tool)
		}
		nouns = nil
	} else {
		b.WriteString(c.verb)
		if len(nouns) > 0 {
			b.WriteString(" " + strings.Join(nouns, " "))
		}
	}
	subject, isPath := c.subject(nouns)
	place := c.place()
	if subject != "" && subject == place {
		// One argument both named and placed ("channel_id" for
		// get_channel_history): say it once, as the place.
		subject = ""
	}
	if isPath && (c.verb == "Search" || c.verb == "List") && len(nouns) > 0 && place == "" && !endsWith(nouns, "directory", "folder") {
		// "Search files in ~/proj", not "Search files ~/proj".
		place, subject = subject, ""
	}
	if subject != "" {
		if c.verb == "Type" || c.verb == "Fill" {
			b.WriteString(" into")
		}
		b.WriteString(" " + subject)
	} else if c.verb != "" && len(nouns) == 0 && place == "" && c.server != "" {
		switch {
		case c.verb == "Search":
			// "Search gdrive: report": the server is what is searched.
			b.WriteString(" " + c.server)
		case c.verb == "List" && c.args.has("pattern"):
			// Redis's list: "List entries on redis: user:*".
			b.WriteString(" entries on " + c.server)
		default:
			b.WriteString(" on " + c.server)
		}
	}
	if place != "" {
		b.WriteString(" in " + place)
	}
	if to := c.recipient(); to != "" {
		b.WriteString(" to " + to)
	}
	if notes := c.notes(isPath); len(notes) > 0 {
		b.WriteString(" (" + strings.Join(notes, ", ") + ")")
	}
	if d := c.detail(subject != "" || place != ""); d != "" {
		b.WriteString(": " + d)
	}
	return b.String()
}

func hasHidden(s string) bool {
	for _, r := range s {
		if Hidden(r) || r == utf8.RuneError {
			return true
		}
	}
	return false
}

func endsWith(words []string, any ...string) bool {
	if len(words) == 0 {
		return false
	}
	last := words[len(words)-1]
	for _, w := range any {
		if last == w || last == w+"s" || last == w+"ies" {
			return true
		}
	}
	return false
}

// operation reads an operation argument that picks what a multi-purpose tool
// does ("action": "delete", "method": "create"); it names the verb better
// than the tool name does.
func (c *call) operation() (string, bool) {
	for _, k := range []string{"operation", "action", "op", "method", "verb", "mode", "command", "subcommand"} {
		s, _, ok := c.args.text(40, k)
		if !ok || strings.ContainsAny(s, " /\t\n") {
			continue
		}
		if httpMethods[strings.ToUpper(s)] && k == "method" {
			if _, _, hasURL := c.args.text(1, urlKeys...); hasURL {
				continue // an HTTP request; see http
			}
		}
		if v, ok := verbWord(s); ok {
			return v, true
		}
	}
	return "", false
}

// Argument names, normalized (see normalizeKey), in the order they are tried.
var (
	pathKeys = []string{"path", "filepath", "file", "filename", "absolutepath", "relativepath",
		"fullpath", "targetpath", "notebookpath", "directory", "dir", "dirpath", "folder", "folderpath", "target"}
	pathListKeys = []string{"paths", "files", "filepaths", "filenames", "directories"}
	urlKeys      = []string{"url", "uri", "href", "link", "endpoint", "website"}
	numberKeys   = []string{"issuenumber", "pullnumber", "prnumber", "pullrequestnumber", "number", "issue", "pr"}
	nameKeys     = []string{"name", "element", "selector", "key", "label", "id", "revision", "sha"}
	detailKeys   = []string{"title", "subject", "message", "commitmessage", "query", "q", "pattern",
		"searchterm", "search", "naturallanguagequery", "prompt", "question", "topic", "comment", "text", "body",
		"description", "value", "input"}
	sizeKeys = []string{"content", "contents", "text", "data", "filecontent", "newcontent", "body"}
)

// subject is the thing acted on: a path, a list of paths, a URL, a number,
// or a name. isPath reports a filesystem path.
func (c *call) subject(nouns []string) (s string, isPath bool) {
	if p, cut, ok := c.args.text(valueRunes, pathKeys...); ok && p != "" {
		return c.path(p, cut), !c.isRepoFile()
	}
	if items, n := c.args.strings(3, valueRunes, pathListKeys...); len(items) > 0 {
		for i := range items {
			items[i] = c.path(items[i], false)
		}
		return listOf(items, n), true
	}
	if u, cut, ok := c.args.text(valueRunes, urlKeys...); ok && u != "" {
		return value(u, cut), false
	}
	// A noun of the tool name with a matching argument: create_branch with
	// "branch", describe_table with "table_name", pods_delete with "name".
	for i := len(nouns) - 1; i >= 0; i-- {
		n := normalizeKey(nouns[i])
		n = strings.TrimSuffix(n, "s")
		if f, ok := c.args.raw(n, n+"name", n+"id", n+"number", n+"s"); ok {
			if v, cut, ok := scalarText(f.raw, valueRunes); ok && v != "" {
				return named(f.key, v, cut), false
			}
		}
		if names := c.itemNames(n + "s"); names != "" {
			return names, false
		}
	}
	if v, cut, ok := c.args.text(valueRunes, numberKeys...); ok && v != "" {
		return "#" + value(v, cut), false
	}
	for _, k := range []string{"branch", "branchname"} {
		if v, cut, ok := c.args.text(valueRunes, k); ok && v != "" {
			return "branch " + value(v, cut), false
		}
	}
	if names := c.itemNames("entities", "names", "entitynames", "observations", "deletions", "relations", "items"); names != "" {
		return names, false
	}
	for _, k := range nameKeys {
		if v, cut, ok := c.args.text(valueRunes, k); ok && v != "" {
			if k == "key" {
				// A key-value store's get/set/delete: "Read key session:42".
				return "key " + value(v, cut), false
			}
			return value(v, cut), false
		}
	}
	for _, f := range c.args.fields {
		if (strings.HasSuffix(f.key, "id") || idKeys[f.key]) && !placeKeys[f.key] {
			if v, cut, ok := scalarText(f.raw, valueRunes); ok && v != "" {
				return value(v, cut), false
			}
		}
	}
	return "", false
}

var idKeys = map[string]bool{"paymentintent": true, "charge": true, "customer": true, "invoice": true,
	"subscription": true, "price": true, "product": true, "pod": true, "deployment": true, "service": true}

// relation reads an edge of memory's knowledge graph ({"from": "Ada", "to":
// "Acme", "relationType": "works_at"}) as "Ada works_at Acme", each part
// bounded with a visible "…".
func relation(o object) (string, bool) {
	from, fromCut, ok1 := o.text(itemRunes, "from")
	to, toCut, ok2 := o.text(itemRunes, "to")
	if !ok1 || !ok2 || from == "" || to == "" {
		return "", false
	}
	link := "→"
	if t, cut, ok := o.text(itemRunes, "relationtype", "type"); ok && t != "" {
		link = value(t, cut)
	}
	return value(from, fromCut) + " " + link + " " + value(to, toCut), true
}

// named shows a value matched to a noun; issue and pull request numbers get
// a "#".
func named(key, v string, cut bool) string {
	if isDigits(v) && (strings.HasSuffix(key, "number") || key == "issue" || key == "pr" || key == "pull") {
		return "#" + v
	}
	return value(v, cut)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isRepoFile tells a path inside a hosted repository (GitHub's
// get_file_contents) from a local one: it comes with an owner or repo.
func (c *call) isRepoFile() bool {
	_, ok := c.args.raw("repo", "repository", "reponame", "owner")
	return ok
}

// itemRunes bounds each name in a list of items, so three fit in a summary.
const itemRunes = 60

// itemNames lists the names in an array argument: memory's entities
// ([{"name": ...}]) or entityNames (["..."]).
func (c *call) itemNames(keys ...string) string {
	f, ok := c.args.raw(keys...)
	if !ok {
		return ""
	}
	var names []string
	count := 0
	eachItem(f.raw, func(raw []byte) {
		count++
		if len(names) >= 3 {
			return
		}
		// A name longer than its share of the summary keeps a visible "…":
		// nothing is cut silently.
		if s, cut, ok := scalarText(raw, itemRunes); ok {
			names = append(names, value(s, cut))
			return
		}
		if o, ok := parseObject(raw); ok {
			if s, ok := relation(o); ok {
				names = append(names, s)
			} else if s, cut, ok := o.text(itemRunes, "name", "entityname", "title", "id", "path", "filepath"); ok {
				// path, file_path: the files of GitHub's and GitLab's push_files.
				names = append(names, value(s, cut))
			}
		}
	})
	if count == 0 {
		return ""
	}
	if len(names) == 0 {
		return plural(count, "item")
	}
	return listOf(names, count)
}

// listOf writes "a, b, c" or "a, b, c and 4 more".
func listOf(items []string, total int) string {
	s := strings.Join(items, ", ")
	if total > len(items) {
		s += fmt.Sprintf(" and %d more", total-len(items))
	}
	return s
}

func (c *call) path(p string, cut bool) string {
	return value(tildePath(p, c.home), cut)
}

// value puts one argument on one line; a value cut before it reached the
// summary keeps a visible "…".
func value(s string, cut bool) string {
	s, cut2 := oneLine(s, valueRunes)
	if cut || cut2 {
		return s + "…"
	}
	return s
}
