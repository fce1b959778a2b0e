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
	// Rebuilt are the Restored that no install backup held (the person
	// deleted it): made again from their airlock.json entries.
	Rebuilt []string
	// Placeholders are ${keyring:NAME} env values and args of Rebuilt entries: the
	// host passes them on as text, so their values must be put back.
	Placeholders []Placeholder
	// Notes are other things the person should know.
	Notes []string
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
	from := origin{Host: o.Host.ID, Config: f.path}
	shared, err := checkAirlockConfig(o.Home, move, from)
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
		r.Shared, err = mergeServers(fields, move, from)
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
func checkAirlockConfig(home string, move []*Server, from origin) ([]string, error) {
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
	return mergeServers(fields, move, from)
}

// mergeServers adds the moved servers to airlock.json's fields. A server of
// the same name with the same definition is shared (a second host had it
// too, or an earlier install moved it); with another definition it is an
// error, never an overwrite. Each one's entry records that it came from
// the host config named by from (see provenance.go).
func mergeServers(fields config.Fields, move []*Server, from origin) (shared []string, err error) {
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
		from.Name = s.HostName
		if have, ok := servers[s.Name]; ok {
			if !jsonEqual(withoutOrigins(have), entry) {
				return nil, fmt.Errorf("airlock.json already has a server %q with a different definition; "+
					"rename or remove one of them (in airlock.json or the host config), then run install again", s.Name)
			}
			shared = append(shared, s.Name)
			entry = have
		}
		if servers[s.Name], err = withOrigin(entry, from); err != nil {
			return nil, fmt.Errorf("server %q: %w", s.HostName, err)
		}
	}
	if err := fields.Set("mcpServers", servers); err != nil {
		return nil, err
	}
	return shared, nil
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
