package app

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/hostconfig"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// newHostsService serves the hosts of a made-up Linux user.
func newHostsService(t *testing.T) (*Hosts, string) {
	t.Helper()
	user := t.TempDir()
	h := NewHosts(filepath.Join(t.TempDir(), "airlock"))
	h.env = func() (hostconfig.Env, error) {
		return hostconfig.Env{GOOS: "linux", Home: user, Getenv: func(string) string { return "" }}, nil
	}
	h.binary = func() (string, error) { return "/opt/airlock/airlock", nil }
	h.getenv = func(string) string { return "" }
	return h, user
}

func TestHostsConnectAndDisconnect(t *testing.T) {
	h, user := newHostsService(t)
	cursor := filepath.Join(user, ".cursor", "mcp.json")
	os.MkdirAll(filepath.Dir(cursor), 0o700)
	original := `{"mcpServers":{"git":{"command":"uvx","args":["mcp-server-git"]},"linear":{"url":"https://mcp.linear.app/sse"}}}`
	os.WriteFile(cursor, []byte(original), 0o600)

	list, err := h.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 {
		t.Fatalf("%d hosts, want 4", len(list))
	}
	byID := map[string]HostView{}
	for _, v := range list {
		byID[v.ID] = v
	}
	if c := byID["cursor"]; !c.Found || c.HookedUp || c.Local != 1 || c.Kept != 1 || c.Path != cursor {
		t.Errorf("cursor before: %+v", c)
	}
	if d := byID["claude-desktop"]; d.Found || d.Path != filepath.Join(user, ".config", "Claude", "claude_desktop_config.json") {
		t.Errorf("claude desktop: %+v", d)
	}

	ch, err := h.Install("cursor")
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Changed || !ch.Host.HookedUp || ch.Host.Local != 0 || !strings.Contains(strings.Join(ch.Lines, "\n"), "moved git into airlock.json") {
		t.Errorf("install: %+v", ch)
	}
	if cfg, err := config.Load(h.home); err != nil || cfg.MCPServers["git"].Command != "uvx" {
		t.Errorf("airlock.json: %+v %v", cfg, err)
	}
	if ch, err = h.Install("cursor"); err != nil || ch.Changed {
		t.Errorf("second install: %+v %v", ch, err)
	}

	ch, err = h.Uninstall("cursor")
	if err != nil || !ch.Changed || ch.Host.HookedUp || ch.Host.Local != 1 {
		t.Fatalf("uninstall: %+v %v", ch, err)
	}
	if !strings.Contains(strings.Join(ch.Lines, "\n"), "restored git") {
		t.Errorf("uninstall lines %q", ch.Lines)
	}
}

func TestHostsErrors(t *testing.T) {
	h, user := newHostsService(t)
	if _, err := h.Install("zed"); err == nil || !strings.Contains(err.Error(), "unknown host") {
		t.Errorf("unknown host: %v", err)
	}
	if _, err := h.Install("claude-desktop"); err == nil || !strings.Contains(err.Error(), "no Claude Desktop config") {
		t.Errorf("missing config: %v", err)
	}
	code := filepath.Join(user, ".claude.json")
	os.WriteFile(code, []byte(`{"mcpServers": [}`), 0o600)
	if _, err := h.Install("claude-code"); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("broken config: %v", err)
	}
	list, _ := h.List()
	for _, v := range list {
		if v.ID == "claude-code" && (v.Error == "" || v.HookedUp) {
			t.Errorf("broken host view %+v", v)
		}
	}
}

// Connect lists the token-like env values it put in airlock.json (where,
// never what); MoveSecrets moves the chosen ones into the keychain and
// says what became of each; an unavailable keychain moves nothing.
func TestHostsConnectOffersToMoveSecrets(t *testing.T) {
	h, user := newHostsService(t)
	kc := &secrets.Memory{}
	h.secrets = secrets.New(h.home, kc)
	desktop := filepath.Join(user, ".config", "Claude", "claude_desktop_config.json")
	os.MkdirAll(filepath.Dir(desktop), 0o700)
	token := "ghp_" + strings.Repeat("A1b2", 9)
	os.WriteFile(desktop, []byte(`{"mcpServers":{
	  "github":{"command":"npx","args":["-y","@modelcontextprotocol/server-github"],"env":{"GITHUB_PERSONAL_ACCESS_TOKEN":"`+token+`"}},
	  "db":{"command":"uvx","args":["mcp-server-postgres"],"env":{"PGPASSWORD":"hunter2-long-password","PGHOST":"localhost"}},
	  "memory":{"command":"npx","args":["-y","@modelcontextprotocol/server-memory"]}}}`), 0o600)

	ch, err := h.Install("claude-desktop")
	if err != nil {
		t.Fatal(err)
	}
	want := []PlainValue{{"db", "PGPASSWORD"}, {"github", "GITHUB_PERSONAL_ACCESS_TOKEN"}}
	if !slices.Equal(ch.Tokens, want) || ch.Backup == "" {
		t.Fatalf("Connect offered %v (backup %q), want %v", ch.Tokens, ch.Backup, want)
	}
	if b, _ := json.Marshal(ch); strings.Contains(string(b), token) || strings.Contains(string(b), "hunter2") {
		t.Fatalf("the change carries a value: %s", b)
	}

	// The keychain is locked: nothing moves, the reason is given.
	kc.Err = &secrets.Unavailable{Op: "read", Reason: "the keychain is locked", Err: errors.New("locked")}
	before, _ := os.ReadFile(filepath.Join(h.home, config.FileName))
	got, err := h.MoveSecrets(want)
	if err != nil || !strings.Contains(got.Keychain, "locked") || len(got.Values) != 0 {
		t.Fatalf("MoveSecrets with a locked keychain = %+v, %v", got, err)
	}
	if after, _ := os.ReadFile(filepath.Join(h.home, config.FileName)); string(after) != string(before) {
		t.Fatalf("a locked keychain changed airlock.json:\n%s", after)
	}

	// Unlocked: the person chose only the GitHub token.
	kc.Err = nil
	got, err = h.MoveSecrets(want[1:])
	wantMove := []TokenMove{{Server: "github", Key: "GITHUB_PERSONAL_ACCESS_TOKEN", Name: "github.GITHUB_PERSONAL_ACCESS_TOKEN"}}
	if err != nil || got.Keychain != "" || !slices.Equal(got.Values, wantMove) {
		t.Fatalf("MoveSecrets = %+v, %v; want %+v", got, err, wantMove)
	}
	cfg, err := config.Load(h.home)
	if err != nil || cfg.MCPServers["github"].Env["GITHUB_PERSONAL_ACCESS_TOKEN"] != "${keyring:github.GITHUB_PERSONAL_ACCESS_TOKEN}" ||
		cfg.MCPServers["db"].Env["PGPASSWORD"] != "hunter2-long-password" {
		t.Fatalf("airlock.json after the move: %+v %v", cfg, err)
	}
	if v, err := kc.Get(context.Background(), "github.GITHUB_PERSONAL_ACCESS_TOKEN"); err != nil || v != token {
		t.Fatalf("keychain holds %d characters, %v", len(v), err)
	}

	// Asked again for a value already moved: that value says so.
	got, err = h.MoveSecrets(want[1:])
	if err != nil || len(got.Values) != 1 || got.Values[0].Name != "" || !strings.Contains(got.Values[0].Error, "not a plain-text credential") {
		t.Fatalf("moving twice = %+v, %v", got, err)
	}
}
