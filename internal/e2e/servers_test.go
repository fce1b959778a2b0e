//go:build unix

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/servers"
	"github.com/airlock-dev/airlock/internal/store"
)

// The Servers & tools screen reads what real `airlock proxy` processes
// report through the shared database: here the test opens that database
// the way the window does and asks internal/servers, which the window's
// Servers service calls, for the list.

// svList returns the servers as the window would show them now.
func svList(t *testing.T, home string) map[string]servers.Server {
	t.Helper()
	cfg, err := config.Load(home)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := servers.List(context.Background(), st, cfg, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]servers.Server{}
	for _, s := range list {
		out[s.Name] = s
	}
	return out
}

// svWait polls the list until cond holds for it, and returns that list.
func svWait(t *testing.T, home, what string, cond func(map[string]servers.Server) bool) map[string]servers.Server {
	t.Helper()
	var last map[string]servers.Server
	deadline := time.Now().Add(rsWait)
	for {
		last = svList(t, home)
		if cond(last) {
			return last
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; servers: %+v", what, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A real proxy's upstreams appear with their real state: a healthy one
// running (its real pid, its tools pinned and classified), one that exits
// at start failed with the error, one whose process is killed restarting;
// and when the proxy goes, nothing shows as running.
func TestServersScreenShowsRealUpstreams(t *testing.T) {
	home := t.TempDir()
	ts := rsTestServer(t)
	// "flaky" runs normally the first time; every later start hangs (the
	// proxy waits up to its start timeout, 30 s), so after its process is
	// killed it stays in "restarting" long enough to be seen.
	flaky := filepath.Join(home, "flaky.sh")
	script := "#!/bin/sh\n" +
		"if [ -e \"$0.started\" ]; then exec '" + ts + "' -name flaky -start-delay 1h; fi\n" +
		": > \"$0.started\"\n" +
		"exec '" + ts + "' -name flaky -pidfile '" + filepath.Join(home, "flaky.pids") + "'\n"
	if err := os.WriteFile(flaky, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	rsWriteConfig(t, home, map[string]rsEntry{
		"good":   {Command: ts, Args: []string{"-name", "good", "-pidfile", filepath.Join(home, "good.pids")}},
		"broken": {Command: ts, Args: []string{"-name", "broken", "-fail-start"}},
		"flaky":  {Command: flaky},
	})

	cmd := airlockCmd(t, home, "proxy")
	cs := connect(t, testCtx(t, rsWait), cmd, nil)
	proxyPID := cmd.Process.Pid

	list := svWait(t, home, "good and flaky running, broken failed", func(l map[string]servers.Server) bool {
		return l["good"].State == "running" && l["flaky"].State == "running" && l["broken"].State == "failed"
	})
	good := list["good"]
	pids := rsPIDs(t, home, "good")
	if len(good.Instances) != 1 || good.Instances[0].ProxyPID != proxyPID || !good.Instances[0].Live ||
		len(pids) != 1 || good.Instances[0].PID != pids[0] || good.Instances[0].Tools == 0 {
		t.Errorf("good instances = %+v; want one live copy in proxy %d with upstream pid %v", good.Instances, proxyPID, pids)
	}
	if !good.Configured || good.Command != ts || good.Detail != "" {
		t.Errorf("good = %+v", good)
	}
	var echo *servers.Tool
	for i := range good.Tools {
		if good.Tools[i].Name == "echo" {
			echo = &good.Tools[i]
		}
	}
	if echo == nil || echo.Tier == "" || len(echo.Reasons) == 0 || echo.Changed || echo.Description != "Return the text unchanged." {
		t.Errorf("good's echo tool = %+v; want it pinned with a tier and reasons", echo)
	}
	if broken := list["broken"]; broken.Detail == "" || broken.Instances[0].PID != 0 {
		t.Errorf("broken = %+v; want the start error", broken)
	}

	// Kill flaky's process: the proxy notices and restarts it; the
	// restart hangs, so the window sees "restarting" with why it went down.
	flakyPIDs := rsPIDs(t, home, "flaky")
	if len(flakyPIDs) != 1 || list["flaky"].Instances[0].PID != flakyPIDs[0] {
		t.Fatalf("flaky pid %v, reported %+v", flakyPIDs, list["flaky"].Instances)
	}
	if err := killPID(flakyPIDs[0]); err != nil {
		t.Fatal(err)
	}
	list = svWait(t, home, "flaky restarting", func(l map[string]servers.Server) bool { return l["flaky"].State == "restarting" })
	if f := list["flaky"]; f.Detail == "" || f.Instances[0].PID != 0 {
		t.Errorf("flaky = %+v; want the reason it went down and no pid", f)
	}
	if list["good"].State != "running" {
		t.Errorf("good = %s while flaky restarts", list["good"].State)
	}

	// A proxy killed outright leaves its rows behind; its process is gone,
	// so none of them counts as running.
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cs.Close() // reaps the proxy
	list = svList(t, home)
	for _, name := range []string{"good", "broken", "flaky"} {
		s := list[name]
		if s.State != servers.NotRunning || len(s.Instances) != 1 || s.Instances[0].Live {
			t.Errorf("%s after its proxy was killed = %s with %+v; want not running, the dead proxy's row kept as not live",
				name, s.State, s.Instances)
		}
	}
}

// A proxy that exits normally withdraws its rows: the servers show as not
// running, with no proxy instances left behind.
func TestServersScreenProxyStopsCleanly(t *testing.T) {
	home := rsHome(t, rsUpstream{name: "up"})
	cs := rsConnect(t, home, nil)
	svWait(t, home, "up running", func(l map[string]servers.Server) bool { return l["up"].State == "running" })
	if res := rsCall(t, cs, "up__echo", map[string]any{"text": "hi"}); res.IsError {
		t.Fatalf("up__echo: %q", rsText(res))
	}
	_ = cs.Close() // the proxy sees stdin end and exits normally
	list := svWait(t, home, "up not running", func(l map[string]servers.Server) bool { return l["up"].State == servers.NotRunning })
	if up := list["up"]; len(up.Instances) != 0 || len(up.Tools) == 0 {
		t.Errorf("up after its proxy stopped = %+v; want no instances, its pinned tools kept", up)
	}
}
