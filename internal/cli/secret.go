package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// maxSecretBytes bounds a value read from stdin; the store refuses more
// anyway (secrets.MaxValueBytes), this stops reading there.
const maxSecretBytes = secrets.MaxValueBytes

// openKeychain is the OS keychain; unit tests swap in secrets.Memory.
var openKeychain = func() secrets.Keychain { return secrets.OS{} }

// runSecret is `airlock secret set|list|rm`: values go to the OS keychain,
// only names are ever printed.
func runSecret(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		return secretUsage(env)
	}
	home, err := config.Home()
	if err != nil {
		return err
	}
	st := secrets.New(home, openKeychain())
	sub, rest := args[0], args[1:]
	switch sub {
	case "set":
		if len(rest) != 1 {
			return secretUsage(env)
		}
		return secretSet(ctx, env, st, rest[0])
	case "list", "ls":
		if len(rest) != 0 {
			return secretUsage(env)
		}
		return secretList(env, st, home)
	case "rm", "remove", "delete":
		if len(rest) != 1 {
			return secretUsage(env)
		}
		return secretRemove(ctx, env, st, home, rest[0])
	case "import":
		yes := len(rest) == 1 && (rest[0] == "--yes" || rest[0] == "-yes")
		if len(rest) > 1 || len(rest) == 1 && !yes {
			return secretUsage(env)
		}
		return secretImport(ctx, env, st, home, yes)
	case "help", "-h", "--help":
		secretUsage(env)
		return nil
	}
	return secretUsage(env)
}

func secretUsage(env Env) error {
	fmt.Fprint(env.Stderr, `usage:
  airlock secret set NAME   store a value in the OS keychain (typed without echo, or piped on stdin)
  airlock secret list       list the names of the stored secrets (never the values)
  airlock secret rm NAME    remove a secret
  airlock secret import     move token-like env values and args written in airlock.json into the
                            keychain (asks about each in a terminal; --yes moves them all)

An upstream's env value or arg ${keyring:NAME} in airlock.json is filled from
the keychain when the upstream starts; it may also sit inside a longer value,
as in "Bearer ${keyring:NAME}" or "postgresql://user:${keyring:NAME}@host/db".
`)
	return errUsage
}

func secretSet(ctx context.Context, env Env, st *secrets.Store, name string) error {
	if err := secrets.ValidName(name); err != nil {
		return err
	}
	value, err := readSecret(env, name)
	if err != nil {
		return err
	}
	if err := st.Set(ctx, name, value); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "stored %s in the keychain; use it in airlock.json as %s\n", name, secrets.Placeholder(name))
	if note := secrets.ShortNote(value); note != "" {
		fmt.Fprintln(env.Stderr, note)
	}
	return nil
}

// readSecret reads a value without echo from a terminal, or all of a piped
// stdin with one trailing newline removed (what `echo` and most editors add).
func readSecret(env Env, name string) (string, error) {
	if stdinIsTerminal(env) {
		fmt.Fprintf(env.Stderr, "value for %s (not shown): ", name)
		b, err := term.ReadPassword(int(env.Stdin.(*os.File).Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read the value: %w", err)
		}
		if len(b) == 0 {
			return "", errors.New("no value typed; nothing stored")
		}
		return string(b), nil
	}
	b, err := io.ReadAll(io.LimitReader(env.Stdin, maxSecretBytes+1))
	if err != nil {
		return "", fmt.Errorf("read the value from stdin: %w", err)
	}
	if len(b) > maxSecretBytes {
		return "", fmt.Errorf("the value on stdin is over %d KiB; nothing stored", maxSecretBytes>>10)
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if len(b) == 0 {
		return "", errors.New("stdin was empty; pipe the value in or run the command in a terminal")
	}
	return string(b), nil
}

func secretList(env Env, st *secrets.Store, home string) error {
	names, err := st.List()
	if err != nil {
		return err
	}
	refs := configRefs(env, home)
	if len(names) == 0 {
		fmt.Fprintln(env.Stderr, "no secrets stored; add one with: airlock secret set NAME")
	}
	for _, n := range names {
		if servers := refs[n]; len(servers) > 0 {
			fmt.Fprintf(env.Stdout, "%s\tused by %s\n", n, strings.Join(servers, ", "))
		} else {
			fmt.Fprintln(env.Stdout, n)
		}
	}
	var missing []string
	for n := range refs {
		if !slices.Contains(names, n) {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	for _, n := range missing {
		// Unlike stored names, these come from airlock.json as written.
		fmt.Fprintf(env.Stderr, "warning: %s is used by %s but not stored here; set it with: airlock secret set %s\n",
			visible(n), strings.Join(refs[n], ", "), visible(n))
	}
	return nil
}

func secretRemove(ctx context.Context, env Env, st *secrets.Store, home, name string) error {
	if err := st.Remove(ctx, name); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "removed %s\n", name)
	if servers := configRefs(env, home)[name]; len(servers) > 0 {
		fmt.Fprintf(env.Stderr, "warning: %s still refers to it and will not start until it is set again\n", strings.Join(servers, ", "))
	}
	return nil
}

func secretImport(ctx context.Context, env Env, st *secrets.Store, home string, yes bool) error {
	plain, err := secrets.Plain(home)
	if err != nil {
		return err
	}
	if len(plain) == 0 {
		fmt.Fprintln(env.Stderr, "no token-like env values or args in airlock.json")
		return nil
	}
	ask := askPerson(env)
	if ask == nil && !yes {
		for _, p := range plain {
			fmt.Fprintln(env.Stdout, where(p.Server, p.Key))
		}
		return errors.New("these look like credentials: run the command in a terminal to be asked about each, or pass --yes to move them all")
	}
	moved, err := st.MoveFromConfig(ctx, home, ask)
	for _, line := range movedLines(moved) {
		fmt.Fprintln(env.Stdout, line)
	}
	return err
}

// where says where a value to move is: "server's env KEY" (the name as
// written, made visible) or "server's args[N]".
func where(server, key string) string { return secrets.Where(server, visible(key)) }

// configRefs maps each secret name airlock.json refers to onto the servers
// that use it. A config that cannot be read gives a warning, not a failure:
// the secrets themselves do not depend on it.
func configRefs(env Env, home string) map[string][]string {
	cfg, err := config.Load(home)
	if err != nil {
		fmt.Fprintf(env.Stderr, "warning: %v\n", err)
		return nil
	}
	return secrets.Refs(cfg)
}

// keychainProbeTimeout keeps `airlock doctor` quick when the keychain waits
// on an unlock prompt.
const keychainProbeTimeout = 5 * time.Second

// checkOSKeychain reports whether the OS keychain answers (for doctor).
func checkOSKeychain(ctx context.Context) error {
	return secrets.Check(ctx, secrets.OS{Timeout: keychainProbeTimeout})
}

// checkSecretRefs is doctor's line per secret airlock.json uses: stored, or
// which servers will not start until it is.
func checkSecretRefs(ctx context.Context, cfg *config.Config, kc secrets.Keychain) []check {
	refs := secrets.Refs(cfg)
	var out []check
	for _, n := range slices.Sorted(maps.Keys(refs)) {
		what := "secret " + visible(n) // a name from airlock.json: any characters
		servers := strings.Join(refs[n], ", ")
		if err := secrets.ValidName(n); err != nil {
			out = append(out, check{levelFail, what, fmt.Sprintf("%v: fix ${keyring:...} in the env or args of %s in airlock.json", err, servers)})
			continue
		}
		_, err := kc.Get(ctx, n)
		switch {
		case err == nil:
			out = append(out, check{levelOK, what, "stored (used by " + servers + ")"})
		case errors.Is(err, secrets.ErrNotSet):
			out = append(out, check{levelFail, what, fmt.Sprintf("not in the keychain, so %s will not start: airlock secret set %s", servers, n)})
		default:
			out = append(out, check{levelWarn, what, fmt.Sprintf("%v (used by %s)", err, servers)})
		}
	}
	return out
}
