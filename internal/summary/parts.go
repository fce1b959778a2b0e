package summary

import (
	"strings"
)

// The parts of a general summary after the verb and object: where (in
// acme/api), to whom, notes in parentheses, and the detail after a colon.

// place is where the call acts: a repository, a local repository path, a
// namespace, a project or a channel.
func (c *call) place() string {
	owner, ocut, okOwner := c.args.text(valueRunes, "owner", "org", "organization")
	repo, rcut, okRepo := c.args.text(valueRunes, "repo", "reponame", "repository")
	switch {
	case okOwner && okRepo && owner != "" && repo != "" && !strings.Contains(repo, "/"):
		return value(owner+"/"+repo, ocut || rcut)
	case okRepo && repo != "":
		return value(repo, rcut)
	}
	if p, cut, ok := c.args.text(valueRunes, "repopath", "repositorypath", "repodir", "projectpath", "projectdir", "workspacepath", "root"); ok && p != "" {
		return c.path(p, cut)
	}
	if org, ocut, ok := c.args.text(valueRunes, "organizationslug"); ok && org != "" {
		// Sentry's tools name an organization and often a project in it.
		if proj, pcut, ok := c.args.text(valueRunes, "projectslug"); ok && proj != "" {
			return value(org+"/"+proj, ocut || pcut)
		}
		return "organization " + value(org, ocut)
	}
	for _, k := range []struct{ key, label string }{
		{"namespace", "namespace "}, {"ns", "namespace "}, {"project", "project "}, {"projectid", "project "},
		{"workspace", "workspace "}, {"database", "database "}, {"db", "database "}, {"cluster", "cluster "},
		{"bucket", "bucket "}, {"space", "space "},
	} {
		if v, cut, ok := c.args.text(valueRunes, k.key); ok && v != "" {
			return k.label + value(v, cut)
		}
	}
	if !c.sends() {
		if v, cut, ok := c.args.text(valueRunes, "channel", "channelid", "channelname", "chatid", "chat"); ok && v != "" {
			return value(v, cut)
		}
	}
	return ""
}

// placeKeys are the arguments place and recipient show; other parts skip them.
var placeKeys = map[string]bool{}

func init() {
	for _, k := range []string{"owner", "org", "organization", "repo", "reponame", "repository", "repopath",
		"repositorypath", "repodir", "projectpath", "projectdir", "workspacepath", "root", "namespace", "ns",
		"project", "projectid", "workspace", "database", "db", "cluster", "bucket", "space", "channel",
		"channelid", "channelname", "chatid", "chat", "to", "recipient", "recipients", "remote",
		"organizationslug", "projectslug"} {
		placeKeys[k] = true
	}
}

// sends reports verbs whose object goes to someone.
func (c *call) sends() bool {
	switch c.verb {
	case "Send", "Forward", "Share", "Invite", "Transfer", "Publish":
		return true
	}
	return false
}

// recipient is who receives what the call sends.
func (c *call) recipient() string {
	if items, n := c.args.strings(3, valueRunes, "to", "recipients", "recipient", "emails"); n > 0 {
		for i := range items {
			items[i] = value(items[i], false)
		}
		return listOf(items, n)
	}
	if v, cut, ok := c.args.text(valueRunes, "to", "recipient"); ok && v != "" {
		return value(v, cut)
	}
	if c.verb == "Push" {
		if v, cut, ok := c.args.text(valueRunes, "remote"); ok && v != "" {
			return value(v, cut)
		}
	}
	if !c.sends() {
		return ""
	}
	if v, cut, ok := c.args.text(valueRunes, "channel", "channelid", "channelname", "chatid", "chat", "email",
		"phone", "phonenumber", "user", "userid", "username", "address", "jid"); ok && v != "" {
		return value(v, cut)
	}
	return ""
}

// flags are boolean arguments worth a person's attention when true.
var flags = []struct{ key, note string }{
	{"force", "force"}, {"forcepush", "force"}, {"recursive", "recursive"}, {"hard", "hard"},
	{"overwrite", "overwrite"}, {"prune", "prune"}, {"cascade", "cascade"}, {"noverify", "no verify"},
	{"dryrun", "dry run"}, {"draft", "draft"}, {"private", "private"}, {"deletebranch", "delete branch"},
	{"all", "all"},
}

var writeVerbs = map[string]bool{"Write": true, "Create": true, "Update": true, "Append": true,
	"Upload": true, "Create or update": true, "Update or create": true, "Replace": true, "Insert": true,
	"Add": true, "Push": true}

// notes are short facts in parentheses: the size of what is written, the
// number of edits, flags like force.
func (c *call) notes(isPath bool) []string {
	var notes []string
	if _, hasPath := c.args.raw(pathKeys...); writeVerbs[c.verb] && hasPath {
		for _, k := range sizeKeys {
			f, ok := c.args.raw(k)
			if ok && len(f.raw) > 0 && f.raw[0] == '"' {
				_, size, _ := decodeString(f.raw, 0)
				notes = append(notes, byteSize(size))
				break
			}
		}
	}
	if f, ok := c.args.raw("edits", "changes", "replacements"); ok {
		n := 0
		eachItem(f.raw, func([]byte) { n++ })
		if n > 0 {
			notes = append(notes, plural(n, "edit"))
		}
	}
	for _, fl := range flags {
		if f, ok := c.args.raw(fl.key); ok && string(f.raw) == "true" {
			notes = append(notes, fl.note)
		}
	}
	// A mode often says how far a call goes (git reset's "hard"); a mode
	// that is a verb is already the summary's verb (see operation).
	if v, cut, ok := c.args.text(20, "mode"); ok && v != "" && !cut && !strings.ContainsAny(v, " \t\n") {
		if _, isVerb := verbWord(v); !isVerb {
			notes = append(notes, "mode "+v)
		}
	}
	if v, _, ok := c.args.text(20, "replicas"); ok && v != "" {
		notes = append(notes, "replicas "+v)
	}
	if v, _, ok := c.args.text(20, "amount"); ok && v != "" {
		if cur, _, ok := c.args.text(10, "currency"); ok && cur != "" {
			v += " " + cur
		}
		notes = append(notes, "amount "+v)
	}
	return notes
}

// detail is the free text that tells what the call is about: a title, a
// message, a query. Without any, the fallback "Call server tool" shows the
// first plain argument as key=value, so a person still sees something.
func (c *call) detail(haveSubject bool) string {
	for _, k := range detailKeys {
		if c.sizeOnly(k) {
			continue
		}
		if v, cut, ok := c.args.text(valueRunes, k); ok && strings.TrimSpace(v) != "" {
			return value(v, cut)
		}
	}
	if haveSubject {
		return ""
	}
	var parts []string
	for _, f := range c.args.fields {
		if len(parts) == 2 {
			break
		}
		if placeKeys[f.key] {
			continue
		}
		v, cut, ok := scalarText(f.raw, valueRunes)
		if !ok || v == "" {
			continue
		}
		name, _ := oneLine(f.name, 40)
		parts = append(parts, name+"="+value(v, cut))
	}
	return strings.Join(parts, ", ")
}

// sizeOnly: a file's content is shown as its size, never as text.
func (c *call) sizeOnly(key string) bool {
	if key != "text" && key != "body" && key != "content" {
		return false
	}
	if !writeVerbs[c.verb] {
		return false
	}
	_, isPath := c.args.raw(pathKeys...)
	return isPath
}
