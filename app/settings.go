package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

// PruneEvery is how often the window prunes calls older than the retention
// (and once when it starts).
const PruneEvery = 24 * time.Hour

// maxApprovalSeconds bounds the wait and the TTL at a year: a longer one
// is a typo, and seconds past ~292 years wrap around in a time.Duration
// (18446744074 s came out as 0.29 s).
const maxApprovalSeconds = 365 * 24 * 60 * 60

// SettingsView is the general section of the Settings screen. Durations
// are whole seconds.
type SettingsView struct {
	ApprovalWaitSeconds int    `json:"approvalWaitSeconds"`
	ApprovalTTLSeconds  int    `json:"approvalTTLSeconds"`
	RetentionDays       int    `json:"retentionDays"`
	Notifications       bool   `json:"notifications"`
	ConfigPath          string `json:"configPath"`
}

// Settings is the bound service behind the Settings screen's general
// section. The values live in airlock.json: proxies follow the file, so a
// saved wait or TTL applies to their next call.
type Settings struct {
	home string
	open func() (*store.Store, error)
	log  *slog.Logger

	mu   sync.Mutex
	stop context.CancelFunc
	done chan struct{}
}

// NewSettings edits home's airlock.json and prunes its database.
func NewSettings(home string, open func() (*store.Store, error)) *Settings {
	return &Settings{home: home, open: open, log: slog.Default()}
}

// Settings returns the settings in force. A config that does not parse is
// an error naming the problem: the screen shows it rather than defaults
// the proxies are not using.
func (s *Settings) Settings() (SettingsView, error) {
	cfg, err := config.Load(s.home)
	if err != nil {
		return SettingsView{}, err
	}
	return settingsView(cfg, s.home), nil
}

// SaveSettings writes the settings and returns them as read back. Invalid
// values (a TTL shorter than the wait, a retention outside 1 to 3650 days)
// are refused with the reason and nothing is written.
func (s *Settings) SaveSettings(v SettingsView) (SettingsView, error) {
	if v.ApprovalWaitSeconds <= 0 || v.ApprovalTTLSeconds <= 0 {
		return SettingsView{}, errors.New("approval wait and TTL must be at least one second")
	}
	if v.ApprovalWaitSeconds > maxApprovalSeconds || v.ApprovalTTLSeconds > maxApprovalSeconds {
		return SettingsView{}, fmt.Errorf("approval wait and TTL must be at most %d seconds (a year)", maxApprovalSeconds)
	}
	err := config.SaveSettings(s.home, config.Settings{
		ApprovalWait:  time.Duration(v.ApprovalWaitSeconds) * time.Second,
		ApprovalTTL:   time.Duration(v.ApprovalTTLSeconds) * time.Second,
		RetentionDays: v.RetentionDays,
		Notifications: v.Notifications,
	})
	if err != nil {
		return SettingsView{}, err
	}
	return s.Settings()
}

// PrunableCount is how many calls a retention of days would delete now,
// so the screen can say so before a shorter retention is saved.
func (s *Settings) PrunableCount(days int) (int64, error) {
	if days < 1 || days > config.MaxRetentionDays {
		return 0, errors.New("retention must be 1 to 3650 days")
	}
	st, err := s.open()
	if err != nil || st == nil {
		return 0, err
	}
	n, err := st.Prunable(context.Background(), time.Now().Add(-time.Duration(days)*24*time.Hour))
	return n.Calls, err
}

// notificationsOn reports the notifications switch. An unreadable config
// leaves them on: a missed notification can cost a denied call, an extra
// one costs nothing.
func (s *Settings) notificationsOn() bool {
	cfg, err := config.Load(s.home)
	return err != nil || cfg.Notifications
}

// prune deletes calls older than the configured retention. An unreadable
// config prunes nothing: deleting history by a guessed retention cannot be
// undone.
func (s *Settings) prune(ctx context.Context) (store.Pruned, error) {
	cfg, err := config.Load(s.home)
	if err != nil {
		return store.Pruned{}, err
	}
	st, err := s.open()
	if err != nil || st == nil {
		return store.Pruned{}, err
	}
	return st.Prune(ctx, time.Now().Add(-cfg.Retain()))
}

// startRetention prunes now and every interval until ctx ends or shutdown.
func (s *Settings) startRetention(ctx context.Context, every time.Duration) {
	ctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	s.mu.Lock()
	s.stop, s.done = stop, done
	s.mu.Unlock()
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			n, err := s.prune(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				s.log.Error("prune old calls", "err", err)
			case n != store.Pruned{}:
				s.log.Info("pruned calls older than the retention", "calls", n.Calls, "requests", n.Requests)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}

// shutdown stops pruning, waiting for a batch in progress to end (before
// the database closes).
func (s *Settings) shutdown() {
	s.mu.Lock()
	stop, done := s.stop, s.done
	s.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

func settingsView(cfg *config.Config, home string) SettingsView {
	set := cfg.Settings()
	path := cfg.Path
	if path == "" {
		path = filepath.Join(home, config.FileName)
	}
	return SettingsView{
		ApprovalWaitSeconds: int(set.ApprovalWait / time.Second),
		ApprovalTTLSeconds:  int(set.ApprovalTTL / time.Second),
		RetentionDays:       set.RetentionDays,
		Notifications:       set.Notifications,
		ConfigPath:          path,
	}
}
