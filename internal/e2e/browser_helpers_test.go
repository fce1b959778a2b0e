package e2e

// Helpers for the browser tests: the window's real Go backend (app.Backend,
// whatever services it binds) served with the built frontend by uiharness,
// and the system Chromium driven through playwright-core by
// testdata/node/browser.mjs, one browser for the whole test process.
//
// Why a harness and not `wails dev`: wails dev takes a minute or two to
// start, rebuilds into the source tree, and needs a display; the harness
// serves the same dist files and the same bound services in-process in
// milliseconds. What it does not cover (the webview, window raising, OS
// notifications) is the whole-product test's job (desktop_test.go).

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/app"
	"github.com/airlock-dev/airlock/internal/store"
	"github.com/airlock-dev/airlock/internal/uiharness"
)

// startHome is HOME as the test process started; tests may replace it
// (t.Setenv), the browser keeps this one.
var startHome = os.Getenv("HOME")

// chromiumPaths are where Debian's chromium package puts the browser
// (make deps installs it: APT_PACKAGES).
var chromiumPaths = []string{"/usr/lib/chromium/chromium", "/usr/bin/chromium"}

// harnessUI is the page side of app.UI: events go to every open page over
// the harness's event stream; arrivals (which raise the real window) are
// counted for the tests.
type harnessUI struct {
	h        *uiharness.Server
	arrivals atomic.Int64
}

func (u *harnessUI) Emit(event string)             { u.h.Emit(event) }
func (u *harnessUI) Arrived(fresh []store.Request) { u.arrivals.Add(int64(len(fresh))) }

// startUI serves the built frontend with the real backend over home's
// database and returns the page's URL and the UI the backend reports to.
func startUI(t testing.TB, home string) (string, *harnessUI) {
	t.Helper()
	return startUIWith(t, home, nil)
}

// startUIWith is startUI also serving extra's patterns ("POST /path")
// beside the harness: a page reports to a benchmark through them.
func startUIWith(t testing.TB, home string, extra map[string]http.HandlerFunc) (string, *harnessUI) {
	t.Helper()
	frontend := filepath.Join(moduleRoot(t), "frontend")
	ensureFrontendDist(t, frontend)

	// The backend runs in this process: Settings > Hosts reads the host
	// configs below this process's HOME. A test that clicks Connect or
	// Disconnect sets its own HOME first (browser_hosts_test.go); the
	// others only read. (A HOME changed for every test would also move the
	// Go build cache of the airlock builds the tests start.)

	backend := app.NewBackend(home)
	h, err := uiharness.New(os.DirFS(filepath.Join(frontend, "dist")), backend.Bind()...)
	if err != nil {
		t.Fatal(err)
	}
	ui := &harnessUI{h: h}
	ctx := testCtx(t, 10*time.Minute)
	backend.Start(ctx, ui)
	var handler http.Handler = h
	if len(extra) > 0 {
		mux := http.NewServeMux()
		mux.Handle("/", h)
		for pattern, f := range extra {
			mux.HandleFunc(pattern, f)
		}
		handler = mux
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(func() {
		h.Close() // ends the event streams, which srv.Close waits for
		srv.Close()
		backend.Shutdown()
	})
	return srv.URL + "/", ui
}

// memScene is the common start of a browser test: a home whose only server
// is server-memory ("mem"), with no rule, so writes wait for a person; the
// window's page open on it; a host connected through airlock proxy.
type memScene struct {
	home string
	ui   *harnessUI
	p    *page
	ctx  context.Context
	cs   *mcp.ClientSession
}

func newMemScene(t *testing.T, name string) memScene {
	t.Helper()
	memory := filepath.Join(t.TempDir(), "memory.jsonl")
	home := cpHome(t, map[string]any{"mem": memoryServer(t, memory)}, map[string]any{"approvalWait": "30s"})
	url, ui := startUI(t, home)
	p := openPage(t, url, name)
	ctx := testCtx(t, 2*time.Minute)
	return memScene{home: home, ui: ui, p: p, ctx: ctx, cs: startProxy(t, ctx, home, nil)}
}

// driver is browser.mjs running one Chromium; commands are serialised.
type driver struct {
	mu     sync.Mutex
	stdin  io.Writer
	out    *bufio.Scanner
	stderr *lockedBuffer
	next   int
	dead   error
}

var (
	driverOnce sync.Once
	theDriver  *driver
	driverErr  error
)

// browserDriver starts browser.mjs once per test process. It lives until
// the process ends: its stdin then closes and it closes Chromium.
func browserDriver(t testing.TB) *driver {
	t.Helper()
	chromium := ""
	for _, p := range chromiumPaths {
		if _, err := os.Stat(p); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		t.Fatalf("Chromium not found at %s: run make deps (apt chromium)", strings.Join(chromiumPaths, " or "))
	}
	if _, err := os.Stat(filepath.Join(nodeModules(t), "playwright-core", "package.json")); err != nil {
		t.Fatal("playwright-core missing in testdata/node: run make deps")
	}
	driverOnce.Do(func() {
		cmd := exec.Command(nodeBin(t), filepath.Join(nodeDir(t), "browser.mjs"))
		cmd.Dir = nodeDir(t)
		// Started by whichever test comes first, it outlives that test's
		// HOME: give it the process's own.
		cmd.Env = append(os.Environ(), "HOME="+startHome, "AIRLOCK_CHROMIUM="+chromium)
		d := &driver{stderr: &lockedBuffer{}}
		cmd.Stderr = d.stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			driverErr = err
			return
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			driverErr = err
			return
		}
		if err := cmd.Start(); err != nil {
			driverErr = fmt.Errorf("start browser.mjs: %w", err)
			return
		}
		d.stdin = stdin
		d.out = bufio.NewScanner(stdout)
		d.out.Buffer(make([]byte, 1<<20), 64<<20)
		theDriver = d
	})
	if driverErr != nil {
		t.Fatal(driverErr)
	}
	t.Cleanup(func() {
		if t.Failed() {
			s := theDriver.stderr.String()
			if len(s) > 8000 {
				s = "..." + s[len(s)-8000:]
			}
			t.Logf("stderr of browser.mjs so far:\n%s", s)
		}
	})
	return theDriver
}

// do sends one command and returns its result.
func (d *driver) do(cmd map[string]any) (json.RawMessage, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dead != nil {
		return nil, d.dead
	}
	d.next++
	cmd["id"] = d.next
	line, err := json.Marshal(cmd)
	if err != nil {
		return nil, err
	}
	if _, err := d.stdin.Write(append(line, '\n')); err != nil {
		d.dead = fmt.Errorf("browser.mjs is gone: %w", err)
		return nil, d.dead
	}
	if !d.out.Scan() {
		d.dead = fmt.Errorf("browser.mjs ended without answering (%v)", d.out.Err())
		return nil, d.dead
	}
	var reply struct {
		ID     int             `json:"id"`
		OK     bool            `json:"ok"`
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
	}
	if err := json.Unmarshal(d.out.Bytes(), &reply); err != nil {
		d.dead = fmt.Errorf("browser.mjs answered %q: %w", d.out.Text(), err)
		return nil, d.dead
	}
	if reply.ID != d.next {
		d.dead = fmt.Errorf("browser.mjs answered command %d, want %d", reply.ID, d.next)
		return nil, d.dead
	}
	if !reply.OK {
		return reply.Result, fmt.Errorf("%s", reply.Error)
	}
	return reply.Result, nil
}

// page is one browser tab (its own context: no shared storage) on a harness.
type page struct {
	t    testing.TB
	d    *driver
	id   int
	name string // prefix of its screenshots
}

// openPage opens url in a fresh browser context, closed when the test ends.
func openPage(t testing.TB, url, name string) *page {
	t.Helper()
	d := browserDriver(t)
	// Screenshots of an earlier run would pass for this one's.
	old, _ := filepath.Glob(filepath.Join(artifactDir(t), "browser-"+name+"-*.png"))
	for _, f := range old {
		os.Remove(f)
	}
	raw, err := d.do(map[string]any{"op": "open", "url": url})
	if err != nil {
		t.Fatalf("open %s in Chromium: %v", url, err)
	}
	var r struct{ Page int }
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, d: d, id: r.Page, name: name}
	t.Cleanup(func() {
		if t.Failed() {
			p.shot("failed")
		}
		d.do(map[string]any{"op": "close", "page": p.id})
	})
	return p
}

// step runs a browser.mjs step and decodes its result into out (may be nil).
// A failed step keeps a screenshot and fails the test.
func (p *page) step(name string, args map[string]any, out any) {
	p.t.Helper()
	start := time.Now()
	raw, err := p.d.do(map[string]any{"op": "step", "page": p.id, "name": name, "args": args})
	p.t.Logf("step %s: %s", name, time.Since(start).Round(time.Millisecond))
	if err != nil {
		p.t.Fatalf("browser step %s %s: %v (screenshot: %s)", name, jsonOf(p.t, args), err, p.shot("step-"+name+"-failed"))
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			p.t.Fatalf("browser step %s answered %s: %v", name, raw, err)
		}
	}
}

// shot saves a full-page screenshot as a test artifact and returns its path.
func (p *page) shot(what string) string {
	p.t.Helper()
	path := filepath.Join(artifactDir(p.t), "browser-"+p.name+"-"+what+".png")
	if _, err := p.d.do(map[string]any{"op": "shot", "page": p.id, "path": path}); err != nil {
		p.t.Logf("screenshot %s: %v", path, err)
		return "(none)"
	}
	return path
}

// cardView is what browser.mjs reads off a request card.
type cardView struct {
	Summary  string `json:"summary"`
	Tier     string `json:"tier"`
	Kind     string `json:"kind"`
	Where    string `json:"where"`
	Selected bool   `json:"selected"`
	Text     string `json:"text"`
	Answers  []struct {
		Label    string `json:"label"`
		Disabled bool   `json:"disabled"`
	} `json:"answers"`
}

// labels are the card's answer buttons in order.
func (c cardView) labels() []string {
	var out []string
	for _, a := range c.Answers {
		out = append(out, a.Label)
	}
	return out
}

// serverView is a server's card on the Servers & tools tab.
type serverView struct {
	State  string   `json:"state"`
	Paused bool     `json:"paused"`
	Tools  []string `json:"tools"`
	Text   string   `json:"text"`
}

// historyView is one row of the History screen as shown.
type historyView struct {
	ID       int64  `json:"id"`
	Where    string `json:"where"`
	Tier     string `json:"tier"`
	Decision string `json:"decision"`
	Outcome  string `json:"outcome"`
	Summary  string `json:"summary"`
}

// rowID is a history row's numeric id.
func rowID(t *testing.T, r historyRow) int64 {
	t.Helper()
	var id int64
	if err := json.Unmarshal(r.ID, &id); err != nil {
		t.Fatalf("history id %s: %v", r.ID, err)
	}
	return id
}
