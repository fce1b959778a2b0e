package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/airlock-dev/airlock/internal/checkpoint"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/proxy"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/secrets"
	"github.com/airlock-dev/airlock/internal/store"
)

// runTools is `airlock tools`: start every upstream once, list what each
// offers with Airlock's tier and reasons, and stop them. It helps users
// audit their servers before trusting them.
func runTools(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "tools")
	asJSON := fs.Bool("json", false, "print one JSON object per line")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	home, err := config.Home()
	if err != nil {
		return err
	}
	cfg, err := config.Load(home)
	if err != nil {
		return err
	}
	if err := config.EnsureHome(home); err != nil {
		return err
	}
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		return err
	}
	defer st.Close()
	known := redact.NewKnown() // injected secrets, hidden from logs and definitions
	log := slog.New(slog.NewTextHandler(known.Writer(env.Stderr), &slog.HandlerOptions{Level: slog.LevelWarn}))
	userHome, _ := os.UserHomeDir()
	cp := checkpoint.New(checkpoint.Options{Store: st, Config: cfg, Logger: log, Home: userHome, Known: known})
	sec := secrets.New(home, openKeychain())
	p := proxy.New(proxy.Options{Config: cfg, Store: st, Checkpoint: cp, Logger: log, Stderr: io.Discard, StartTimeout: 20 * time.Second,
		ResolveEnv: sec.Resolve, ResolveArgs: sec.ResolveArgs, Known: known})
	if err := p.Start(ctx); err != nil {
		return err
	}
	defer p.Close()

	for _, s := range p.Statuses() {
		if s.State != proxy.StateRunning {
			// The error may quote the command, which may hold an injected value.
			fmt.Fprintf(env.Stderr, "server %s is %s: %s\n", visible(s.Name), s.State, visible(known.String(s.Error)))
		}
	}
	tools := p.Tools()
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, t := range tools {
			line := map[string]any{
				"server": t.Server, "tool": t.Tool.Def.Name, "exposed": t.Exposed, "tier": t.Tool.Class.Tier.String(),
				"reasons": nonNil(t.Tool.Class.Reasons), "findings": nonNil(t.Tool.Findings), "def_hash": t.Tool.DefHash,
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
		return nil
	}
	if len(tools) == 0 {
		fmt.Fprintln(env.Stdout, "no tools (is airlock.json empty?)")
		return nil
	}
	for _, t := range tools {
		fmt.Fprintf(env.Stdout, "%-12s %s\n", t.Tool.Class.Tier, visible(t.Exposed))
		for _, r := range t.Tool.Class.Reasons {
			fmt.Fprintf(env.Stdout, "             why: %s\n", visible(r))
		}
		for _, f := range t.Tool.Findings {
			fmt.Fprintf(env.Stdout, "             WARNING: %s\n", visible(f))
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
