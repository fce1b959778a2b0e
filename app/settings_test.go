package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

func TestSettingsServiceSavesThroughTheConfig(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, config.FileName)
	if err := os.WriteFile(path, []byte(`{"mcpServers": {"fs": {"command": "node"}}, "futureField": [1, 2]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c := NewCalls(config.DBPath(home))
	defer c.shutdown()
	s := NewSettings(home, c.open)

	got, err := s.Settings()
	if err != nil {
		t.Fatal(err)
	}
	want := SettingsView{ApprovalWaitSeconds: 45, ApprovalTTLSeconds: 600, RetentionDays: 90, Notifications: true, ConfigPath: path}
	if got != want {
		t.Errorf("defaults = %+v, want %+v", got, want)
	}
	if !s.notificationsOn() {
		t.Error("notifications off by default")
	}

	saved, err := s.SaveSettings(SettingsView{ApprovalWaitSeconds: 20, ApprovalTTLSeconds: 1800, RetentionDays: 30, Notifications: false})
	if err != nil {
		t.Fatal(err)
	}
	if saved.ApprovalWaitSeconds != 20 || saved.ApprovalTTLSeconds != 1800 || saved.RetentionDays != 30 || saved.Notifications {
		t.Errorf("saved = %+v", saved)
	}
	if s.notificationsOn() {
		t.Error("the notifications switch is off, notificationsOn says on")
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"futureField"`) || !strings.Contains(string(data), `"command": "node"`) {
		t.Errorf("save lost other fields:\n%s", data)
	}

	for _, bad := range []struct {
		v    SettingsView
		want string
	}{
		{SettingsView{ApprovalWaitSeconds: 120, ApprovalTTLSeconds: 60, RetentionDays: 30}, "shorter than approvalWait"},
		{SettingsView{ApprovalWaitSeconds: 0, ApprovalTTLSeconds: 60, RetentionDays: 30}, "at least one second"},
		// Seconds times time.Second wraps past int64: this one became 0.29 s.
		{SettingsView{ApprovalWaitSeconds: 18446744074, ApprovalTTLSeconds: 18446744074, RetentionDays: 30}, "at most"},
		{SettingsView{ApprovalWaitSeconds: 10, ApprovalTTLSeconds: -5, RetentionDays: 30}, "at least one second"},
		{SettingsView{ApprovalWaitSeconds: 10, ApprovalTTLSeconds: 60, RetentionDays: 0}, `"retention"`},
		{SettingsView{ApprovalWaitSeconds: 10, ApprovalTTLSeconds: 60, RetentionDays: 5000}, "want 1 to 3650"},
	} {
		if _, err := s.SaveSettings(bad.v); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("SaveSettings(%+v) = %v, want %q", bad.v, err, bad.want)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(data) {
		t.Error("a refused save changed airlock.json")
	}
}

func TestSettingsServicePrunesByTheRetention(t *testing.T) {
	home := t.TempDir()
	if err := config.SaveSettings(home, config.Settings{ApprovalWait: time.Minute, ApprovalTTL: time.Hour, RetentionDays: 10, Notifications: true}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, age := range []time.Duration{30 * 24 * time.Hour, 20 * 24 * time.Hour, time.Hour} {
		c := store.Call{Time: time.Now().Add(-age), Server: "fs", Tool: "t", Decision: store.DecisionAllow}
		if _, err := st.BeginCall(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if err := st.FinishCall(ctx, c.ID, store.OutcomeOK, "", time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	c := NewCalls(config.DBPath(home))
	defer c.shutdown()
	s := NewSettings(home, c.open)
	if n, err := s.PrunableCount(25); err != nil || n != 1 {
		t.Errorf("PrunableCount(25) = %d, %v; want 1", n, err)
	}
	if _, err := s.PrunableCount(0); err == nil {
		t.Error("PrunableCount(0) accepted")
	}

	// The window's loop prunes when it starts.
	s.startRetention(ctx, time.Hour)
	deadline := time.Now().Add(30 * time.Second)
	for {
		left, _ := st.Calls(ctx, store.Filter{})
		if len(left) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls left, the start-up prune did not run", len(left))
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.shutdown()

	// A broken config prunes nothing.
	if err := os.WriteFile(filepath.Join(home, config.FileName), []byte(`{"retention": 0}`), 0o600); err != nil {
		t.Fatal(err)
	}
	old := store.Call{Time: time.Now().Add(-400 * 24 * time.Hour), Server: "fs", Tool: "t"}
	if _, err := st.BeginCall(ctx, &old); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishCall(ctx, old.ID, store.OutcomeOK, "", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, err := s.prune(ctx); err == nil {
		t.Error("prune with a broken config succeeded")
	}
	if left, _ := st.Calls(ctx, store.Filter{}); len(left) != 2 {
		t.Errorf("a broken config pruned: %d calls left, want 2", len(left))
	}
}
