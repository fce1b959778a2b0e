package e2e

// compare.mjs (testdata/node) connects the TypeScript SDK client to
// server-everything directly and through `airlock proxy` and compares what
// it sees; this test runs it and turns its report into test failures.

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCompareTypeScriptClient(t *testing.T) {
	home := newHome(t)
	const probe = "AIRLOCK_E2E_PROBE"
	srv := everythingServer(t)
	srv["env"] = map[string]string{probe: "through-the-config"}
	writeAllowConfig(t, home, map[string]any{"everything": srv})

	env := map[string]string{"AIRLOCK_HOME": home}
	for _, kv := range childEnv(home) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	cfg := map[string]any{
		"direct":   srv,
		"proxied":  map[string]any{"command": buildAirlock(t), "args": []string{"proxy"}, "env": env},
		"prefix":   "everything__",
		"envProbe": probe,
	}
	ctx := testCtx(t, 2*time.Minute)
	cmd := exec.CommandContext(ctx, nodeBin(t), filepath.Join(nodeDir(t), "compare.mjs"), jsonOf(t, cfg))
	cmd.Dir = nodeDir(t)
	cmd.Stderr = stderrLog(t, "compare.mjs")
	out, err := cmd.Output()
	var report struct {
		OK     bool   `json:"ok"`
		Fatal  string `json:"fatal"`
		Checks []struct {
			Name   string          `json:"name"`
			OK     bool            `json:"ok"`
			Diff   json.RawMessage `json:"diff"`
			Detail json.RawMessage `json:"detail"`
		} `json:"checks"`
		Warnings  []json.RawMessage            `json:"warnings"`
		KnownGaps map[string]string            `json:"knownGaps"`
		Summary   struct{ Checks, Failed int } `json:"summary"`
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil {
		t.Fatalf("compare.mjs: %v; output not JSON (%v): %.2000s", err, jerr, out)
	}
	if report.Fatal != "" {
		t.Fatalf("compare.mjs could not finish: %s", report.Fatal)
	}
	for _, c := range report.Checks {
		if !c.OK {
			t.Errorf("%s: %s%s", c.Name, compactJSON(c.Diff), compactJSON(c.Detail))
		}
	}
	for key, why := range report.KnownGaps {
		t.Logf("known gap, a warning by design: $.%s: %s", key, why)
	}
	for _, w := range report.Warnings {
		t.Logf("warning (not a failure): %.600s", compactJSON(w))
	}
	t.Logf("compare.mjs: %d checks, %d failed, %d warnings", report.Summary.Checks, report.Summary.Failed, len(report.Warnings))
	if err != nil && !t.Failed() {
		t.Errorf("compare.mjs exited with %v but reported no failed check", err)
	}
}

func compactJSON(b json.RawMessage) string {
	if len(b) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}
