package proxy

import (
	"bytes"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/redact"
)

// An upstream's stderr reaches the proxy in the pieces the pipe gives
// (exec copies 32 KiB at a time), and a line that never ends within 64 KiB
// is cut so memory stays bounded. An injected value that straddles such a
// cut must be hidden all the same: it is found before the line is cut, not
// after, when its halves sit on two lines.
func TestUpstreamStderrHidesValueAcrossAnOverlongLineCut(t *testing.T) {
	const value = "ghp_injectedSecretValue0123456789"
	known := redact.NewKnown()
	known.Add(value)
	var logs bytes.Buffer
	cfg := &config.Config{MCPServers: map[string]config.Server{"up": {Command: "unused"}}}
	p := New(Options{Config: cfg, Stderr: &logs, Known: known})
	w := p.byName["up"].stderr

	// The third 32 KiB piece takes the line past maxPartialLine and ends
	// inside the value.
	line := strings.Repeat("x", 3*32<<10-10) + value + " done\n"
	for len(line) > 0 {
		n := min(32<<10, len(line))
		if _, err := w.Write([]byte(line[:n])); err != nil {
			t.Fatal(err)
		}
		line = line[n:]
	}
	joined := strings.ReplaceAll(logs.String(), "\n[up] ", "")
	if strings.Contains(joined, value[:8]) || !strings.Contains(joined, redact.Placeholder+" done") {
		t.Errorf("stderr holds the value cut in two: ...%q", joined[max(0, len(joined)-80):])
	}
}
