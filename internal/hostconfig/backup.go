package hostconfig

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
)

// Backups sit beside the host config: <file>.airlock-<kind>-<UTC time>.
// Install's backups hold the servers it moved; uninstall restores the ones
// moved since the last uninstall, whose own backup marks that point.
const (
	kindInstall   = "install"
	kindUninstall = "uninstall"
	stampLayout   = "20060102-150405.000000000"
)

type backup struct {
	path  string
	kind  string
	stamp string
}

// writeBackup copies the original bytes beside path, readable by the user
// only: a host config's env values are often tokens, and install moves
// them out of the host config (perhaps into the keychain) while its backup
// keeps them, so the backup must not stay as readable as a host config
// that is 0644 (the usual mode) once held them. Its stamp is later than
// every earlier backup's, even within one clock tick or after the clock
// stepped back, so the names sort in the order written.
func writeBackup(path, kind string, data []byte, now time.Time) (string, error) {
	t := now.UTC()
	existing, err := listBackups(path)
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", path, err)
	}
	if n := len(existing); n > 0 {
		last, _ := time.Parse(stampLayout, existing[n-1].stamp)
		if !t.After(last) {
			t = last.Add(time.Nanosecond)
		}
	}
	name := fmt.Sprintf("%s.airlock-%s-%s", path, kind, t.Format(stampLayout))
	if err := config.WriteFileAtomic(name, data, 0o600); err != nil {
		return "", fmt.Errorf("back up %s: %w", path, err)
	}
	return name, nil
}

// listBackups returns path's backups, oldest first.
func listBackups(path string) ([]backup, error) {
	matches, err := filepath.Glob(globEscape(path) + ".airlock-*")
	if err != nil {
		return nil, err
	}
	prefix := path + ".airlock-"
	var out []backup
	for _, m := range matches {
		rest := strings.TrimPrefix(m, prefix)
		kind, stamp, ok := strings.Cut(rest, "-")
		if !ok || (kind != kindInstall && kind != kindUninstall) {
			continue
		}
		if _, err := time.Parse(stampLayout, stamp); err != nil {
			continue
		}
		out = append(out, backup{path: m, kind: kind, stamp: stamp})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].stamp < out[j].stamp })
	return out, nil
}

// sinceLastUninstall keeps the install backups after the newest uninstall.
func sinceLastUninstall(all []backup) []backup {
	var out []backup
	for _, b := range all {
		if b.kind == kindUninstall {
			out = out[:0]
			continue
		}
		out = append(out, b)
	}
	return out
}

// globEscape quotes the glob metacharacters in a literal path.
func globEscape(p string) string {
	r := strings.NewReplacer(`*`, `[*]`, `?`, `[?]`, `[`, `[[]`)
	if filepath.Separator != '\\' {
		r = strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
	}
	return r.Replace(p)
}
