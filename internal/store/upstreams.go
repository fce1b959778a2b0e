package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// staleUpstream is how long the status rows of a proxy that stopped beating
// (it crashed or was killed) are kept: long enough to show when it was last
// seen, short enough not to pile up.
const staleUpstream = time.Hour

// Proxy identifies one running proxy process. The start time tells a reused
// pid from the proxy that had it.
type Proxy struct {
	PID     int
	Started time.Time
}

// UpstreamStatus is one proxy's view of one of its upstream servers.
type UpstreamStatus struct {
	Proxy  Proxy
	Server string
	State  string // starting | running | restarting | failed | stopped
	Detail string // the last error, while the upstream is down
	PID    int    // the upstream's process, while running
	Tools  int
	Since  time.Time // when State was entered
	SeenAt time.Time // the proxy's last heartbeat
	// Offered names the tools the server offered at the proxy's last
	// listing; nil when it has not listed them (yet): unknown, not none.
	Offered []string
	// OfferedSince is when Offered last changed (zero while unknown).
	OfferedSince time.Time
}

// offeredColumn is Offered as stored: NULL for unknown, else a JSON array.
func offeredColumn(names []string) (any, error) {
	if names == nil {
		return nil, nil
	}
	data, err := json.Marshal(names)
	if err != nil {
		return nil, err
	}
	return string(data), nil
}

// BeatUpstreams records the changed statuses of proxy p's upstreams and
// refreshes the heartbeat of all its rows, in one transaction. Rows of
// proxies that stopped beating long ago are removed on the way.
func (s *Store) BeatUpstreams(ctx context.Context, p Proxy, changed []UpstreamStatus) error {
	now := time.Now().UnixMicro()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, u := range changed {
			offered, err := offeredColumn(u.Offered)
			if err != nil {
				return err
			}
			var offeredSince int64
			if !u.OfferedSince.IsZero() {
				offeredSince = u.OfferedSince.UnixMicro()
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO upstreams
				(proxy_pid, proxy_started, server, state, detail, pid, tools, since, seen_at, offered, offered_since)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (proxy_pid, proxy_started, server) DO UPDATE SET state = excluded.state,
				detail = excluded.detail, pid = excluded.pid, tools = excluded.tools, since = excluded.since,
				seen_at = excluded.seen_at, offered = excluded.offered, offered_since = excluded.offered_since`,
				p.PID, p.Started.UnixMicro(), u.Server, u.State, u.Detail, u.PID, u.Tools,
				u.Since.UnixMicro(), now, offered, offeredSince); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE upstreams SET seen_at = ? WHERE proxy_pid = ? AND proxy_started = ?",
			now, p.PID, p.Started.UnixMicro()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM upstreams WHERE seen_at < ?", now-staleUpstream.Microseconds())
		return err
	})
	if err != nil {
		return fmt.Errorf("report upstream status: %w", err)
	}
	return nil
}

// ProxyStopped removes the rows of proxy p, which no longer runs anything.
func (s *Store) ProxyStopped(ctx context.Context, p Proxy) error {
	_, err := s.writer.ExecContext(ctx, "DELETE FROM upstreams WHERE proxy_pid = ? AND proxy_started = ?",
		p.PID, p.Started.UnixMicro())
	if err != nil {
		return fmt.Errorf("proxy stopped: %w", err)
	}
	return nil
}

// Upstreams returns every reported status row, by server then proxy. Rows
// of proxies that stopped beating are included; judging them is the
// caller's (it knows how often proxies beat).
func (s *Store) Upstreams(ctx context.Context) ([]UpstreamStatus, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT proxy_pid, proxy_started, server, state, detail, pid, tools,
		since, seen_at, offered, offered_since FROM upstreams ORDER BY server, proxy_started, proxy_pid`)
	if err != nil {
		return nil, fmt.Errorf("read upstream status: %w", err)
	}
	defer rows.Close()
	var out []UpstreamStatus
	for rows.Next() {
		var u UpstreamStatus
		var started, since, seen, offeredSince int64
		var offered sql.NullString
		if err := rows.Scan(&u.Proxy.PID, &started, &u.Server, &u.State, &u.Detail, &u.PID, &u.Tools,
			&since, &seen, &offered, &offeredSince); err != nil {
			return nil, fmt.Errorf("read upstream status: %w", err)
		}
		u.Proxy.Started = time.UnixMicro(started).UTC()
		u.Since, u.SeenAt = time.UnixMicro(since).UTC(), time.UnixMicro(seen).UTC()
		if offered.Valid {
			// A list that cannot be read stays unknown: the window then
			// says nothing about which tools are offered.
			var names []string
			if json.Unmarshal([]byte(offered.String), &names) == nil && names != nil {
				u.Offered = names
				if offeredSince != 0 {
					u.OfferedSince = time.UnixMicro(offeredSince).UTC()
				}
			}
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read upstream status: %w", err)
	}
	return out, nil
}

// Paused is a server whose non-read calls are stopped until a person
// resumes it.
type Paused struct {
	Server string
	At     time.Time
	Reason string
}

// PausedServers lists the paused servers.
func (s *Store) PausedServers(ctx context.Context) ([]Paused, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT server, paused_at, reason FROM paused ORDER BY server")
	if err != nil {
		return nil, fmt.Errorf("read paused servers: %w", err)
	}
	defer rows.Close()
	var out []Paused
	for rows.Next() {
		var p Paused
		var at int64
		if err := rows.Scan(&p.Server, &at, &p.Reason); err != nil {
			return nil, fmt.Errorf("read paused servers: %w", err)
		}
		p.At = time.UnixMicro(at).UTC()
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read paused servers: %w", err)
	}
	return out, nil
}
