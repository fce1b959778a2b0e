package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/hostconfig"
)

// selfPath is the running binary, symlinks resolved: the host must start
// this exact file even after a package manager swaps a link. Tests replace it.
var selfPath = func() (string, error) {
	p, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the airlock binary: %w", err)
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return filepath.Abs(p)
}

// hostFlags are the flags install and uninstall share.
type hostFlags struct {
	host   *string
	config *string
	dryRun *bool
}

func newHostFlags(fs *flag.FlagSet) hostFlags {
	var ids []string
	for _, h := range hostconfig.Hosts() {
		ids = append(ids, h.ID)
	}
	return hostFlags{
		host:   fs.String("host", hostconfig.ClaudeDesktop, "the host: "+strings.Join(ids, ", ")),
		config: fs.String("config", "", "the host's config file (default: where the host keeps it on this OS; for VS Code a workspace's .vscode/mcp.json)"),
		dryRun: fs.Bool("dry-run", false, "print what would change and write nothing"),
	}
}

// options resolves the flags into what hostconfig needs.
func (hf hostFlags) options() (hostconfig.Options, error) {
	h, err := hostconfig.Lookup(*hf.host)
	if err != nil {
		return hostconfig.Options{}, err
	}
	path := *hf.config
	if path == "" {
		e, err := hostconfig.OSEnv(runtime.GOOS)
		if err != nil {
			return hostconfig.Options{}, err
		}
		path = h.Path(e)
	}
	if path, err = filepath.Abs(path); err != nil {
		return hostconfig.Options{}, err
	}
	home, err := config.Home()
	if err != nil {
		return hostconfig.Options{}, err
	}
	o := hostconfig.Options{Host: h, Path: path, Home: home, DryRun: *hf.dryRun}
	// A host starts the proxy with a small environment of its own: a home
	// chosen by AIRLOCK_HOME has to travel in the entry.
	if os.Getenv("AIRLOCK_HOME") != "" {
		o.ProxyEnv = map[string]string{"AIRLOCK_HOME": home}
	}
	return o, nil
}

func parseHostFlags(env Env, name string, args []string) (hostFlags, error) {
	flags := newFlags(env, name)
	hf := newHostFlags(flags)
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return hf, err
		}
		return hf, errUsage
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "airlock %s: unexpected argument %q\n", name, flags.Arg(0))
		return hf, errUsage
	}
	return hf, nil
}

func runInstall(_ context.Context, env Env, args []string) error {
	hf, err := parseHostFlags(env, "install", args)
	if err != nil {
		return err
	}
	o, err := hf.options()
	if err != nil {
		return err
	}
	if o.Binary, err = selfPath(); err != nil {
		return err
	}
	o.Prepare = installPrepare(env)
	r, err := hostconfig.Install(o)
	if err != nil {
		return err
	}
	printReport(env.Stdout, r, o, true)
	return nil
}

// installPrepare is the step between choosing the servers to move and
// writing anything: the place for changes to the moved definitions (such as
// moving token-like env values into the keychain). None yet.
func installPrepare(Env) func([]*hostconfig.Server) error { return nil }

func runUninstall(_ context.Context, env Env, args []string) error {
	hf, err := parseHostFlags(env, "uninstall", args)
	if err != nil {
		return err
	}
	o, err := hf.options()
	if err != nil {
		return err
	}
	r, err := hostconfig.Uninstall(o)
	if err != nil {
		return err
	}
	printReport(env.Stdout, r, o, false)
	return nil
}

// printReport says what changed in words a person acts on.
func printReport(w io.Writer, r *hostconfig.Report, o hostconfig.Options, install bool) {
	would := func(done, planned string) string {
		if o.DryRun {
			return planned
		}
		return done
	}
	fmt.Fprintf(w, "%s: %s\n", r.Host.Name, r.Path)
	if install {
		for _, s := range r.Moved {
			line := "  " + would("moved", "would move") + " " + quoteName(s.HostName) + " into airlock.json"
			if s.Name != s.HostName {
				line += " as " + s.Name + " (airlock.json names are letters, digits, '-' and '_')"
			}
			fmt.Fprintln(w, line)
		}
		for _, n := range r.Shared {
			fmt.Fprintf(w, "  %s is already in airlock.json with the same definition\n", quoteName(n))
		}
	} else {
		for _, n := range r.Restored {
			fmt.Fprintf(w, "  %s %s to the host config\n", would("restored", "would restore"), quoteName(n))
		}
	}
	for _, k := range r.Kept {
		fmt.Fprintf(w, "  left %s in place: %s\n", quoteName(k.Name), k.Reason)
	}
	if r.ProjectServers > 0 {
		fmt.Fprintf(w, "  left %d project-scoped server(s) (projects[...].mcpServers) with Claude Code: each belongs to one folder, airlock.json is global\n", r.ProjectServers)
	}
	switch {
	case !r.Changed && install:
		fmt.Fprintf(w, "  already hooked up: nothing to change\n")
		return
	case !r.Changed:
		fmt.Fprintf(w, "  not hooked up: nothing to change\n")
		return
	}
	if o.DryRun {
		fmt.Fprintf(w, "  dry run: nothing written. The host config would become:\n%s", r.After)
		return
	}
	fmt.Fprintf(w, "  backup of the original: %s\n", r.Backup)
	if install {
		fmt.Fprintf(w, "  hooked up: %s now starts %s proxy. Restart %s to use it.\n", r.Host.Name, o.Binary, r.Host.Name)
	} else {
		fmt.Fprintf(w, "  unhooked: the airlock entry is gone; the servers also stay in airlock.json for other hosts. Restart %s.\n", r.Host.Name)
	}
}

// quoteName shows a host's server name, which may hold any characters.
func quoteName(s string) string {
	q := fmt.Sprintf("%q", s)
	if q == `"`+s+`"` && s != "" && !strings.ContainsAny(s, " \t") {
		return s
	}
	return q
}
