//go:build unix

package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A file replaced by one of the same size within the same modification
// time (file systems with 1 s or 2 s timestamps, two saves in a second) is
// still a change: Live must not keep the first of two saves in force.
func TestLiveSeesASameSizeReplacementInTheSameSecond(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, FileName)
	stamp := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	write := func(s string) {
		t.Helper()
		if err := WriteFileAtomic(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, stamp, stamp); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"rules": [{"server": "*", "tool": "rm_*", "action": "deny"}]}`)
	cfg, err := Load(home)
	if err != nil {
		t.Fatal(err)
	}
	live := NewLive(home, cfg, time.Nanosecond, nil)
	write(`{"rules": [{"server": "*", "tool": "dd_*", "action": "deny"}]}`)
	if rules := live.Current().AllRules(); len(rules) != 1 || rules[0].Tool != "dd_*" {
		t.Errorf("rules in force %+v, want the deny rule for dd_* saved last", rules)
	}
}
