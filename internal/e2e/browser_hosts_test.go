package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
)

// hostView is a host in Settings > Hosts as shown.
type hostView struct {
	State   string   `json:"state"`
	Path    string   `json:"path"`
	Buttons []string `json:"buttons"`
	Text    string   `json:"text"`
}

// Settings > Hosts against the real backend and real files: Connect hooks
// Claude Desktop up (its config gets the airlock entry, airlock.json the
// server), Disconnect gives the original back, and a broken Cursor config
// is shown with its error and no button.
func TestBrowserHostsConnect(t *testing.T) {
	user := t.TempDir() // the person's home: the backend finds the hosts' configs below it
	t.Setenv("HOME", user)
	t.Setenv("XDG_CONFIG_HOME", "")
	home := newHome(t)

	desktop := filepath.Join(user, ".config", "Claude", "claude_desktop_config.json")
	original := `{"mcpServers": {"memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]},
	  "linear": {"url": "https://mcp.linear.app/sse"}}, "globalShortcut": "Alt+Space"}`
	cursor := filepath.Join(user, ".cursor", "mcp.json")
	for path, data := range map[string]string{desktop: original, cursor: `{"mcpServers": {"git": `} {
		os.MkdirAll(filepath.Dir(path), 0o700)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	url, _ := startUI(t, home)
	p := openPage(t, url, "hosts")
	var h hostView
	p.step("host", map[string]any{"name": "Claude Desktop"}, &h)
	if h.State != "Not connected: 1 server bypass Airlock" || h.Path != desktop || !slices.Equal(h.Buttons, []string{"Connect"}) {
		t.Fatalf("Claude Desktop before: %+v", h)
	}
	p.step("host", map[string]any{"name": "Cursor"}, &h)
	if !strings.Contains(h.Text, "is not valid JSON") || len(h.Buttons) != 0 {
		t.Errorf("broken Cursor config shown as %+v", h)
	}
	p.shot("before")

	var out struct {
		OK    bool     `json:"ok"`
		Lines []string `json:"lines"`
	}
	p.step("hostAction", map[string]any{"name": "Claude Desktop", "button": "Connect"}, &out)
	text := strings.Join(out.Lines, "\n")
	if !out.OK || !strings.Contains(text, "moved memory into airlock.json") || !strings.Contains(text, "left linear in place: remote server") {
		t.Fatalf("connect said %+v", out)
	}
	p.step("host", map[string]any{"name": "Claude Desktop"}, &h)
	if h.State != "Connected through Airlock" || !slices.Equal(h.Buttons, []string{"Disconnect"}) {
		t.Errorf("Claude Desktop after connect: %+v", h)
	}
	p.shot("connected")

	var doc struct {
		MCPServers map[string]struct {
			Command string   `json:"command"`
			Args    []string `json:"args"`
		} `json:"mcpServers"`
	}
	b, _ := os.ReadFile(desktop)
	json.Unmarshal(b, &doc)
	self, _ := os.Executable()
	self, _ = filepath.EvalSymlinks(self)
	if e := doc.MCPServers["airlock"]; e.Command != self || !reflect.DeepEqual(e.Args, []string{"proxy"}) {
		t.Errorf("airlock entry %+v, want %s proxy", e, self)
	}
	cfg, err := config.Load(home)
	if err != nil || cfg.MCPServers["memory"].Command != "npx" {
		t.Errorf("airlock.json after connect: %+v %v", cfg, err)
	}

	p.step("hostAction", map[string]any{"name": "Claude Desktop", "button": "Disconnect"}, &out)
	if !out.OK || !strings.Contains(strings.Join(out.Lines, "\n"), "restored memory to the host config") {
		t.Fatalf("disconnect said %+v", out)
	}
	if b, _ := os.ReadFile(desktop); !sameJSON(t, b, []byte(original)) {
		t.Errorf("disconnect left\n%s\nwant\n%s", b, original)
	}
	p.step("host", map[string]any{"name": "Claude Desktop"}, &h)
	if !slices.Equal(h.Buttons, []string{"Connect"}) {
		t.Errorf("Claude Desktop after disconnect: %+v", h)
	}
}
