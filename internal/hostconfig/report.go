package hostconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Executable is the running airlock binary, symlinks resolved: the host must
// start this exact file even after a package manager swaps a link.
func Executable() (string, error) {
	p, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the airlock binary: %w", err)
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return filepath.Abs(p)
}

// ProxyEnv is the airlock entry's "env": a host starts the proxy with a
// small environment of its own, so a home chosen with AIRLOCK_HOME has to
// travel in the entry. Nil when the default home is used.
func ProxyEnv(home string, getenv func(string) string) map[string]string {
	if getenv("AIRLOCK_HOME") == "" {
		return nil
	}
	return map[string]string{"AIRLOCK_HOME": home}
}

// Lines says what an install (or uninstall) did, one line each, in words a
// person acts on. dryRun words it as what would happen.
func (r *Report) Lines(install, dryRun bool) []string {
	would := func(done, planned string) string {
		if dryRun {
			return planned
		}
		return done
	}
	var out []string
	if install {
		for _, s := range r.Moved {
			line := would("moved", "would move") + " " + quoteName(s.HostName) + " into airlock.json"
			if s.Name != s.HostName {
				line += " as " + s.Name + " (airlock.json names are letters, digits, '-' and '_')"
			}
			out = append(out, line)
		}
		for _, n := range r.Shared {
			out = append(out, quoteName(n)+" is already in airlock.json with the same definition")
		}
	} else {
		for _, n := range r.Restored {
			from := " from the install backup"
			if slices.Contains(r.Rebuilt, n) {
				from = ", rebuilt from its airlock.json entry (no install backup holds it)"
			}
			out = append(out, would("restored", "would restore")+" "+quoteName(n)+" to the host config"+from)
		}
		for _, p := range r.Placeholders {
			out = append(out, fmt.Sprintf("%s's %s %s %s, which the host passes on as that text: put the secret's value back there (it is in the OS keychain; Airlock never writes it into a host config)",
				quoteName(p.Server), p.Field, would("is", "would be"), quoteName(p.Value)))
		}
	}
	out = append(out, r.Notes...)
	for _, k := range r.Kept {
		out = append(out, "left "+quoteName(k.Name)+" in place: "+k.Reason)
	}
	if r.ProjectServers > 0 {
		out = append(out, fmt.Sprintf("left %d project-scoped server(s) (projects[...].mcpServers) with Claude Code: each belongs to one folder, airlock.json is global", r.ProjectServers))
	}
	switch {
	case !r.Changed && install:
		return append(out, "already hooked up: nothing to change")
	case !r.Changed:
		return append(out, "not hooked up: nothing to change")
	case dryRun:
		return append(out, "dry run: nothing written")
	}
	out = append(out, "backup of the original: "+r.Backup)
	if install {
		return append(out, fmt.Sprintf("hooked up: %s now starts Airlock's proxy. Restart %s to use it.", r.Host.Name, r.Host.Name))
	}
	return append(out, fmt.Sprintf("unhooked: the airlock entry is gone; the servers also stay in airlock.json for other hosts. Restart %s.", r.Host.Name))
}

// quoteName shows a host's server name, which may hold any characters.
func quoteName(s string) string {
	q := fmt.Sprintf("%q", s)
	if q == `"`+s+`"` && s != "" && !strings.ContainsAny(s, " \t") {
		return s
	}
	return q
}
