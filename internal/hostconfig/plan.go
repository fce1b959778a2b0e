package hostconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/tailscale/hujson"
)

// Server is one stdio server on its way from a host config into airlock.json.
type Server struct {
	// HostName is the entry's name in the host config.
	HostName string
	// Name is its name in airlock.json: HostName, or a valid name made
	// from it when HostName breaks airlock.json's name rule.
	Name string
	// Entry is the host's entry as written. A hook may change it (say,
	// replace a token in "env" by ${keyring:NAME}) before it is stored.
	Entry map[string]any
	// raw is the entry as written in the host config, for restoring.
	raw json.RawMessage
}

// Kept is a host entry left in the host config, and why.
type Kept struct {
	Name   string
	Reason string
}

// hostFile is a host config read and checked.
type hostFile struct {
	host    Host
	path    string
	mode    fs.FileMode
	data    []byte
	std     []byte       // data as standard JSON: comments blanked
	doc     hujson.Value // the text as a tree, comments and layout included
	indent  string
	root    *object
	servers *object // nil when the key is absent
	// spare are members of install backups that uninstall puts back.
	spare map[string]hujson.ObjectMember
}

// readHostFile reads path as host h's config. A missing, empty or invalid
// file is an error that says which and where.
func readHostFile(h Host, path string) (*hostFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no %s config at %s (is %s installed and started once? --config PATH names another file)", h.Name, path, h.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s config: %w", h.Name, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read %s config: %w", h.Name, err)
	}
	// A config kept elsewhere and linked in (dotfile managers do this) is
	// edited where it lives, so the link stays a link.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s config %s is empty: not touching it (add {} or let %s write it)", h.Name, path, h.Name)
	}
	doc, std, err := parseText(h, data)
	if err != nil {
		return nil, fmt.Errorf("%s config %s %v", h.Name, path, err)
	}
	root, err := parseObject(std)
	if err != nil {
		return nil, fmt.Errorf("%s config %s %v: not touching it", h.Name, path, err)
	}
	servers, _, err := root.child(h.Key)
	if err != nil {
		return nil, fmt.Errorf("%s config %s: %v (want {\"%s\": {name: {...}}}): not touching it", h.Name, path, err, h.Key)
	}
	return &hostFile{host: h, path: path, mode: info.Mode().Perm(), data: data, std: std, doc: doc,
		indent: detectIndent(data), root: root, servers: servers}, nil
}

// encode is the file with servers put back in place: the original text
// with only the edited members rewritten. What it writes must read back as
// the intended value, or nothing is written.
func (f *hostFile) encode(key string) ([]byte, error) {
	if f.servers != nil {
		f.root.setChild(key, f.servers)
	}
	// A fresh tree: hujson's Clone drops a trailing comma that has no
	// space before it.
	doc, err := hujson.Parse(bytes.Clone(f.data))
	if err != nil {
		return nil, fmt.Errorf("rewrite %s config %s: %v: not touching it", f.host.Name, f.path, err)
	}
	flat := !bytes.Contains(bytes.TrimSpace(f.data), []byte("\n"))
	err = splice(&doc, key, f.root, f.spare, f.indent, flat)
	out := doc.Pack()
	if err == nil {
		var std []byte
		if _, std, err = parseText(f.host, out); err == nil && !jsonEqual(std, f.root.compact()) {
			err = errors.New("it does not read back as intended")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("rewrite %s config %s: %v: not touching it", f.host.Name, f.path, err)
	}
	return out, nil
}

// member is the servers object's member name as written (the last of
// duplicates in the last servers object), comments before it included.
func (f *hostFile) member(name string) hujson.ObjectMember {
	var found hujson.ObjectMember
	top, _ := f.doc.Value.(*hujson.Object)
	if top == nil {
		return found
	}
	for _, m := range top.Members {
		servers, _ := m.Value.Value.(*hujson.Object)
		if servers == nil || m.Name.Value.(hujson.Literal).String() != f.host.Key {
			continue
		}
		found = hujson.ObjectMember{}
		for _, s := range servers.Members {
			if s.Name.Value.(hujson.Literal).String() == name {
				found = s
			}
		}
	}
	return found
}

// hostVar matches host-side substitutions: ${input:x}, ${workspaceFolder},
// ${env:X}, ${X}. ${keyring:NAME} is Airlock's own and passes.
var hostVar = regexp.MustCompile(`\$\{(?:[^}]*)\}`)

// plan sorts a host's entries into the ones that move and the ones that stay.
// An entry of the wrong type is an error: a config Airlock cannot read
// is not one to half-move.
func plan(h Host, servers *object) (move []*Server, kept []Kept, err error) {
	if servers == nil {
		return nil, nil, nil
	}
	taken := map[string]bool{}
	for _, name := range servers.keys {
		raw := servers.vals[name]
		var entry map[string]any
		if err := json.Unmarshal(raw, &entry); err != nil || entry == nil {
			return nil, nil, fmt.Errorf("server %q is %s, not an object", name, jsonKind(raw))
		}
		if isProxyEntry(name, entry) {
			continue
		}
		if reason := keepReason(entry); reason != "" {
			kept = append(kept, Kept{name, reason})
			continue
		}
		if err := checkTypes(entry); err != nil {
			return nil, nil, fmt.Errorf("server %q: %w", name, err)
		}
		s := &Server{HostName: name, Entry: entry, raw: raw}
		s.Name = validName(name, taken)
		taken[s.Name] = true
		if _, err := parseOne(s.Name, entry); err != nil {
			kept = append(kept, Kept{name, fmt.Sprintf("Airlock cannot start it as written: %v", err)})
			delete(taken, s.Name)
			continue
		}
		move = append(move, s)
	}
	return move, kept, nil
}

// isProxyEntry reports whether an entry is the one install leaves: it runs
// some airlock binary's proxy.
func isProxyEntry(name string, entry map[string]any) bool {
	args, _ := entry["args"].([]any)
	return name == EntryName && len(args) >= 1 && args[0] == "proxy"
}

// keepReason says why an entry stays in the host config; "" means it moves.
func keepReason(entry map[string]any) string {
	typ, _ := entry["type"].(string)
	switch {
	case entry["url"] != nil || entry["serverUrl"] != nil || (typ != "" && typ != "stdio"):
		what := "a url"
		if typ != "" {
			what = "type " + typ
		}
		return "remote server (" + what + "): the host connects to it directly; Airlock's stdio proxy cannot carry it"
	case entry["command"] == nil:
		return "no command: not a local server"
	case entry["disabled"] == true:
		return "disabled in the host: moving it would switch it on"
	case entry["envFile"] != nil:
		return "uses envFile, which Airlock does not read"
	}
	b, _ := json.Marshal(map[string]any{"command": entry["command"], "args": entry["args"], "env": entry["env"], "cwd": entry["cwd"]})
	for _, v := range hostVar.FindAllString(string(b), -1) {
		if !strings.HasPrefix(v, "${keyring:") {
			return "uses the host variable " + v + ", which only the host can fill in"
		}
	}
	return ""
}

// checkTypes names the first field of a local entry whose JSON type is wrong.
func checkTypes(entry map[string]any) error {
	if _, ok := entry["command"].(string); !ok {
		return fmt.Errorf(`"command" must be a string, not %T`, entry["command"])
	}
	if v, ok := entry["args"]; ok && v != nil {
		list, ok := v.([]any)
		if !ok {
			return fmt.Errorf(`"args" must be an array of strings`)
		}
		for _, a := range list {
			if _, ok := a.(string); !ok {
				// As JSON: the file's text, control characters escaped.
				found, _ := json.Marshal(a)
				return fmt.Errorf(`"args" must be an array of strings, found %s`, found)
			}
		}
	}
	if v, ok := entry["env"]; ok && v != nil {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf(`"env" must be an object of strings`)
		}
		for k, val := range m {
			if _, ok := val.(string); !ok {
				return fmt.Errorf(`"env" value of %s must be a string`, quoteName(k))
			}
		}
	}
	return nil
}

// parseOne checks an entry against airlock.json's own rules.
func parseOne(name string, entry map[string]any) (*config.Config, error) {
	b, err := json.Marshal(map[string]any{"mcpServers": map[string]any{name: entry}})
	if err != nil {
		return nil, err
	}
	return config.Parse(b)
}

// validName returns name, or when airlock.json would refuse it, a name that
// follows its rule (letters, digits, '-', single '_', at most 32, starting
// with a letter or digit, not ending in '_'), unique among taken.
func validName(name string, taken map[string]bool) string {
	if _, err := parseOne(name, map[string]any{"command": "x"}); err == nil && !taken[name] {
		return name
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	s := b.String()
	for strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "_")
	}
	s = strings.TrimLeft(s, "-_")
	if s == "" {
		s = "server"
	}
	base := trimName(s, 32)
	for i := 1; ; i++ {
		cand := base
		if i > 1 {
			suffix := fmt.Sprintf("-%d", i)
			cand = trimName(base, 32-len(suffix)) + suffix
		}
		if !taken[cand] {
			return cand
		}
	}
}

func trimName(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, "_")
}
