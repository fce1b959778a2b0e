package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/hostconfig"
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
