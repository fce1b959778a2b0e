package config

import (
	"time"

	"github.com/airlock-dev/airlock/internal/policy"
)

// Settings are the global knobs the Settings screen edits.
type Settings struct {
	ApprovalWait  time.Duration
	ApprovalTTL   time.Duration
	RetentionDays int
	Notifications bool
}

// Settings returns the config's global settings (defaults filled in).
func (c *Config) Settings() Settings {
	return Settings{
		ApprovalWait:  time.Duration(c.ApprovalWait),
		ApprovalTTL:   time.Duration(c.ApprovalTTL),
		RetentionDays: c.Retention,
		Notifications: c.Notifications,
	}
}

// Retain is how far back calls are kept.
func (c *Config) Retain() time.Duration {
	return time.Duration(c.Retention) * 24 * time.Hour
}

// SaveSettings writes s into home/airlock.json through Edit: the other
// fields stay as they are, and a value Parse refuses (a TTL shorter than
// the wait, a retention of 0 days) is an error with nothing written.
func SaveSettings(home string, s Settings) error {
	return Edit(home, func(f Fields) error {
		for name, v := range map[string]any{
			"approvalWait":  policy.Duration(s.ApprovalWait),
			"approvalTTL":   policy.Duration(s.ApprovalTTL),
			"retention":     s.RetentionDays,
			"notifications": s.Notifications,
		} {
			if err := f.Set(name, v); err != nil {
				return err
			}
		}
		return nil
	})
}
