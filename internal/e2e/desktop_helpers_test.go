package e2e

// Helpers for the whole-product test: the real desktop build of airlock, a
// private X server (Xvfb), the window found and driven with xdotool, and
// screenshots taken with ImageMagick's import and kept as test artifacts.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// desktopTools are the programs the whole-product test drives the window
// with; make deps installs them (apt xvfb xdotool imagemagick).
var desktopTools = []string{"Xvfb", "xdotool", "import"}

// requireDesktopTools fails, never skips, when a tool is missing: CI must
// run this test.
func requireDesktopTools(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range desktopTools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("the desktop test needs %s on PATH: run make deps (apt xvfb xauth xdotool imagemagick)",
			strings.Join(missing, ", "))
	}
}

// buildDesktop builds the window-enabled binary the way wails build does,
// after making sure the embedded frontend is built and not older than its
// sources. The flags and cgo environment match wails build's (v2.15.0,
// pkg/commands/build/base.go), so after make build the Go build cache has
// every package and only the link runs.
func buildDesktop(t *testing.T) string {
	t.Helper()
	root := moduleRoot(t)
	ensureFrontendDist(t, filepath.Join(root, "frontend"))
	bin := filepath.Join(t.TempDir(), "airlock")
	cmd := exec.Command("go", "build", "-buildvcs=false", "-tags", "desktop,webkit2_41,production",
		"-ldflags", "-w -s", "-o", bin, ".")
	cmd.Dir = root
	cxx := strings.TrimSpace(os.Getenv("CGO_CXXFLAGS") + " -I" + filepath.Join(root, "build"))
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "CGO_CXXFLAGS="+cxx)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build the desktop app: %v\n%s", err, out)
	}
	return bin
}

// ensureFrontendDist runs npm run build when frontend/dist has no page or
// a source file is newer than it. CI has just run make build, so there it
// only checks.
func ensureFrontendDist(t testing.TB, dir string) {
	t.Helper()
	built, err := os.Stat(filepath.Join(dir, "dist", "index.html"))
	if err == nil && !newerThan(t, dir, built.ModTime()) {
		return
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err != nil {
		t.Fatalf("frontend/dist needs building but frontend/node_modules is missing: run make deps")
	}
	t.Log("building the frontend (npm run build): dist is missing or older than its sources")
	cmd := exec.Command("npm", "run", "build")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm run build in frontend: %v\n%s", err, out)
	}
}

// newerThan reports whether a frontend source changed after the build.
func newerThan(t testing.TB, dir string, built time.Time) bool {
	t.Helper()
	sources := []string{"src", "public", "wailsjs", "index.html", "package.json", "package-lock.json", "vite.config.ts", "tsconfig.json"}
	newer := false
	for _, s := range sources {
		err := filepath.WalkDir(filepath.Join(dir, s), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			if info.ModTime().After(built) {
				newer = true
				return fs.SkipAll
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("look at frontend sources: %v", err)
		}
	}
	return newer
}

// startXvfb starts a private X server on a free display number (Xvfb picks
// it and reports it through -displayfd) and returns DISPLAY.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stderr = stderrLog(t, "Xvfb")
	startBackground(t, cmd)
	w.Close()

	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb exited without reporting a display number")
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not report a display within 20 s")
		return ""
	}
}

// desktopEnv is what the window process gets: the host-like environment,
// the display, and XDG folders inside the test so WebKit's caches stay out
// of the user's home. No D-Bus session: Wails' single-instance lock and
// notifications then stand aside, and the window still opens.
func desktopEnv(t *testing.T, home, display string) []string {
	t.Helper()
	xdg := t.TempDir()
	env := append(childEnv(home), "DISPLAY="+display)
	for _, k := range []string{"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"} {
		env = append(env, k+"="+filepath.Join(xdg, strings.ToLower(strings.TrimPrefix(k, "XDG_"))))
	}
	return env
}

// x runs an X client (xdotool, import) on display.
func x(display string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// waitWindow polls until a visible window titled exactly title exists and
// returns its id.
func waitWindow(t *testing.T, display, title string, limit time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		out, err := x(display, "xdotool", "search", "--onlyvisible", "--name", "^"+title+"$")
		if ids := strings.Fields(out); err == nil && len(ids) > 0 {
			return ids[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no visible %q window on %s after %s (last xdotool: %v)", title, display, limit, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// screenshot captures window win as a PNG file and decodes it.
func screenshot(t *testing.T, display, win, file string) image.Image {
	t.Helper()
	if _, err := x(display, "import", "-window", win, "png:"+file); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode screenshot %s: %v", file, err)
	}
	return img
}

// rgb is an exact 8-bit colour, as the stylesheet names it.
type rgb struct{ r, g, b uint8 }

// countColour counts the pixels of img that are exactly c.
func countColour(img image.Image, c rgb) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c.r && uint8(g>>8) == c.g && uint8(bl>>8) == c.b {
				n++
			}
		}
	}
	return n
}

// artifactDir is where screenshots are kept after the test: the folder in
// AIRLOCK_TEST_ARTIFACTS, or build/test-artifacts in the checkout. The
// folder ignores itself in git.
func artifactDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("AIRLOCK_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(moduleRoot(t), "build", "test-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifact folder: %v", err)
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Stat(ignore); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(ignore, []byte("# test artifacts, written by go test\n*\n"), 0o644); err != nil {
			t.Fatalf("artifact folder: %v", err)
		}
	}
	return dir
}

// desktopCLI runs `bin args...` against home and returns stdout.
func desktopCLI(t *testing.T, bin, home string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv(home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("airlock %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out)
}

// jsonLines decodes one JSON object per non-empty line into T values.
func jsonLines[T any](t *testing.T, out string) []T {
	t.Helper()
	var rows []T
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatalf("json line %q: %v", line, err)
		}
		rows = append(rows, v)
	}
	return rows
}
