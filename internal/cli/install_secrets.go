package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/airlock-dev/airlock/internal/hostconfig"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// offerSecrets sets up install's step that moves token-like env values of
// the servers being moved into the OS keychain, writing ${keyring:NAME}
// into airlock.json instead. A person at a terminal is asked about each
// value; --move-secrets moves them all when nobody can be asked (a script).
// Without either, the values move as they are and the report says which
// look like credentials. The returned func prints what happened.
func offerSecrets(ctx context.Context, env Env, o *hostconfig.Options, move bool) func(*hostconfig.Report) {
	ask := askPerson(env)
	var done []string
	if move || ask != nil {
		o.Prepare = moveSecrets(ctx, secrets.New(o.Home, openKeychain()), ask, &done)
	}
	return func(r *hostconfig.Report) {
		for _, line := range done {
			fmt.Fprintln(env.Stdout, "  "+line)
		}
		if len(done) > 0 && r.Backup != "" {
			fmt.Fprintf(env.Stdout, "  the backup %s still holds the original values: delete it once Airlock works for you (uninstall does not need it)\n", r.Backup)
		}
		if o.Prepare != nil && !o.DryRun {
			return
		}
		if c := tokenLike(r.Moved); len(c) > 0 {
			verb := "moved"
			if o.DryRun {
				verb = "would move"
			}
			fmt.Fprintf(env.Stdout, "  %s %s into airlock.json as plain text; run install with --move-secrets (or in a terminal) to keep them in the OS keychain\n",
				verb, strings.Join(c, ", "))
		}
	}
}

// moveSecrets is the install hook: each token-like env value (asked about
// when ask is set) is stored in the keychain and replaced by its
// placeholder. A keychain error stops the install before anything is
// written.
func moveSecrets(ctx context.Context, st *secrets.Store, ask secrets.Ask, done *[]string) func([]*hostconfig.Server) error {
	return func(servers []*hostconfig.Server) error {
		for _, s := range servers {
			envs, _ := s.Entry["env"].(map[string]any)
			moved, err := st.MoveEnv(ctx, s.Name, envs, ask)
			if err == nil {
				args, _ := s.Entry["args"].([]any)
				var m []secrets.Moved
				m, err = st.MoveArgs(ctx, s.Name, args, ask)
				moved = append(moved, m...)
			}
			*done = append(*done, movedLines(moved)...)
			if err != nil {
				return fmt.Errorf("%w (nothing was written; install without moving secrets keeps the values in airlock.json)", err)
			}
		}
		return nil
	}
}

// movedLines says what moved, one line each.
func movedLines(moved []secrets.Moved) []string {
	var out []string
	for _, m := range moved {
		out = append(out, fmt.Sprintf("%s is now %s; the value is in the OS keychain", where(m.Server, m.Key), secrets.Placeholder(m.Name)))
	}
	return out
}

// tokenLike lists "server's env KEY" for the token-like values in servers.
// Env names come from the host config as written: printed visibly.
func tokenLike(servers []*hostconfig.Server) []string {
	var out []string
	for _, s := range servers {
		envs, _ := s.Entry["env"].(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(envs)) {
			if v, ok := envs[k].(string); ok && secrets.TokenLike(k, v) {
				out = append(out, fmt.Sprintf("%s's env %s", s.Name, visible(k)))
			}
		}
		args, _ := s.Entry["args"].([]any)
		for _, k := range secrets.TokenLikeArgs(args) {
			out = append(out, where(s.Name, k))
		}
	}
	return out
}

// askPerson asks at the terminal whether to move each value; nil when
// stdin is not a terminal (nobody to ask).
func askPerson(env Env) secrets.Ask {
	if !stdinIsTerminal(env) {
		return nil
	}
	in := bufio.NewReader(env.Stdin)
	return func(server, key string) (bool, error) {
		fmt.Fprintf(env.Stderr, "%s looks like a credential. Move it into the OS keychain? [Y/n] ", where(server, key))
		line, err := in.ReadString('\n')
		if err != nil && err != io.EOF {
			return false, fmt.Errorf("read the answer: %w", err)
		}
		a := strings.ToLower(strings.TrimSpace(line))
		return a == "" || a == "y" || a == "yes", nil
	}
}

func stdinIsTerminal(env Env) bool {
	f, ok := env.Stdin.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
