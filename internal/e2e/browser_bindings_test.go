package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/app"
	"github.com/airlock-dev/airlock/internal/uiharness"
)

// The browser tests stand on the harness binding what the window binds,
// under the names the generated frontend calls: every function in
// frontend/wailsjs/go/app/<Service>.js must be a method the harness serves
// for app.Backend.Bind(), and every bound method must have its generated
// function (else the committed bindings are stale: run wails generate module).
func TestHarnessBindsWhatTheFrontendCalls(t *testing.T) {
	dir := filepath.Join(moduleRoot(t), "frontend", "wailsjs", "go", "app")
	files, err := filepath.Glob(filepath.Join(dir, "*.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated bindings in %s (%v)", dir, err)
	}
	fn := regexp.MustCompile(`(?m)^export function (\w+)\(`)
	var generated []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		service := strings.TrimSuffix(filepath.Base(f), ".js")
		for _, m := range fn.FindAllStringSubmatch(string(src), -1) {
			generated = append(generated, "app."+service+"."+m[1])
		}
	}
	slices.Sort(generated)

	page := t.TempDir() // the harness needs a page; this test only asks it for its methods
	if err := os.WriteFile(filepath.Join(page, "index.html"), []byte("<html><head></head></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := uiharness.New(os.DirFS(page), app.NewBackend(newHome(t)).Bind()...)
	if err != nil {
		t.Fatal(err)
	}
	bound := h.Methods()
	for _, g := range generated {
		if !slices.Contains(bound, g) {
			t.Errorf("the frontend calls %s, which the harness (app.Backend.Bind) does not serve", g)
		}
	}
	for _, b := range bound {
		if !slices.Contains(generated, b) {
			t.Errorf("%s is bound but has no generated binding in frontend/wailsjs (run wails generate module)", b)
		}
	}
}
