package hostconfig

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRoundTrip feeds arbitrary bytes as a Cursor config: install either
// refuses and writes nothing, or writes valid JSON that uninstall turns back
// into the original value.
func FuzzRoundTrip(f *testing.F) {
	for _, name := range []string{"claude-desktop", "cursor"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name+".json")); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"mcpServers":{"a b":{"command":"x","args":["y"]},"c":{"url":"http://h"}},"z":1}`))
	f.Add([]byte(`{"mcpServers":{"a":{"command":"x","cwd":"rel"}}}`))
	f.Add([]byte(`{"mcpServers":{"a":{"command":"x"},"a":{"command":"y"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		h, _ := Lookup(Cursor)
		o := Options{Host: h, Path: filepath.Join(dir, "mcp.json"), Home: filepath.Join(dir, "home"), Binary: "/bin/airlock"}
		if err := os.WriteFile(o.Path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := Install(o)
		if err != nil {
			if b, _ := os.ReadFile(o.Path); !bytes.Equal(b, data) {
				t.Fatalf("refused (%v) yet changed the file", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Fatalf("refused (%v) yet wrote %v", err, entries)
			}
			return
		}
		after, _ := os.ReadFile(o.Path)
		if !json.Valid(after) || (r.Changed && !Status(h, o.Path).HookedUp) {
			t.Fatalf("install wrote %q", after)
		}
		// Only a file that had the servers key (spelled exactly: Go's own
		// decoder would also take "McpServers") and no airlock entry of its
		// own comes back as it was.
		var top map[string]json.RawMessage
		var servers map[string]json.RawMessage
		json.Unmarshal(data, &top)
		json.Unmarshal(top["mcpServers"], &servers)
		if _, own := servers[EntryName]; own || servers == nil || !r.Changed {
			return // no clean original to compare with
		}
		if _, err := Uninstall(o); err != nil {
			t.Fatalf("uninstall: %v", err)
		}
		if restored, _ := os.ReadFile(o.Path); !jsonEqual(restored, data) {
			t.Fatalf("uninstall gave\n%s\nwant\n%s", restored, data)
		}
	})
}
