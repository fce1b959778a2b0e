package textdiff

import "testing"

func TestLines(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"x\ny\nz", "x\ny\nz", "  x\n  y\n  z\n"},
		{"x\ny\nz", "x\nY\nz", "  x\n- y\n+ Y\n  z\n"},
		{"", "a", "+ a\n"},
		{"a", "", "- a\n"},
		{"a\nb", "a\nb\nc", "  a\n  b\n+ c\n"},
	}
	for _, tt := range tests {
		if got := Lines(tt.a, tt.b); got != tt.want {
			t.Errorf("Lines(%q, %q) =\n%s\nwant\n%s", tt.a, tt.b, got, tt.want)
		}
	}
}
