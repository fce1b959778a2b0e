package store

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"
)

func TestHeartbeatMakesAnAppAlive(t *testing.T) {
	s, ctx := openStore(t), context.Background()
	started := time.Now()
	alive := func() bool {
		t.Helper()
		ok, err := s.AppAlive(ctx, 15*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if alive() {
		t.Fatal("alive before any heartbeat")
	}
	if err := s.Heartbeat(ctx, 4242, started); err != nil {
		t.Fatal(err)
	}
	if !alive() {
		t.Fatal("not alive after a heartbeat")
	}
	if ok, _ := s.AppAlive(ctx, 0); ok {
		t.Fatal("a heartbeat counted as fresh with a zero window")
	}
	// Another app that reused the pid does not remove this one's beat.
	if err := s.AppStopped(ctx, 4242, started.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if !alive() {
		t.Fatal("a stop with another start time removed the heartbeat")
	}
	if err := s.AppStopped(ctx, 4242, started); err != nil {
		t.Fatal(err)
	}
	if alive() {
		t.Fatal("alive after the app stopped")
	}
}

func TestClaimLaunch(t *testing.T) {
	cases := []struct {
		name      string
		heartbeat bool
		claimed   bool // an earlier claim within the gap
		want      bool
	}{
		{"nobody runs", false, false, true},
		{"an app beats", true, false, false},
		{"just launched", false, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, ctx := openStore(t), context.Background()
			if tc.heartbeat {
				if err := s.Heartbeat(ctx, 7, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			if tc.claimed {
				if ok, err := s.ClaimLaunch(ctx, time.Minute, time.Hour); !ok || err != nil {
					t.Fatalf("first claim: %v %v", ok, err)
				}
			}
			got, err := s.ClaimLaunch(ctx, time.Minute, time.Hour)
			if err != nil || got != tc.want {
				t.Fatalf("ClaimLaunch = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestClaimLaunchAgainAfterTheGap(t *testing.T) {
	s, ctx := openStore(t), context.Background()
	if ok, _ := s.ClaimLaunch(ctx, time.Minute, 0); !ok {
		t.Fatal("first claim refused")
	}
	if ok, err := s.ClaimLaunch(ctx, time.Minute, 0); !ok || err != nil {
		t.Fatalf("claim after the gap refused: %v", err)
	}
}

// Two processes share a home: two stores on one file, asking at once.
func TestClaimLaunchOnceAcrossStores(t *testing.T) {
	a, path := openTemp(t)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	var mu sync.Mutex
	wins := 0
	var wg sync.WaitGroup
	for i := range 8 {
		st := a
		if i%2 == 1 {
			st = b
		}
		wg.Go(func() {
			ok, err := st.ClaimLaunch(ctx, time.Minute, time.Hour)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d claims won, want 1", wins)
	}
}

func TestExpiryDeniesTheCallsThatWaited(t *testing.T) {
	s, ctx := openStore(t), context.Background()
	held, r := newAsk(KindCall, "write", "h")
	r.Expires = time.Now().Add(time.Hour)
	if err := s.Ask(ctx, held, r); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishCall(ctx, held.ID, OutcomeHeld, "Waiting for approval", 0); err != nil {
		t.Fatal(err)
	}
	inFlight, _ := newAsk(KindCall, "write", "h") // its proxy died while it waited
	if err := s.Ask(ctx, inFlight, r); err != nil {
		t.Fatal(err)
	}
	other, r2 := newAsk(KindCall, "write", "other") // not expired: untouched
	if err := s.Ask(ctx, other, r2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.writer.ExecContext(ctx, "UPDATE requests SET expires_at = ? WHERE id = ?",
		time.Now().Add(-time.Second).UnixMicro(), r.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.ExpireRequests(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := s.RequestState(ctx, r.ID); st != RequestExpired {
		t.Fatalf("request status %s, want expired", st)
	}
	calls, err := s.Calls(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][3]string{
		held.ID:     {DecisionDeny, "timeout", OutcomeHeld},
		inFlight.ID: {DecisionDeny, "timeout", OutcomeDenied},
		other.ID:    {DecisionPending, "", ""},
	}
	for _, c := range calls {
		if got := [3]string{c.Decision, c.DecidedBy, c.Outcome}; got != want[c.ID] {
			t.Errorf("call %d: decision, by, outcome = %q, want %q", c.ID, got, want[c.ID])
		}
	}
	// Nothing left to expire: no write, so watchers are not woken.
	before, _ := s.DataVersion(ctx)
	if err := s.ExpireRequests(ctx); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.DataVersion(ctx); after != before {
		t.Fatalf("an idle expiry wrote to the database (data_version %d -> %d)", before, after)
	}
}

func TestLastDisplayOutlivesTheApp(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if env, err := s.LastDisplay(ctx); err != nil || env != nil {
		t.Fatalf("before any app: %v, %v; want nil, nil", env, err)
	}
	started := time.Now()
	if err := s.Heartbeat(ctx, 4242, started); err != nil {
		t.Fatal(err)
	}
	first := map[string]string{"DISPLAY": ":0", "XAUTHORITY": "/run/user/1000/xauth_x"}
	if err := s.RecordDisplay(ctx, first); err != nil {
		t.Fatal(err)
	}
	second := map[string]string{"DISPLAY": ":1", "WAYLAND_DISPLAY": "wayland-0"}
	if err := s.RecordDisplay(ctx, second); err != nil {
		t.Fatal(err)
	}
	if err := s.AppStopped(ctx, 4242, started); err != nil {
		t.Fatal(err)
	}
	// A proxy is another process with its own store.
	proxy, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	got, err := proxy.LastDisplay(ctx)
	if err != nil || !reflect.DeepEqual(got, second) {
		t.Errorf("LastDisplay = %v, %v; want the last recorded %v", got, err, second)
	}

	if _, err := s.writer.ExecContext(ctx, "UPDATE app_display SET env = 'not json'"); err != nil {
		t.Fatal(err)
	}
	if env, err := proxy.LastDisplay(ctx); err == nil {
		t.Errorf("malformed row read as %v, want an error", env)
	}
}
