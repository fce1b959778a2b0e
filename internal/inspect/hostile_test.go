package inspect

import (
	"strings"
	"testing"
)

// TestQuadraticShapes feeds shapes that nest work (wrappers in wrappers,
// long pipelines, nested EXEC strings). Each must finish in linear time,
// which the benchmarks measure; here each must also stay fail-closed.
func TestQuadraticShapes(t *testing.T) {
	sqlCases := map[string]string{
		"nested EXEC":    strings.Repeat("EXEC(", 50_000) + strings.Repeat("'x')", 50_000),
		"many BEGINs":    strings.Repeat("BEGIN ", 100_000) + "DELETE FROM t",
		"nested DELETEs": strings.Repeat("(DELETE ", 20_000) + strings.Repeat(")", 20_000),
		"nested strings": "DO $a$ EXECUTE $b$ EXECUTE $c$ EXECUTE $d$ DROP TABLE t " + strings.Repeat("x ", 100_000) + "$d$ $c$ $b$ $a$",
		"dblink chain":   strings.Repeat("SELECT dblink('", 10_000) + strings.Repeat("')", 10_000),
	}
	for name, q := range sqlCases {
		if got := SQL(q); got.Tier == Read {
			t.Errorf("SQL %s: read", name)
		}
	}
	shellCases := map[string]string{
		"long pipeline":  strings.Repeat("cat | ", 40_000) + "sh",
		"sudo chain":     strings.Repeat("sudo ", 40_000) + "rm x",
		"find exec":      strings.Repeat("find . -exec ", 15_000) + "rm {} ;",
		"nested funcs":   strings.Repeat("f(){ ", 10_000) + "f; " + strings.Repeat("}; ", 10_000),
		"xargs chain":    strings.Repeat("xargs ", 40_000) + "rm",
		"nested sh -c":   strings.Repeat("sh -c '", 1) + strings.Repeat("x", 200_000) + "; rm -rf /'",
		"many subshells": strings.Repeat("(", 20_000) + "rm x" + strings.Repeat(")", 20_000),
	}
	for name, c := range shellCases {
		if got := Shell(c); got.Tier == Read {
			t.Errorf("shell %s: read", name)
		}
	}
}
