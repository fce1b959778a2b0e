package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseClaudeDesktopShape(t *testing.T) {
	cfg, err := Parse([]byte(`{
		"mcpServers": {
			"filesystem": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"], "type": "stdio"},
			"github": {"command": "gh-mcp", "env": {"GITHUB_TOKEN": "x"}, "cwd": "/srv",
			           "roots": ["/srv/repos", "~/code"],
			           "rules": [{"tool": "delete_*", "action": "deny"}],
			           "rateLimit": {"callsPerMinute": 10, "destructiveWindow": "30s"}}
		},
		"rules": [{"server": "*", "tool": "list_*", "action": "allow"}],
		"approvalWait": "20s"
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.ServerNames(); strings.Join(got, ",") != "filesystem,github" {
		t.Errorf("names = %v", got)
	}
	gh := cfg.MCPServers["github"]
	if gh.Env["GITHUB_TOKEN"] != "x" || gh.Cwd != "/srv" || len(gh.Roots) != 2 || gh.RateLimit.CallsPerMinute != 10 {
		t.Errorf("github = %+v", gh)
	}
	if gh.Rules[0].Server != "github" || gh.Rules[0].Source != "config" {
		t.Errorf("server rule not bound to its server: %+v", gh.Rules[0])
	}
	if len(cfg.AllRules()) != 2 {
		t.Errorf("AllRules = %v", cfg.AllRules())
	}
	if time.Duration(cfg.ApprovalWait) != 20*time.Second || time.Duration(cfg.ApprovalTTL) != DefaultApprovalTTL {
		t.Errorf("wait %v ttl %v", cfg.ApprovalWait, cfg.ApprovalTTL)
	}
}

// Errors name the file's server and field so a user can fix them.
func TestParseErrors(t *testing.T) {
	tests := []struct{ json, want string }{
		{`{"mcpServers": {"a": {"args": []}}}`, `server "a": field "command": required`},
		{`{"mcpServers": {"a": {"command": 3}}}`, `server "a": field "command"`},
		{`{"mcpServers": {"a": {"command": "x", "args": "not-a-list"}}}`, `server "a": field "args"`},
		{`{"mcpServers": {"a": {"command": "x", "cwd": "rel"}}}`, `server "a": field "cwd"`},
		{`{"mcpServers": {"a": {"command": "x", "roots": ["rel/dir"]}}}`, `server "a": field "roots"`},
		{`{"mcpServers": {"a": {"command": "x", "rules": [{"tool": "*", "action": "maybe"}]}}}`, `server "a": field "rules": rule 1`},
		{`{"mcpServers": {"a": {"command": "x", "rules": [{"server": "b", "tool": "*", "action": "deny"}]}}}`, `names server "b"`},
		{`{"mcpServers": {"a__b": {"command": "x"}}}`, `server "a__b": name`},
		{`{"mcpServers": {"a_": {"command": "x"}}}`, `server "a_": name`},
		{`{"mcpServers": {"has space": {"command": "x"}}}`, `server "has space": name`},
		{`{"mcpServers": {"a": "x"}}`, `server "a": must be an object`},
		{`{"approvalWait": 45}`, `field "approvalWait"`},
		{`{"approvalWait": "2m", "approvalTTL": "1m"}`, `field "approvalTTL"`},
		{`{"rules": [{"tool": "*", "action": "allow"}]}`, `field "rules": rule 1: rule needs "server"`},
		{`{"mcpServers": `, `invalid JSON`},
		// Not an object, or more than one: a file that lost its content,
		// not one that sets nothing (its rules would all be dropped).
		{`null`, `a JSON object`},
		{`[]`, `invalid JSON`},
		{`{"rules": [{"server": "*", "tool": "x", "action": "deny"}]} {"rules": []}`, `after the object`},
		{`{} x`, `after the object`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%s) err = %v, want it to mention %q", tt.json, err, tt.want)
		}
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	home := t.TempDir()
	cfg, err := Load(home)
	if err != nil || len(cfg.MCPServers) != 0 {
		t.Fatalf("missing file: %v %v", cfg, err)
	}
	path := filepath.Join(home, FileName)
	os.WriteFile(path, []byte(`{"mcpServers": {"x": {}}}`), 0o600)
	if _, err := Load(home); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v does not name %s", err, path)
	}
}

func TestHome(t *testing.T) {
	t.Setenv("AIRLOCK_HOME", "rel/home")
	h, err := Home()
	if err != nil || !filepath.IsAbs(h) {
		t.Errorf("Home() = %q, %v; want absolute", h, err)
	}
}
