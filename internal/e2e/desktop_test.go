package e2e

// The whole product: the real desktop build of airlock opens its window on a
// private X server; a go-sdk client, as the host, makes a write call through
// `airlock proxy`; the window shows the waiting request (a screenshot is kept
// as a test artifact); a person's key press, sent with xdotool, allows it;
// the call completes and the audit log says a person allowed it.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Colours from the stylesheet (frontend/src/style.css, pending.css) that
// only a rendered, selected write card paints in quantity: its 6 px left
// border (--write) and its 2 px selection ring.
var (
	writeBorder   = rgb{0x9a, 0x5b, 0x00}
	selectionRing = rgb{0x24, 0x55, 0xc3}
)

// The card of this call is about 260 px tall and 1150 px wide: its border
// and ring paint far more exact pixels than these, and far more than
// antialiased text in those colours could.
const (
	minBorderPixels = 6 * 100
	minRingPixels   = 2 * 1000
)

func TestDesktopWindowApprovesWithKeyboard(t *testing.T) {
	requireDesktopTools(t)
	bin := buildDesktop(t)
	display := startXvfb(t)
	shots := artifactDir(t)

	memory := filepath.Join(t.TempDir(), "memory.jsonl")
	home := newHome(t)
	writeConfigFile(t, home, map[string]any{
		"mcpServers":   map[string]any{"mem": memoryServer(t, memory)},
		"approvalWait": "30s",
	})

	win := exec.Command(bin)
	win.Env = desktopEnv(t, home, display)
	win.Stderr = stderrLog(t, "airlock (window)")
	startBackground(t, win)

	ctx := testCtx(t, 2*time.Minute)
	proxy := exec.Command(bin, "proxy")
	proxy.Env = childEnv(home)
	proxy.Stderr = stderrLog(t, "airlock proxy")
	cs := connect(t, ctx, proxy, nil)
	ch := callAsync(ctx, cs, "mem__create_entities", entities("Alpha"))

	wid := waitWindow(t, display, "Airlock", 30*time.Second)
	req := waitDesktopRequest(t, bin, home, "create_entities")
	if req.Tier != "write" {
		t.Fatalf("request tier %q, want write: %+v", req.Tier, req)
	}

	// Wait until the page paints the selected write card, then keep that
	// screenshot: it is what a person saw before pressing A.
	shot := filepath.Join(shots, "desktop-pending-write.png")
	deadline := time.Now().Add(20 * time.Second)
	for {
		img := screenshot(t, display, wid, shot)
		border, ring := countColour(img, writeBorder), countColour(img, selectionRing)
		if border >= minBorderPixels && ring >= minRingPixels {
			t.Logf("window %s shows the request (border %d px, ring %d px); screenshot kept at %s", wid, border, ring, shot)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window never showed a selected write card (border %d px, ring %d px); last screenshot: %s", border, ring, shot)
		}
		time.Sleep(150 * time.Millisecond)
	}

	// The keyboard answer: focus the window, press A (allow once). Without a
	// window manager focus is set directly.
	if _, err := x(display, "xdotool", "windowfocus", "--sync", wid); err != nil {
		t.Fatal(err)
	}
	if _, err := x(display, "xdotool", "key", "--clearmodifiers", "a"); err != nil {
		t.Fatal(err)
	}
	var res callResult
	select {
	case res = <-ch:
	case <-time.After(15 * time.Second):
		after := filepath.Join(shots, "desktop-after-key.png")
		screenshot(t, display, wid, after)
		t.Fatalf("pressing A in the window did not answer the request within 15 s; screenshot after the key: %s", after)
	}
	if res.err != nil {
		t.Fatalf("call: %v", res.err)
	}
	wantOK(t, res.res, "Alpha")

	graph, err := os.ReadFile(memory)
	if err != nil || !strings.Contains(string(graph), `"Alpha"`) {
		t.Fatalf("memory graph after the approved write: %q (%v), want entity Alpha", graph, err)
	}
	waitFinished(t, home)
	var row *historyRow
	for _, r := range jsonLines[historyRow](t, desktopCLI(t, bin, home, "history", "--json")) {
		if r.Server == "mem" && r.Tool == "create_entities" {
			row = &r
			break
		}
	}
	if row == nil {
		t.Fatal("airlock history --json has no mem/create_entities call")
	}
	wantDecision(t, *row, "allow", "person", "ok")
	if rest := jsonLines[pendingReq](t, desktopCLI(t, bin, home, "pending", "--json")); len(rest) != 0 {
		t.Fatalf("requests still pending after the answer: %+v", rest)
	}
}

// waitDesktopRequest polls `airlock pending --json` until a request for
// tool waits.
func waitDesktopRequest(t *testing.T, bin, home, tool string) pendingReq {
	t.Helper()
	deadline := time.Now().Add(cpWait)
	for {
		for _, r := range jsonLines[pendingReq](t, desktopCLI(t, bin, home, "pending", "--json")) {
			if r.Tool == tool {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no request for %s pending after %s", tool, cpWait)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
