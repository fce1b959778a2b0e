// Package cli dispatches airlock's subcommands. The window is one of them:
// with no arguments the binary opens the desktop app.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=...".
var Version = "dev"

// Env is what a command may touch; tests pass their own.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// GUI opens the desktop window. Nil in builds without the window.
	GUI func() error
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"proxy", "serve MCP to a host (stdio, or --listen for Streamable HTTP)", runProxy},
		{"history", "print recent tool calls", runHistory},
		{"classify", "classify tools or calls given as JSON lines on stdin", runClassify},
		{"tools", "start the upstreams and list every tool with its tier and reasons", runTools},
		{"pending", "list calls waiting for approval", runPending},
		{"approve", "approve a waiting call: approve ID [--scope once|session|always|tool|server]", runApprove},
		{"deny", "deny a waiting call: deny ID [--always]", runDeny},
		{"prune", "delete calls older than the retention (airlock.json \"retention\", days): prune [--dry-run] [--days N]", runPrune},
		{"resume", "resume a server paused after a burst of destructive calls", runResume},
		{"install", "hook a host up: move its servers into airlock.json [--host claude-desktop|claude-code|cursor|vscode] [--config PATH] [--dry-run]", runInstall},
		{"uninstall", "unhook a host: put its servers back [--host ...] [--config PATH] [--dry-run]", runUninstall},
		{"doctor", "check the config, upstream commands, keychain, database and hosts", runDoctor},
		{"secret", "keep upstream credentials in the OS keychain: secret set NAME | list | rm NAME | import", runSecret},
		{"version", "print the version", func(_ context.Context, env Env, _ []string) error {
			fmt.Fprintln(env.Stdout, "airlock", Version)
			return nil
		}},
	}
}

// errUsage marks errors whose message is already a usage text.
var errUsage = errors.New("usage")

// Main runs one command and returns the process exit code.
func Main(args []string, env Env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if len(args) == 0 {
		if env.GUI == nil {
			fmt.Fprintln(env.Stderr, "airlock: this build has no desktop window; run 'airlock help' for the commands")
			return 2
		}
		if err := env.GUI(); err != nil {
			fmt.Fprintln(env.Stderr, "airlock:", err)
			return 1
		}
		return 0
	}
	name := args[0]
	switch name {
	case "--version", "-version", "-v":
		name = "version"
	case "help", "--help", "-help", "-h":
		usage(env.Stderr)
		return 0
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, env, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			// Errors quote files and servers: no escape sequence of theirs
			// reaches the terminal.
			fmt.Fprintf(env.Stderr, "airlock %s: %s\n", name, terminalText(err.Error()))
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "airlock: unknown command %q\n\n", name)
	usage(env.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: airlock [command] [flags]")
	fmt.Fprintln(w, "\nWith no command, airlock opens the desktop window.")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nAIRLOCK_HOME relocates the config (airlock.json) and database (airlock.db).")
}

// newFlags makes a FlagSet that reports errors instead of exiting.
func newFlags(env Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("airlock "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}
