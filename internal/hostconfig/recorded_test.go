package hostconfig

import (
	"os"
	"path/filepath"
	"testing"
)

// RecordedConfigs lists each (host, config) once, in airlock.json's order,
// and leaves out origins doctor could not check.
func TestRecordedConfigs(t *testing.T) {
	home := t.TempDir()
	if got, err := RecordedConfigs(home); err != nil || got != nil {
		t.Fatalf("no airlock.json: %v, %v", got, err)
	}
	ws := filepath.Join(home, "ws", ".vscode", "mcp.json")
	data := `{"mcpServers": {
	  "a": {"command": "x", "from": [{"host": "vscode", "config": "` + ws + `", "name": "a"}, {"host": "cursor", "config": "/c/mcp.json", "name": "a"}]},
	  "b": {"command": "x", "from": [{"host": "vscode", "config": "` + ws + `", "name": "b"}, {"host": "cursor", "config": "/other", "name": "b"}]},
	  "c": {"command": "x", "from": [{"host": "zed", "config": "/z.json", "name": "c"}, {"host": "vscode", "config": "rel/mcp.json", "name": "c"}]},
	  "d": {"command": "x", "from": "a person's note"}}}`
	if err := os.WriteFile(filepath.Join(home, "airlock.json"), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := RecordedConfigs(home)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"vscode " + ws, "cursor /c/mcp.json", "cursor /other"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i, r := range got {
		if r.Host.ID+" "+r.Config != want[i] {
			t.Errorf("[%d] = %s %s, want %s", i, r.Host.ID, r.Config, want[i])
		}
	}

	os.WriteFile(filepath.Join(home, "airlock.json"), []byte(`{"mcpServers": [`), 0o600)
	if _, err := RecordedConfigs(home); err == nil {
		t.Error("broken airlock.json: no error")
	}
}

// A recorded path is the default one when it names the default file,
// directly or through a link.
func TestIsDefaultPath(t *testing.T) {
	dir := t.TempDir()
	e := Env{GOOS: "linux", Home: dir, Getenv: func(string) string { return "" }}
	h, _ := Lookup(Cursor)
	def := h.Path(e)
	real := filepath.Join(dir, "dotfiles", "cursor.json")
	os.MkdirAll(filepath.Dir(def), 0o700)
	os.MkdirAll(filepath.Dir(real), 0o700)
	os.WriteFile(real, []byte(`{}`), 0o600)
	if err := os.Symlink(real, def); err != nil {
		t.Fatal(err)
	}
	if !h.IsDefaultPath(e, def) || !h.IsDefaultPath(e, real) || h.IsDefaultPath(e, filepath.Join(dir, "ws", "mcp.json")) {
		t.Errorf("IsDefaultPath wrong for %s -> %s", def, real)
	}
}
