package hostconfig

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
)

// keyringHook is an install hook that puts every env value of the moved
// servers in the "keychain": the airlock.json copy gets a placeholder. A
// server without env gets an API_TOKEN one, so every host's test has some.
func keyringHook(servers []*Server) error {
	for _, s := range servers {
		env, ok := s.Entry["env"].(map[string]any)
		if !ok || len(env) == 0 {
			env = map[string]any{"API_TOKEN": ""}
			s.Entry["env"] = env
		}
		for k := range env {
			env[k] = "${keyring:" + s.Name + "-" + strings.ToLower(k) + "}"
		}
	}
	return nil
}

func removeBackups(t *testing.T, path string) {
	t.Helper()
	for _, b := range backups(t, path) {
		if err := os.Remove(b.path); err != nil {
			t.Fatal(err)
		}
	}
}

// hostServers is the host config's servers object as values.
func hostServers(t *testing.T, h Host, data []byte) map[string]any {
	t.Helper()
	_, std, err := parseText(h, data)
	if err != nil {
		t.Fatalf("host config does not read: %v\n%s", err, data)
	}
	var doc map[string]any
	if err := json.Unmarshal(std, &doc); err != nil {
		t.Fatal(err)
	}
	servers, _ := doc[h.Key].(map[string]any)
	return servers
}

// A person who deletes the install backup (it holds their tokens) can
// still uninstall: the servers come back from airlock.json.
func TestUninstallWithoutBackupsRebuildsFromAirlockJSON(t *testing.T) {
	for _, id := range []string{ClaudeDesktop, ClaudeCode, Cursor, VSCode} {
		for _, keychain := range []bool{false, true} {
			name := id
			if keychain {
				name += "/keychain"
			}
			t.Run(name, func(t *testing.T) {
				o := setup(t, id, 0o600)
				original := readFile(t, o.Path)
				if keychain {
					o.Prepare = keyringHook
				}
				in, err := Install(o)
				if err != nil {
					t.Fatal(err)
				}
				removeBackups(t, o.Path)

				u, err := Uninstall(o)
				if err != nil {
					t.Fatal(err)
				}
				var moved []string
				for _, s := range in.Moved {
					moved = append(moved, s.HostName)
				}
				if !slices.Equal(sorted(u.Restored), sorted(moved)) || !slices.Equal(sorted(u.Rebuilt), sorted(moved)) {
					t.Errorf("restored %v, rebuilt %v; want both %v", u.Restored, u.Rebuilt, moved)
				}
				lines := strings.Join(u.Lines(false, false), "\n")
				if !strings.Contains(lines, "rebuilt from its airlock.json entry") {
					t.Errorf("lines do not say where the servers came from:\n%s", lines)
				}

				// Every server is back; with the keychain, each env value is
				// its placeholder, never the secret, and the report names it.
				got := hostServers(t, o.Host, readFile(t, o.Path))
				want := hostServers(t, o.Host, original)
				var wantPH []Placeholder
				for _, s := range in.Moved {
					if !keychain {
						continue
					}
					w := want[s.HostName].(map[string]any)
					env, ok := w["env"].(map[string]any)
					if !ok || len(env) == 0 {
						env = map[string]any{"API_TOKEN": ""}
						w["env"] = env
					}
					for _, k := range keysOf(env) {
						env[k] = "${keyring:" + s.Name + "-" + strings.ToLower(k) + "}"
						wantPH = append(wantPH, Placeholder{Server: s.HostName, Field: "env " + k, Value: env[k].(string)})
					}
				}
				if !jsonEqualValues(got, want) {
					t.Errorf("host servers after uninstall\n%v\nwant\n%v", got, want)
				}
				if !samePlaceholders(u.Placeholders, wantPH) {
					t.Errorf("placeholders %v, want %v", u.Placeholders, wantPH)
				}
				for _, p := range wantPH {
					if !strings.Contains(lines, p.Field+" is "+p.Value) || !strings.Contains(lines, "put the secret's value back") {
						t.Errorf("lines do not ask for %s's %s:\n%s", p.Server, p.Field, lines)
					}
				}
				if bytes.Contains(readFile(t, o.Path), []byte(`"from"`)) {
					t.Error("the record of origin went into the host config")
				}
				// airlock.json forgets the origin; the servers stay.
				if b := readFile(t, filepath.Join(o.Home, config.FileName)); bytes.Contains(b, []byte(`"from"`)) {
					t.Errorf("airlock.json still records origins:\n%s", b)
				}
				if len(airlockServers(t, o.Home)) != len(in.Moved) {
					t.Error("uninstall removed servers from airlock.json")
				}
				if st := Status(o.Host, o.Path); st.HookedUp {
					t.Error("still hooked up")
				}

				// Idempotent, and the cycle works again.
				after := readFile(t, o.Path)
				if u2, err := Uninstall(o); err != nil || u2.Changed || !bytes.Equal(readFile(t, o.Path), after) {
					t.Errorf("second uninstall: %+v %v", u2, err)
				}
				if _, err := Install(o); err != nil {
					t.Fatal(err)
				}
				removeBackups(t, o.Path)
				if _, err := Uninstall(o); err != nil {
					t.Fatal(err)
				}
				if !jsonEqualValues(hostServers(t, o.Host, readFile(t, o.Path)), hostServers(t, o.Host, after)) {
					t.Error("second cycle did not give the same servers back")
				}
			})
		}
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

func samePlaceholders(a, b []Placeholder) bool {
	key := func(p Placeholder) string { return p.Server + "\x00" + p.Field + "\x00" + p.Value }
	var ka, kb []string
	for _, p := range a {
		ka = append(ka, key(p))
	}
	for _, p := range b {
		kb = append(kb, key(p))
	}
	return slices.Equal(sorted(ka), sorted(kb))
}

// An airlock.json from before the record of origin, without backups:
// uninstall says what to do and writes nothing.
func TestUninstallWithoutBackupsOrRecordRefuses(t *testing.T) {
	for _, id := range []string{ClaudeDesktop, ClaudeCode, Cursor, VSCode} {
		t.Run(id, func(t *testing.T) {
			o := setup(t, id, 0o600)
			if _, err := Install(o); err != nil {
				t.Fatal(err)
			}
			removeBackups(t, o.Path)
			// As an older Airlock wrote it: no "from".
			err := config.Edit(o.Home, func(f config.Fields) error {
				var servers map[string]map[string]any
				json.Unmarshal(f["mcpServers"], &servers)
				for _, s := range servers {
					delete(s, fromField)
				}
				return f.Set("mcpServers", servers)
			})
			if err != nil {
				t.Fatal(err)
			}
			hooked := readFile(t, o.Path)
			airlockJSON := readFile(t, filepath.Join(o.Home, config.FileName))
			_, err = Uninstall(o)
			if err == nil || !contains(err.Error(), "no install backup") || !contains(err.Error(), "does not record which servers came from it") ||
				!contains(err.Error(), "nothing changed") || !contains(err.Error(), "by hand") {
				t.Fatalf("err = %v", err)
			}
			if !bytes.Equal(readFile(t, o.Path), hooked) || !bytes.Equal(readFile(t, filepath.Join(o.Home, config.FileName)), airlockJSON) {
				t.Error("a refused uninstall wrote something")
			}
			if bs := backups(t, o.Path); len(bs) != 0 {
				t.Errorf("a refused uninstall left backups %v", bs)
			}
		})
	}
}

// One backup of two deleted, another unreadable: the backups that read
// give their servers as written, airlock.json the rest; Airlock's own
// fields (rules, roots) stay out of the host config.
func TestUninstallMixesBackupsAndRecord(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	original := readFile(t, o.Path)
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	first := backups(t, o.Path)[0].path
	var doc map[string]map[string]any
	json.Unmarshal(readFile(t, o.Path), &doc)
	doc["mcpServers"]["sentry"] = map[string]any{"command": "npx", "args": []string{"@sentry/mcp-server"}}
	b, _ := json.Marshal(doc)
	os.WriteFile(o.Path, b, 0o600)
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	os.Remove(first)
	err := config.Edit(o.Home, func(f config.Fields) error {
		var servers map[string]map[string]any
		json.Unmarshal(f["mcpServers"], &servers)
		servers["git"]["roots"] = []string{"/home/ann/src"}
		return f.Set("mcpServers", servers)
	})
	if err != nil {
		t.Fatal(err)
	}
	u, err := Uninstall(o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sorted(u.Rebuilt), []string{"git", "time"}) || !slices.Equal(sorted(u.Restored), []string{"git", "sentry", "time"}) {
		t.Errorf("rebuilt %v restored %v", u.Rebuilt, u.Restored)
	}
	want := hostServers(t, o.Host, original)
	want["sentry"] = doc["mcpServers"]["sentry"]
	if got := hostServers(t, o.Host, readFile(t, o.Path)); !jsonEqualValues(got, want) {
		t.Errorf("host servers %v\nwant %v", got, want)
	}
	lines := strings.Join(u.Lines(false, false), "\n")
	if !contains(lines, "restored sentry to the host config from the install backup") || !contains(lines, "restored git to the host config, rebuilt") {
		t.Errorf("lines:\n%s", lines)
	}

	// An unreadable backup counts as gone when airlock.json has the record.
	o2 := setup(t, Cursor, 0o600)
	r, err := Install(o2)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(r.Backup, []byte("{not json"), 0o600)
	u2, err := Uninstall(o2)
	if err != nil {
		t.Fatal(err)
	}
	if len(u2.Rebuilt) != 2 || !contains(strings.Join(u2.Lines(false, false), "\n"), "skipped the unreadable backup") {
		t.Errorf("%+v\n%s", u2, u2.Lines(false, false))
	}
	if got := hostServers(t, o2.Host, readFile(t, o2.Path)); !jsonEqualValues(got, hostServers(t, o2.Host, original)) {
		t.Errorf("host servers %v", got)
	}
}

// A server two hosts shared records both; uninstalling one host forgets
// only that one, so the other can still be rebuilt.
func TestSharedServerRecordsEachHost(t *testing.T) {
	a := setup(t, Cursor, 0o600)
	b := setup(t, Cursor, 0o600)
	b.Home = a.Home
	for _, o := range []Options{a, b} {
		if _, err := Install(o); err != nil {
			t.Fatal(err)
		}
		removeBackups(t, o.Path)
	}
	from, _ := json.Marshal(airlockServers(t, a.Home)["git"][fromField])
	if !contains(string(from), a.Path) || !contains(string(from), b.Path) {
		t.Fatalf("from %s, want both configs", from)
	}
	if _, err := Uninstall(a); err != nil {
		t.Fatal(err)
	}
	from, _ = json.Marshal(airlockServers(t, a.Home)["git"][fromField])
	if contains(string(from), a.Path) || !contains(string(from), b.Path) {
		t.Fatalf("from %s after uninstalling the first, want the second only", from)
	}
	if u, err := Uninstall(b); err != nil || len(u.Rebuilt) != 2 {
		t.Fatalf("%+v %v", u, err)
	}
}

func TestPlaceholdersNamesEnvAndArgs(t *testing.T) {
	got := placeholders("pg", json.RawMessage(`{"command":"pg-mcp","args":["--url","${keyring:pg.url}"],"env":{"B":"x","A b":"Bearer ${keyring:tok}"}}`))
	want := []Placeholder{{"pg", `env "A b"`, "Bearer ${keyring:tok}"}, {"pg", "args[1]", "${keyring:pg.url}"}}
	if !slices.Equal(got, want) {
		t.Errorf("placeholders %v, want %v", got, want)
	}
	r := &Report{Host: Host{Name: "Cursor"}, Restored: []string{"pg"}, Rebuilt: []string{"pg"}, Placeholders: got, Changed: true}
	lines := strings.Join(r.Lines(false, false), "\n")
	if !contains(lines, `pg's args[1] is ${keyring:pg.url}, which the host passes on as that text`) || !contains(lines, `pg's env "A b" is "Bearer ${keyring:tok}"`) {
		t.Errorf("lines:\n%s", lines)
	}
}

// Without backups and with an airlock.json that does not read, uninstall
// names the problem and writes nothing.
func TestUninstallWithoutBackupsBrokenAirlockJSON(t *testing.T) {
	for _, broken := range []string{"{", `{"mcpServers": []}`} {
		o := setup(t, Cursor, 0o600)
		if _, err := Install(o); err != nil {
			t.Fatal(err)
		}
		removeBackups(t, o.Path)
		os.WriteFile(filepath.Join(o.Home, config.FileName), []byte(broken), 0o600)
		hooked := readFile(t, o.Path)
		_, err := Uninstall(o)
		if err == nil || !contains(err.Error(), "airlock.json cannot tell which servers came from it either") || !contains(err.Error(), "nothing changed") {
			t.Fatalf("%s: err = %v", broken, err)
		}
		if !bytes.Equal(readFile(t, o.Path), hooked) || len(backups(t, o.Path)) != 0 ||
			string(readFile(t, filepath.Join(o.Home, config.FileName))) != broken {
			t.Errorf("%s: a refused uninstall wrote something", broken)
		}
	}
}
