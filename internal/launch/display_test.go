//go:build unix

package launch

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

// foreignFile returns a file that exists but belongs to another user.
func foreignFile(t *testing.T) string {
	t.Helper()
	if os.Getuid() != 0 {
		return "/etc/passwd" // root's
	}
	p := filepath.Join(t.TempDir(), "theirs")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	return p
}

// foreignRuntime returns a folder of another user holding a wayland-1
// socket stand-in.
func foreignRuntime(t *testing.T) string {
	t.Helper()
	if os.Getuid() != 0 {
		return "/etc" // root's; no wayland-1 needed, the folder fails first
	}
	dir := filepath.Join(t.TempDir(), "theirs")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "wayland-1"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestUsableDisplay(t *testing.T) {
	runtime := t.TempDir()
	xauth := filepath.Join(runtime, "xauth")
	wayland := filepath.Join(runtime, "wayland-1")
	for _, f := range []string{xauth, wayland} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(runtime, "link")
	if err := os.Symlink(xauth, link); err != nil {
		t.Fatal(err)
	}
	theirs := foreignFile(t)
	bus := "unix:path=/run/user/1000/bus,guid=0123abcd"

	tests := []struct {
		name     string
		recorded map[string]string
		want     map[string]string
	}{
		{"nothing recorded", nil, nil},
		{"X11 with its authority and bus", map[string]string{"DISPLAY": ":0", "XAUTHORITY": xauth, "DBUS_SESSION_BUS_ADDRESS": bus},
			map[string]string{"DISPLAY": ":0", "XAUTHORITY": xauth, "DBUS_SESSION_BUS_ADDRESS": bus}},
		{"screen and host", map[string]string{"DISPLAY": "localhost:10.0"}, map[string]string{"DISPLAY": "localhost:10.0"}},
		{"Wayland socket in the runtime folder", map[string]string{"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": runtime},
			map[string]string{"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": runtime}},
		{"Wayland socket that is not there", map[string]string{"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": runtime}, nil},
		{"Wayland name escaping the folder", map[string]string{"WAYLAND_DISPLAY": "../wayland-1", "XDG_RUNTIME_DIR": runtime}, nil},
		{"Wayland without a runtime folder", map[string]string{"WAYLAND_DISPLAY": "wayland-1"}, nil},
		{"authority file of another user is dropped", map[string]string{"DISPLAY": ":0", "XAUTHORITY": theirs},
			map[string]string{"DISPLAY": ":0"}},
		{"missing authority file is dropped", map[string]string{"DISPLAY": ":0", "XAUTHORITY": filepath.Join(runtime, "gone")},
			map[string]string{"DISPLAY": ":0"}},
		{"authority through a symlink is dropped", map[string]string{"DISPLAY": ":0", "XAUTHORITY": link},
			map[string]string{"DISPLAY": ":0"}},
		{"relative authority path is dropped", map[string]string{"DISPLAY": ":0", "XAUTHORITY": "xauth"},
			map[string]string{"DISPLAY": ":0"}},
		{"runtime folder of another user", map[string]string{"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": foreignRuntime(t)}, nil},
		{"runtime folder not clean", map[string]string{"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": runtime + "/../" + filepath.Base(runtime)}, nil},
		{"malformed display", map[string]string{"DISPLAY": ":0; rm -rf ~"}, nil},
		{"display with a newline", map[string]string{"DISPLAY": ":0\nX=1"}, nil},
		{"bus address with a space is dropped", map[string]string{"DISPLAY": ":0", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x bad"},
			map[string]string{"DISPLAY": ":0"}},
		{"only an authority file", map[string]string{"XAUTHORITY": xauth}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := usableDisplay(tt.recorded, ownedByUser); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("usableDisplay(%v) = %v, want %v", tt.recorded, got, tt.want)
			}
		})
	}
}

// A proxy whose host gave it no display starts the window on the display
// the app last recorded, with the app's X authority file.
func TestEnsureUsesTheRecordedDisplay(t *testing.T) {
	e := newEnv(t)
	xauth := filepath.Join(t.TempDir(), "Xauthority")
	if err := os.WriteFile(xauth, []byte("cookie"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := e.st.RecordDisplay(ctx, map[string]string{"DISPLAY": ":7", "XAUTHORITY": xauth}); err != nil {
		t.Fatal(err)
	}
	if !e.launcher(t, e.st, "linux", nil).Ensure(ctx) {
		t.Fatal("no app started with a recorded display")
	}
	got := e.reports(t, 1)[0].Display
	if got["DISPLAY"] != ":7" || got["XAUTHORITY"] != xauth {
		t.Errorf("app display = %v, want DISPLAY :7 and XAUTHORITY %s", got, xauth)
	}
}

func TestEnsureRefusesABadRecordedDisplay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.st.RecordDisplay(ctx, map[string]string{"DISPLAY": "$(touch pwned):0", "XAUTHORITY": foreignFile(t)}); err != nil {
		t.Fatal(err)
	}
	if e.launcher(t, e.st, "linux", nil).Ensure(ctx) {
		t.Fatal("started the app on a malformed recorded display")
	}
	if files, _ := filepath.Glob(filepath.Join(e.children, "*")); len(files) != 0 {
		t.Fatalf("an app was started: %v", files)
	}
}

func TestBeatRecordsTheDisplay(t *testing.T) {
	e := newEnv(t)
	for _, k := range displayVars {
		t.Setenv(k, "")
	}
	t.Setenv("DISPLAY", ":42")
	t.Setenv("XAUTHORITY", "/run/user/1000/xauth")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Beat(ctx, func() (*store.Store, error) { return e.st, nil }, 10*time.Millisecond)
	}()
	want := map[string]string{"DISPLAY": ":42", "XAUTHORITY": "/run/user/1000/xauth"}
	for deadline := time.Now().Add(20 * time.Second); ; {
		got, err := e.st.LastDisplay(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if reflect.DeepEqual(got, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("recorded display = %v, want %v", got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	// It outlives the app, for the next launch.
	if got, _ := e.st.LastDisplay(context.Background()); !reflect.DeepEqual(got, want) {
		t.Errorf("after the app stopped: %v, want %v", got, want)
	}
}
