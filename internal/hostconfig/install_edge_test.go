package hostconfig

// Install and uninstall at the edges: conflicts, shared servers, dry runs,
// servers added later, hooks, new binaries, backup names, symlinks.

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
)

func TestConflictWithAirlockConfig(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	original := readFile(t, o.Path)
	// airlock.json already has a "git" server, started another way.
	err := config.Edit(o.Home, func(f config.Fields) error {
		return f.Set("mcpServers", map[string]any{"git": map[string]any{"command": "/usr/bin/git-mcp"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	before := readFile(t, filepath.Join(o.Home, config.FileName))
	for _, dry := range []bool{true, false} {
		o.DryRun = dry
		_, err = Install(o)
		if err == nil || !contains(err.Error(), `airlock.json already has a server "git" with a different definition`) {
			t.Fatalf("dry %v: err = %v", dry, err)
		}
	}
	if !bytes.Equal(readFile(t, o.Path), original) || len(backups(t, o.Path)) != 0 {
		t.Error("host config touched despite the conflict")
	}
	if !bytes.Equal(readFile(t, filepath.Join(o.Home, config.FileName)), before) {
		t.Error("airlock.json changed despite the conflict")
	}
}

func TestSecondHostSharesIdenticalServer(t *testing.T) {
	a := setup(t, Cursor, 0o600)
	if _, err := Install(a); err != nil {
		t.Fatal(err)
	}
	// A second host with the very same "git" entry shares it.
	b := a
	b.Host, _ = Lookup(ClaudeDesktop)
	b.Path = filepath.Join(t.TempDir(), "claude_desktop_config.json")
	os.WriteFile(b.Path, []byte(`{"mcpServers": {"git": { "command": "uvx", "args": ["mcp-server-git", "--repository", "/home/ann/src/app"] }}}`), 0o600)
	r, err := Install(b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Shared, []string{"git"}) {
		t.Errorf("shared %v, want [git]", r.Shared)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	o := setup(t, ClaudeDesktop, 0o600)
	original := readFile(t, o.Path)
	o.DryRun = true
	o.Prepare = func([]*Server) error { t.Error("Prepare ran in a dry run"); return nil }
	r, err := Install(o)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Changed || len(r.Moved) != 4 || !contains(string(r.After), testBinary) {
		t.Errorf("dry-run report %+v", r)
	}
	assertUntouched(t, o, original)

	// Uninstall's dry run on a hooked-up config.
	o.DryRun, o.Prepare = false, nil
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	hooked := readFile(t, o.Path)
	o.DryRun = true
	u, err := Uninstall(o)
	if err != nil || !u.Changed || len(u.Restored) != 4 || !jsonEqual(u.After, original) {
		t.Fatalf("uninstall dry run: %+v %v", u, err)
	}
	if !bytes.Equal(readFile(t, o.Path), hooked) || len(backups(t, o.Path)) != 1 {
		t.Error("uninstall dry run wrote something")
	}
}

func TestServersAddedAfterInstall(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	original := readFile(t, o.Path)
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	// The person adds a server to the host after hooking it up.
	var doc map[string]map[string]any
	json.Unmarshal(readFile(t, o.Path), &doc)
	doc["mcpServers"]["sentry"] = map[string]any{"command": "npx", "args": []string{"@sentry/mcp-server"}}
	b, _ := json.Marshal(doc)
	os.WriteFile(o.Path, b, 0o600)
	if st := Status(o.Host, o.Path); !st.HookedUp || st.Local != 1 {
		t.Errorf("status %+v, want hooked up with 1 local server", st)
	}
	r, err := Install(o)
	if err != nil || !r.Changed || len(r.Moved) != 1 || r.Moved[0].Name != "sentry" {
		t.Fatalf("second install %+v %v", r, err)
	}
	if _, ok := airlockServers(t, o.Home)["sentry"]; !ok {
		t.Error("sentry not in airlock.json")
	}
	// Uninstall restores every server moved by either install.
	if _, err := Uninstall(o); err != nil {
		t.Fatal(err)
	}
	var want map[string]map[string]any
	json.Unmarshal(original, &want)
	want["mcpServers"]["sentry"] = doc["mcpServers"]["sentry"]
	wb, _ := json.Marshal(want)
	if got := readFile(t, o.Path); !jsonEqual(got, wb) {
		t.Errorf("after uninstall:\n%s\nwant\n%s", got, wb)
	}
}

func TestPrepareHookChangesAirlockCopyOnly(t *testing.T) {
	o := setup(t, ClaudeDesktop, 0o600)
	original := readFile(t, o.Path)
	o.Prepare = func(servers []*Server) error {
		for _, s := range servers {
			if env, ok := s.Entry["env"].(map[string]any); ok {
				for k := range env {
					env[k] = "${keyring:" + s.Name + "-" + strings.ToLower(k) + "}"
				}
			}
		}
		return nil
	}
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	env := airlockServers(t, o.Home)["github"]["env"].(map[string]any)
	if env["GITHUB_PERSONAL_ACCESS_TOKEN"] != "${keyring:github-github_personal_access_token}" {
		t.Errorf("airlock.json env %v", env)
	}
	if _, err := Uninstall(o); err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(readFile(t, o.Path), original) {
		t.Error("uninstall did not restore the original token entry")
	}

	// A failing hook stops the install with nothing written.
	o2 := setup(t, ClaudeDesktop, 0o600)
	o2.Prepare = func([]*Server) error { return errors.New("keychain locked") }
	if _, err := Install(o2); err == nil || err.Error() != "keychain locked" {
		t.Fatalf("err = %v", err)
	}
	assertUntouched(t, o2, original)
}

func TestInstallIntoEmptyObjectAndKeepsUserAirlockServer(t *testing.T) {
	o := setup(t, ClaudeDesktop, 0o600)
	os.WriteFile(o.Path, []byte("{}"), 0o600)
	r, err := Install(o)
	if err != nil || !r.Changed {
		t.Fatal(r, err)
	}
	if got := keysAt(t, readFile(t, o.Path), "mcpServers"); !slices.Equal(got, []string{EntryName}) {
		t.Errorf("servers %v", got)
	}
	if _, err := Uninstall(o); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, o.Path); !jsonEqual(got, []byte(`{"mcpServers":{}}`)) {
		t.Errorf("after uninstall %s", got)
	}

	// A user's own server named "airlock" (not our proxy) moves like any other.
	o2 := setup(t, Cursor, 0o600)
	os.WriteFile(o2.Path, []byte(`{"mcpServers":{"airlock":{"command":"/usr/bin/other-airlock","args":["serve"]}}}`), 0o600)
	r, err = Install(o2)
	if err != nil || len(r.Moved) != 1 {
		t.Fatal(r, err)
	}
	if airlockServers(t, o2.Home)["airlock"]["command"] != "/usr/bin/other-airlock" {
		t.Error("user's airlock server not moved")
	}
}

func TestNewBinaryPathUpdatesEntry(t *testing.T) {
	o := setup(t, VSCode, 0o600)
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	o.Binary = "/usr/bin/airlock"
	o.ProxyEnv = map[string]string{"AIRLOCK_HOME": o.Home}
	r, err := Install(o)
	if err != nil || !r.Changed {
		t.Fatal(r, err)
	}
	var doc map[string]map[string]map[string]any
	json.Unmarshal(readFile(t, o.Path), &doc)
	e := doc["servers"][EntryName]
	if e["command"] != "/usr/bin/airlock" || e["env"].(map[string]any)["AIRLOCK_HOME"] != o.Home {
		t.Errorf("entry %v", e)
	}
	// The original still comes back after two installs.
	if _, err := Uninstall(o); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join("testdata", "vscode.json"))
	if !jsonEqual(readFile(t, o.Path), data) {
		t.Error("not restored")
	}
}

func TestBackupNamesSortAndStayDistinct(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c [1].json") // glob characters in the name
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	a, err := writeBackup(path, kindInstall, []byte("a"), now)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := writeBackup(path, kindUninstall, []byte("b"), now) // same tick
	c, _ := writeBackup(path, kindInstall, []byte("c"), now)
	os.WriteFile(path+".airlock-install-garbage", nil, 0o600)
	got := backups(t, path)
	if len(got) != 3 || got[0].path != a || got[1].path != b || got[2].path != c {
		t.Fatalf("backups %v, want %s %s %s", got, a, b, c)
	}
	if since := sinceLastUninstall(got); len(since) != 1 || since[0].path != c {
		t.Errorf("since last uninstall %v, want [%s]", since, c)
	}
	if !contains(a, ".airlock-install-20261125-200000.") {
		t.Errorf("backup name %s is not dated", a)
	}
}

func TestSymlinkedConfigStaysALink(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	original := readFile(t, o.Path)
	// The real file lives in a dotfiles folder; the host's path links to it.
	real := filepath.Join(t.TempDir(), "dotfiles", "cursor-mcp.json")
	os.MkdirAll(filepath.Dir(real), 0o700)
	if err := os.Rename(o.Path, real); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, o.Path); err != nil {
		t.Fatal(err)
	}
	r, err := Install(o)
	if err != nil || !r.Changed {
		t.Fatal(r, err)
	}
	if info, err := os.Lstat(o.Path); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", info.Mode(), err)
	}
	if !contains(string(readFile(t, real)), testBinary) || !strings.HasPrefix(r.Backup, real+".airlock-install-") {
		t.Errorf("the linked file was not edited, or its backup is elsewhere (%s)", r.Backup)
	}
	if _, err := Uninstall(o); err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(readFile(t, real), original) {
		t.Error("uninstall through the link did not restore the original")
	}
}

// An airlock.json holding "null" (a mangled file) is an error before any
// file changes, as every other unusable airlock.json is; it must not crash
// the window or the CLI (a JSON null decodes into a nil map).
func TestInstallWithNullAirlockConfig(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	original := readFile(t, o.Path)
	if err := os.MkdirAll(o.Home, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(o.Home, config.FileName), []byte("null\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dry := range []bool{true, false} {
		o.DryRun = dry
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("dry %v: install panicked: %v", dry, p)
				}
			}()
			if _, err := Install(o); err == nil || !contains(err.Error(), "airlock.json") {
				t.Errorf("dry %v: err = %v, want one naming airlock.json", dry, err)
			}
		}()
	}
	if !bytes.Equal(readFile(t, o.Path), original) || len(backups(t, o.Path)) != 0 {
		t.Error("the host config changed or was backed up")
	}
	if got := readFile(t, filepath.Join(o.Home, config.FileName)); string(got) != "null\n" {
		t.Errorf("airlock.json became %q", got)
	}
}
