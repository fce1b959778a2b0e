package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/internal/checkpoint"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

// newServersService is the app's Servers service over a home with an
// airlock.json; the returned store plays a proxy (another process).
func newServersService(t *testing.T, withDB bool) (*Servers, *store.Store, string) {
	t.Helper()
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, config.FileName),
		[]byte(`{"mcpServers":{"fs":{"command":"node","args":["server.js"]},"db":{"command":"db-server"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	path := config.DBPath(home)
	var proxy *store.Store
	if withDB {
		var err error
		if proxy, err = store.Open(path); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { proxy.Close() })
	}
	calls := NewCalls(path)
	t.Cleanup(calls.shutdown)
	return NewServers(home, calls.open), proxy, path
}

func TestServersBeforeDatabaseExists(t *testing.T) {
	s, _, path := newServersService(t, false)
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "db" || list[0].State != "not running" || list[1].Name != "fs" {
		t.Fatalf("list = %+v, want the two configured servers, not running", list)
	}
	if err := s.Resume("db"); err == nil || !strings.Contains(err.Error(), "no audit log") {
		t.Errorf("Resume without a database = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the window created the database (%v); proxies own it", err)
	}
}

func TestServersListResumeAndRevoke(t *testing.T) {
	s, proxy, _ := newServersService(t, true)
	ctx := context.Background()
	read := checkpoint.NewTool("fs", &mcp.Tool{Name: "read_file", Description: "Read a file",
		InputSchema: map[string]any{"type": "object"}})
	if _, err := proxy.ObservePin(ctx, "fs", "read_file", read.DefHash, read.Definition); err != nil {
		t.Fatal(err)
	}
	if err := proxy.GrantConsent(ctx, store.Consent{Server: "fs", Tool: "read_file", DefHash: read.DefHash, GrantedBy: "app"}); err != nil {
		t.Fatal(err)
	}
	if err := proxy.GrantConsent(ctx, store.Consent{Server: "fs", Tool: "*", GrantedBy: "app"}); err != nil {
		t.Fatal(err)
	}
	if err := proxy.BeatUpstreams(ctx, store.Proxy{PID: os.Getpid(), Started: time.Now()},
		[]store.UpstreamStatus{{Server: "fs", State: "running", PID: 77, Tools: 1, Since: time.Now()},
			{Server: "db", State: "restarting", Detail: "exited", Since: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	if err := proxy.PauseServer(ctx, "db", "a burst of destructive calls"); err != nil {
		t.Fatal(err)
	}

	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	db, fs := list[0], list[1]
	if db.State != "restarting" || db.Detail != "exited" || !db.Paused || db.PauseReason != "a burst of destructive calls" || db.PausedAt == "" {
		t.Errorf("db = %+v", db)
	}
	if fs.State != "running" || fs.Command != "node" || len(fs.Instances) != 1 || fs.Instances[0].PID != 77 ||
		!fs.Instances[0].Live || !fs.ServerConsent {
		t.Errorf("fs = %+v", fs)
	}
	if len(fs.Tools) != 1 || fs.Tools[0].Tier != "read" || fs.Tools[0].Consent != "tool" || fs.Tools[0].PinnedAt == "" ||
		fs.Tools[0].ChangedAt != "" || fs.Tools[0].Reasons == nil || fs.Tools[0].Findings == nil {
		t.Errorf("fs tools = %+v", fs.Tools)
	}
	if _, err := time.Parse(time.RFC3339, fs.Since); err != nil {
		t.Errorf("since %q is not RFC 3339: %v", fs.Since, err)
	}

	if err := s.Resume("db"); err != nil {
		t.Fatal(err)
	}
	if err := s.Resume("db"); err == nil || !strings.Contains(err.Error(), "not paused") {
		t.Errorf("second Resume = %v, want not paused", err)
	}
	trust, err := proxy.LoadTrust(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, paused := trust.Paused["db"]; paused {
		t.Error("db still paused for the proxy after Resume")
	}

	if err := s.RevokeConsent("fs", "read_file"); err != nil {
		t.Fatal(err)
	}
	list, _ = s.List()
	if c := list[1].Tools[0].Consent; c != "server" {
		t.Errorf("after revoking the tool's consent: %q, want the server's consent to remain", c)
	}
	if err := s.RevokeConsent("fs", "*"); err != nil {
		t.Fatal(err)
	}
	list, _ = s.List()
	if list[1].ServerConsent || list[1].Tools[0].Consent != "none" {
		t.Errorf("after revoking everything: %+v", list[1])
	}
	if trust, _ := proxy.LoadTrust(ctx); trust.HasConsent("fs", "read_file", read.DefHash) {
		t.Error("the proxy still sees a consent after both were revoked")
	}
	if err := s.RevokeConsent("fs", " "); err == nil {
		t.Error("revoking with no tool named was accepted")
	}
}

func TestServersListSaysWhichToolsAreNoLongerOffered(t *testing.T) {
	s, proxy, _ := newServersService(t, true)
	ctx := context.Background()
	for _, name := range []string{"read_file", "old_tool"} {
		def := checkpoint.NewTool("fs", &mcp.Tool{Name: name, Description: "A tool", InputSchema: map[string]any{"type": "object"}})
		if _, err := proxy.ObservePin(ctx, "fs", name, def.DefHash, def.Definition); err != nil {
			t.Fatal(err)
		}
	}
	listed := time.Now().Add(-time.Minute)
	if err := proxy.BeatUpstreams(ctx, store.Proxy{PID: os.Getpid(), Started: time.Now()},
		[]store.UpstreamStatus{{Server: "fs", State: "running", PID: 77, Tools: 1, Since: listed,
			Offered: []string{"read_file"}, OfferedSince: listed}}); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	fs := list[1]
	if len(fs.Tools) != 2 || fs.Tools[0].Name != "old_tool" || fs.Tools[1].Name != "read_file" {
		t.Fatalf("fs tools = %+v", fs.Tools)
	}
	old, offered := fs.Tools[0], fs.Tools[1]
	if !old.NotOffered || old.Changed {
		t.Errorf("old_tool = %+v, want no longer offered (and not changed)", old)
	}
	if at, err := time.Parse(time.RFC3339, old.NotOfferedSince); err != nil || !at.Equal(listed.Truncate(time.Millisecond)) {
		t.Errorf("old_tool not offered since %q (%v), want %v", old.NotOfferedSince, err, listed)
	}
	if offered.NotOffered || offered.NotOfferedSince != "" {
		t.Errorf("read_file = %+v, want offered", offered)
	}
}
