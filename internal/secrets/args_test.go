package secrets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
)

func TestArgSecrets(t *testing.T) {
	const ghp = "ghp_0123456789abcdefghijABCDEFGHIJ0123"
	for _, c := range []struct {
		args []string
		want []string // the parts found, each as args[i] with the part in <>
	}{
		{[]string{"-y", "@modelcontextprotocol/server-postgres", "postgresql://user:S3cret@host/db"},
			[]string{"postgresql://user:<S3cret>@host/db"}},
		{[]string{"--dsn=postgres://u:p%40ss@h:5432/db?sslmode=require"}, []string{"--dsn=postgres://u:<p%40ss>@h:5432/db?sslmode=require"}},
		{[]string{"--api-key", "abc", "--port", "8080"}, []string{"<abc>"}},
		{[]string{"--token", "t0k", "--password", "pw", "--client-secret", "cs", "-k", "kk"}, []string{"<t0k>", "<pw>", "<cs>"}},
		{[]string{"--token=ghp_x", "--api_key=short", "--header=Bearer abcdefgh12345678", "--label=" + ghp},
			[]string{"--token=<ghp_x>", "--api_key=<short>", "--header=<Bearer abcdefgh12345678>", "--label=<" + ghp + ">"}},
		{[]string{"serve", ghp}, []string{"<" + ghp + ">"}},
		// Not credentials: plain flags and values, a URL without a
		// password, placeholders, a flag with no value after it, a value
		// that is another flag, names that describe a secret.
		{[]string{"--port", "8080", "https://example.com/x", "postgresql://user@host/db", "--verbose"}, nil},
		{[]string{"--token", "${keyring:T}", "postgresql://u:${keyring:P}@h/db", "--token=${input:t}"}, nil},
		{[]string{"--token", "--verbose", "--api-key"}, nil},
		{[]string{"--auth", "none", "--no-password", "run", "--token", "env"}, nil},
		{[]string{"--token-file", "/run/token", "--api-key-id=abc", "--secret-name", "x"}, nil},
	} {
		var got []string
		for _, f := range argSecrets(c.args) {
			a := c.args[f.index]
			got = append(got, a[:f.start]+"<"+a[f.start:f.end]+">"+a[f.end:])
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("argSecrets(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

func TestArgKey(t *testing.T) {
	if k := ArgKey(3); k != "args[3]" {
		t.Fatalf("ArgKey(3) = %q", k)
	}
	for key, want := range map[string]int{"args[0]": 0, "args[12]": 12} {
		if i, ok := ArgIndex(key); !ok || i != want {
			t.Errorf("ArgIndex(%q) = %d, %v", key, i, ok)
		}
	}
	for _, key := range []string{"ARGS", "args[", "args[-1]", "args[01]", "args[x]", "args[1]x", "GITHUB_TOKEN"} {
		if _, ok := ArgIndex(key); ok {
			t.Errorf("ArgIndex(%q) is an arg", key)
		}
	}
	if w := Where("db", "args[2]"); w != "db's args[2]" {
		t.Errorf("Where = %q", w)
	}
	if w := Where("db", "PGPASSWORD"); w != "db's env PGPASSWORD" {
		t.Errorf("Where = %q", w)
	}
}

func TestResolveArgs(t *testing.T) {
	ctx := context.Background()
	s := New(t.TempDir(), &Memory{})
	s.Set(ctx, "PW", "hunter2-long")
	s.Set(ctx, "TOK", "tok-value")
	const plain = "ghp_0123456789abcdefghijABCDEFGHIJ0123"
	args := []string{"-y", "pkg", "postgresql://u:${keyring:PW}@h/db", "--token", "${keyring:TOK}", "--label", plain}
	out, injected, err := s.ResolveArgs(ctx, args)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-y", "pkg", "postgresql://u:hunter2-long@h/db", "--token", "tok-value", "--label", plain}
	if !slices.Equal(out, want) {
		t.Errorf("args = %q, want %q", out, want)
	}
	slices.Sort(injected)
	if w := []string{plain, "hunter2-long", "tok-value"}; !slices.Equal(injected, w) {
		t.Errorf("injected = %q, want %q", injected, w)
	}
	if args[2] != "postgresql://u:${keyring:PW}@h/db" {
		t.Error("ResolveArgs changed its input")
	}

	_, _, err = s.ResolveArgs(ctx, []string{"--token", "${keyring:NOPE}"})
	if !errors.Is(err, ErrNotSet) || !strings.Contains(err.Error(), `args[1]: secret "NOPE"`) || !strings.Contains(err.Error(), "airlock secret set NOPE") {
		t.Errorf("missing secret: %v", err)
	}
	if _, _, err := s.ResolveArgs(ctx, []string{"x${keyring:PW"}); err == nil || !strings.Contains(err.Error(), "args[0]: unterminated") {
		t.Errorf("unterminated: %v", err)
	}
}

func TestRefsIncludeArgs(t *testing.T) {
	cfg := &config.Config{MCPServers: map[string]config.Server{
		"a": {Command: "x", Args: []string{"--token", "${keyring:T}"}, Env: map[string]string{"K": "${keyring:T}"}},
		"b": {Command: "y", Args: []string{"postgresql://u:${keyring:PW}@h/db"}},
	}}
	refs := Refs(cfg)
	if !slices.Equal(refs["T"], []string{"a"}) || !slices.Equal(refs["PW"], []string{"b"}) || len(refs) != 2 {
		t.Errorf("Refs = %v", refs)
	}
}

// Moving a URL's password leaves the rest of the URL in airlock.json;
// moving a flag's value leaves the flag. Plain names them by args[N] and
// MoveChosen moves them by that key; what was moved resolves back to the
// args as they were.
func TestMoveArgsFromConfig(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	conf := `{"mcpServers":{"pg":{"command":"npx","args":["-y","@modelcontextprotocol/server-postgres","postgresql://user:S3cret-pass@host/db"]},
	  "api":{"command":"x","args":["--api-key","sk-short","--port","80"],"env":{"API_TOKEN":"tok-env"}}}}`
	if err := os.WriteFile(filepath.Join(home, "airlock.json"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	plain, err := Plain(home)
	want := []Moved{{Server: "api", Key: "API_TOKEN"}, {Server: "api", Key: "args[1]"}, {Server: "pg", Key: "args[2]"}}
	if err != nil || !slices.Equal(plain, want) {
		t.Fatalf("Plain = %v, %v; want %v", plain, err, want)
	}
	s := New(home, &Memory{})
	out, err := s.MoveChosen(ctx, home, []Moved{{Server: "pg", Key: "args[2]"}, {Server: "api", Key: "args[3]"}})
	if err != nil || len(out) != 2 {
		t.Fatalf("MoveChosen = %v, %v", out, err)
	}
	if out[0].Name != "pg.password" || out[0].Err != nil {
		t.Errorf("pg: %+v", out[0])
	}
	if out[1].Err == nil || !strings.Contains(out[1].Err.Error(), "api's args[3] is not a plain-text credential") {
		t.Errorf("a port is no credential: %+v", out[1])
	}
	var asked []string
	moved, err := s.MoveFromConfig(ctx, home, func(server, key string) (bool, error) {
		asked = append(asked, Where(server, key))
		// A person may take minutes to answer: airlock.json must not be
		// locked meanwhile, or the window's edits would wait for them.
		unlock, err := config.LockFileWithin(filepath.Join(home, "airlock.json.lock"), 100*time.Millisecond)
		if err != nil {
			t.Errorf("airlock.json is locked while %s is asked: %v", Where(server, key), err)
		} else {
			unlock()
		}
		return key != "API_TOKEN", nil
	})
	if err != nil || len(moved) != 1 || moved[0] != (Moved{Server: "api", Key: "args[1]", Name: "api.api-key"}) {
		t.Fatalf("MoveFromConfig = %v, %v", moved, err)
	}
	if w := []string{"api's env API_TOKEN", "api's args[1]"}; !slices.Equal(asked, w) {
		t.Errorf("asked %q, want %q", asked, w)
	}
	text := readConfig(t, home)
	for _, v := range []string{"S3cret-pass", "sk-short"} {
		if strings.Contains(text, v) {
			t.Errorf("airlock.json still holds %s:\n%s", v, text)
		}
	}
	cfg, err := config.Load(home)
	if err != nil {
		t.Fatal(err)
	}
	if a := cfg.MCPServers["pg"].Args[2]; a != "postgresql://user:${keyring:pg.password}@host/db" {
		t.Errorf("pg args[2] = %q", a)
	}
	if a := cfg.MCPServers["api"].Args; !slices.Equal(a, []string{"--api-key", "${keyring:api.api-key}", "--port", "80"}) {
		t.Errorf("api args = %q", a)
	}
	got, _, err := s.ResolveArgs(ctx, cfg.MCPServers["pg"].Args)
	if err != nil || got[2] != "postgresql://user:S3cret-pass@host/db" {
		t.Errorf("resolved back = %q, %v", got, err)
	}
	if plain, _ := Plain(home); !slices.Equal(plain, []Moved{{Server: "api", Key: "API_TOKEN"}}) {
		t.Errorf("Plain after = %v", plain)
	}
}
