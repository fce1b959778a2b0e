package config

import (
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// LiveCheck is how often Live looks at the file: a stat, no read, unless
// it changed.
const LiveCheck = time.Second

// Live keeps a config in step with airlock.json for a long-running process
// (a proxy), so a change made in the window applies without a restart. An
// edited file that no longer parses is reported once and the last good
// config stays in force: a typo never loosens or breaks a running proxy,
// and neither does the file vanishing for a moment while an editor saves.
type Live struct {
	home  string
	every time.Duration
	log   *slog.Logger

	mu      sync.Mutex
	cfg     *Config
	stamp   fileStamp
	checked time.Time
}

type fileStamp struct {
	mod  time.Time
	size int64
	id   uint64 // see fileID
	ok   bool   // the file existed
}

// NewLive starts from cfg, the config just loaded from home. every <= 0
// means LiveCheck.
func NewLive(home string, cfg *Config, every time.Duration, log *slog.Logger) *Live {
	if every <= 0 {
		every = LiveCheck
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Live{home: home, every: every, log: log, cfg: cfg, checked: time.Now()}
	l.stamp = stampOf(filepath.Join(home, FileName))
	return l
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: fi.ModTime(), size: fi.Size(), id: fileID(fi), ok: true}
}

// Current returns the config, re-reading the file if its modification time,
// size or inode changed since the last look (at most one look per interval).
func (l *Live) Current() *Config {
	l.mu.Lock()
	defer l.mu.Unlock()
	if time.Since(l.checked) < l.every {
		return l.cfg
	}
	l.checked = time.Now()
	st := stampOf(filepath.Join(l.home, FileName))
	if st == l.stamp {
		return l.cfg
	}
	l.stamp = st
	if !st.ok {
		// Some editors delete the file and write a new one: for that moment
		// there are no rules in it. Losing deny rules to a save is worse
		// than keeping settings of a file deleted on purpose.
		l.log.Warn("airlock.json is gone; keeping the settings read last")
		return l.cfg
	}
	cfg, err := Load(l.home)
	if err != nil {
		l.log.Error("airlock.json changed but cannot be used; keeping the previous settings", "err", err)
		return l.cfg
	}
	l.log.Info("airlock.json changed; settings reloaded", "approvalWait", time.Duration(cfg.ApprovalWait),
		"approvalTTL", time.Duration(cfg.ApprovalTTL))
	l.cfg = cfg
	return cfg
}
