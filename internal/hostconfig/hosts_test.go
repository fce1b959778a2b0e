package hostconfig

import (
	"slices"
	"testing"
)

func TestPathsPerOS(t *testing.T) {
	env := func(goos, home string, vars map[string]string, existing ...string) Env {
		return Env{GOOS: goos, Home: home, Getenv: func(k string) string { return vars[k] },
			Exists: func(p string) bool { return slices.Contains(existing, p) }}
	}
	win := map[string]string{`APPDATA`: `C:\Users\ann\AppData\Roaming`, `LOCALAPPDATA`: `C:\Users\ann\AppData\Local`}
	msix := `C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc`
	cases := []struct {
		host string
		env  Env
		want []string
	}{
		{ClaudeDesktop, env("darwin", "/Users/ann", nil), []string{"/Users/ann/Library/Application Support/Claude/claude_desktop_config.json"}},
		{ClaudeDesktop, env("linux", "/home/ann", nil), []string{"/home/ann/.config/Claude/claude_desktop_config.json"}},
		{ClaudeDesktop, env("linux", "/home/ann", map[string]string{"XDG_CONFIG_HOME": "/xdg"}), []string{"/xdg/Claude/claude_desktop_config.json"}},
		// A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
		{ClaudeDesktop, env("linux", "/home/ann", map[string]string{"XDG_CONFIG_HOME": "xdg"}), []string{"/home/ann/.config/Claude/claude_desktop_config.json"}},
		{ClaudeDesktop, env("windows", `C:\Users\ann`, win), []string{
			`C:\Users\ann\AppData\Roaming\Claude\claude_desktop_config.json`,
			`C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming\Claude\claude_desktop_config.json`}},
		// The Store build installed: its virtualised folder comes first.
		{ClaudeDesktop, env("windows", `C:\Users\ann`, win, msix), []string{
			`C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming\Claude\claude_desktop_config.json`,
			`C:\Users\ann\AppData\Roaming\Claude\claude_desktop_config.json`}},
		// No APPDATA in the environment: the profile's default folders.
		{ClaudeDesktop, env("windows", `C:\Users\ann`, nil), []string{
			`C:\Users\ann\AppData\Roaming\Claude\claude_desktop_config.json`,
			`C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming\Claude\claude_desktop_config.json`}},
		{ClaudeCode, env("linux", "/home/ann", nil), []string{"/home/ann/.claude.json"}},
		{ClaudeCode, env("darwin", "/Users/ann", nil), []string{"/Users/ann/.claude.json"}},
		{ClaudeCode, env("windows", `C:\Users\ann`, win), []string{`C:\Users\ann\.claude.json`}},
		{Cursor, env("linux", "/home/ann", nil), []string{"/home/ann/.cursor/mcp.json"}},
		{Cursor, env("windows", `C:\Users\ann`, win), []string{`C:\Users\ann\.cursor\mcp.json`}},
		{VSCode, env("linux", "/home/ann", nil), []string{"/home/ann/.config/Code/User/mcp.json"}},
		{VSCode, env("darwin", "/Users/ann", nil), []string{"/Users/ann/Library/Application Support/Code/User/mcp.json"}},
		{VSCode, env("windows", `C:\Users\ann`, win), []string{`C:\Users\ann\AppData\Roaming\Code\User\mcp.json`}},
	}
	for _, c := range cases {
		h, err := Lookup(c.host)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Paths(c.env); !slices.Equal(got, c.want) {
			t.Errorf("%s on %s %v: got\n%q\nwant\n%q", c.host, c.env.GOOS, c.env.Getenv("XDG_CONFIG_HOME"), got, c.want)
		}
		if got := h.Path(c.env); got != c.want[0] {
			t.Errorf("%s Path = %q, want %q", c.host, got, c.want[0])
		}
	}
}

func TestLookupUnknownHost(t *testing.T) {
	if _, err := Lookup("claude"); err == nil || !contains(err.Error(), "claude-desktop, claude-code, cursor, vscode") {
		t.Fatalf("err = %v, want the supported hosts listed", err)
	}
}

func TestValidName(t *testing.T) {
	cases := map[string]string{
		"memory":       "memory",
		"my server.v2": "my-server-v2",
		"a__b_":        "a_b",
		"_hidden":      "hidden",
		"日本":           "server",
		"a-very-long-server-name-that-goes-on-and-on": "a-very-long-server-name-that-goe",
	}
	for in, want := range cases {
		if got := validName(in, map[string]bool{}); got != want {
			t.Errorf("validName(%q) = %q, want %q", in, got, want)
		}
		if _, err := parseOne(want, map[string]any{"command": "x"}); err != nil {
			t.Errorf("%q is not valid for airlock.json: %v", want, err)
		}
	}
	if got := validName("a.b", map[string]bool{"a-b": true}); got != "a-b-2" {
		t.Errorf("taken name: got %q, want a-b-2", got)
	}
	if got := validName("ok", map[string]bool{"ok": true}); got != "ok-2" {
		t.Errorf("a valid but taken name: got %q, want ok-2", got)
	}
}
