// Package hostconfig hooks AI hosts (Claude Desktop, Claude Code, Cursor,
// VS Code) up to Airlock: it finds each host's MCP config file, moves the
// host's local (stdio) servers into airlock.json and leaves one "airlock"
// entry that runs `airlock proxy`, and puts them back on uninstall.
//
// What moves and what stays:
//   - stdio servers (a "command") move; the entry is copied into airlock.json
//     as written, unknown fields included (the proxy ignores them), so
//     uninstall can put back exactly what was there.
//   - remote servers ("url", or "type" http/sse) stay: a stdio proxy cannot
//     carry them, and the host talks to them directly.
//   - entries the proxy could not start the same way stay too, each with
//     its reason: "disabled": true (moving it would switch it on), host
//     variables such as ${input:token} or ${workspaceFolder} (only the
//     host can expand them), VS Code's envFile, a relative cwd.
//   - Claude Code's project-scoped servers (projects[path].mcpServers in
//     ~/.claude.json) stay with Claude Code: each belongs to one folder,
//     while airlock.json is global, so moving them would show a project's
//     tools in every other project. Install reports how many there are.
package hostconfig

import (
	"fmt"
	"os"
	"path"
	"strings"
)

// Host is one supported AI host and the shape of its MCP config.
type Host struct {
	// ID is the --host value.
	ID string
	// Name is what a person calls it.
	Name string
	// Key is the top-level field holding the servers.
	Key string
	// Typed hosts write "type": "stdio" in local entries.
	Typed bool
	// Comments: the host reads its config as JSON with comments (// and
	// /* */) and trailing commas, so Airlock reads and keeps them too.
	// Other hosts' configs must be plain JSON, as the host's own parser
	// demands: a file with comments is refused with that reason.
	Comments bool
	// paths lists where the config lives for an OS, preferred first.
	paths func(e Env) []string
}

// IDs of the supported hosts.
const (
	ClaudeDesktop = "claude-desktop"
	ClaudeCode    = "claude-code"
	Cursor        = "cursor"
	VSCode        = "vscode"
)

// EntryName is the host config entry that runs the proxy.
const EntryName = "airlock"

// MSIXPackage is the Microsoft Store (MSIX) build's package folder. That
// build reads its config from a virtualised copy of %APPDATA% below it, not
// from %APPDATA%\Claude.
const MSIXPackage = "Claude_pzs8sxrjxfjjc"

// Env is what a host's config path depends on. Tests pass another OS's
// values to check its paths on this machine.
type Env struct {
	GOOS   string
	Home   string
	Getenv func(string) string
	// Exists reports whether a path exists; nil means the real file system.
	Exists func(string) bool
}

// OSEnv is this machine's Env.
func OSEnv(goos string) (Env, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Env{}, fmt.Errorf("find home folder: %w", err)
	}
	return Env{GOOS: goos, Home: home, Getenv: os.Getenv}, nil
}

func (e Env) exists(p string) bool {
	if e.Exists != nil {
		return e.Exists(p)
	}
	_, err := os.Stat(p)
	return err == nil
}

func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// join joins path parts with the separator of e's OS, so Windows paths come
// out right when computed on Linux.
func (e Env) join(parts ...string) string {
	if e.GOOS != "windows" {
		return path.Join(parts...)
	}
	var out []string
	for i, p := range parts {
		p = strings.ReplaceAll(p, "/", `\`)
		if i > 0 {
			p = strings.TrimLeft(p, `\`)
		}
		if i < len(parts)-1 {
			p = strings.TrimRight(p, `\`)
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, `\`)
}

// appData is the roaming application data folder on Windows.
func (e Env) appData() string {
	if v := e.getenv("APPDATA"); v != "" {
		return v
	}
	return e.join(e.Home, "AppData", "Roaming")
}

// localAppData is the local application data folder on Windows.
func (e Env) localAppData() string {
	if v := e.getenv("LOCALAPPDATA"); v != "" {
		return v
	}
	return e.join(e.Home, "AppData", "Local")
}

// configDir is the per-user config folder that Electron apps use on e's OS.
func (e Env) configDir() string {
	switch e.GOOS {
	case "darwin":
		return e.join(e.Home, "Library", "Application Support")
	case "windows":
		return e.appData()
	default:
		if v := e.getenv("XDG_CONFIG_HOME"); v != "" && path.IsAbs(v) {
			return v
		}
		return e.join(e.Home, ".config")
	}
}

var hosts = []Host{
	{
		ID: ClaudeDesktop, Name: "Claude Desktop", Key: "mcpServers",
		paths: func(e Env) []string {
			classic := e.join(e.configDir(), "Claude", "claude_desktop_config.json")
			if e.GOOS != "windows" {
				return []string{classic}
			}
			pkg := e.join(e.localAppData(), "Packages", MSIXPackage)
			store := e.join(pkg, "LocalCache", "Roaming", "Claude", "claude_desktop_config.json")
			if e.exists(pkg) { // the Store build is installed: it ignores %APPDATA%
				return []string{store, classic}
			}
			return []string{classic, store}
		},
	},
	{
		ID: ClaudeCode, Name: "Claude Code", Key: "mcpServers", Typed: true,
		paths: func(e Env) []string { return []string{e.join(e.Home, ".claude.json")} },
	},
	{
		ID: Cursor, Name: "Cursor", Key: "mcpServers",
		paths: func(e Env) []string { return []string{e.join(e.Home, ".cursor", "mcp.json")} },
	},
	{
		// VS Code documents its JSON files, mcp.json included, as JSONC.
		ID: VSCode, Name: "VS Code", Key: "servers", Typed: true, Comments: true,
		paths: func(e Env) []string { return []string{e.join(e.configDir(), "Code", "User", "mcp.json")} },
	},
}

// Hosts lists the supported hosts.
func Hosts() []Host { return append([]Host(nil), hosts...) }

// Lookup finds a host by its ID.
func Lookup(id string) (Host, error) {
	var ids []string
	for _, h := range hosts {
		if h.ID == id {
			return h, nil
		}
		ids = append(ids, h.ID)
	}
	return Host{}, fmt.Errorf("unknown host %q (supported: %s)", id, strings.Join(ids, ", "))
}

// Paths lists the places h's config may be on e's OS, the one h reads first.
func (h Host) Paths(e Env) []string { return h.paths(e) }

// Path is the config file h reads on e's OS.
func (h Host) Path(e Env) string { return h.paths(e)[0] }
