package secrets

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/airlock-dev/airlock/internal/config"
)

// placeholder is ${keyring:NAME} anywhere in an env value. A value may be one
// placeholder ("${keyring:GITHUB_TOKEN}") or embed several in longer text
// ("Bearer ${keyring:API}", "${keyring:USER}:${keyring:PASS}"): tokens are
// often passed with a prefix, and splitting them into two variables is not
// something a server's author lets the user choose.
var placeholder = regexp.MustCompile(`\$\{keyring:([^}]*)\}`)

// minPlainHidden is the shortest plain env value hidden as a secret: a
// short value under a name such as API_KEY ("test", "1") would be replaced
// wherever it appears, garbling ordinary text and numbers.
const minPlainHidden = 8

// Placeholder returns the env value that refers to the secret name.
func Placeholder(name string) string { return "${keyring:" + name + "}" }

// HasPlaceholder reports whether an env value refers to the keychain.
func HasPlaceholder(value string) bool { return strings.Contains(value, "${keyring:") }

// Resolve fills every placeholder in env from the keychain. It returns the
// environment to start the server with and the secret values it put in, for
// the caller to redact wherever it writes text. Values without placeholders
// pass through; those that look like credentials (TokenLike, at least
// minPlainHidden bytes) are returned to hide too: Airlock puts them into the
// server just the same, they only were not moved to the keychain. The first missing secret or keychain failure is returned,
// naming the variable and the secret (never a value); nothing partial is
// returned with it.
func (s *Store) Resolve(ctx context.Context, env map[string]string) (map[string]string, []string, error) {
	if len(env) == 0 {
		return env, nil, nil
	}
	out := make(map[string]string, len(env))
	var injected []string
	cache := map[string]string{}
	// Sorted: the same error for the same config, every time.
	for _, k := range slices.Sorted(maps.Keys(env)) {
		v := env[k]
		if !HasPlaceholder(v) {
			out[k] = v
			if len(v) >= minPlainHidden && TokenLike(k, v) {
				injected = append(injected, v)
			}
			continue
		}
		filled, err := s.fill(ctx, v, cache, &injected)
		if err != nil {
			return nil, nil, fmt.Errorf("env %s: %w", k, err)
		}
		out[k] = filled
	}
	return out, injected, nil
}

// fill replaces every placeholder in v by its secret, asking the keychain
// once per name (cache) and appending each value put in to injected.
func (s *Store) fill(ctx context.Context, v string, cache map[string]string, injected *[]string) (string, error) {
	var ferr error
	filled := placeholder.ReplaceAllStringFunc(v, func(m string) string {
		name := m[len("${keyring:") : len(m)-1]
		if ferr != nil {
			return ""
		}
		if val, ok := cache[name]; ok {
			return val
		}
		val, err := s.Get(ctx, name)
		if errors.Is(err, ErrNotSet) {
			err = fmt.Errorf("%w (store it with: airlock secret set %s)", err, name)
		}
		if err != nil {
			ferr = err
			return ""
		}
		cache[name] = val
		*injected = append(*injected, val)
		return val
	})
	if ferr == nil && strings.Contains(placeholder.ReplaceAllString(v, ""), "${keyring:") {
		ferr = fmt.Errorf("unterminated ${keyring:...} placeholder")
	}
	if ferr != nil {
		return "", ferr
	}
	return filled, nil
}

// Refs maps each secret name cfg's env values and args refer to onto the
// servers that use it (sorted), for listing and for doctor.
func Refs(cfg *config.Config) map[string][]string {
	refs := map[string][]string{}
	for _, server := range cfg.ServerNames() {
		seen := map[string]bool{}
		srv := cfg.MCPServers[server]
		for _, v := range slices.Concat(slices.Collect(maps.Values(srv.Env)), srv.Args) {
			for _, m := range placeholder.FindAllStringSubmatch(v, -1) {
				if name := m[1]; !seen[name] {
					seen[name] = true
					refs[name] = append(refs[name], server)
				}
			}
		}
	}
	return refs
}

// ShortNote is what to tell a person storing a value shorter than
// minPlainHidden ("" otherwise): every injected value is hidden wherever it
// appears, whatever its length, so a short one also turns up hidden in tool
// names, numbers and ordinary text an upstream sends.
func ShortNote(value string) string {
	if len(value) >= minPlainHidden {
		return ""
	}
	return fmt.Sprintf("note: the value is only %d characters; once a server gets it, Airlock hides it wherever it appears, also inside tool names, numbers and ordinary text", len(value))
}
