package hostconfig

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
)

// State is whether a host is hooked up to Airlock.
type State struct {
	Host Host
	Path string
	// Found is false when the config file does not exist.
	Found bool
	// Err says why an existing config cannot be read; HookedUp is then false.
	Err error
	// HookedUp: the config has the airlock entry.
	HookedUp bool
	// Command is the airlock entry's command ("" when not hooked up).
	Command string
	// Local counts the stdio servers still in the host config that install
	// would move; Kept the entries it would leave.
	Local int
	Kept  int
}

// Status reads h's config at path and says whether it is hooked up.
func Status(h Host, path string) State {
	st := State{Host: h, Path: path}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return st
	}
	st.Found = true
	f, err := readHostFile(h, path)
	if err != nil {
		st.Err = err
		return st
	}
	move, kept, err := plan(h, f.servers)
	if err != nil {
		st.Err = err
		return st
	}
	st.Local, st.Kept = len(move), len(kept)
	if f.servers != nil {
		if raw, ok := f.servers.get(EntryName); ok {
			var entry map[string]any
			if json.Unmarshal(raw, &entry) == nil && isProxyEntry(EntryName, entry) {
				st.HookedUp = true
				st.Command, _ = entry["command"].(string)
			}
		}
	}
	return st
}
