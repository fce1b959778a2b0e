//go:build unix

package launch

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

// childDirEnv turns the test binary into a stand-in for the desktop app: the
// launcher starts it with no arguments, and it writes what it sees of its
// own process to a file in that folder, then exits.
const childDirEnv = "AIRLOCK_LAUNCH_TEST_CHILD_DIR"

// childReport is what the stand-in app saw.
type childReport struct {
	Pid, Pgrp, Sid int
	Args           int
	Stdin, Stdout  string            // what fds 0 and 1 point to ("" where /proc is missing)
	Display        map[string]string // its display variables
}

func TestMain(m *testing.M) {
	if dir := os.Getenv(childDirEnv); dir != "" {
		os.Exit(runChild(dir))
	}
	os.Exit(m.Run())
}

func runChild(dir string) int {
	sid := sessionID()
	in, _ := os.Readlink("/proc/self/fd/0")
	out, _ := os.Readlink("/proc/self/fd/1")
	rep := childReport{Pid: os.Getpid(), Pgrp: syscall.Getpgrp(), Sid: sid, Args: len(os.Args) - 1, Stdin: in, Stdout: out,
		Display: DisplayEnv(os.Getenv)}
	b, _ := json.Marshal(rep)
	fmt.Fprintln(os.Stderr, "stand-in app started")
	tmp := filepath.Join(dir, fmt.Sprintf(".%d", rep.Pid))
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return 1
	}
	if err := os.Rename(tmp, filepath.Join(dir, fmt.Sprintf("%d.json", rep.Pid))); err != nil {
		return 1
	}
	return 0
}

// sessionID reads this process's session from /proc (0 where there is none:
// the session check is then left to the process group).
func sessionID() int {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// After the command name in parentheses: state, ppid, pgrp, session.
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(fields) < 4 {
		return 0
	}
	sid, _ := strconv.Atoi(fields[3])
	return sid
}

type env struct {
	home, children string
	st             *store.Store
}

func newEnv(t *testing.T) *env {
	e := &env{home: t.TempDir(), children: t.TempDir()}
	st, err := store.Open(filepath.Join(e.home, "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.st = st
	t.Setenv(childDirEnv, e.children)
	return e
}

func (e *env) launcher(t *testing.T, st *store.Store, goos string, vars map[string]string) *Launcher {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return New(Options{Store: st, Home: e.home, Exe: exe, GOOS: goos,
		Getenv: func(k string) string { return vars[k] }, Logger: slog.New(slog.DiscardHandler)})
}

// reports waits until n stand-ins have reported and returns their reports.
func (e *env) reports(t *testing.T, n int) []childReport {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; {
		files, _ := filepath.Glob(filepath.Join(e.children, "*.json"))
		if len(files) >= n {
			var out []childReport
			for _, f := range files {
				var r childReport
				b, err := os.ReadFile(f)
				if err != nil || json.Unmarshal(b, &r) != nil {
					t.Fatalf("stand-in report %s: %v", f, err)
				}
				out = append(out, r)
			}
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d stand-in apps reported, want %d", len(files), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEnsureStartsTheAppDetached(t *testing.T) {
	e := newEnv(t)
	l := e.launcher(t, e.st, "linux", map[string]string{"DISPLAY": ":0"})
	if !l.Ensure(context.Background()) {
		t.Fatal("no app started with a display and no heartbeat")
	}
	r := e.reports(t, 1)[0]
	if r.Args != 0 {
		t.Errorf("app started with %d arguments, want none", r.Args)
	}
	if r.Pgrp != r.Pid || (r.Sid != 0 && r.Sid != r.Pid) {
		t.Errorf("app not detached: pid %d, process group %d, session %d", r.Pid, r.Pgrp, r.Sid)
	}
	if r.Sid == sessionID() && r.Sid != 0 || r.Pgrp == syscall.Getpgrp() {
		t.Errorf("app shares the proxy's group or session: %+v", r)
	}
	for fd, target := range map[string]string{"stdin": r.Stdin, "stdout": r.Stdout} {
		if target != "" && target != os.DevNull {
			t.Errorf("app %s is %s, want %s (the proxy's stdout carries JSON-RPC only)", fd, target, os.DevNull)
		}
	}
	// Its stderr goes to the log in the home folder.
	for deadline := time.Now().Add(20 * time.Second); ; {
		b, _ := os.ReadFile(filepath.Join(e.home, LogName))
		if strings.Contains(string(b), "stand-in app started") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("app stderr not in %s: %q", LogName, b)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEnsureDecides(t *testing.T) {
	cases := []struct {
		name      string
		goos      string
		vars      map[string]string
		heartbeat bool
		want      bool
	}{
		{"linux without a display", "linux", nil, false, false},
		{"linux with X11", "linux", map[string]string{"DISPLAY": ":1"}, false, true},
		{"linux with Wayland", "linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, false, true},
		{"macOS always has a desktop", "darwin", nil, false, true},
		{"an app is running", "linux", map[string]string{"DISPLAY": ":1"}, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.heartbeat {
				if err := e.st.Heartbeat(context.Background(), 99999, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			got := e.launcher(t, e.st, tc.goos, tc.vars).Ensure(context.Background())
			if got != tc.want {
				t.Fatalf("Ensure = %v, want %v", got, tc.want)
			}
			if got {
				e.reports(t, 1) // let it finish before its folder goes
			}
			if !tc.want {
				files, _ := filepath.Glob(filepath.Join(e.children, "*"))
				if len(files) != 0 {
					t.Fatalf("an app was started: %v", files)
				}
			}
		})
	}
}

// A launch skipped for want of a display does not use up the gap.
func TestNoDisplayLeavesTheClaim(t *testing.T) {
	e := newEnv(t)
	if e.launcher(t, e.st, "linux", nil).Ensure(context.Background()) {
		t.Fatal("started without a display")
	}
	if !e.launcher(t, e.st, "linux", map[string]string{"DISPLAY": ":0"}).Ensure(context.Background()) {
		t.Fatal("the display-less attempt blocked a real launch")
	}
	e.reports(t, 1)
}

// Many calls asking at once, from two proxies sharing the home, start one app.
func TestConcurrentAsksStartOneApp(t *testing.T) {
	e := newEnv(t)
	other, err := store.Open(filepath.Join(e.home, "airlock.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	vars := map[string]string{"DISPLAY": ":0"}
	launchers := []*Launcher{e.launcher(t, e.st, "linux", vars), e.launcher(t, other, "linux", vars)}
	var mu sync.Mutex
	started := 0
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			if launchers[i%2].Ensure(context.Background()) {
				mu.Lock()
				started++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if started != 1 {
		t.Fatalf("%d apps started, want 1", started)
	}
	if got := len(e.reports(t, 1)); got != 1 {
		t.Fatalf("%d stand-in apps ran, want 1", got)
	}
}

func TestBeatAnnouncesAndWithdraws(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Beat(ctx, func() (*store.Store, error) { return e.st, nil }, 10*time.Millisecond)
	}()
	for deadline := time.Now().Add(20 * time.Second); ; {
		if ok, err := e.st.AppAlive(context.Background(), Fresh); err != nil || ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no heartbeat")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if e.launcher(t, e.st, "linux", map[string]string{"DISPLAY": ":0"}).Ensure(context.Background()) {
		t.Fatal("started a second app while one beats")
	}
	cancel()
	<-done
	if ok, err := e.st.AppAlive(context.Background(), Fresh); ok || err != nil {
		t.Fatalf("still alive after the app stopped: %v", err)
	}
}
