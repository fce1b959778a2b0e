package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
)

// runPrune deletes calls older than the retention in airlock.json (the
// window does the same at start and daily). Export first with
// `airlock history --until ... --export`.
func runPrune(ctx context.Context, env Env, args []string) error {
	flags := newFlags(env, "prune")
	dryRun := flags.Bool("dry-run", false, "only count what would be deleted")
	days := flags.Int("days", 0, "keep this many days instead of the configured retention")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "airlock prune: unexpected argument %q\n", flags.Arg(0))
		return errUsage
	}
	if flagGiven(flags, "days") && (*days < 1 || *days > config.MaxRetentionDays) {
		fmt.Fprintf(env.Stderr, "airlock prune: --days %d: want 1 to %d\n", *days, config.MaxRetentionDays)
		return errUsage
	}
	home, err := config.Home()
	if err != nil {
		return err
	}
	cfg, err := config.Load(home)
	if err != nil {
		return err // an unreadable config must not prune by a guessed retention
	}
	keep := cfg.Retention
	if *days > 0 {
		keep = *days
	}
	st, err := openRecorded(env, home)
	if err != nil || st == nil {
		return err
	}
	defer st.Close()

	cutoff := time.Now().Add(-time.Duration(keep) * 24 * time.Hour)
	when := cutoff.Local().Format("2006-01-02 15:04")
	if *dryRun {
		n, err := st.Prunable(ctx, cutoff)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "would delete %d calls and %d closed requests from before %s (retention %d days)\n",
			n.Calls, n.Requests, when, keep)
		return nil
	}
	n, err := st.Prune(ctx, cutoff)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "deleted %d calls and %d closed requests from before %s (retention %d days)\n",
		n.Calls, n.Requests, when, keep)
	return nil
}
