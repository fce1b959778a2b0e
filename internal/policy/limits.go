package policy

import (
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits bound how fast one server's tools may be called.
type Limits struct {
	// CallsPerMinute and Burst form a token bucket over every call.
	CallsPerMinute int `json:"callsPerMinute,omitempty"`
	Burst          int `json:"burst,omitempty"`
	// DestructiveBurst destructive calls within DestructiveWindow pause the
	// server's non-read calls until a person resumes it.
	DestructiveBurst  int      `json:"destructiveBurst,omitempty"`
	DestructiveWindow Duration `json:"destructiveWindow,omitempty"`
}

// DefaultLimits leave room for an agent reading a folder of files (ten calls
// a second, bursts of 100) and stop a runaway loop; five destructive calls
// within a minute pause the server.
var DefaultLimits = Limits{CallsPerMinute: 600, Burst: 100, DestructiveBurst: 5, DestructiveWindow: Duration(time.Minute)}

// WithDefaults fills unset fields from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	if l.CallsPerMinute <= 0 {
		l.CallsPerMinute = DefaultLimits.CallsPerMinute
	}
	if l.Burst <= 0 {
		l.Burst = DefaultLimits.Burst
	}
	if l.DestructiveBurst <= 0 {
		l.DestructiveBurst = DefaultLimits.DestructiveBurst
	}
	if l.DestructiveWindow <= 0 {
		l.DestructiveWindow = DefaultLimits.DestructiveWindow
	}
	return l
}

// Limiter tracks the limits of every server in one proxy.
type Limiter struct {
	mu      sync.Mutex
	now     func() time.Time
	limits  func(server string) Limits
	servers map[string]*serverState
}

type serverState struct {
	bucket      *rate.Limiter
	destructive []time.Time // recent destructive calls, oldest first
}

// NewLimiter uses limitsFor to find each server's limits.
func NewLimiter(limitsFor func(server string) Limits) *Limiter {
	return &Limiter{now: time.Now, limits: limitsFor, servers: map[string]*serverState{}}
}

// Take accounts for one call. It returns an error when the server is over
// its rate, and pause=true when this call completes a burst of destructive
// calls: the caller pauses the server (persistently) and refuses the call.
func (l *Limiter) Take(server string, destructive bool) (pause bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := l.limits(server).WithDefaults()
	st := l.servers[server]
	if st == nil {
		st = &serverState{bucket: rate.NewLimiter(rate.Limit(float64(lim.CallsPerMinute)/60), lim.Burst)}
		l.servers[server] = st
	}
	now := l.now()
	if !st.bucket.AllowN(now, 1) {
		return false, fmt.Errorf("rate limit: more than %d calls a minute to %q (burst %d); slow down", lim.CallsPerMinute, server, lim.Burst)
	}
	if !destructive {
		return false, nil
	}
	cutoff := now.Add(-time.Duration(lim.DestructiveWindow))
	keep := st.destructive[:0]
	for _, t := range st.destructive {
		if t.After(cutoff) {
			keep = append(keep, t)
		}
	}
	st.destructive = append(keep, now)
	if len(st.destructive) >= lim.DestructiveBurst {
		st.destructive = st.destructive[:0]
		return true, nil
	}
	return false, nil
}

// Duration is a time.Duration written as "30s" in JSON.
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Duration(d).String() + `"`), nil
}

func (d *Duration) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' {
		return fmt.Errorf(`duration must be a string like "45s", got %s`, b)
	}
	v, err := time.ParseDuration(string(b[1 : len(b)-1]))
	if err != nil {
		return err
	}
	if v < 0 {
		return fmt.Errorf("duration %s is negative", v)
	}
	*d = Duration(v)
	return nil
}
