package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/redact"
)

// TokenLike reports whether an env value looks like a credential: its
// variable's name says so (GITHUB_TOKEN, API_KEY, DB_PASSWORD) or the value
// has a token's shape (a vendor prefix, a JWT, a password in a URL, a long
// random run), by the same rules that redact audit-log arguments. Empty
// values and values that already refer to something (${keyring:...}, a
// host's ${input:...}) are not.
func TokenLike(key, value string) bool {
	if strings.TrimSpace(value) == "" || strings.Contains(value, "${") {
		return false
	}
	return redact.IsSecretKey(key) || redact.String(value) != value
}

// SuggestName makes a secret name for server's env variable key:
// "server.KEY", with characters outside the name rule replaced by '_'.
func SuggestName(server, key string) string {
	n := []rune(server + "." + key)
	for i, r := range n {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-') {
			n[i] = '_'
		}
	}
	if len(n) > 64 {
		n = n[:64]
	}
	return string(n)
}

// Adopt stores value under a name made from server and key and returns the
// name. A secret of that name holding the same value is reused (install run
// again); one holding another value is left alone and a suffix (-2, -3, ...)
// tried instead, so adopting never overwrites a secret.
func (s *Store) Adopt(ctx context.Context, server, key, value string) (string, error) {
	base := SuggestName(server, key)
	for i := 1; i < 100; i++ {
		name := base
		if i > 1 {
			suffix := fmt.Sprintf("-%d", i)
			name = base[:min(len(base), 64-len(suffix))] + suffix
		}
		have, err := s.Get(ctx, name)
		switch {
		case err == nil && have == value:
			return name, s.Set(ctx, name, value) // lists the name if the index lost it
		case err == nil:
			continue
		case errors.Is(err, ErrNotSet):
			return name, s.Set(ctx, name, value)
		default:
			return "", err
		}
	}
	return "", fmt.Errorf("no free secret name like %q", base)
}

// Moved is an env value (or part of an arg) now kept in the keychain.
type Moved struct {
	// Key is the env variable, or ArgKey(i) for the server's args[i].
	Server, Key string
	Name        string // the secret; the env value is now Placeholder(Name)
}

// Ask decides whether to move server's env value (or arg) key; nil means yes.
type Ask func(server, key string) (bool, error)

// MoveEnv moves each token-like string value of env (a server's "env" as
// decoded from JSON) that ask accepts into the keychain and puts its
// placeholder in its place. On error, values already moved stay moved in
// env and in the keychain; the caller decides whether to write env.
func (s *Store) MoveEnv(ctx context.Context, server string, env map[string]any, ask Ask) ([]Moved, error) {
	var moved []Moved
	for _, k := range slices.Sorted(maps.Keys(env)) {
		v, ok := env[k].(string)
		if !ok || !TokenLike(k, v) {
			continue
		}
		if ask != nil {
			yes, err := ask(server, k)
			if err != nil {
				return moved, err
			}
			if !yes {
				continue
			}
		}
		name, err := s.Adopt(ctx, server, k, v)
		if err != nil {
			return moved, fmt.Errorf("move %s's env %s into the keychain: %w", server, k, err)
		}
		env[k] = Placeholder(name)
		moved = append(moved, Moved{Server: server, Key: k, Name: name})
	}
	return moved, nil
}

// Plain lists the token-like env values and args of airlock.json in home
// as "server" and "key" pairs (never the values): per server, env keys
// sorted, then args in order.
func Plain(home string) ([]Moved, error) {
	cfg, err := config.Load(home)
	if err != nil {
		return nil, err
	}
	var out []Moved
	for _, server := range cfg.ServerNames() {
		env := cfg.MCPServers[server].Env
		for _, k := range slices.Sorted(maps.Keys(env)) {
			if TokenLike(k, env[k]) {
				out = append(out, Moved{Server: server, Key: k})
			}
		}
		args := make([]any, len(cfg.MCPServers[server].Args))
		for i, a := range cfg.MCPServers[server].Args {
			args[i] = a
		}
		for _, k := range TokenLikeArgs(args) {
			out = append(out, Moved{Server: server, Key: k})
		}
	}
	return out, nil
}

// MoveFromConfig moves token-like env values and args already in
// airlock.json into the keychain (those ask accepts), rewriting
// airlock.json with placeholders under its lock. A keychain error leaves airlock.json as it
// was.
//
// ask is called before airlock.json's lock is taken: it may wait for a
// person at a terminal (secret import), and the window's edits of
// airlock.json must not wait for that answer.
func (s *Store) MoveFromConfig(ctx context.Context, home string, ask Ask) ([]Moved, error) {
	if ask != nil {
		found, err := Plain(home)
		if err != nil {
			return nil, err
		}
		chosen := map[Moved]bool{}
		for _, f := range found {
			yes, err := ask(f.Server, f.Key)
			if err != nil {
				return nil, err
			}
			chosen[f] = yes
		}
		// Under the lock only what was chosen moves; a credential added
		// since the questions is left for the next run.
		ask = func(server, key string) (bool, error) { return chosen[Moved{Server: server, Key: key}], nil }
	}
	var moved []Moved
	err := config.Edit(home, func(f config.Fields) error {
		moved = nil
		servers := map[string]map[string]any{}
		if raw, ok := f["mcpServers"]; ok {
			if err := json.Unmarshal(raw, &servers); err != nil {
				return fmt.Errorf(`airlock.json "mcpServers": %w`, err)
			}
		}
		changed := false
		for _, n := range slices.Sorted(maps.Keys(servers)) {
			env, _ := servers[n]["env"].(map[string]any)
			m, err := s.MoveEnv(ctx, n, env, ask)
			moved = append(moved, m...)
			if err != nil {
				return err
			}
			changed = changed || len(m) > 0
			args, _ := servers[n]["args"].([]any)
			m, err = s.MoveArgs(ctx, n, args, ask)
			moved = append(moved, m...)
			if err != nil {
				return err
			}
			changed = changed || len(m) > 0
		}
		if !changed {
			return nil
		}
		return f.Set("mcpServers", servers)
	})
	if err != nil {
		return nil, err
	}
	return moved, nil
}
