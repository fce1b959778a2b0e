package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/hostconfig"
	"github.com/airlock-dev/airlock/internal/secrets"
)

// runSecretCmd runs `airlock secret ARGS` with stdin and a keychain in memory.
func runSecretCmd(t *testing.T, kc secrets.Keychain, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	old := openKeychain
	openKeychain = func() secrets.Keychain { return kc }
	defer func() { openKeychain = old }()
	var out, errb bytes.Buffer
	code = Main(append([]string{"secret"}, args...), Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

func TestSecretCommands(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	cfg := `{"mcpServers":{"gh":{"command":"x","env":{"TOKEN":"${keyring:GH}"}},"other":{"command":"y","env":{"A":"Bearer ${keyring:MISSING}"}}}}`
	if err := os.WriteFile(filepath.Join(home, "airlock.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	kc := &secrets.Memory{}

	// Piped: one trailing newline is dropped, nothing else.
	if _, errOut, code := runSecretCmd(t, kc, "  tok en\n\n", "set", "GH"); code != 0 {
		t.Fatalf("set: %d %s", code, errOut)
	}
	if v, _ := kc.Get(context.Background(), "GH"); v != "  tok en\n" {
		t.Fatalf("stored %q, want %q", v, "  tok en\n")
	}
	if _, _, code := runSecretCmd(t, kc, "crlf\r\n", "set", "CRLF"); code != 0 {
		t.Fatal("set CRLF failed")
	}
	if v, _ := kc.Get(context.Background(), "CRLF"); v != "crlf" {
		t.Fatalf("stored %q, want crlf", v)
	}
	// A short value is stored, with a note on what hiding it everywhere means.
	short := &secrets.Memory{}
	if _, errOut, code := runSecretCmd(t, short, "1234\n", "set", "PIN"); code != 0 || !strings.Contains(errOut, "only 4 characters") {
		t.Fatalf("set a short value: %d %q, want a note on its length", code, errOut)
	}
	if _, errOut, _ := runSecretCmd(t, short, "long-enough-value\n", "set", "LONG"); strings.Contains(errOut, "characters") {
		t.Fatalf("set a long value noted its length: %q", errOut)
	}
	for _, n := range []string{"PIN", "LONG"} {
		if _, errOut, code := runSecretCmd(t, short, "", "rm", n); code != 0 {
			t.Fatalf("rm %s: %d %s", n, code, errOut)
		}
	}

	out, errOut, code := runSecretCmd(t, kc, "", "list")
	if code != 0 || out != "CRLF\nGH\tused by gh\n" {
		t.Fatalf("list = %d %q", code, out)
	}
	if !strings.Contains(errOut, "MISSING is used by other but not stored") {
		t.Errorf("list does not warn about a missing secret: %q", errOut)
	}
	if strings.Contains(out+errOut, "tok en") {
		t.Fatal("list printed a value")
	}

	_, errOut, code = runSecretCmd(t, kc, "", "rm", "GH")
	if code != 0 || !strings.Contains(errOut, "gh still refers to it") {
		t.Fatalf("rm = %d %q", code, errOut)
	}
	if _, err := kc.Get(context.Background(), "GH"); err == nil {
		t.Fatal("rm left the value in the keychain")
	}
	if _, errOut, code = runSecretCmd(t, kc, "", "rm", "GH"); code != 1 || !strings.Contains(errOut, "not set") {
		t.Fatalf("second rm = %d %q", code, errOut)
	}
}

func TestSecretSetRefuses(t *testing.T) {
	t.Setenv("AIRLOCK_HOME", t.TempDir())
	kc := &secrets.Memory{}
	for _, tc := range []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"", []string{"set", "A"}, 1, "stdin was empty"},
		{"\n", []string{"set", "A"}, 1, "stdin was empty"},
		{"v", []string{"set", "bad name"}, 1, "invalid secret name"},
		{strings.Repeat("x", 70<<10), []string{"set", "A"}, 1, "over 64 KiB"},
		{"v", []string{"set"}, 2, "usage"},
		{"", []string{"frobnicate"}, 2, "usage"},
	} {
		_, errOut, code := runSecretCmd(t, kc, tc.stdin, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("secret %v: %d %q, want %d %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	if out, _, _ := runSecretCmd(t, kc, "", "list"); out != "" {
		t.Errorf("refused values were stored: %q", out)
	}
}

func TestDoctorSecretRefs(t *testing.T) {
	d := newDoctorHome(t)
	d.write(t, filepath.Join(d.airlock, "airlock.json"), `{"mcpServers":{
		"gh":{"command":"`+d.bin+`","env":{"T":"${keyring:GH}","U":"x ${keyring:GONE}"}},
		"bad":{"command":"`+d.bin+`","env":{"T":"${keyring:no good}"}}}}`)
	kc := &secrets.Memory{}
	kc.Set(context.Background(), "GH", "v")
	in := doctorInput{home: d.airlock, lookPath: exec.LookPath, keychain: func(context.Context) error { return nil }, secrets: kc,
		hostEnv: hostconfig.Env{GOOS: "linux", Home: d.user, Getenv: func(string) string { return "" }}}
	var out bytes.Buffer
	failed := printChecks(&out, doctor(context.Background(), in))
	wantLines(t, out.String(),
		"OK   secret GH: stored (used by gh)",
		"FAIL secret GONE: not in the keychain, so gh will not start: airlock secret set GONE",
		`FAIL secret no good: invalid secret name "no good"`)
	if failed != 2 || strings.Contains(out.String(), ": v") {
		t.Errorf("failed = %d\n%s", failed, out.String())
	}
}

// Values already written in airlock.json move into the keychain on request;
// without a terminal to ask at, only --yes moves them.
func TestSecretImport(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	cfgPath := filepath.Join(home, "airlock.json")
	cfg := `{"mcpServers":{"gh":{"command":"x","env":{"GITHUB_TOKEN":"plain-token-value","LOG":"debug"},"roots":["/tmp"]}},"approvalWait":"30s"}`
	os.WriteFile(cfgPath, []byte(cfg), 0o600)
	kc := &secrets.Memory{}

	out, errOut, code := runSecretCmd(t, kc, "", "import")
	if code != 1 || out != "gh's env GITHUB_TOKEN\n" || !strings.Contains(errOut, "--yes") {
		t.Fatalf("import without --yes: %d %q %q", code, out, errOut)
	}
	if b, _ := os.ReadFile(cfgPath); string(b) != cfg {
		t.Fatal("import without --yes changed airlock.json")
	}
	out, errOut, code = runSecretCmd(t, kc, "", "import", "--yes")
	if code != 0 || !strings.Contains(out, "gh's env GITHUB_TOKEN is now ${keyring:gh.GITHUB_TOKEN}") {
		t.Fatalf("import --yes: %d %q %q", code, out, errOut)
	}
	b, _ := os.ReadFile(cfgPath)
	if strings.Contains(string(b), "plain-token-value") || !strings.Contains(string(b), `"${keyring:gh.GITHUB_TOKEN}"`) ||
		!strings.Contains(string(b), `"LOG": "debug"`) || !strings.Contains(string(b), `"approvalWait": "30s"`) || !strings.Contains(string(b), `"/tmp"`) {
		t.Fatalf("airlock.json after import:\n%s", b)
	}
	if v, _ := kc.Get(context.Background(), "gh.GITHUB_TOKEN"); v != "plain-token-value" {
		t.Fatalf("keychain holds %q", v)
	}
	if _, errOut, code = runSecretCmd(t, kc, "", "import"); code != 0 || !strings.Contains(errOut, "no token-like") {
		t.Fatalf("second import: %d %q", code, errOut)
	}
}

// A name in ${keyring:...} comes from airlock.json, perhaps moved there by
// install from a project's host config: printed to a terminal, its control
// characters (an escape sequence) must show as text, not act.
func TestSecretNamesFromTheConfigArePrintedVisibly(t *testing.T) {
	home := t.TempDir()
	t.Setenv("AIRLOCK_HOME", home)
	hostile := "X\x1b]0;pwned\x07\u202e"
	cfg, _ := json.Marshal(map[string]any{"mcpServers": map[string]any{
		"gh":    map[string]any{"command": "x", "env": map[string]string{"TOKEN": "${keyring:" + hostile + "}"}},
		"plain": map[string]any{"command": "x", "env": map[string]string{"API_TOKEN" + hostile: "ghp_16C7e42F292c6912E7710c838347Ae178B4a"}}}})
	if err := os.WriteFile(filepath.Join(home, "airlock.json"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	kc := &secrets.Memory{}
	_, errOut, _ := runSecretCmd(t, kc, "", "list")
	importOut, _, _ := runSecretCmd(t, kc, "", "import")
	loaded, err := config.Load(home)
	if err != nil {
		t.Fatal(err)
	}
	var doctorOut bytes.Buffer
	printChecks(&doctorOut, checkSecretRefs(context.Background(), loaded, kc))
	for what, text := range map[string]string{"secret list": errOut, "doctor": doctorOut.String(), "secret import": importOut} {
		if !strings.Contains(text, "pwned") {
			t.Errorf("%s does not name the secret: %q", what, text)
		}
		if strings.ContainsAny(text, "\x1b\x07\u202e") {
			t.Errorf("%s printed control characters of the name raw: %q", what, text)
		}
	}
}
