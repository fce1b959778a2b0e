package hostconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/tailscale/hujson"
)

// Options says what to hook up and how.
type Options struct {
	Host Host
	// Path is the host config file.
	Path string
	// Home is Airlock's home folder (airlock.json).
	Home string
	// Binary is the absolute path of the airlock binary the host will run.
	Binary string
	// ProxyEnv goes into the airlock entry's "env" (AIRLOCK_HOME when the
	// home is not the default one); empty means no "env".
	ProxyEnv map[string]string
	// DryRun computes the report and writes nothing.
	DryRun bool
	// Now stamps backups; nil means time.Now.
	Now func() time.Time
	// Prepare runs after the servers to move are chosen and before anything
	// is written, never in a dry run. It may change each Server's Entry
	// (what airlock.json gets); the host config's backup keeps the
	// original. An error stops the install with nothing written.
	Prepare func(servers []*Server) error
	// LockWait bounds the wait for another Airlock run editing the same
	// host config (a terminal install may be waiting for its user); 0
	// waits as long as it takes.
	LockWait time.Duration
}

// Report says what an install or uninstall did (or, in a dry run, would do).
type Report struct {
	Host Host
	Path string
	// Changed is false when the host config was already as wanted.
	Changed bool
	// Backup is the copy of the original host config; "" when unchanged.
	Backup string
	// Moved went into airlock.json (install); Restored came back (uninstall).
	Moved    []*Server
	Restored []string
	// Shared were already in airlock.json with the same definition.
	Shared []string
	// Kept stayed in the host config.
	Kept []Kept
	// ProjectServers counts Claude Code's project-scoped servers, which stay.
	ProjectServers int
	// Before and After are the host config's text.
	Before, After []byte
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// proxyEntry is the host entry that runs `airlock proxy`.
func (o Options) proxyEntry() json.RawMessage {
	e := newObject()
	if o.Host.Typed {
		e.set("type", json.RawMessage(`"stdio"`))
	}
	cmd, _ := json.Marshal(o.Binary)
	e.set("command", cmd)
	e.set("args", json.RawMessage(`["proxy"]`))
	if len(o.ProxyEnv) > 0 {
		env, _ := json.Marshal(o.ProxyEnv)
		e.set("env", env)
	}
	return e.compact()
}

// Install moves the host's stdio servers into airlock.json and leaves one
// entry running the proxy. Run again, it moves servers added since and
// otherwise changes nothing.
func Install(o Options) (*Report, error) {
	if !filepath.IsAbs(o.Binary) {
		return nil, fmt.Errorf("airlock binary path %q is not absolute", o.Binary)
	}
	return locked(o, install)
}

func install(o Options) (*Report, error) {
	f, err := readHostFile(o.Host, o.Path)
	if err != nil {
		return nil, err
	}
	move, kept, err := plan(o.Host, f.servers)
	if err != nil {
		return nil, fmt.Errorf("%s config %s: %w: not touching it", o.Host.Name, o.Path, err)
	}
	r := &Report{Host: o.Host, Path: o.Path, Moved: move, Kept: kept, Before: f.data}
	r.ProjectServers = projectServers(o.Host, f.root)

	// The airlock entry takes the place of the first server it replaces.
	if f.servers == nil {
		f.servers = newObject()
	}
	pos := len(f.servers.keys)
	if i := f.servers.index(EntryName); i >= 0 {
		pos = i
	}
	for _, s := range move {
		if i := f.servers.index(s.HostName); i >= 0 && i < pos {
			pos = i
		}
	}
	for _, s := range move {
		f.servers.remove(s.HostName)
		pos = min(pos, len(f.servers.keys))
	}
	if old, ok := f.servers.get(EntryName); ok && jsonEqual(old, o.proxyEntry()) {
		// Already right: keep its exact text (and any field the user added).
	} else {
		f.servers.remove(EntryName)
		f.servers.insertAt(pos, EntryName, o.proxyEntry())
	}
	if r.After, err = f.encode(o.Host.Key); err != nil {
		return nil, err
	}
	r.Changed = !jsonEqual(f.std, f.root.compact())

	// Check airlock.json before anything is written, dry run or not.
	shared, err := checkAirlockConfig(o.Home, move)
	if err != nil {
		return nil, err
	}
	r.Shared = shared
	if o.DryRun || !r.Changed {
		return r, nil
	}
	if o.Prepare != nil && len(move) > 0 {
		if err := o.Prepare(move); err != nil {
			return nil, err
		}
	}
	if err := f.unchanged(); err != nil {
		return nil, err
	}
	if r.Backup, err = writeBackup(f.path, kindInstall, f.data, o.now()); err != nil {
		return nil, err
	}
	err = config.Edit(o.Home, func(fields config.Fields) error {
		r.Shared, err = mergeServers(fields, move)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update airlock.json (%s is unchanged): %w", o.Path, err)
	}
	if err := config.WriteFileAtomic(f.path, r.After, f.mode); err != nil {
		return nil, err
	}
	return r, nil
}

// unchanged re-reads the host config just before the first write. The
// edit lock keeps other Airlock runs out, not the host itself or a person
// in an editor, and an install may have spent minutes asking about tokens
// since it read the file: writing what it made from the old text would drop
// their edit, so it stops with nothing written and asks for another run.
func (f *hostFile) unchanged() error {
	now, err := os.ReadFile(f.path)
	if err == nil && bytes.Equal(now, f.data) {
		return nil
	}
	if err == nil {
		err = errors.New("it was written meanwhile")
	}
	return fmt.Errorf("%s config %s changed while Airlock was editing it (%v): nothing written; run again", f.host.Name, f.path, err)
}

// checkAirlockConfig runs the merge against the current airlock.json
// without writing, so a conflict stops the install before any file changes.
func checkAirlockConfig(home string, move []*Server) ([]string, error) {
	fields := config.Fields{}
	data, err := os.ReadFile(filepath.Join(home, config.FileName))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("read airlock.json: %w", err)
	case len(bytes.TrimSpace(data)) > 0:
		if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
			if err == nil {
				err = errors.New("it is null") // which decodes into a nil map
			}
			return nil, fmt.Errorf("airlock.json %s is not a JSON object (%v): fix it first", filepath.Join(home, config.FileName), err)
		}
	}
	return mergeServers(fields, move)
}

// mergeServers adds the moved servers to airlock.json's fields. A server of
// the same name with the same definition is shared (a second host had it
// too, or an earlier install moved it); with another definition it is an
// error, never an overwrite.
func mergeServers(fields config.Fields, move []*Server) (shared []string, err error) {
	servers := map[string]json.RawMessage{}
	if raw, ok := fields["mcpServers"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &servers); err != nil {
			return nil, fmt.Errorf(`airlock.json "mcpServers" is %s, not an object: fix it first`, jsonKind(raw))
		}
	}
	for _, s := range move {
		entry, err := json.Marshal(s.Entry)
		if err != nil {
			return nil, fmt.Errorf("server %q: %w", s.HostName, err)
		}
		if have, ok := servers[s.Name]; ok {
			if !jsonEqual(have, entry) {
				return nil, fmt.Errorf("airlock.json already has a server %q with a different definition; "+
					"rename or remove one of them (in airlock.json or the host config), then run install again", s.Name)
			}
			shared = append(shared, s.Name)
			continue
		}
		servers[s.Name] = entry
	}
	if err := fields.Set("mcpServers", servers); err != nil {
		return nil, err
	}
	return shared, nil
}

// Uninstall removes the airlock entry and puts back the servers install
// moved since the last uninstall, as they were in the host config. Servers
// stay in airlock.json: other hooked-up hosts may use them. Run again, it
// changes nothing.
func Uninstall(o Options) (*Report, error) { return locked(o, uninstall) }

func uninstall(o Options) (*Report, error) {
	f, err := readHostFile(o.Host, o.Path)
	if err != nil {
		return nil, err
	}
	r := &Report{Host: o.Host, Path: o.Path, Before: f.data, After: f.data}
	if f.servers == nil || f.servers.index(EntryName) < 0 {
		return r, nil // not hooked up
	}
	var entry map[string]any
	if err := json.Unmarshal(f.servers.vals[EntryName], &entry); err != nil || !isProxyEntry(EntryName, entry) {
		return r, nil // a server of the user's that happens to be called airlock
	}
	restore, order, err := movedSinceUninstall(o.Host, f.path)
	if err != nil {
		return nil, err
	}
	f.spare = map[string]hujson.ObjectMember{}
	for name, m := range restore {
		f.spare[name] = m.node
	}
	f.servers.remove(EntryName)
	for _, name := range order {
		if _, ok := f.servers.get(name); ok {
			r.Kept = append(r.Kept, Kept{name, "the host config has a server of this name again; kept that one"})
			continue
		}
		// Back in its old place: after the nearest entry that preceded it.
		pos := 0
		before := restore[name].before
		for i := len(before) - 1; i >= 0; i-- {
			if j := f.servers.index(before[i]); j >= 0 {
				pos = j + 1
				break
			}
		}
		f.servers.insertAt(pos, name, restore[name].raw)
		r.Restored = append(r.Restored, name)
	}
	if r.After, err = f.encode(o.Host.Key); err != nil {
		return nil, err
	}
	r.Changed = true
	if o.DryRun {
		return r, nil
	}
	if err := f.unchanged(); err != nil {
		return nil, err
	}
	if r.Backup, err = writeBackup(f.path, kindUninstall, f.data, o.now()); err != nil {
		return nil, err
	}
	if err := config.WriteFileAtomic(f.path, r.After, f.mode); err != nil {
		return nil, err
	}
	return r, nil
}

// movedEntry is a server install moved, as written, with the names of the
// entries that preceded it in the host config.
type movedEntry struct {
	raw    json.RawMessage
	before []string
	node   hujson.ObjectMember // as written, with the comments before it
}

// movedSinceUninstall reads install's backups since the last uninstall and
// returns the entries they moved, in their first order. A later backup's
// entry wins over an earlier one of the same name.
func movedSinceUninstall(h Host, path string) (map[string]movedEntry, []string, error) {
	all, err := listBackups(path)
	if err != nil {
		return nil, nil, err
	}
	backups := sinceLastUninstall(all)
	if len(backups) == 0 {
		return nil, nil, fmt.Errorf("no install backup beside %s (%s.airlock-install-*): cannot tell which servers to put back; "+
			"nothing changed (copy the servers back from airlock.json by hand, then remove the %q entry)", path, filepath.Base(path), EntryName)
	}
	restore := map[string]movedEntry{}
	var order []string
	for _, b := range backups {
		f, err := readHostFile(h, b.path)
		if err != nil {
			return nil, nil, fmt.Errorf("backup %s: %w", b.path, err)
		}
		move, _, err := plan(h, f.servers)
		if err != nil {
			return nil, nil, fmt.Errorf("backup %s: %w", b.path, err)
		}
		for _, s := range move {
			if _, ok := restore[s.HostName]; !ok {
				order = append(order, s.HostName)
			}
			restore[s.HostName] = movedEntry{raw: s.raw, before: f.servers.keys[:f.servers.index(s.HostName)], node: f.member(s.HostName)}
		}
	}
	return restore, order, nil
}

// projectServers counts Claude Code's project-scoped servers.
func projectServers(h Host, root *object) int {
	if h.ID != ClaudeCode {
		return 0
	}
	raw, ok := root.get("projects")
	if !ok {
		return 0
	}
	var projects map[string]struct {
		MCPServers map[string]json.RawMessage `json:"mcpServers"`
	}
	if json.Unmarshal(raw, &projects) != nil {
		return 0
	}
	n := 0
	for _, p := range projects {
		n += len(p.MCPServers)
	}
	return n
}

// jsonEqual compares two JSON texts as values: key order and spacing aside.
func jsonEqual(a, b []byte) bool {
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}
