package classify_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/classify"
)

// serverFile is one real server's tool list with the tier a careful person
// gives each tool (its worst plausible use) and each sample call.
type serverFile struct {
	Server string `json:"server"`
	Source string `json:"source"`
	Tools  []struct {
		classify.Tool
		Expect string `json:"expect"`
		Note   string `json:"note"`
		Calls  []struct {
			Arguments json.RawMessage `json:"arguments"`
			Expect    string          `json:"expect"`
		} `json:"calls"`
	} `json:"tools"`
}

// score counts how a set of verdicts compares with what was expected.
type score struct {
	total, reads, writes     int
	misses                   int // classified lower than expected: must be 0
	needless                 int // reads classified write or destructive
	overEscalated            int // writes classified destructive
	byServer                 map[string][2]int
	needlessNames, overNames []string
}

func (s *score) add(t *testing.T, server, what string, want, got classify.Result) {
	t.Helper()
	s.total++
	switch want.Tier {
	case classify.Read:
		s.reads++
	case classify.Write:
		s.writes++
	}
	switch {
	case got.Tier < want.Tier:
		s.misses++
		t.Errorf("DANGEROUS MISS %s %s: got %s, want %s; reasons %q", server, what, got.Tier, want.Tier, got.Reasons)
	case want.Tier == classify.Read && got.Tier > classify.Read:
		s.needless++
		s.needlessNames = append(s.needlessNames, server+"/"+what+" ("+strings.Join(got.Reasons, "; ")+")")
	case want.Tier == classify.Write && got.Tier == classify.Destructive:
		s.overEscalated++
		s.overNames = append(s.overNames, server+"/"+what+" ("+strings.Join(got.Reasons, "; ")+")")
	}
	if len(got.Reasons) == 0 {
		t.Errorf("%s %s: no reasons", server, what)
	}
}

func (s *score) log(t *testing.T, kind string) {
	t.Logf("%s: %d cases (%d read, %d write, %d destructive): dangerous misses %d; needless prompts %d of %d reads (%.1f%%); writes raised to destructive %d of %d (%.1f%%)",
		kind, s.total, s.reads, s.writes, s.total-s.reads-s.writes, s.misses,
		s.needless, s.reads, pct(s.needless, s.reads), s.overEscalated, s.writes, pct(s.overEscalated, s.writes))
	for _, n := range s.needlessNames {
		t.Logf("  needless prompt: %s", n)
	}
	for _, n := range s.overNames {
		t.Logf("  raised to destructive: %s", n)
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func loadServers(t testing.TB) []serverFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "servers", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no server tables: %v", err)
	}
	var out []serverFile
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var f serverFile
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if f.Server == "" || f.Source == "" || len(f.Tools) == 0 {
			t.Fatalf("%s: server, source and tools are required", p)
		}
		out = append(out, f)
	}
	return out
}

func mustTier(t *testing.T, where, s string) classify.Tier {
	t.Helper()
	tier, err := classify.ParseTier(s)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return tier
}

// TestRealServers runs the whole real-server table: every tool's definition
// and every sample call. A dangerous miss fails the test; needless prompts
// are counted and listed so a change that adds them shows in the log.
func TestRealServers(t *testing.T) {
	var defs, calls score
	servers := 0
	for _, f := range loadServers(t) {
		servers++
		for _, tool := range f.Tools {
			want := mustTier(t, f.Server+"/"+tool.Name, tool.Expect)
			got := classify.Definition(tool.Tool)
			defs.add(t, f.Server, tool.Name, classify.Result{Tier: want}, got)
			for i, c := range tool.Calls {
				want := mustTier(t, f.Server+"/"+tool.Name, c.Expect)
				got := classify.Call(tool.Tool, c.Arguments)
				var compact bytes.Buffer
				_ = json.Compact(&compact, c.Arguments)
				calls.add(t, f.Server, fmt.Sprintf("%s call %d %s", tool.Name, i+1, compact.String()), classify.Result{Tier: want}, got)
				if got.Tier < classify.Definition(tool.Tool).Tier && !lowerable(got) {
					t.Errorf("%s/%s: call went below the definition without an argument reason: %q", f.Server, tool.Name, got.Reasons)
				}
			}
		}
	}
	t.Logf("%d servers", servers)
	defs.log(t, "definitions")
	calls.log(t, "calls")
}

// lowerable says a call's reasons come from its arguments, the only thing
// allowed to take a call below its tool's definition.
func lowerable(r classify.Result) bool {
	for _, reason := range r.Reasons {
		if !strings.HasPrefix(reason, "name ") && !strings.HasPrefix(reason, "description ") &&
			!strings.HasPrefix(reason, "title ") && !strings.HasPrefix(reason, "the server ") &&
			!strings.HasSuffix(reason, "hint was ignored") && !strings.HasPrefix(reason, "runs ") {
			return true
		}
	}
	return false
}
