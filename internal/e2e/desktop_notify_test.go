package e2e

// The desktop notification, end to end: a real notification server (dunst)
// draws on the test's X server and listens on a private D-Bus session bus;
// the real desktop build of airlock opens its window on the same display and
// bus; a write call whose summary holds markup and a bidi override waits
// through `airlock proxy`. dunst's history says what reached the screen:
// the title, and the summary as plain text with the override written out.
// With "notifications": false the window still shows the request, and no
// notification is sent.

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// notifyTools run the notification server and read its history; make deps
// installs them (apt dunst and dbus; busctl, which dunstctl history calls,
// comes with systemd, which dunst's session-bus dependency pulls in).
var notifyTools = []string{"dbus-daemon", "dbus-send", "dunst", "dunstctl", "busctl"}

// hostileName is a memory entity name a model could choose: markup a
// freedesktop server would draw as bold and an image, and a right-to-left
// override that would turn "exe.txt" around on screen.
const hostileName = "Mallory <b>bold</b><img src=x> \u202Etxt.exe"

// shownMarkup is the markup of hostileName as a person must see it: text.
const shownMarkup = "<b>bold</b><img src=x>"

func TestDesktopNotification(t *testing.T) {
	requireDesktopTools(t)
	requireNotifyTools(t)
	bin := buildDesktop(t)

	t.Run("sent", func(t *testing.T) {
		home := newHome(t)
		d := startNotifyDesktop(t, bin, home, true)

		ctx := testCtx(t, 2*time.Minute)
		proxy := exec.Command(bin, "proxy")
		proxy.Env = childEnv(home)
		proxy.Stderr = stderrLog(t, "airlock proxy")
		cs := connect(t, ctx, proxy, nil)
		ch := callAsync(ctx, cs, "mem__create_entities", entities(hostileName))
		req := waitDesktopRequest(t, bin, home, "create_entities")

		n := waitNotification(t, d.bus, 30*time.Second)
		if want := "Airlock: WRITE call waits for you"; n.Summary != want {
			t.Errorf("notification summary %q, want %q", n.Summary, want)
		}
		// What dunst draws is the message (format "%s\n%b" below), read as
		// Pango markup: it must hold no element at all, and its text must
		// show the markup and the written-out override.
		shown := pangoText(t, "message", n.Message)
		for _, want := range []string{shownMarkup, "⟨U+202E⟩txt.exe"} {
			if !strings.Contains(shown, want) {
				t.Errorf("the notification shows %q, want it to contain %q", shown, want)
			}
		}
		if strings.ContainsRune(n.Body, '\u202E') || strings.ContainsRune(n.Message, '\u202E') {
			t.Errorf("the notification carries a raw U+202E: body %q", n.Body)
		}
		// The body is the request's summary as the window shows it. The
		// stored summary already writes hidden characters out; the
		// replacement keeps this check honest if the CLI ever prints them raw.
		visible := strings.ReplaceAll(req.Summary, "\u202E", "⟨U+202E⟩")
		if got := pangoText(t, "body", n.Body); got != visible {
			t.Errorf("notification body reads %q, want the request's summary %q", got, visible)
		}
		t.Logf("dunst shows %q (body as sent: %q)", shown, n.Body)

		desktopCLI(t, bin, home, "approve", strconv.FormatInt(req.ID, 10))
		var res callResult
		select {
		case res = <-ch:
		case <-time.After(15 * time.Second):
			t.Fatal("the call did not complete within 15 s of airlock approve")
		}
		if res.err != nil {
			t.Fatalf("call: %v", res.err)
		}
		wantOK(t, res.res, "Mallory")
	})

	t.Run("off", func(t *testing.T) {
		home := newHome(t)
		d := startNotifyDesktop(t, bin, home, false)
		if !onBus(t, d.bus, d.window.Process.Pid) {
			t.Fatal("the window has no connection on the test's session bus: the check below would prove nothing")
		}

		ctx := testCtx(t, 2*time.Minute)
		proxy := exec.Command(bin, "proxy")
		proxy.Env = childEnv(home)
		proxy.Stderr = stderrLog(t, "airlock proxy")
		cs := connect(t, ctx, proxy, nil)
		ch := callAsync(ctx, cs, "mem__create_entities", entities("Quiet"))
		req := waitDesktopRequest(t, bin, home, "create_entities")

		// The window tells the page and then notifies in one step: once the
		// card is painted, a notification would have been sent. dunst gets
		// a few seconds more to receive it.
		waitWriteCard(t, d.display, d.wid, filepath.Join(artifactDir(t), "desktop-notifications-off.png"))
		deadline := time.Now().Add(3 * time.Second)
		for time.Now().Before(deadline) {
			if notes := dunstNotes(t, d.bus); len(notes) > 0 {
				t.Fatalf("notifications are off, yet dunst received %+v", notes)
			}
			time.Sleep(200 * time.Millisecond)
		}

		desktopCLI(t, bin, home, "approve", strconv.FormatInt(req.ID, 10))
		select {
		case res := <-ch:
			if res.err != nil {
				t.Fatalf("call: %v", res.err)
			}
			wantOK(t, res.res, "Quiet")
		case <-time.After(15 * time.Second):
			t.Fatal("the call did not complete within 15 s of airlock approve")
		}
	})
}

// requireNotifyTools fails, never skips, when a tool is missing.
func requireNotifyTools(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range notifyTools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("the notification test needs %s on PATH: run make deps (apt dunst dbus systemd)",
			strings.Join(missing, ", "))
	}
}

// notifyDesktop is a window with a notification server beside it.
type notifyDesktop struct {
	display, bus, wid string
	window            *exec.Cmd
}

// startNotifyDesktop starts Xvfb, a private session bus, dunst and the
// window, in that order; cleanups stop them in reverse.
func startNotifyDesktop(t *testing.T, bin, home string, notifications bool) notifyDesktop {
	t.Helper()
	writeConfigFile(t, home, map[string]any{
		"mcpServers":    map[string]any{"mem": memoryServer(t, filepath.Join(t.TempDir(), "memory.jsonl"))},
		"approvalWait":  "30s",
		"notifications": notifications,
	})
	display := startXvfb(t)
	bus := startSessionBus(t)
	startDunst(t, display, bus)

	win := exec.Command(bin)
	win.Env = append(desktopEnv(t, home, display), "DBUS_SESSION_BUS_ADDRESS="+bus)
	win.Stderr = stderrLog(t, "airlock (window)")
	startBackground(t, win)
	wid := waitWindow(t, display, "Airlock", 30*time.Second)
	return notifyDesktop{display: display, bus: bus, wid: wid, window: win}
}

// startSessionBus starts a private D-Bus session bus and returns its
// address. The configuration names no service folders: nothing is started
// on demand, so only the test's dunst can answer for notifications, and no
// portal or keyring daemon of this machine joins in.
func startSessionBus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address")
	cmd.Stderr = stderrLog(t, "dbus-daemon")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	startBackground(t, cmd)
	// The address is printed once the bus listens.
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		got <- strings.TrimSpace(line)
		io.Copy(io.Discard, out)
	}()
	select {
	case addr := <-got:
		if addr == "" {
			t.Fatal("dbus-daemon exited without printing its address")
		}
		return addr
	case <-time.After(20 * time.Second):
		t.Fatal("dbus-daemon did not print its address within 20 s")
		return ""
	}
}

// dunstrc keeps dunst's message plain to read: the summary, a newline, the
// body, with the body read as markup as dunst does by default.
const dunstrc = `[global]
    markup = full
    format = "%s\n%b"
    idle_threshold = 0
`

// startDunst starts the notification server and waits until it owns
// org.freedesktop.Notifications on bus.
func startDunst(t *testing.T, display, bus string) {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "dunst", "dunstrc")
	if err := os.MkdirAll(filepath.Dir(conf), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte(dunstrc), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dunst", "-config", conf)
	cmd.Env = append(childEnv(t.TempDir()), "DISPLAY="+display, "DBUS_SESSION_BUS_ADDRESS="+bus,
		"XDG_CONFIG_HOME="+filepath.Dir(filepath.Dir(conf)))
	cmd.Stderr = stderrLog(t, "dunst")
	startBackground(t, cmd)

	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := busCmd(bus, "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
			"/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.Notifications")
		if err == nil && strings.Contains(out, "boolean true") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("dunst did not own org.freedesktop.Notifications within 20 s (last answer %q, %v)", out, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// busCmd runs a D-Bus client against bus and returns its stdout.
func busCmd(bus, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+bus)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		err = fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(exit.Stderr)))
	}
	return string(out), err
}

// dunstNote is one notification in dunst's history: summary and body as
// sent, and message as dunst formats it for drawing.
type dunstNote struct {
	Appname, Summary, Body, Message string
}

// dunstNotes closes whatever dunst shows, which moves it to the history,
// and returns the whole history. Nothing waits for a timeout.
func dunstNotes(t *testing.T, bus string) []dunstNote {
	t.Helper()
	if _, err := busCmd(bus, "dunstctl", "close-all"); err != nil {
		t.Fatal(err)
	}
	out, err := busCmd(bus, "dunstctl", "history")
	if err != nil {
		t.Fatal(err)
	}
	// busctl --json: {"type":"aa{sv}","data":[[{"body":{"type":"s","data":"..."},...}]]}
	var reply struct {
		Data [][]map[string]struct {
			Data json.RawMessage `json:"data"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(out), &reply); err != nil {
		t.Fatalf("dunstctl history: %v: %s", err, out)
	}
	var notes []dunstNote
	for _, list := range reply.Data {
		for _, m := range list {
			str := func(k string) string {
				var s string
				json.Unmarshal(m[k].Data, &s)
				return s
			}
			notes = append(notes, dunstNote{Appname: str("appname"), Summary: str("summary"), Body: str("body"), Message: str("message")})
		}
	}
	return notes
}

// waitNotification polls dunst until a notification from airlock (the
// binary's name is the app name Wails sends) arrives.
func waitNotification(t *testing.T, bus string, limit time.Duration) dunstNote {
	t.Helper()
	deadline := time.Now().Add(limit)
	var notes []dunstNote
	for {
		notes = dunstNotes(t, bus)
		for _, n := range notes {
			if n.Appname == "airlock" {
				return n
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no notification from airlock reached dunst within %s (history: %+v)", limit, notes)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// pangoText reads s as Pango markup, which is XML-like, and returns the
// text it draws. Any element would be formatting: the test fails.
func pangoText(t *testing.T, what, s string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader("<markup>" + s + "</markup>"))
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return text.String()
		}
		if err != nil {
			t.Fatalf("the notification %s %q is not valid markup: %v", what, s, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local != "markup" {
				t.Fatalf("the notification %s %q holds markup <%s>: it would be drawn as formatting", what, s, tok.Name.Local)
			}
		case xml.CharData:
			text.Write(tok)
		}
	}
}

// onBus reports whether process pid has a connection on bus.
func onBus(t *testing.T, bus string, pid int) bool {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := busCmd(bus, "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
			"/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range strings.Fields(out) {
			name := strings.Trim(f, `"`)
			if !strings.HasPrefix(name, ":") {
				continue
			}
			got, err := busCmd(bus, "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
				"/org/freedesktop/DBus", "org.freedesktop.DBus.GetConnectionUnixProcessID", "string:"+name)
			if err == nil && strings.HasSuffix(strings.TrimSpace(got), "uint32 "+strconv.Itoa(pid)) {
				return true
			}
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitWriteCard waits until the window paints a selected write card (see
// TestDesktopWindowApprovesWithKeyboard) and keeps the screenshot.
func waitWriteCard(t *testing.T, display, wid, shot string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		img := screenshot(t, display, wid, shot)
		border, ring := countColour(img, writeBorder), countColour(img, selectionRing)
		if border >= minBorderPixels && ring >= minRingPixels {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window never showed a selected write card (border %d px, ring %d px); last screenshot: %s", border, ring, shot)
		}
		time.Sleep(150 * time.Millisecond)
	}
}
