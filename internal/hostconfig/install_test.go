package hostconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
)

const testBinary = "/opt/airlock/bin/airlock"

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// setup copies testdata/<host>.json into a temp folder and returns options
// pointing at it and at a fresh airlock home.
func setup(t *testing.T, hostID string, mode os.FileMode) Options {
	t.Helper()
	h, err := Lookup(hostID)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("testdata", hostID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "host", "config.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return Options{Host: h, Path: path, Home: filepath.Join(dir, "airlock"), Binary: testBinary}
}

// keysAt lists the keys of the object at the given path of keys, in order.
func keysAt(t *testing.T, data []byte, path ...string) []string {
	t.Helper()
	o, err := parseObject(data)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, data)
	}
	for _, k := range path {
		c, ok, err := o.child(k)
		if err != nil || !ok {
			t.Fatalf("no object at %q: %v", k, err)
		}
		o = c
	}
	return o.keys
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func airlockServers(t *testing.T, home string) map[string]map[string]any {
	t.Helper()
	var doc struct {
		MCPServers map[string]map[string]any `json:"mcpServers"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(home, config.FileName)), &doc); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(home); err != nil {
		t.Fatalf("airlock.json does not load: %v", err)
	}
	return doc.MCPServers
}

func backups(t *testing.T, path string) []backup {
	t.Helper()
	b, err := listBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	cases := []struct {
		host string
		// moved: host name -> airlock.json name; kept: names left in place.
		moved     map[string]string
		kept      []string
		topKeys   []string // unknown top-level fields that must survive
		projects  int
		wantEntry map[string]any
	}{
		{
			host:      ClaudeDesktop,
			moved:     map[string]string{"filesystem": "filesystem", "github": "github", "my notes.v2": "my-notes-v2", "memory": "memory"},
			kept:      []string{"sqlite"},
			topKeys:   []string{"globalShortcut", "mcpServers", "preferences"},
			wantEntry: map[string]any{"command": testBinary, "args": []any{"proxy"}},
		},
		{
			host:      ClaudeCode,
			moved:     map[string]string{"playwright": "playwright", "everything": "everything"},
			kept:      []string{"context7"},
			topKeys:   []string{"numStartups", "installMethod", "autoUpdates", "tipsHistory", "mcpServers", "projects", "userID"},
			projects:  1,
			wantEntry: map[string]any{"type": "stdio", "command": testBinary, "args": []any{"proxy"}},
		},
		{
			host:      Cursor,
			moved:     map[string]string{"git": "git", "time": "time"},
			kept:      []string{"linear"},
			topKeys:   []string{"mcpServers"},
			wantEntry: map[string]any{"command": testBinary, "args": []any{"proxy"}},
		},
		{
			host:      VSCode,
			moved:     map[string]string{"fetch": "fetch", "memory": "memory"},
			kept:      []string{"Perplexity", "github", "workspace-files"},
			topKeys:   []string{"inputs", "servers"},
			wantEntry: map[string]any{"type": "stdio", "command": testBinary, "args": []any{"proxy"}},
		},
	}
	for _, c := range cases {
		t.Run(c.host, func(t *testing.T) {
			o := setup(t, c.host, 0o640)
			original := readFile(t, o.Path)
			var origDoc map[string]any
			json.Unmarshal(original, &origDoc)
			origServers := origDoc[o.Host.Key].(map[string]any)

			r, err := Install(o)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Changed || r.ProjectServers != c.projects {
				t.Fatalf("changed %v projects %d, want true %d", r.Changed, r.ProjectServers, c.projects)
			}
			var keptNames []string
			for _, k := range r.Kept {
				keptNames = append(keptNames, k.Name)
			}
			if !slices.Equal(keptNames, c.kept) {
				t.Errorf("kept %v, want %v", keptNames, c.kept)
			}

			// The host config: the airlock entry plus what stays, everything else as it was.
			after := readFile(t, o.Path)
			if got := keysAt(t, after); !slices.Equal(got, c.topKeys) {
				t.Errorf("top-level keys %v, want %v (order kept)", got, c.topKeys)
			}
			var doc map[string]any
			if err := json.Unmarshal(after, &doc); err != nil {
				t.Fatal(err)
			}
			for k, v := range origDoc {
				if k != o.Host.Key && !jsonEqualValues(v, doc[k]) {
					t.Errorf("top-level %q changed: %v -> %v", k, v, doc[k])
				}
			}
			servers := doc[o.Host.Key].(map[string]any)
			if !jsonEqualValues(servers[EntryName], c.wantEntry) {
				t.Errorf("airlock entry %v, want %v", servers[EntryName], c.wantEntry)
			}
			if len(servers) != len(c.kept)+1 {
				t.Errorf("host servers %v, want airlock + %v", keysOf(servers), c.kept)
			}
			for _, k := range c.kept {
				if !jsonEqualValues(servers[k], origServers[k]) {
					t.Errorf("kept %q changed", k)
				}
			}
			if info, _ := os.Stat(o.Path); info.Mode().Perm() != 0o640 {
				t.Errorf("host config mode %v, want 0640", info.Mode().Perm())
			}

			// airlock.json: each moved entry as written, unknown fields
			// included, plus the record of where it came from.
			got := airlockServers(t, o.Home)
			if len(got) != len(c.moved) {
				t.Errorf("airlock.json servers %v, want %v", keysOf(got), c.moved)
			}
			for hostName, name := range c.moved {
				from := got[name][fromField]
				delete(got[name], fromField)
				if !jsonEqualValues(got[name], origServers[hostName]) {
					t.Errorf("airlock.json %q = %v, want the host's %q %v", name, got[name], hostName, origServers[hostName])
				}
				want := []any{map[string]any{"host": c.host, "config": o.Path, "name": hostName}}
				if !jsonEqualValues(from, want) {
					t.Errorf("airlock.json %q from = %v, want %v", name, from, want)
				}
			}

			// The backup is the original, byte for byte, readable by the user
			// only: it holds the env values (tokens) the host config had,
			// whatever the host config's own mode was.
			bs := backups(t, o.Path)
			if len(bs) != 1 || bs[0].kind != kindInstall || bs[0].path != r.Backup {
				t.Fatalf("backups %v, want one install backup %s", bs, r.Backup)
			}
			if b := readFile(t, r.Backup); !bytes.Equal(b, original) {
				t.Error("backup differs from the original")
			}
			if info, _ := os.Stat(r.Backup); info.Mode().Perm() != 0o600 {
				t.Errorf("backup mode %v, want 0600 (the host config is 0640)", info.Mode().Perm())
			}

			// Twice is harmless: nothing changes, no new backup.
			airlockJSON := readFile(t, filepath.Join(o.Home, config.FileName))
			r2, err := Install(o)
			if err != nil {
				t.Fatal(err)
			}
			if r2.Changed || len(r2.Moved) != 0 || !bytes.Equal(readFile(t, o.Path), after) ||
				!bytes.Equal(readFile(t, filepath.Join(o.Home, config.FileName)), airlockJSON) || len(backups(t, o.Path)) != 1 {
				t.Errorf("second install changed something: %+v", r2)
			}
			if st := Status(o.Host, o.Path); !st.HookedUp || st.Command != testBinary || st.Local != 0 {
				t.Errorf("status after install %+v", st)
			}

			// Uninstall puts back the original: same values, same key order.
			u, err := Uninstall(o)
			if err != nil {
				t.Fatal(err)
			}
			if len(u.Restored) != len(c.moved) {
				t.Errorf("restored %v, want %d", u.Restored, len(c.moved))
			}
			restored := readFile(t, o.Path)
			if !jsonEqual(restored, original) {
				t.Errorf("uninstall did not restore the original:\n%s\nwant\n%s", restored, original)
			}
			if !slices.Equal(keysAt(t, restored, o.Host.Key), keysAt(t, original, o.Host.Key)) {
				t.Errorf("server order %v, want %v", keysAt(t, restored, o.Host.Key), keysAt(t, original, o.Host.Key))
			}
			if !slices.Equal(keysAt(t, restored), keysAt(t, original)) {
				t.Errorf("top-level order %v, want %v", keysAt(t, restored), keysAt(t, original))
			}
			if st := Status(o.Host, o.Path); st.HookedUp || st.Local != len(c.moved) {
				t.Errorf("status after uninstall %+v", st)
			}
			if info, err := os.Stat(u.Backup); err != nil || info.Mode().Perm() != 0o600 {
				t.Errorf("uninstall backup %s: %v, %v; want mode 0600", u.Backup, info, err)
			}
			if info, _ := os.Stat(o.Path); info.Mode().Perm() != 0o640 {
				t.Errorf("restored host config mode %v, want its own 0640", info.Mode().Perm())
			}
			u2, err := Uninstall(o)
			if err != nil || u2.Changed || !bytes.Equal(readFile(t, o.Path), restored) {
				t.Errorf("second uninstall: %+v, %v", u2, err)
			}

			// And again: a fresh install after an uninstall works the same.
			if r3, err := Install(o); err != nil || !r3.Changed || len(r3.Moved) != len(c.moved) || len(r3.Shared) != len(c.moved) {
				t.Errorf("reinstall: %+v, %v", r3, err)
			}
		})
	}
}

func keysOf[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func jsonEqualValues(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return jsonEqual(ja, jb)
}

func TestBrokenHostConfigs(t *testing.T) {
	cases := []struct {
		name, host, data, want string
	}{
		{"empty", ClaudeDesktop, " \n", "is empty"},
		{"invalid JSON", ClaudeDesktop, `{"mcpServers": {"a": {"command": "x",}}}`, "not valid JSON"},
		{"truncated", Cursor, `{"mcpServers": {`, "not valid JSON"},
		{"array", ClaudeDesktop, `[{"mcpServers": {}}]`, "is an array, not an object"},
		{"null", ClaudeDesktop, `null`, "is null, not an object"},
		{"servers is an array", Cursor, `{"mcpServers": [{"command": "x"}]}`, `"mcpServers" is an array, not an object`},
		{"servers is a string", VSCode, `{"servers": "none"}`, `"servers" is a string, not an object`},
		{"entry is a string", ClaudeDesktop, `{"mcpServers": {"a": "npx server"}}`, `server "a" is a string, not an object`},
		{"command is a number", ClaudeCode, `{"mcpServers": {"a": {"command": 7}}}`, `server "a": "command" must be a string`},
		{"args is a string", ClaudeDesktop, `{"mcpServers": {"a": {"command": "x", "args": "-y"}}}`, `"args" must be an array of strings`},
		{"env value is a number", Cursor, `{"mcpServers": {"a": {"command": "x", "env": {"PORT": 8080}}}}`, `"env" value of PORT must be a string`},
		{"two documents", ClaudeDesktop, `{"mcpServers": {}} {}`, "not valid JSON"},
		{"comments where plain JSON is read", ClaudeDesktop, "{\n  // my servers\n  \"mcpServers\": {}\n}", "comments or trailing commas, which Claude Desktop does not read"},
		{"trailing comma where plain JSON is read", Cursor, `{"mcpServers": {},}`, "comments or trailing commas, which Cursor does not read"},
		{"unterminated comment", VSCode, "{\n  /* my servers\n  \"servers\": {}\n}", "not valid JSON"},
		{"comment as a value", VSCode, `{"servers": {"a": // none\n}}`, "not valid JSON"},
		{"nested too deep", VSCode, "{\"servers\": {}, // deep\n\"x\": " + strings.Repeat("[", maxDepth+1), "nested deeper than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := setup(t, c.host, 0o600)
			if err := os.WriteFile(o.Path, []byte(c.data), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Install(o)
			if err == nil || !contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if !contains(err.Error(), o.Path) {
				t.Errorf("err %q does not name the file", err)
			}
			// Uninstall refuses a file it cannot read; one that reads but
			// has no airlock entry (bad entries aside) is not hooked up.
			r, err := Uninstall(o)
			if err == nil && r.Changed || err != nil && !contains(err.Error(), c.want) {
				t.Fatalf("uninstall: %+v, %v", r, err)
			}
			assertUntouched(t, o, []byte(c.data))
			if st := Status(o.Host, o.Path); !st.Found || st.Err == nil || st.HookedUp {
				t.Errorf("status %+v, want found with an error", st)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		o := setup(t, ClaudeDesktop, 0o600)
		o.Path = filepath.Join(filepath.Dir(o.Path), "nope.json")
		for _, run := range []func(Options) (*Report, error){Install, Uninstall} {
			if _, err := run(o); err == nil || !contains(err.Error(), "no Claude Desktop config at "+o.Path) {
				t.Fatalf("err = %v", err)
			}
		}
		if _, err := os.Stat(o.Path); !errors.Is(err, os.ErrNotExist) {
			t.Error("a missing config was created")
		}
		if _, err := os.Stat(o.Home); !errors.Is(err, os.ErrNotExist) {
			t.Error("airlock home was created")
		}
		if st := Status(o.Host, o.Path); st.Found {
			t.Errorf("status %+v, want not found", st)
		}
	})
}

// assertUntouched checks that the host config still holds data and nothing
// else was written: no backup, no airlock.json.
func assertUntouched(t *testing.T, o Options, data []byte) {
	t.Helper()
	if got := readFile(t, o.Path); !bytes.Equal(got, data) {
		t.Errorf("host config changed:\n%s", got)
	}
	if bs := backups(t, o.Path); len(bs) != 0 {
		t.Errorf("backups written: %v", bs)
	}
	entries, _ := os.ReadDir(filepath.Dir(o.Path))
	if len(entries) != 1 {
		t.Errorf("files beside the host config: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(o.Home, config.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Error("airlock.json was written")
	}
}
