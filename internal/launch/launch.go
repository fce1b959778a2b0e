// Package launch keeps a window ready to ask: the desktop app announces
// itself with a heartbeat in the database, and a proxy that needs a person
// starts the app (the same binary, no arguments) when none beats.
package launch

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

const (
	// Every is how often the app beats.
	Every = 5 * time.Second
	// Fresh is how recent a beat must be for the app to count as running:
	// a few missed beats (a busy machine) do not start a second one.
	Fresh = 3 * Every
	// Gap is the least time between two launches, across every proxy
	// sharing the home: an app that fails to start is not restarted in a loop.
	Gap = 30 * time.Second
	// LogName is the file in the home folder that takes the app's stderr.
	LogName = "app.log"
)

// Options configure a Launcher. Store and Home are required.
type Options struct {
	Store  *store.Store
	Home   string
	Logger *slog.Logger
	// Exe is the binary to start; default the running one.
	Exe string
	// Getenv and GOOS tell whether there is a display; default the real ones.
	Getenv func(string) string
	GOOS   string
	// Gap overrides the default Gap.
	Gap time.Duration
	// Owned tells whether a recorded display's file or folder exists and
	// belongs to this user; default the real check.
	Owned func(path string, dir bool) bool
}

// Launcher starts the desktop app on demand. Safe for concurrent use.
type Launcher struct {
	opts      Options
	log       *slog.Logger
	noDisplay sync.Once
}

// New returns a launcher; zero options take their defaults.
func New(opts Options) *Launcher {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.GOOS == "" {
		opts.GOOS = runtime.GOOS
	}
	if opts.Gap == 0 {
		opts.Gap = Gap
	}
	if opts.Owned == nil {
		opts.Owned = ownedByUser
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Launcher{opts: opts, log: log}
}

// HasDisplay reports whether a window can open: on Linux and the BSDs an X11
// or Wayland session must be named in the environment; elsewhere there is
// always a desktop.
func HasDisplay(goos string, getenv func(string) string) bool {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
	}
	return true
}

// Ensure starts the desktop app unless one is running, another proxy (or
// this one) started it within the gap, or no window can open. It reports
// whether it started the app. Failures are logged, never returned: the call
// waits for an answer from the CLI either way.
func (l *Launcher) Ensure(ctx context.Context) bool {
	ctx = context.WithoutCancel(ctx) // a launch half-done is worse than one finished
	var display map[string]string    // variables to add to the app's environment
	if !HasDisplay(l.opts.GOOS, l.opts.Getenv) {
		if display = l.recordedDisplay(ctx); display == nil {
			l.noDisplay.Do(func() {
				l.log.Warn("no display: no Airlock window can ask; answer waiting calls with `airlock pending`, then `airlock approve ID` or `airlock deny ID`")
			})
			return false
		}
	}
	// The common case, a window already running, is one read; only a
	// launch takes the write lock.
	if alive, err := l.opts.Store.AppAlive(ctx, Fresh); err == nil && alive {
		return false
	}
	claimed, err := l.opts.Store.ClaimLaunch(ctx, Fresh, l.opts.Gap)
	if err != nil {
		l.log.Error("could not check for a running Airlock window", "err", err)
		return false
	}
	if !claimed {
		return false
	}
	pid, err := l.start(display)
	if err != nil {
		l.log.Error("could not start the Airlock window; answer with `airlock pending`", "err", err)
		return false
	}
	l.log.Info("started the Airlock window to ask", "pid", pid, "log", filepath.Join(l.opts.Home, LogName))
	return true
}

// recordedDisplay returns the display variables the app last recorded that
// are still usable, for a proxy whose host named no display (hosts start
// MCP servers with a minimal environment); nil when there are none.
func (l *Launcher) recordedDisplay(ctx context.Context) map[string]string {
	recorded, err := l.opts.Store.LastDisplay(ctx)
	if err != nil {
		l.log.Warn("could not read the display the Airlock window last used", "err", err)
		return nil
	}
	display := usableDisplay(recorded, l.opts.Owned)
	if display == nil {
		return nil
	}
	for k := range display {
		if l.opts.Getenv(k) != "" {
			delete(display, k) // this process's own value stands
		}
	}
	l.log.Info("no display in this environment: using the one the Airlock window last ran on",
		"DISPLAY", display["DISPLAY"], "WAYLAND_DISPLAY", display["WAYLAND_DISPLAY"])
	return display
}

// start runs the app detached: its own session, so the host stopping the
// proxy does not take the window down; stdin and stdout on the null device,
// since the proxy's stdout carries JSON-RPC and must never be shared.
func (l *Launcher) start(display map[string]string) (int, error) {
	exe := l.opts.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return 0, fmt.Errorf("find the airlock binary: %w", err)
		}
	}
	logPath := filepath.Join(l.opts.Home, LogName)
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", logPath, err)
	}
	defer logFile.Close() // the child has its own copy
	cmd := exec.Command(exe)
	cmd.Dir = l.opts.Home
	cmd.Stderr = logFile
	cmd.SysProcAttr = detached()
	if len(display) > 0 {
		cmd.Env = os.Environ()
		for k, v := range display {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("start %s: %w", exe, err)
	}
	go func() { _ = cmd.Wait() }() // reap it if it exits before the proxy
	return cmd.Process.Pid, nil
}
