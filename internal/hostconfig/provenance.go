package hostconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/airlock-dev/airlock/internal/config"
)

// Install records in each moved server's airlock.json entry where it came
// from, so uninstall can rebuild the host's entries when the install
// backups are gone: they hold the host's plain tokens, and the person is
// told to delete them once Airlock works. The record is an optional field
// the proxy ignores (config.Parse skips fields it does not know):
//
//	"from": [{"host": "cursor", "config": "/home/me/.cursor/mcp.json", "name": "git"}]
//
// config is the host config's real path (a VS Code workspace's mcp.json is
// another file than the user one), name the entry's name there (it may not
// be a valid airlock.json name). A server two hosts shared has two. An
// airlock.json from before this field has none, and uninstall without
// backups then says so instead of guessing.
const fromField = "from"

// origin is one host config a server was moved from.
type origin struct {
	Host   string `json:"host"`
	Config string `json:"config"`
	Name   string `json:"name"`
}

// airlockOnly are the fields of an airlock.json entry that mean something
// to Airlock alone; a rebuilt host entry leaves them out.
var airlockOnly = []string{fromField, "roots", "rules", "rateLimit"}

// withOrigin returns entry with o added to its "from" list (once), its
// other fields as written.
func withOrigin(entry json.RawMessage, o origin) (json.RawMessage, error) {
	obj, err := parseObject(entry)
	if err != nil {
		return nil, err
	}
	have := origins(obj)
	for _, h := range have {
		if h == o {
			return entry, nil
		}
	}
	list, err := json.Marshal(append(have, o))
	if err != nil {
		return nil, err
	}
	obj.set(fromField, list)
	return obj.compact(), nil
}

// withoutOrigins is entry without its "from" list: what install compares
// to tell a shared server from a conflicting one.
func withoutOrigins(entry json.RawMessage) json.RawMessage {
	obj, err := parseObject(entry)
	if err != nil {
		return entry
	}
	obj.remove(fromField)
	return obj.compact()
}

// origins reads an entry's "from" list; a field that is not a list of
// origins (a person's own edit) counts as none.
func origins(obj *object) []origin {
	raw, ok := obj.get(fromField)
	if !ok {
		return nil
	}
	var list []origin
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	return list
}

// samePath compares two host config paths as the file system does: names
// ignore case on Windows and macOS (as the edit lock's name does).
func samePath(a, b string) bool {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// rebuiltEntry is a host entry made again from airlock.json.
type rebuiltEntry struct {
	server string // its name in airlock.json
	raw    json.RawMessage
}

// fromAirlockConfig returns the servers airlock.json records as moved from
// host h's config at path, keyed by their host name, in airlock.json's
// order, each entry without Airlock's own fields. found reports whether
// any entry of airlock.json records an origin at all (false for a file
// written before Airlock recorded them).
func fromAirlockConfig(home string, h Host, path string) (map[string]rebuiltEntry, []string, bool, error) {
	file := filepath.Join(home, config.FileName)
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(bytes.TrimSpace(data)) == 0) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, fmt.Errorf("read airlock.json: %w", err)
	}
	top, err := parseObject(data)
	if err != nil {
		return nil, nil, false, fmt.Errorf("airlock.json %s %v", file, err)
	}
	servers, _, err := top.child("mcpServers")
	if err != nil {
		return nil, nil, false, fmt.Errorf("airlock.json %s: %v", file, err)
	}
	if servers == nil {
		return nil, nil, false, nil
	}
	out := map[string]rebuiltEntry{}
	var order []string
	found := false
	for _, name := range servers.keys {
		entry, err := parseObject(servers.vals[name])
		if err != nil {
			continue // config.Parse would refuse it; not ours to rebuild
		}
		list := origins(entry)
		found = found || len(list) > 0
		for _, o := range list {
			if o.Host != h.ID || !samePath(o.Config, path) {
				continue
			}
			for _, f := range airlockOnly {
				entry.remove(f)
			}
			if _, dup := out[o.Name]; !dup {
				order = append(order, o.Name)
			}
			out[o.Name] = rebuiltEntry{server: name, raw: entry.compact()}
		}
	}
	return out, order, found, nil
}

// forgetOrigins removes host h's config at path from every entry's "from"
// list: after an uninstall those servers are back in the host, and a later
// uninstall must not put them back again.
func forgetOrigins(home string, h Host, path string) error {
	return config.Edit(home, func(fields config.Fields) error {
		raw, ok := fields["mcpServers"]
		if !ok {
			return nil
		}
		servers, err := parseObject(raw)
		if err != nil {
			return nil // config.Edit refuses to write what would not parse
		}
		changed := false
		for _, name := range servers.keys {
			entry, err := parseObject(servers.vals[name])
			if err != nil {
				continue
			}
			have := origins(entry)
			var keep []origin
			for _, o := range have {
				if o.Host != h.ID || !samePath(o.Config, path) {
					keep = append(keep, o)
				}
			}
			if len(keep) == len(have) {
				continue
			}
			if len(keep) == 0 {
				entry.remove(fromField)
			} else {
				list, _ := json.Marshal(keep)
				entry.set(fromField, list)
			}
			servers.set(name, entry.compact())
			changed = true
		}
		if changed {
			fields["mcpServers"] = servers.compact()
		}
		return nil
	})
}

// Placeholder is a value of a rebuilt host entry that names a keychain
// secret: the host passes it on as the literal text, so the server needs
// the value put back.
type Placeholder struct {
	Server string // the host entry's name
	Field  string // where: "env KEY" or "args[N]"
	Value  string // as written, ${keyring:NAME} in it
}

// placeholders lists the ${keyring:...} env and args values of a host
// entry, the two places the proxy fills them in.
func placeholders(server string, raw json.RawMessage) []Placeholder {
	var entry struct {
		Env  map[string]any `json:"env"`
		Args []any          `json:"args"`
	}
	if json.Unmarshal(raw, &entry) != nil {
		return nil
	}
	named := func(v any) (string, bool) {
		s, ok := v.(string)
		return s, ok && strings.Contains(s, "${keyring:")
	}
	var out []Placeholder
	for _, k := range slices.Sorted(maps.Keys(entry.Env)) {
		if s, ok := named(entry.Env[k]); ok {
			out = append(out, Placeholder{Server: server, Field: "env " + quoteName(k), Value: s})
		}
	}
	for i, a := range entry.Args {
		if s, ok := named(a); ok {
			out = append(out, Placeholder{Server: server, Field: fmt.Sprintf("args[%d]", i), Value: s})
		}
	}
	return out
}
