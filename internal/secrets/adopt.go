package secrets

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
