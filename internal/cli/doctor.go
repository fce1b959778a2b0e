package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/hostconfig"
	"github.com/airlock-dev/airlock/internal/secrets"
	"github.com/airlock-dev/airlock/internal/store"
)

// Levels of a doctor check.
const (
	levelOK   = "OK"
	levelWarn = "WARN"
	levelFail = "FAIL"
)

// check is one line of `airlock doctor`: what was checked, how it went and,
// unless OK, what to do about it.
type check struct {
	level string
	what  string
	msg   string
}

// doctorInput is what doctor looks at; tests point it at a made-up home.
type doctorInput struct {
	home    string
	hostEnv hostconfig.Env
	// lookPath finds a command the way the proxy will start it.
	lookPath func(string) (string, error)
	// keychain reports whether the OS keychain answers; nil skips the check.
	keychain func(context.Context) error
	// secrets, when set and the keychain answers, is asked for every
	// ${keyring:NAME} the config uses (see checkSecretRefs).
	secrets secrets.Keychain
}

func runDoctor(ctx context.Context, env Env, args []string) error {
	flags := newFlags(env, "doctor")
	if err := flags.Parse(args); err != nil {
		return errUsage
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "airlock doctor: unexpected argument %q\n", flags.Arg(0))
		return errUsage
	}
	home, err := config.Home()
	if err != nil {
		return err
	}
	hostEnv, err := hostconfig.OSEnv(runtime.GOOS)
	if err != nil {
		return err
	}
	checks := doctor(ctx, doctorInput{home: home, hostEnv: hostEnv, lookPath: exec.LookPath, keychain: keychainCheck,
		secrets: secrets.OS{Timeout: keychainProbeTimeout}})
	if failed := printChecks(env.Stdout, checks); failed > 0 {
		return fmt.Errorf("%d check(s) failed", failed)
	}
	return nil
}

// keychainCheck probes the OS keychain (see secret.go).
var keychainCheck = checkOSKeychain

func printChecks(w io.Writer, checks []check) (failed int) {
	for _, c := range checks {
		// Messages quote host configs anyone may have written.
		fmt.Fprintf(w, "%-4s %s: %s\n", c.level, terminalText(c.what), terminalText(c.msg))
		if c.level == levelFail {
			failed++
		}
	}
	return failed
}

// doctor runs every check, in the order a person would fix things.
func doctor(ctx context.Context, in doctorInput) []check {
	var out []check
	cfg, c := checkConfig(in.home)
	out = append(out, c)
	if cfg != nil {
		for _, name := range cfg.ServerNames() {
			out = append(out, checkUpstream(name, cfg.MCPServers[name], in.lookPath)...)
		}
	}
	if in.keychain != nil {
		kc := checkKeychain(ctx, in.keychain)
		out = append(out, kc)
		if kc.level == levelOK && cfg != nil && in.secrets != nil {
			out = append(out, checkSecretRefs(ctx, cfg, in.secrets)...)
		}
	}
	out = append(out, checkDatabase(ctx, config.DBPath(in.home)))
	for _, h := range hostconfig.Hosts() {
		out = append(out, checkHost(h, h.Path(in.hostEnv)))
	}
	if cfg != nil {
		out = append(out, checkRecordedHosts(in)...)
	}
	return out
}

func checkConfig(home string) (*config.Config, check) {
	c := check{what: "config"}
	path := filepath.Join(home, config.FileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		c.level, c.msg = levelWarn, fmt.Sprintf("no %s yet: Airlock proxies nothing until you run 'airlock install' or add servers", path)
		return nil, c
	}
	cfg, err := config.Load(home)
	if err != nil {
		c.level, c.msg = levelFail, fmt.Sprintf("%v: fix the file (the proxy refuses to start with it)", err)
		return nil, c
	}
	c.level, c.msg = levelOK, fmt.Sprintf("%s parses: %d server(s)", path, len(cfg.MCPServers))
	return cfg, c
}

// checkUpstream checks that a server's command and cwd exist.
func checkUpstream(name string, s config.Server, lookPath func(string) (string, error)) []check {
	what := "server " + name
	var out []check
	if s.Cwd != "" {
		if info, err := os.Stat(s.Cwd); err != nil || !info.IsDir() {
			out = append(out, check{levelFail, what, fmt.Sprintf("cwd %s is not a folder: create it or fix \"cwd\" in airlock.json", s.Cwd)})
		}
	}
	path, err := resolveCommand(s, lookPath)
	if err != nil {
		return append(out, check{levelFail, what, fmt.Sprintf("command %q: %v: install it or fix \"command\" in airlock.json", s.Command, err)})
	}
	return append(out, check{levelOK, what, "command " + path})
}

// resolveCommand finds a server's command as the proxy would start it: a
// path is checked as is (relative to cwd), a bare name is looked up on PATH.
func resolveCommand(s config.Server, lookPath func(string) (string, error)) (string, error) {
	cmd := s.Command
	if !strings.ContainsRune(cmd, '/') && !strings.ContainsRune(cmd, filepath.Separator) {
		return lookPath(cmd)
	}
	if !filepath.IsAbs(cmd) && s.Cwd != "" {
		cmd = filepath.Join(s.Cwd, cmd)
	}
	info, err := os.Stat(cmd)
	if err != nil {
		return "", errors.New("not found")
	}
	if info.IsDir() {
		return "", errors.New("is a folder")
	}
	if runtime.GOOS != "windows" && info.Mode()&0o111 == 0 {
		return "", errors.New("not executable")
	}
	return cmd, nil
}

func checkKeychain(ctx context.Context, probe func(context.Context) error) check {
	if err := probe(ctx); err != nil {
		return check{levelWarn, "keychain", fmt.Sprintf("%v: ${keyring:NAME} values cannot be filled in until it answers", err)}
	}
	return check{levelOK, "keychain", "answers"}
}

func checkDatabase(ctx context.Context, path string) check {
	c := check{what: "database"}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		c.level, c.msg = levelOK, path+" not created yet: the first 'airlock proxy' creates it"
		return c
	}
	h, err := store.Check(ctx, path)
	switch {
	case err != nil:
		c.level, c.msg = levelFail, fmt.Sprintf("%v: move the file aside (the audit log restarts empty) or restore a copy", err)
	case len(h.Problems) > 0:
		c.level, c.msg = levelFail, fmt.Sprintf("%s is damaged (%s): move it aside and restore a copy", path, strings.Join(h.Problems, "; "))
	case h.Version > h.Want:
		c.level, c.msg = levelFail, fmt.Sprintf("%s has schema %d, newer than this airlock's %d: update airlock", path, h.Version, h.Want)
	case h.Version < h.Want:
		c.level, c.msg = levelWarn, fmt.Sprintf("%s has schema %d of %d: the next 'airlock proxy' or window start migrates it", path, h.Version, h.Want)
	default:
		c.level, c.msg = levelOK, fmt.Sprintf("%s intact, schema %d current", path, h.Version)
	}
	return c
}

func checkHost(h hostconfig.Host, path string) check {
	st := hostconfig.Status(h, path)
	c := check{what: "host " + h.ID}
	switch {
	case !st.Found:
		c.level, c.msg = levelOK, "no config at "+path+" (not installed, or --config names another file)"
	case st.Err != nil:
		c.level, c.msg = levelWarn, fmt.Sprintf("%v", st.Err)
	case st.HookedUp && !executable(st.Command):
		c.level, c.msg = levelFail, fmt.Sprintf("hooked up, but its airlock entry runs %s, which is gone: run 'airlock install --host %s' again", st.Command, h.ID)
	case st.HookedUp && st.Local > 0:
		c.level, c.msg = levelWarn, fmt.Sprintf("hooked up, but %d server(s) added since bypass Airlock: run 'airlock install --host %s' again", st.Local, h.ID)
	case st.HookedUp:
		c.level, c.msg = levelOK, "hooked up ("+path+")"
	case st.Local > 0:
		c.level, c.msg = levelWarn, fmt.Sprintf("not hooked up: %d server(s) bypass Airlock; run 'airlock install --host %s'", st.Local, h.ID)
	default:
		c.level, c.msg = levelOK, "not hooked up, no local servers ("+path+")"
	}
	return c
}

func executable(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir() && (runtime.GOOS == "windows" || info.Mode()&0o111 != 0)
}

// checkRecordedHosts checks the host configs airlock.json records servers
// as moved from (its "from" fields) that are not a host's default path,
// which checkHost has covered: a VS Code workspace's .vscode/mcp.json, or
// any config installed with --config. Install hooked each of them up, so a
// file that is gone or has lost its airlock entry is worth a warning.
func checkRecordedHosts(in doctorInput) []check {
	list, err := hostconfig.RecordedConfigs(in.home)
	if err != nil {
		return []check{{levelFail, "recorded hosts", fmt.Sprintf("%v: fix airlock.json", err)}}
	}
	var out []check
	for _, r := range list {
		if r.Host.IsDefaultPath(in.hostEnv, r.Config) {
			continue
		}
		out = append(out, checkRecordedHost(r.Host, r.Config))
	}
	return out
}

func checkRecordedHost(h hostconfig.Host, path string) check {
	st := hostconfig.Status(h, path)
	c := check{what: "host " + h.ID + " " + path}
	again := fmt.Sprintf("'airlock install --host %s --config %s'", h.ID, shellWord(path))
	switch {
	case !st.Found:
		c.level, c.msg = levelWarn, "gone since airlock install moved servers out of it: if the host still uses a config there, run "+again
	case st.Err != nil:
		c.level, c.msg = levelFail, fmt.Sprintf("%v", st.Err)
	case st.HookedUp && !executable(st.Command):
		c.level, c.msg = levelFail, fmt.Sprintf("hooked up, but its airlock entry runs %s, which is gone: run %s again", st.Command, again)
	case st.HookedUp && st.Local > 0:
		c.level, c.msg = levelWarn, fmt.Sprintf("hooked up, but %d server(s) added since bypass Airlock: run %s again", st.Local, again)
	case st.HookedUp:
		c.level, c.msg = levelOK, "hooked up"
	default:
		c.level, c.msg = levelWarn, fmt.Sprintf("no longer hooked up (%d server(s) bypass Airlock): run %s", st.Local, again)
	}
	return c
}

// shellWord quotes a path for the command doctor suggests when a shell
// would split or expand it. Windows paths keep their backslashes, which
// PowerShell and cmd take literally.
func shellWord(s string) string {
	const safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@,="
	if s != "" && strings.Trim(s, safe+`\`) == "" && (runtime.GOOS == "windows" || !strings.Contains(s, `\`)) {
		return s
	}
	if runtime.GOOS == "windows" {
		return `"` + s + `"`
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(s) + `"`
}
