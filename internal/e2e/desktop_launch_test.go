package e2e

// Hosts such as Claude Desktop start their MCP servers with a minimal
// environment: no DISPLAY, WAYLAND_DISPLAY or XAUTHORITY. The window the
// user ran before recorded its display; a proxy started that way must open
// the window there when a call needs a person.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/launch"
	"github.com/airlock-dev/airlock/internal/store"
)

func TestDesktopLaunchedFromAMinimalEnvironment(t *testing.T) {
	requireDesktopTools(t)
	bin := buildDesktop(t)
	display := startXvfb(t)

	home := newHome(t)
	writeConfigFile(t, home, map[string]any{
		"mcpServers": map[string]any{"ts": cpTestServer(t)},
		// echo is a read; the rule makes it a write that waits for a person.
		"rules":        []map[string]any{{"server": "ts", "tool": "echo", "action": "write"}},
		"approvalWait": "30s",
	})
	// The window's environment without the display: XDG folders inside the
	// test, for the window the proxy starts.
	var minimal []string
	for _, kv := range desktopEnv(t, home, display) {
		if !strings.HasPrefix(kv, "DISPLAY=") {
			minimal = append(minimal, kv)
		}
	}

	// The user ran the window once (it records its display), then closed it.
	first := exec.Command(bin)
	first.Env = desktopEnv(t, home, display)
	first.Stderr = stderrLog(t, "airlock (first window)")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(home, "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := testCtx(t, 3*time.Minute)
	eventually(t, "the first window to record its display", func() bool {
		env, err := st.LastDisplay(ctx)
		return err == nil && env["DISPLAY"] == display
	})
	first.Process.Signal(os.Interrupt)
	exited := make(chan struct{})
	go func() { first.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		first.Process.Kill()
		<-exited
	}
	// Closed or killed, it stops counting as running within launch.Fresh.
	eventually(t, "the first window to stop counting as running", func() bool {
		alive, err := st.AppAlive(ctx, launch.Fresh)
		return err == nil && !alive
	})
	if _, err := x(display, "xdotool", "search", "--onlyvisible", "--name", "^Airlock$"); err == nil {
		t.Fatal("the first window is still shown")
	}

	// The host starts the proxy with no display; a write call needs a person.
	proxy := exec.Command(bin, "proxy")
	proxy.Env = minimal
	proxy.Stderr = stderrLog(t, "airlock proxy")
	cs := connect(t, ctx, proxy, nil)
	ch := callAsync(ctx, cs, "ts__echo", map[string]any{"text": "launched"})

	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(home, launch.LogName))
			t.Logf("%s of the launched window:\n%s", launch.LogName, b)
		}
	})
	wid := waitWindow(t, display, "Airlock", 60*time.Second)
	if out, err := x(display, "xdotool", "getwindowpid", wid); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(out)); err == nil {
			// Detached from the proxy: stop it before the X server goes.
			t.Cleanup(func() { killPID(pid) })
		}
	}
	req := waitDesktopRequest(t, bin, home, "echo")
	desktopCLI(t, bin, home, "approve", strconv.FormatInt(req.ID, 10))
	wantOK(t, done(t, ch), "launched")
}

// eventually polls cond until it holds; the bound only stops a broken
// product from hanging the test.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
