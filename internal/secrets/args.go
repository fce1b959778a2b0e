package secrets

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/airlock-dev/airlock/internal/redact"
)

// Credentials in a server's "args" are handled like those in its "env":
// ${keyring:NAME} anywhere in an arg is filled in at start (ResolveArgs),
// and token-like parts of args are offered for moving (MoveArgs, Plain).
// Such a part is named by a Key of the form "args[N]" where an env value
// is named by its variable, so the same Moved, Ask and Outcome carry both.

// ArgKey is the Key naming args[i] of a server.
func ArgKey(i int) string { return "args[" + strconv.Itoa(i) + "]" }

// ArgIndex returns i for a Key made by ArgKey; ok is false for an env
// variable's name.
func ArgIndex(key string) (i int, ok bool) {
	n, found := strings.CutPrefix(key, "args[")
	n, found2 := strings.CutSuffix(n, "]")
	if !found || !found2 {
		return 0, false
	}
	i, err := strconv.Atoi(n)
	if err != nil || i < 0 || strconv.Itoa(i) != n {
		return 0, false
	}
	return i, true
}

// Where says where a Key is, for messages: "server's env KEY" or
// "server's args[3]".
func Where(server, key string) string {
	if _, ok := ArgIndex(key); ok {
		return server + "'s " + key
	}
	return server + "'s env " + key
}

// ResolveArgs fills every placeholder in args from the keychain, as Resolve
// does for env: it returns the args to start the server with and the
// secret values put in (plus the plain token-like parts, to hide too). The
// first missing secret is returned naming the arg and the secret.
func (s *Store) ResolveArgs(ctx context.Context, args []string) ([]string, []string, error) {
	if len(args) == 0 {
		return args, nil, nil
	}
	out := make([]string, len(args))
	var injected []string
	for _, a := range argSecrets(args) {
		if v := args[a.index][a.start:a.end]; len(v) >= minPlainHidden {
			injected = append(injected, v)
		}
	}
	cache := map[string]string{}
	for i, a := range args {
		if !HasPlaceholder(a) {
			out[i] = a
			continue
		}
		filled, err := s.fill(ctx, a, cache, &injected)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", ArgKey(i), err)
		}
		out[i] = filled
	}
	return out, injected, nil
}

// argSecret is a credential found in a server's args: the bytes
// [start, end) of args[index]. hint names it for SuggestName.
type argSecret struct {
	index, start, end int
	hint              string
}

// urlPassword finds the password of scheme://user:password@host, the same
// shape redact hides in free text.
var urlPassword = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s:/?#@]+:([^\s/?#@]+)@`)

// argSecrets finds the token-like parts of args, at most one per arg:
//   - the password of a URL (postgresql://user:PASSWORD@host/db), alone;
//   - the value after a flag whose name says secret (--api-key VALUE,
//     --token VALUE, --password VALUE, -k VALUE);
//   - the value of --flag=VALUE when the flag's name or the value is
//     token-like by TokenLike's rules;
//   - a whole arg with a token's shape (ghp_..., sk-..., a JWT).
//
// Args that already refer to something (${...}) are left alone.
func argSecrets(args []string) []argSecret {
	var out []argSecret
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.TrimSpace(a) == "" || strings.Contains(a, "${") {
			continue
		}
		if m := urlPassword.FindStringSubmatchIndex(a); m != nil {
			out = append(out, argSecret{i, m[2], m[3], "password"})
			continue
		}
		flag, value, isFlag := strings.Cut(a, "=")
		if isFlag && strings.HasPrefix(flag, "-") && !strings.ContainsAny(flag, " \t") {
			if name := strings.TrimLeft(flag, "-"); name != "" && TokenLike(name, value) {
				out = append(out, argSecret{i, len(flag) + 1, len(a), name})
			}
			continue
		}
		if secretFlag(a) && i+1 < len(args) {
			next := args[i+1]
			if strings.TrimSpace(next) != "" && !strings.HasPrefix(next, "-") && !strings.Contains(next, "${") && !notASecret[strings.ToLower(next)] {
				out = append(out, argSecret{i + 1, 0, len(next), strings.TrimLeft(a, "-")})
				i++ // the value is taken; it is not a flag of its own
			}
			continue
		}
		if !strings.HasPrefix(a, "-") && TokenLike("", a) {
			out = append(out, argSecret{i, 0, len(a), "arg" + strconv.Itoa(i)})
		}
	}
	return out
}

// secretFlag reports whether arg is a flag whose value is a credential:
// its name is a secret's (--api-key, --token, --password, --client-secret).
// Short flags are left alone: -k is --api-key to one tool and "insecure" (no
// value) to another, and a value moved by mistake would be hidden everywhere.
func secretFlag(arg string) bool {
	if !strings.HasPrefix(arg, "-") || strings.ContainsAny(arg, "= \t") {
		return false
	}
	name := strings.TrimLeft(arg, "-")
	// --no-password says there is none.
	return len(name) > 1 && !strings.HasPrefix(name, "no-") && redact.IsSecretKey(name)
}

// notASecret are the values a secret-named flag takes that say there is no
// secret (--auth none): moving one would hide the word everywhere.
var notASecret = map[string]bool{"none": true, "null": true, "nil": true, "false": true, "true": true,
	"off": true, "on": true, "no": true, "yes": true, "0": true, "1": true, "env": true, "stdin": true}

// MoveArgs moves each token-like part of args (a server's "args" as decoded
// from JSON) that ask accepts into the keychain and puts its placeholder in
// its place: only the part, so postgresql://user:PASSWORD@host/db becomes
// postgresql://user:${keyring:NAME}@host/db. Errors leave what moved moved,
// as MoveEnv does.
func (s *Store) MoveArgs(ctx context.Context, server string, args []any, ask Ask) ([]Moved, error) {
	plain := argStrings(args)
	var moved []Moved
	for _, f := range argSecrets(plain) {
		key := ArgKey(f.index)
		if ask != nil {
			yes, err := ask(server, key)
			if err != nil {
				return moved, err
			}
			if !yes {
				continue
			}
		}
		a := plain[f.index]
		name, err := s.Adopt(ctx, server, f.hint, a[f.start:f.end])
		if err != nil {
			return moved, fmt.Errorf("move %s into the keychain: %w", Where(server, key), err)
		}
		args[f.index] = a[:f.start] + Placeholder(name) + a[f.end:]
		moved = append(moved, Moved{Server: server, Key: key, Name: name})
	}
	return moved, nil
}

// TokenLikeArgs lists the Keys (ArgKey) of the token-like parts of args, a
// server's "args" as decoded from JSON, as MoveArgs would find them.
func TokenLikeArgs(args []any) []string {
	var keys []string
	for _, f := range argSecrets(argStrings(args)) {
		keys = append(keys, ArgKey(f.index))
	}
	return keys
}

// argStrings is args with "" for what is not a string (never a credential
// here; Airlock's config rejects such args anyway).
func argStrings(args []any) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i], _ = a.(string)
	}
	return out
}
