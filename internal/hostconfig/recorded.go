package hostconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/airlock-dev/airlock/internal/config"
)

// Recorded is a host config that airlock.json's "from" fields name: one
// `airlock install` moved servers out of and hooked up.
type Recorded struct {
	Host   Host
	Config string // the real path install recorded
}

// RecordedConfigs lists the distinct host configs airlock.json's entries
// record as their origin, in airlock.json's order, so doctor can check the
// ones that are not a host's default path (a VS Code workspace's
// .vscode/mcp.json, a config installed with --config). An origin naming a
// host this airlock does not know, or a path that is not absolute (a
// person's own edit), is left out: there is nothing to check it against.
// A missing or empty airlock.json records none.
func RecordedConfigs(home string) ([]Recorded, error) {
	file := filepath.Join(home, config.FileName)
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(bytes.TrimSpace(data)) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read airlock.json: %w", err)
	}
	top, err := parseObject(data)
	if err != nil {
		return nil, fmt.Errorf("airlock.json %s %v", file, err)
	}
	servers, _, err := top.child("mcpServers")
	if err != nil {
		return nil, fmt.Errorf("airlock.json %s: %v", file, err)
	}
	if servers == nil {
		return nil, nil
	}
	var out []Recorded
	for _, name := range servers.keys {
		entry, err := parseObject(servers.vals[name])
		if err != nil {
			continue // config.Parse refuses it, and doctor says so
		}
		for _, o := range origins(entry) {
			h, err := Lookup(o.Host)
			if err != nil || !filepath.IsAbs(o.Config) || hasRecorded(out, h, o.Config) {
				continue
			}
			out = append(out, Recorded{Host: h, Config: o.Config})
		}
	}
	return out, nil
}

func hasRecorded(list []Recorded, h Host, path string) bool {
	for _, r := range list {
		if r.Host.ID == h.ID && samePath(r.Config, path) {
			return true
		}
	}
	return false
}

// IsDefaultPath reports whether path is where h's config lives by default
// (Path), compared as install records it: symlinks resolved.
func (h Host) IsDefaultPath(e Env, path string) bool {
	def := h.Path(e)
	if samePath(def, path) {
		return true
	}
	real, err := filepath.EvalSymlinks(def)
	return err == nil && samePath(real, path)
}
