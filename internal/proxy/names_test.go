package proxy

import (
	"regexp"
	"strings"
	"testing"
)

var hostToolName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func TestExposedName(t *testing.T) {
	long := strings.Repeat("x", 80)
	tests := []struct {
		server, tool string
		want         string // "" means: shortened form, checked by shape
	}{
		{"github", "create_issue", "github__create_issue"},
		{"fs", "read-file", "fs__read-file"},
		{"db", "query__raw", "db__query__raw"}, // "__" inside a tool name is fine
		{"a", "with.dot", ""},
		{"a", "with space", ""},
		{"a", "ünïcode", ""},
		{"srv", long, ""},
	}
	for _, tt := range tests {
		got := exposedName(tt.server, tt.tool)
		if !hostToolName.MatchString(got) {
			t.Errorf("exposedName(%q, %q) = %q: not a valid host tool name", tt.server, tt.tool, got)
		}
		if tt.want != "" && got != tt.want {
			t.Errorf("exposedName(%q, %q) = %q, want %q", tt.server, tt.tool, got, tt.want)
		}
		if tt.want == "" && !strings.HasPrefix(got, sanitize(tt.server+"__")) {
			t.Errorf("shortened name %q lost its server prefix", got)
		}
		if again := exposedName(tt.server, tt.tool); again != got {
			t.Errorf("exposedName not stable: %q then %q", got, again)
		}
	}
}

func TestExposedNameDistinct(t *testing.T) {
	// Names that sanitize or truncate to the same text must stay distinct.
	long := strings.Repeat("y", 70)
	pairs := [][2]string{
		{"a", "x.y"}, {"a", "x y"}, {"a", "x_y"},
		{"a", long + "1"}, {"a", long + "2"},
	}
	seen := map[string][2]string{}
	for _, p := range pairs {
		n := exposedName(p[0], p[1])
		if prev, ok := seen[n]; ok {
			t.Fatalf("%v and %v both map to %q", prev, p, n)
		}
		seen[n] = p
	}
}
