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

// selfPath is the running binary; tests replace it.
var selfPath = hostconfig.Executable

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
	o := hostconfig.Options{Host: h, Path: path, Home: home, DryRun: *hf.dryRun,
		ProxyEnv: hostconfig.ProxyEnv(home, os.Getenv)}
	return o, nil
}

// parseArgs parses a command's flags; no positional arguments are taken.
func parseArgs(env Env, name string, flags *flag.FlagSet, args []string) error {
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "airlock %s: unexpected argument %q\n", name, flags.Arg(0))
		return errUsage
	}
	return nil
}

func runInstall(ctx context.Context, env Env, args []string) error {
	flags := newFlags(env, "install")
	hf := newHostFlags(flags)
	// Install-only flags go here, next to the step they steer.
	moveFlag := flags.Bool("move-secrets", false, "store token-like env values and args of the moved servers in the OS keychain and write ${keyring:NAME} in airlock.json (in a terminal, install asks about each)")
	if err := parseArgs(env, "install", flags, args); err != nil {
		return err
	}
	o, err := hf.options()
	if err != nil {
		return err
	}
	if o.Binary, err = selfPath(); err != nil {
		return err
	}
	// Between choosing the servers to move and writing anything, token-like
	// env values may move into the keychain (o.Prepare).
	reportSecrets := offerSecrets(ctx, env, &o, *moveFlag)
	r, err := hostconfig.Install(o)
	if err != nil {
		return err
	}
	printReport(env.Stdout, r, o, true)
	reportSecrets(r)
	return nil
}

func runUninstall(_ context.Context, env Env, args []string) error {
	flags := newFlags(env, "uninstall")
	hf := newHostFlags(flags)
	if err := parseArgs(env, "uninstall", flags, args); err != nil {
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

// printReport prints the report under the host and its config file; a dry
// run shows the host config it would write.
func printReport(w io.Writer, r *hostconfig.Report, o hostconfig.Options, install bool) {
	fmt.Fprintf(w, "%s: %s\n", r.Host.Name, terminalText(r.Path))
	for _, line := range r.Lines(install, o.DryRun) {
		// Notes quote what could not be read (a backup's text, as the
		// parser's error repeats it): no escape sequence of it runs.
		fmt.Fprintln(w, "  "+terminalText(line))
	}
	if o.DryRun && r.Changed {
		// As text: its comments may hold any bytes.
		fmt.Fprintf(w, "The host config would become:\n%s", terminalText(string(r.After)))
	}
}
