//go:build unix

package e2e

import (
	"syscall"
	"testing"

	"github.com/airlock-dev/airlock/internal/servers"
)

// svTool is the named tool of server s, or nil.
func svTool(s servers.Server, name string) *servers.Tool {
	for i := range s.Tools {
		if s.Tools[i].Name == name {
			return &s.Tools[i]
		}
	}
	return nil
}

// A pinned tool the server stopped offering is told apart on the Servers
// & tools screen, from what real proxies report: while one live proxy's
// copy still offers it nothing is said; once only copies without it run,
// it is "no longer offered"; with no live proxy nothing is said again.
func TestServersScreenToolNoLongerOffered(t *testing.T) {
	home := t.TempDir()
	ts := rsTestServer(t)
	// The first proxy's db offers delete_record (-liar); the second one,
	// started after airlock.json changed, does not.
	rsWriteConfig(t, home, map[string]rsEntry{"db": {Command: ts, Args: []string{"-name", "db", "-liar"}}})
	old := airlockCmd(t, home, "proxy")
	oldCS := connect(t, testCtx(t, rsWait), old, nil)
	svWait(t, home, "db running with delete_record pinned", func(l map[string]servers.Server) bool {
		return l["db"].State == "running" && svTool(l["db"], "delete_record") != nil
	})

	rsWriteConfig(t, home, map[string]rsEntry{"db": {Command: ts, Args: []string{"-name", "db"}}})
	current := airlockCmd(t, home, "proxy")
	currentCS := connect(t, testCtx(t, rsWait), current, nil)
	list := svWait(t, home, "two live copies of db", func(l map[string]servers.Server) bool {
		n := 0
		for _, in := range l["db"].Instances {
			if in.Live && in.State == "running" {
				n++
			}
		}
		return n == 2
	})
	if d := svTool(list["db"], "delete_record"); d.NotOffered {
		t.Errorf("delete_record = %+v while the first proxy's copy still offers it; want it offered", d)
	}

	// The first proxy stops: only the copy without delete_record runs.
	_ = oldCS.Close()
	list = svWait(t, home, "delete_record no longer offered", func(l map[string]servers.Server) bool {
		d := svTool(l["db"], "delete_record")
		return d != nil && d.NotOffered
	})
	d, echo := svTool(list["db"], "delete_record"), svTool(list["db"], "echo")
	if d.NotOfferedSince.IsZero() || d.Changed {
		t.Errorf("delete_record = %+v; want no longer offered since a known time, not changed", d)
	}
	if echo == nil || echo.NotOffered {
		t.Errorf("echo = %+v; want it offered", echo)
	}

	// No live proxy: nothing is said about what the server offers.
	if err := current.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = currentCS.Close() // reaps the proxy
	list = svWait(t, home, "db not running", func(l map[string]servers.Server) bool { return l["db"].State == servers.NotRunning })
	if d := svTool(list["db"], "delete_record"); d.NotOffered {
		t.Errorf("delete_record = %+v with no proxy running db; want nothing said", d)
	}
}
