package hostconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
)

// An uninstall (the window's Disconnect, say) that starts while an install
// (a CLI run) has read the host config and not yet written it waits for
// the install. Without the lock the install's write would drop the servers
// the uninstall put back, and a later uninstall could not restore them.
func TestUninstallWaitsForARunningInstall(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	if _, err := Install(o); err != nil { // moves git and time
		t.Fatal(err)
	}
	// A server added to the hooked-up config: the next install moves it.
	var doc map[string]map[string]json.RawMessage
	json.Unmarshal(readFile(t, o.Path), &doc)
	doc["mcpServers"]["sentry"] = json.RawMessage(`{"command":"npx","args":["@sentry/mcp-server"]}`)
	b, _ := json.Marshal(doc)
	os.WriteFile(o.Path, b, 0o600)

	waiting := make(chan struct{}, 1)
	t.Cleanup(func() { testHookLockWait = nil })
	done := make(chan error, 1)
	in := o
	in.Prepare = func([]*Server) error {
		// The install has read the file and not written it yet.
		testHookLockWait = func() { waiting <- struct{}{} }
		go func() {
			_, err := Uninstall(o)
			done <- err
		}()
		// Go on once the uninstall waits for the lock, or, were there
		// none, once it has written.
		select {
		case <-waiting:
		case err := <-done:
			done <- err
		}
		return nil
	}
	if _, err := Install(in); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// The uninstall ran after the install: everything is back, unhooked.
	got := keysAt(t, readFile(t, o.Path), "mcpServers")
	slices.Sort(got)
	if want := []string{"git", "linear", "sentry", "time"}; !slices.Equal(got, want) {
		t.Errorf("servers %v, want %v:\n%s", got, want, readFile(t, o.Path))
	}
	// The lock file is in Airlock's home, not beside the host config.
	if entries, _ := os.ReadDir(filepath.Join(o.Home, "locks")); len(entries) != 1 {
		t.Errorf("locks %v, want one", entries)
	}
	for _, e := range mustReadDir(t, filepath.Dir(o.Path)) {
		if n := e.Name(); n != filepath.Base(o.Path) && !strings.Contains(n, ".airlock-install-") && !strings.Contains(n, ".airlock-uninstall-") {
			t.Errorf("%s beside the host config", n)
		}
	}
}

// Installs and uninstalls from several goroutines, each with its own lock
// handle as separate processes have, leave a config that one last
// uninstall turns back into the original, with every server.
func TestConcurrentInstallsAndUninstalls(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	original := readFile(t, o.Path)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 6 {
		wg.Go(func() {
			for i := range 4 {
				run := Install
				if (g+i)%2 == 1 {
					run = Uninstall
				}
				if _, err := run(o); err != nil {
					errs <- fmt.Errorf("goroutine %d run %d: %w", g, i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, err := Uninstall(o); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, o.Path); !jsonEqual(got, original) {
		t.Errorf("after the last uninstall\n%s\nwant\n%s", got, original)
	}
}

func mustReadDir(t *testing.T, dir string) []os.DirEntry {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// A run with a bounded LockWait (the window's Connect) that meets another
// run holding the host config (a terminal install waiting for its user)
// gives up with a clear error after the wait and writes nothing.
func TestBoundedLockWaitGivesUp(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	before := readFile(t, o.Path)
	release := make(chan struct{})
	refused := make(chan error, 1)
	in := o
	in.Prepare = func([]*Server) error {
		w := o
		w.LockWait = 200 * time.Millisecond
		_, err := Install(w)
		refused <- err
		<-release
		return errors.New("the person stopped the terminal install")
	}
	go func() { close(release) }()
	if _, err := Install(in); err == nil || !strings.Contains(err.Error(), "person stopped") {
		t.Fatalf("holding install: %v", err)
	}
	err := <-refused
	if err == nil || !strings.Contains(err.Error(), "another Airlock run") || !strings.Contains(err.Error(), o.Path) {
		t.Fatalf("bounded install while the file is held: %v, want a busy error naming the file", err)
	}
	if got := readFile(t, o.Path); string(got) != string(before) {
		t.Errorf("host config changed:\n%s", got)
	}
	// Once free, the same bounded run goes through.
	w := o
	w.LockWait = 200 * time.Millisecond
	if r, err := Install(w); err != nil || !r.Changed {
		t.Fatalf("bounded install on a free file: %+v, %v", r, err)
	}
}

// The host itself (or a person in an editor) may write its config while an
// install is deciding, which can take minutes when a terminal asks about
// each token: the install then stops without writing, rather than replace
// the file with one made from what it read and drop the host's edit.
func TestInstallStopsWhenTheHostConfigChangedMeanwhile(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	in := o
	var edited []byte
	in.Prepare = func([]*Server) error {
		var doc map[string]map[string]json.RawMessage
		json.Unmarshal(readFile(t, o.Path), &doc)
		doc["mcpServers"]["added-meanwhile"] = json.RawMessage(`{"url":"https://example.com/mcp"}`)
		edited, _ = json.Marshal(doc)
		return os.WriteFile(o.Path, edited, 0o600)
	}
	_, err := Install(in)
	if err == nil || !strings.Contains(err.Error(), "changed") || !strings.Contains(err.Error(), o.Path) {
		t.Fatalf("install over a config edited meanwhile: %v, want an error naming the file", err)
	}
	if got := readFile(t, o.Path); string(got) != string(edited) {
		t.Fatalf("the host's edit was lost; the config is now:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(o.Home, config.FileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("airlock.json was written (%v)", err)
	}
	// Run again, it installs what the file now says.
	r, err := Install(o)
	if err != nil || !r.Changed {
		t.Fatalf("second install: %+v, %v", r, err)
	}
	if got := keysAt(t, readFile(t, o.Path), "mcpServers"); !slices.Contains(got, "added-meanwhile") {
		t.Errorf("the remote server added meanwhile is gone: %v", got)
	}
}
