package policy

import (
	"encoding/json"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := NewLimiter(func(string) Limits {
		return Limits{CallsPerMinute: 60, Burst: 3, DestructiveBurst: 2, DestructiveWindow: Duration(10 * time.Second)}
	})
	l.now = func() time.Time { return now }

	for i := 0; i < 3; i++ {
		if _, err := l.Take("a", false); err != nil {
			t.Fatalf("call %d within burst refused: %v", i, err)
		}
	}
	if _, err := l.Take("a", false); err == nil {
		t.Fatal("4th call in the same instant allowed past burst 3")
	}
	if _, err := l.Take("b", false); err != nil {
		t.Fatal("servers must not share buckets")
	}
	now = now.Add(time.Second) // one token back at 60/min
	if _, err := l.Take("a", false); err != nil {
		t.Fatalf("refill: %v", err)
	}

	// Destructive burst: 2 within 10 s pauses; spread out they do not.
	now = now.Add(time.Minute)
	if pause, _ := l.Take("c", true); pause {
		t.Fatal("first destructive call paused")
	}
	now = now.Add(11 * time.Second)
	if pause, _ := l.Take("c", true); pause {
		t.Fatal("calls outside the window counted as a burst")
	}
	now = now.Add(time.Second)
	if pause, _ := l.Take("c", true); !pause {
		t.Fatal("2 destructive calls within 10 s did not pause")
	}
}

func TestDurationJSON(t *testing.T) {
	var l Limits
	if err := json.Unmarshal([]byte(`{"destructiveWindow":"90s"}`), &l); err != nil || time.Duration(l.DestructiveWindow) != 90*time.Second {
		t.Fatalf("got %v, %v", l.DestructiveWindow, err)
	}
	for _, bad := range []string{`{"destructiveWindow":90}`, `{"destructiveWindow":"-1s"}`, `{"destructiveWindow":"soon"}`} {
		if err := json.Unmarshal([]byte(bad), &l); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
