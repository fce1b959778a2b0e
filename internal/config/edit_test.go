package config

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestEditKeepsUnknownFieldsAndWritesPrivately(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, FileName)
	orig := `{"mcpServers":{"mem":{"command":"node","args":["m.js"],"futureField":1}},"theme":"dark","approvalWait":"30s"}`
	if err := os.WriteFile(path, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Edit(home, func(f Fields) error { return f.Set("approvalTTL", "5m") })
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got["theme"] != "dark" || got["approvalWait"] != "30s" || got["approvalTTL"] != "5m" {
		t.Fatalf("fields not kept: %s", data)
	}
	if !strings.Contains(string(data), `"futureField": 1`) {
		t.Fatalf("server's unknown field lost: %s", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	cfg, err := Load(home)
	if err != nil || cfg.ApprovalTTL == (Config{}).ApprovalTTL {
		t.Fatalf("load after edit: %v", err)
	}
}

func TestEditRefusesInvalidResultAndLeavesFileAlone(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, FileName)
	orig := []byte(`{"mcpServers":{}}`)
	os.WriteFile(path, orig, 0o600)
	err := Edit(home, func(f Fields) error { return f.Set("approvalWait", "soon") })
	if err == nil || !strings.Contains(err.Error(), "invalid config") {
		t.Fatalf("want refusal, got %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != string(orig) {
		t.Fatalf("file changed: %s", data)
	}
	boom := errors.New("boom")
	if err := Edit(home, func(Fields) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("fn error not returned: %v", err)
	}
}

func TestEditRefusesNonObjectFile(t *testing.T) {
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, FileName), []byte(`[1,2]`), 0o600)
	if err := Edit(home, func(Fields) error { return nil }); err == nil {
		t.Fatal("want error for a JSON array config")
	}
}

func TestEditMissingFileStartsEmpty(t *testing.T) {
	home := filepath.Join(t.TempDir(), "new")
	if err := Edit(home, func(f Fields) error { return f.Set("approvalWait", "20s") }); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(home)
	if err != nil || len(cfg.MCPServers) != 0 {
		t.Fatalf("load: %v %v", cfg, err)
	}
}

// Concurrent edits of different fields all land: the lock serialises the
// read-modify-write of each.
func TestEditConcurrentEditsAllLand(t *testing.T) {
	home := t.TempDir()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := "x" + string(rune('a'+i))
			if err := Edit(home, func(f Fields) error { return f.Set(name, i) }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	data, _ := os.ReadFile(filepath.Join(home, FileName))
	var got map[string]any
	json.Unmarshal(data, &got)
	if len(got) != 21 { // 20 fields + mcpServers
		t.Fatalf("got %d fields: %s", len(got), data)
	}
}
