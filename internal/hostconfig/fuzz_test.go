package hostconfig

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tailscale/hujson"
)

// FuzzRoundTrip feeds arbitrary bytes as a Cursor config (plain JSON) and
// as a VS Code one (JSON with comments): install either refuses and writes
// nothing, or writes a file the host reads that uninstall turns back into
// the original value, and for a file without duplicate names that had
// servers to move, with every comment and trailing comma it had.
func FuzzRoundTrip(f *testing.F) {
	for _, name := range []string{"claude-desktop", "cursor", "vscode"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name+".json")); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"mcpServers":{"a b":{"command":"x","args":["y"]},"c":{"url":"http://h"}},"z":1}`))
	f.Add([]byte(`{"mcpServers":{"a":{"command":"x","cwd":"rel"}}}`))
	f.Add([]byte(`{"mcpServers":{"a":{"command":"x"},"a":{"command":"y"}}}`))
	f.Add([]byte(commentedVSCode))
	f.Add([]byte("{\"servers\": { /* none */ },\n// end\n}"))
	f.Add([]byte("{\"servers\":{\"a\":{\"command\":\"x\"}, // a\n\"b\":{\"url\":\"u\",},},}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, id := range []string{Cursor, VSCode} {
			roundTrip(t, id, data)
			roundTripWithoutBackups(t, id, data)
		}
	})
}

func roundTrip(t *testing.T, id string, data []byte) {
	dir := t.TempDir()
	h, _ := Lookup(id)
	o := Options{Host: h, Path: filepath.Join(dir, "host", "mcp.json"), Home: filepath.Join(dir, "home"), Binary: "/bin/airlock"}
	os.Mkdir(filepath.Dir(o.Path), 0o700)
	if err := os.WriteFile(o.Path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Install(o)
	if err != nil {
		if bytes.Contains([]byte(err.Error()), []byte("rewrite ")) {
			t.Fatalf("%s: a file that reads was not rewritten: %v", id, err)
		}
		if b, _ := os.ReadFile(o.Path); !bytes.Equal(b, data) {
			t.Fatalf("%s: refused (%v) yet changed the file", id, err)
		}
		if entries, _ := os.ReadDir(filepath.Dir(o.Path)); len(entries) != 1 {
			t.Fatalf("%s: refused (%v) yet wrote %v", id, err, entries)
		}
		if _, err := os.Stat(filepath.Join(o.Home, "airlock.json")); err == nil {
			t.Fatalf("%s: refused yet wrote airlock.json", id)
		}
		return
	}
	after, _ := os.ReadFile(o.Path)
	_, perr := hujson.Parse(after)
	if (h.Comments && perr != nil) || (!h.Comments && !json.Valid(after)) || (r.Changed && !Status(h, o.Path).HookedUp) {
		t.Fatalf("%s: install wrote %q", id, after)
	}
	// Only a file that had the servers key (spelled exactly: Go's own
	// decoder would also take "McpServers") and no airlock entry of its
	// own comes back as it was.
	_, std, _ := parseText(h, data)
	var top map[string]json.RawMessage
	var servers map[string]json.RawMessage
	json.Unmarshal(std, &top)
	json.Unmarshal(top[h.Key], &servers)
	if _, own := servers[EntryName]; own || servers == nil || !r.Changed {
		return // no clean original to compare with
	}
	if _, err := Uninstall(o); err != nil {
		t.Fatalf("%s: uninstall: %v", id, err)
	}
	restored, _ := os.ReadFile(o.Path)
	_, rstd, err := parseText(h, restored)
	if err != nil || !jsonEqual(rstd, std) {
		t.Fatalf("%s: uninstall gave\n%s\nwant\n%s", id, restored, data)
	}
	// Comments and trailing commas come back, in order. (Space may move: a
	// kept member that became the last one lost the space before its comma.)
	if len(r.Moved) > 0 && !hasDuplicates(data) && !bytes.Equal(extras(restored, rstd), extras(data, std)) {
		t.Fatalf("%s: uninstall lost comments or commas:\n%q\nwant\n%q", id, restored, data)
	}
}

// extras is the text of a file's comments and trailing commas (what
// standardizing blanked), space aside.
func extras(data, std []byte) []byte {
	var out []byte
	for i := range min(len(data), len(std)) {
		if data[i] != std[i] && !bytes.ContainsRune([]byte(" \t\r\n"), rune(data[i])) {
			out = append(out, data[i])
		}
	}
	return out
}

// hasDuplicates reports whether an object in the text repeats a name.
func hasDuplicates(data []byte) bool {
	v, err := hujson.Parse(data)
	if err != nil {
		return true
	}
	for n := range v.All() {
		obj, ok := n.Value.(*hujson.Object)
		if !ok {
			continue
		}
		seen := map[string]bool{}
		for _, m := range obj.Members {
			name := m.Name.Value.(hujson.Literal).String()
			if seen[name] {
				return true
			}
			seen[name] = true
		}
	}
	return false
}

// roundTripWithoutBackups installs, deletes the backups (as a person told
// they hold plain tokens does) and uninstalls: the servers come back from
// airlock.json with the values they had, comments and order aside. Entries
// carrying Airlock's own fields (roots, rules, ...) are left out: those
// stay in airlock.json.
func roundTripWithoutBackups(t *testing.T, id string, data []byte) {
	dir := t.TempDir()
	h, _ := Lookup(id)
	o := Options{Host: h, Path: filepath.Join(dir, "host", "mcp.json"), Home: filepath.Join(dir, "home"), Binary: "/bin/airlock"}
	os.Mkdir(filepath.Dir(o.Path), 0o700)
	if err := os.WriteFile(o.Path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Install(o)
	if err != nil || !r.Changed || len(r.Moved) == 0 || hasDuplicates(data) {
		return
	}
	_, std, _ := parseText(h, data)
	var top map[string]json.RawMessage
	var servers map[string]json.RawMessage
	json.Unmarshal(std, &top)
	json.Unmarshal(top[h.Key], &servers)
	if _, own := servers[EntryName]; own {
		return
	}
	for _, s := range r.Moved {
		for _, f := range airlockOnly {
			if _, ok := s.Entry[f]; ok {
				return
			}
		}
	}
	bs, _ := listBackups(o.Path)
	for _, b := range bs {
		os.Remove(b.path)
	}
	u, err := Uninstall(o)
	if err != nil {
		t.Fatalf("%s: uninstall without backups: %v", id, err)
	}
	restored, _ := os.ReadFile(o.Path)
	_, rstd, err := parseText(h, restored)
	if err != nil || !jsonEqual(rstd, std) || len(u.Rebuilt) != len(r.Moved) {
		t.Fatalf("%s: uninstall without backups gave\n%s\nwant\n%s", id, restored, data)
	}
}
