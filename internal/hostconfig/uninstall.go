package hostconfig

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/tailscale/hujson"
)

// Uninstall removes the airlock entry and puts back the servers install
// moved since the last uninstall, as they were in the host config: from
// install's backups, or, for a server no backup holds any more (the
// person deleted a backup because it kept their tokens), rebuilt from its
// airlock.json entry, which records the host config it came from. Servers
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
	p, err := planRestore(o.Home, o.Host, f.path)
	if err != nil {
		return nil, err
	}
	r.Notes = p.notes
	f.spare = map[string]hujson.ObjectMember{}
	for name, m := range p.entries {
		if !m.rebuilt {
			f.spare[name] = m.node
		}
	}
	// Rebuilt entries (no backup says where they were) go where the
	// airlock entry was, in airlock.json's order.
	at := f.servers.index(EntryName)
	f.servers.remove(EntryName)
	for _, name := range p.order {
		m := p.entries[name]
		if _, ok := f.servers.get(name); ok {
			r.Kept = append(r.Kept, Kept{name, "the host config has a server of this name again; kept that one"})
			continue
		}
		pos := 0
		if m.rebuilt {
			pos = min(at, len(f.servers.keys))
			at = pos + 1
			r.Rebuilt = append(r.Rebuilt, name)
			r.Placeholders = append(r.Placeholders, placeholders(name, m.raw)...)
		} else {
			// Back in its old place: after the nearest entry that preceded it.
			for i := len(m.before) - 1; i >= 0; i-- {
				if j := f.servers.index(m.before[i]); j >= 0 {
					pos = j + 1
					break
				}
			}
		}
		f.servers.insertAt(pos, name, m.raw)
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
	if p.recorded {
		// The servers are back in the host: a later uninstall (after
		// another install) must not put them back again. The host config
		// is done by now, so a failure here is said, not returned.
		if err := forgetOrigins(o.Home, o.Host, f.path); err != nil {
			r.Notes = append(r.Notes, fmt.Sprintf("airlock.json still records these servers as moved from this file (%v); harmless until the next uninstall without backups", err))
		}
	}
	return r, nil
}

// movedEntry is a server install moved, as written, with the names of the
// entries that preceded it in the host config; or, rebuilt, as its
// airlock.json entry has it.
type movedEntry struct {
	raw     json.RawMessage
	before  []string
	node    hujson.ObjectMember // as written, with the comments before it
	rebuilt bool
}

// restorePlan is what uninstall puts back.
type restorePlan struct {
	entries map[string]movedEntry
	order   []string
	// recorded: airlock.json records servers as moved from this file.
	recorded bool
	notes    []string
}

// planRestore finds the servers moved from the host config at path since
// the last uninstall: those install's backups hold (a later backup's entry
// winning over an earlier one), in their first order, then those only
// airlock.json still records. Without either, it refuses: it cannot tell
// which servers to put back.
func planRestore(home string, h Host, path string) (*restorePlan, error) {
	all, err := listBackups(path)
	if err != nil {
		return nil, err
	}
	backups := sinceLastUninstall(all)
	p := &restorePlan{entries: map[string]movedEntry{}}
	var unreadable []string
	read := 0
	for _, b := range backups {
		f, err := readHostFile(h, b.path)
		var move []*Server
		if err == nil {
			move, _, err = plan(h, f.servers)
		}
		if err != nil {
			unreadable = append(unreadable, fmt.Sprintf("backup %s: %v", b.path, err))
			continue
		}
		read++
		for _, s := range move {
			if _, ok := p.entries[s.HostName]; !ok {
				p.order = append(p.order, s.HostName)
			}
			p.entries[s.HostName] = movedEntry{raw: s.raw, before: f.servers.keys[:f.servers.index(s.HostName)], node: f.member(s.HostName)}
		}
	}

	recorded, order, anyRecord, aerr := fromAirlockConfig(home, h, path)
	p.recorded = len(recorded) > 0
	if aerr == nil && p.recorded {
		for _, name := range order {
			if _, ok := p.entries[name]; ok {
				continue
			}
			p.entries[name] = movedEntry{raw: recorded[name].raw, rebuilt: true}
			p.order = append(p.order, name)
		}
		for _, u := range unreadable {
			p.notes = append(p.notes, "skipped the unreadable "+u+"; its servers came back from airlock.json")
		}
		return p, nil
	}
	if len(unreadable) == 0 && read > 0 {
		if aerr != nil {
			p.notes = append(p.notes, fmt.Sprintf("could not read airlock.json (%v): restored from the install backups only", aerr))
		}
		return p, nil // the backups say it all, as before airlock.json kept a record
	}

	// Nothing to go by: say why, and what the person can do, writing nothing.
	var why string
	switch {
	case len(unreadable) > 0:
		why = unreadable[0]
	default:
		why = fmt.Sprintf("no install backup beside %s (%s.airlock-install-*)", path, filepath.Base(path))
	}
	var record string
	switch {
	case aerr != nil:
		record = fmt.Sprintf("airlock.json cannot tell which servers came from it either: %v", aerr)
	case !anyRecord:
		record = "and airlock.json does not record which servers came from it (it was written by an Airlock from before that record)"
	default:
		record = "and airlock.json records no server moved from it"
	}
	return nil, fmt.Errorf("%s, %s: cannot tell which servers to put back; nothing changed. "+
		"Copy the servers back from airlock.json by hand (or from a copy of the backup you kept), then remove the %q entry; "+
		"if the host had no local servers, removing that entry is all there is to do", why, record, EntryName)
}
