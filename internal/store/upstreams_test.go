package store

import (
	"context"
	"testing"
	"time"
)

func TestBeatUpstreamsKeepsOneRowPerProxyAndServer(t *testing.T) {
	s, ctx := openStore(t), context.Background()
	a := Proxy{PID: 100, Started: time.Now().Add(-time.Minute)}
	b := Proxy{PID: 100, Started: time.Now()} // the same pid, reused by a later proxy
	since := time.Now().Add(-time.Second).Truncate(time.Microsecond)

	if err := s.BeatUpstreams(ctx, a, []UpstreamStatus{
		{Server: "fs", State: "starting", Since: since},
		{Server: "db", State: "failed", Detail: "exit status 3", Since: since},
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.BeatUpstreams(ctx, a, []UpstreamStatus{{Server: "fs", State: "running", PID: 555, Tools: 7, Since: since}}); err != nil {
		t.Fatal(err)
	}
	if err := s.BeatUpstreams(ctx, b, []UpstreamStatus{{Server: "fs", State: "restarting", Detail: "exited", Since: since}}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Upstreams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want 3 (db of a, fs of a, fs of b): %+v", len(rows), rows)
	}
	db, fsA, fsB := rows[0], rows[1], rows[2]
	if db.Server != "db" || db.State != "failed" || db.Detail != "exit status 3" {
		t.Errorf("db row = %+v", db)
	}
	if fsA.Proxy.PID != 100 || !fsA.Proxy.Started.Equal(a.Started.Truncate(time.Microsecond)) ||
		fsA.State != "running" || fsA.PID != 555 || fsA.Tools != 7 || !fsA.Since.Equal(since) {
		t.Errorf("fs row of the first proxy = %+v (the update should replace the starting row)", fsA)
	}
	if fsB.State != "restarting" || fsB.Detail != "exited" {
		t.Errorf("fs row of the second proxy = %+v", fsB)
	}

	// A heartbeat without changes refreshes every row of that proxy only.
	before := db.SeenAt
	time.Sleep(2 * time.Millisecond) // seen_at has microsecond resolution
	if err := s.BeatUpstreams(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	rows, _ = s.Upstreams(ctx)
	if !rows[0].SeenAt.After(before) || !rows[1].SeenAt.After(before) {
		t.Errorf("heartbeat did not refresh the first proxy's rows: %+v", rows)
	}
	if rows[2].SeenAt.After(fsB.SeenAt) {
		t.Errorf("heartbeat of one proxy refreshed another's row")
	}

	if err := s.ProxyStopped(ctx, a); err != nil {
		t.Fatal(err)
	}
	rows, _ = s.Upstreams(ctx)
	if len(rows) != 1 || rows[0].Proxy.Started.Equal(a.Started.Truncate(time.Microsecond)) {
		t.Fatalf("after the first proxy stopped: %+v, want only the second proxy's row", rows)
	}
}

func TestBeatUpstreamsDropsLongDeadProxies(t *testing.T) {
	s, ctx := openStore(t), context.Background()
	dead := Proxy{PID: 1, Started: time.Now().Add(-3 * time.Hour)}
	if _, err := s.writer.ExecContext(ctx, `INSERT INTO upstreams (proxy_pid, proxy_started, server, state, since, seen_at)
		VALUES (?, ?, 'fs', 'running', ?, ?)`, dead.PID, dead.Started.UnixMicro(), dead.Started.UnixMicro(),
		time.Now().Add(-staleUpstream-time.Minute).UnixMicro()); err != nil {
		t.Fatal(err)
	}
	live := Proxy{PID: 2, Started: time.Now()}
	if err := s.BeatUpstreams(ctx, live, []UpstreamStatus{{Server: "fs", State: "running", Since: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Upstreams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Proxy.PID != 2 {
		t.Fatalf("rows = %+v, want only the live proxy's", rows)
	}
}

func TestPausedServers(t *testing.T) {
	s, ctx := openStore(t), context.Background()
	if err := s.PauseServer(ctx, "db", "a burst of destructive calls"); err != nil {
		t.Fatal(err)
	}
	got, err := s.PausedServers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Server != "db" || got[0].Reason != "a burst of destructive calls" || got[0].At.IsZero() {
		t.Fatalf("paused = %+v", got)
	}
	if _, err := s.ResumeServer(ctx, "db"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PausedServers(ctx); len(got) != 0 {
		t.Fatalf("still paused after resume: %+v", got)
	}
}

func TestUpstreamsKeepTheOfferedTools(t *testing.T) {
	s, ctx := openStore(t), context.Background()
	p := Proxy{PID: 100, Started: time.Now()}
	listed := time.Now().Add(-time.Minute).Truncate(time.Microsecond)
	if err := s.BeatUpstreams(ctx, p, []UpstreamStatus{
		{Server: "db", State: "starting", Since: listed}, // not listed yet
		{Server: "fs", State: "running", Since: listed, Offered: []string{"read_file", "write_file"}, OfferedSince: listed},
		{Server: "none", State: "running", Since: listed, Offered: []string{}, OfferedSince: listed},
	}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Upstreams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want 3", len(rows))
	}
	if rows[0].Offered != nil || !rows[0].OfferedSince.IsZero() {
		t.Errorf("a server not listed yet reads as offering %v since %v, want unknown (nil)", rows[0].Offered, rows[0].OfferedSince)
	}
	if got := rows[1].Offered; len(got) != 2 || got[0] != "read_file" || got[1] != "write_file" || !rows[1].OfferedSince.Equal(listed) {
		t.Errorf("fs offers %v since %v, want [read_file write_file] since %v", got, rows[1].OfferedSince, listed)
	}
	if rows[2].Offered == nil || len(rows[2].Offered) != 0 {
		t.Errorf("a server that offers no tools reads as %#v, want an empty, known list", rows[2].Offered)
	}

	// The next report replaces the list: a dropped tool is gone from it.
	later := listed.Add(30 * time.Second)
	if err := s.BeatUpstreams(ctx, p, []UpstreamStatus{
		{Server: "fs", State: "running", Since: listed, Offered: []string{"read_file"}, OfferedSince: later},
	}); err != nil {
		t.Fatal(err)
	}
	rows, _ = s.Upstreams(ctx)
	if got := rows[1].Offered; len(got) != 1 || got[0] != "read_file" || !rows[1].OfferedSince.Equal(later) {
		t.Errorf("after the server dropped write_file: %v since %v", got, rows[1].OfferedSince)
	}

	// A list that cannot be read (a hand-edited database) is unknown, not empty.
	if _, err := s.writer.ExecContext(ctx, "UPDATE upstreams SET offered = 'not json' WHERE server = 'fs'"); err != nil {
		t.Fatal(err)
	}
	rows, _ = s.Upstreams(ctx)
	if rows[1].Offered != nil {
		t.Errorf("an unreadable list reads as %#v, want unknown (nil)", rows[1].Offered)
	}
}
