package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// TestMigrationOfferedKeepsUpstreamRows opens a database written at schema
// 10 (before the upstreams' offered columns) holding a status row: the row
// survives migration 11 with its list unknown (nil, not empty), and the
// migrated table takes a list.
func TestMigrationOfferedKeepsUpstreamRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "airlock.db")
	db, err := sql.Open("sqlite", uriPath(path)+"?"+writerParams)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, m := range migrations[:10] {
		if _, err := db.ExecContext(ctx, m); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	if _, err := db.ExecContext(ctx, "PRAGMA user_version = 10"); err != nil {
		t.Fatal(err)
	}
	started := time.Now().Add(-time.Minute).Truncate(time.Microsecond)
	if _, err := db.ExecContext(ctx, `INSERT INTO upstreams
		(proxy_pid, proxy_started, server, state, detail, pid, tools, since, seen_at)
		VALUES (7, ?, 'fs', 'running', '', 42, 3, ?, ?)`,
		started.UnixMicro(), started.UnixMicro(), started.UnixMicro()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(path)
	if err != nil {
		t.Fatalf("open a schema 10 database: %v", err)
	}
	defer s.Close()
	rows, err := s.Upstreams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("got %d rows after migration, want the 1 written before: %+v", len(rows), rows)
	}
	if u := rows[0]; u.Server != "fs" || u.State != "running" || u.PID != 42 || u.Tools != 3 ||
		u.Offered != nil || !u.OfferedSince.IsZero() {
		t.Errorf("migrated row = %+v, want fs running pid 42, 3 tools, offered unknown", u)
	}

	p := Proxy{PID: 7, Started: started}
	since := time.Now().Truncate(time.Microsecond)
	if err := s.BeatUpstreams(ctx, p, []UpstreamStatus{{Server: "fs", State: "running", PID: 42, Tools: 1,
		Since: started, Offered: []string{"read"}, OfferedSince: since}}); err != nil {
		t.Fatal(err)
	}
	rows, err = s.Upstreams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || len(rows[0].Offered) != 1 || rows[0].Offered[0] != "read" || !rows[0].OfferedSince.Equal(since) {
		t.Errorf("after a beat with a list: %+v, want offered [read] since %v", rows, since)
	}
}
