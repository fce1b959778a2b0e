package hostconfig

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
)

// locked runs an install or uninstall that may write while holding the
// host config's edit lock, so two Airlock processes (the window's Connect
// and a CLI run, say) never both read the file, each change it and the
// later write drop the earlier one's edit, nor read the host config and
// its backups half-written by the other. A dry run writes nothing and
// takes no lock. A host config that does not read (missing, broken) is
// refused before the lock, so the refusal leaves nothing behind, not even
// Airlock's home: the file alone is always whole (it is replaced by a
// rename), and no Airlock run ever turns a broken file into a good one.
func locked(o Options, run func(Options) (*Report, error)) (*Report, error) {
	if o.DryRun {
		return run(o)
	}
	if _, err := readHostFile(o.Host, o.Path); err != nil {
		return nil, err
	}
	unlock, err := lockHost(o.Home, o.Path, o.LockWait)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return run(o)
}

// testHookLockWait runs just before waiting for a host config's lock.
var testHookLockWait func()

// lockHost takes the edit lock of the host config at path. The lock file
// is in Airlock's home, not beside the host's config (where it would be a
// file the person did not make and the host does not know), named by a
// hash of the config's real path, so every link to one file shares a lock.
func lockHost(home, path string, wait time.Duration) (func(), error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" { // names ignore case there
		path = strings.ToLower(path)
	}
	dir := filepath.Join(home, "locks")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lock host config %s: %w", path, err)
	}
	sum := sha256.Sum256([]byte(path))
	if testHookLockWait != nil {
		testHookLockWait()
	}
	file := filepath.Join(dir, "host-"+hex.EncodeToString(sum[:8])+".lock")
	if wait > 0 {
		unlock, err := config.LockFileWithin(file, wait)
		if errors.Is(err, config.ErrLockBusy) {
			return nil, fmt.Errorf("%s is being changed by another Airlock run (an `airlock install` waiting for an answer in a terminal?); try again when it is done", path)
		}
		return unlock, err
	}
	return config.LockFile(file)
}
