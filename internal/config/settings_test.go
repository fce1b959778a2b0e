package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSettingsDefaults(t *testing.T) {
	for name, load := range map[string]func() (*Config, error){
		"empty object": func() (*Config, error) { return Parse([]byte(`{}`)) },
		"no file":      func() (*Config, error) { return Load(t.TempDir()) },
	} {
		cfg, err := load()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := Settings{ApprovalWait: DefaultApprovalWait, ApprovalTTL: DefaultApprovalTTL, RetentionDays: 90, Notifications: true}
		if got := cfg.Settings(); got != want {
			t.Errorf("%s: settings = %+v, want %+v", name, got, want)
		}
		if cfg.Retain() != 90*24*time.Hour {
			t.Errorf("%s: retain = %v", name, cfg.Retain())
		}
	}
}

func TestParseSettingsFields(t *testing.T) {
	cfg, err := Parse([]byte(`{"retention": 30, "notifications": false}`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Retention != 30 || cfg.Notifications {
		t.Errorf("retention %d notifications %v", cfg.Retention, cfg.Notifications)
	}
	for _, bad := range []struct{ json, want string }{
		{`{"retention": 0}`, `"retention": 0 days`},
		{`{"retention": -5}`, `"retention": -5 days`},
		{`{"retention": 99999}`, "want 1 to 3650"},
		{`{"retention": 1.5}`, "whole number of days"},
		{`{"retention": "90"}`, "whole number of days"},
		{`{"notifications": "yes"}`, `"notifications": want true or false`},
		{`{"rules": [{"id": 3, "server": "*", "tool": "x", "action": "allow"}]}`, `"id" belongs to rules made in the window`},
	} {
		_, err := Parse([]byte(bad.json))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Parse(%s) = %v, want an error containing %q", bad.json, err, bad.want)
		}
	}
}

func TestSaveSettingsKeepsTheRest(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, FileName)
	orig := `{"mcpServers": {"fs": {"command": "node", "x-custom": 1}}, "rules": [{"server": "fs", "tool": "read_*", "action": "allow"}], "theme": "dark"}`
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	want := Settings{ApprovalWait: 20 * time.Second, ApprovalTTL: 5 * time.Minute, RetentionDays: 14, Notifications: false}
	if err := SaveSettings(home, want); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(home)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Settings(); got != want {
		t.Errorf("saved %+v, read back %+v", want, got)
	}
	data, _ := os.ReadFile(path)
	for _, keep := range []string{`"theme": "dark"`, `"x-custom": 1`, `"read_*"`} {
		if !strings.Contains(string(data), keep) {
			t.Errorf("lost %s:\n%s", keep, data)
		}
	}
}

func TestSaveSettingsRefusesInvalid(t *testing.T) {
	home := t.TempDir()
	good := Settings{ApprovalWait: 45 * time.Second, ApprovalTTL: 10 * time.Minute, RetentionDays: 90, Notifications: true}
	if err := SaveSettings(home, good); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(home, FileName))
	for _, bad := range []struct {
		s    Settings
		want string
	}{
		{Settings{ApprovalWait: time.Minute, ApprovalTTL: 30 * time.Second, RetentionDays: 90}, "shorter than approvalWait"},
		{Settings{ApprovalWait: 0, ApprovalTTL: time.Minute, RetentionDays: 90}, `"approvalWait": must be positive`},
		{Settings{ApprovalWait: time.Second, ApprovalTTL: time.Minute, RetentionDays: 0}, `"retention"`},
	} {
		err := SaveSettings(home, bad.s)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("SaveSettings(%+v) = %v, want %q", bad.s, err, bad.want)
		}
	}
	after, _ := os.ReadFile(filepath.Join(home, FileName))
	if string(after) != string(before) {
		t.Errorf("a refused edit changed the file:\n%s\n->\n%s", before, after)
	}
}

func TestLiveFollowsTheFile(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, FileName)
	write := func(s string) {
		t.Helper()
		if err := WriteFileAtomic(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"approvalWait": "45s"}`)
	cfg, err := Load(home)
	if err != nil {
		t.Fatal(err)
	}
	live := NewLive(home, cfg, time.Nanosecond, nil)
	if got := time.Duration(live.Current().ApprovalWait); got != 45*time.Second {
		t.Fatalf("wait = %v", got)
	}
	write(`{"approvalWait": "3s", "rules": [{"server": "*", "tool": "x", "action": "deny"}]}`)
	if got := time.Duration(live.Current().ApprovalWait); got != 3*time.Second {
		t.Errorf("after an edit, wait = %v, want 3s", got)
	}
	if n := len(live.Current().AllRules()); n != 1 {
		t.Errorf("after an edit, %d rules, want 1", n)
	}
	// A broken edit keeps the last good config in force.
	write(`{"approvalWait": "3s", "rules": [{"server": "*", "tool": "x", "action": "maybe"}]}`)
	if cur := live.Current(); time.Duration(cur.ApprovalWait) != 3*time.Second || len(cur.AllRules()) != 1 {
		t.Errorf("a broken file replaced the config: %+v", cur)
	}
	write(`{"approvalWait": "7s"}`)
	if got := time.Duration(live.Current().ApprovalWait); got != 7*time.Second {
		t.Errorf("after a fix, wait = %v, want 7s", got)
	}
	// An editor that deletes and rewrites the file: the gap changes nothing.
	write(`{"approvalWait": "7s", "rules": [{"server": "*", "tool": "x", "action": "deny"}]}`)
	if n := len(live.Current().AllRules()); n != 1 {
		t.Fatalf("%d rules, want 1", n)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if n := len(live.Current().AllRules()); n != 1 {
		t.Errorf("with the file gone for a moment, %d rules are in force, want the deny rule kept", n)
	}
}
