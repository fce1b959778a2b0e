package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// historySchema is the migration step behind the History screen: a
// full-text index over what a call was about, and an index per filter so
// every filter walks newest first without sorting.
//
// calls_fts is an external-content FTS5 table: it stores only the index,
// the text stays in calls. The trigram tokenizer matches any substring of
// three or more characters ("rm -rf", "/etc/pass", "DROP TAB"), which is
// what people type when they look for a call; word tokenizers miss paths
// and JSON. Triggers keep it in step with calls; FinishCall changes none of
// the indexed columns, so finishing a call costs the index nothing.
const historySchema = `CREATE VIRTUAL TABLE calls_fts USING fts5(
		arguments, summary, server, tool,
		content='calls', content_rowid='id', tokenize='trigram'
	);
	INSERT INTO calls_fts(calls_fts) VALUES ('rebuild');
	CREATE TRIGGER calls_fts_insert AFTER INSERT ON calls BEGIN
		INSERT INTO calls_fts(rowid, arguments, summary, server, tool)
		VALUES (new.id, new.arguments, new.summary, new.server, new.tool);
	END;
	CREATE TRIGGER calls_fts_update AFTER UPDATE OF arguments, summary, server, tool ON calls BEGIN
		INSERT INTO calls_fts(calls_fts, rowid, arguments, summary, server, tool)
		VALUES ('delete', old.id, old.arguments, old.summary, old.server, old.tool);
		INSERT INTO calls_fts(rowid, arguments, summary, server, tool)
		VALUES (new.id, new.arguments, new.summary, new.server, new.tool);
	END;
	CREATE TRIGGER calls_fts_delete AFTER DELETE ON calls BEGIN
		INSERT INTO calls_fts(calls_fts, rowid, arguments, summary, server, tool)
		VALUES ('delete', old.id, old.arguments, old.summary, old.server, old.tool);
	END;
	-- calls_server_tool (server, tool, id) walks a server's calls tool by
	-- tool; a server alone needs its own index to walk them by id.
	CREATE INDEX calls_server ON calls (server, id);
	CREATE INDEX calls_tier ON calls (tier, id);
	CREATE INDEX calls_decision ON calls (decision, id);
	CREATE INDEX calls_outcome ON calls (outcome, id);
	-- Covers the per-day chart: a range of days reads only this index.
	CREATE INDEX calls_day ON calls (started_at, tier, decision);`

// lateSchema (migration 10) marks the calls recorded late: a call whose
// start time is earlier than that of a call recorded before it (a proxy
// takes the start time, then records the call, and another call can be
// recorded in between). The calls not marked are in start-time order by
// id, so the ones of a time range are the ids between the first and the
// last of them that started in it (rangeBounds); the late calls of the
// range, few, are read through their own index. A call is marked as it is
// recorded (the trigger looks once into the start-time index; +id keeps
// SQLite from walking ids instead) and never unmarked: a mark that
// retention has made needless only sends a call through the small index.
const lateSchema = `ALTER TABLE calls ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
	UPDATE calls SET late = 1 WHERE id IN (
		SELECT id FROM (
			SELECT id, started_at,
				max(started_at) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
			FROM calls)
		WHERE started_at < before);
	CREATE INDEX calls_late ON calls (started_at) WHERE late = 1;
	CREATE TRIGGER calls_mark_late AFTER INSERT ON calls
	WHEN EXISTS (SELECT 1 FROM calls WHERE started_at > new.started_at AND +id < new.id) BEGIN
		UPDATE calls SET late = 1 WHERE id = new.id;
	END;`

// minTrigram is the shortest search the trigram index answers; shorter
// searches scan the rows instead.
const minTrigram = 3

const callColumns = `c.id, c.started_at, c.client, c.session, c.server, c.tool, c.tier, c.decision, c.decided_by,
	c.reasons, c.arguments, c.args_hash, c.outcome, c.error, c.duration_us, c.def_hash, c.summary, c.request_id,
	c.rule_id, c.rule`

// callSource is where callQuery walks calls from, newest first.
type callSource int

const (
	// scanCalls walks the calls table; a search is a condition.
	scanCalls callSource = iota
	// markedCalls walks the calls table without the search as a condition:
	// a last column tells whether the row matches it.
	markedCalls
	// indexedCalls walks the hits of an FTS5 query on the search index,
	// joining each to its row (CROSS JOIN fixes that order), so a page stops
	// after the first matches instead of collecting every match first.
	indexedCalls
	// unfinishedCalls walks the calls not in the search index yet: a call
	// enters it when it finishes (migration 6).
	unfinishedCalls
	// lateAbove and lateBelow walk, through the index of late calls
	// (lateSchema), the calls of a time range whose ids lie above or below
	// its id bounds (rangeBounds).
	lateAbove
	lateBelow
)

// idBounds split a time range (rangeBounds): the walk by id covers ids in
// [lo, hi]; 0 means no bound on that side. onlyLate: no call in start-time
// order started in the range, so only late calls can be in it.
type idBounds struct {
	lo, hi   int64
	onlyLate bool
}

// callQuery builds the SELECT for f, newest first. limit <= 0 means no limit
// (exports). match is the FTS5 query of indexedCalls. A search is always
// LIKE on each row (case-insensitive for ASCII letters), so a search of any
// length means the same; the index only narrows the rows down. b keeps ids
// within the time range's bounds, or beyond them for lateAbove and
// lateBelow.
func callQuery(f Filter, limit int, src callSource, match string, b idBounds) (string, []any) {
	var where []string
	var args []any
	columns := callColumns
	from := "calls c"
	order := "c.id"
	since, until := "c.started_at >= ?", "c.started_at < ?"
	if search := strings.TrimSpace(f.Search); search != "" {
		pattern := "%" + likeEscaper.Replace(search) + "%"
		like := `(c.arguments LIKE ? ESCAPE '\' OR c.summary LIKE ? ESCAPE '\'
			OR c.server LIKE ? ESCAPE '\' OR c.tool LIKE ? ESCAPE '\')`
		if src == markedCalls {
			columns += ", " + like
		} else {
			where = append(where, like)
		}
		args = append(args, pattern, pattern, pattern, pattern)
	}
	switch src {
	case indexedCalls:
		from = "calls_fts CROSS JOIN calls c ON c.id = calls_fts.rowid"
		order = "calls_fts.rowid"
		where = append(where, "calls_fts MATCH ?")
		args = append(args, match)
	case unfinishedCalls:
		// Calls in flight are few, whatever the statistics say of
		// outcomes in general.
		from = "calls c INDEXED BY calls_outcome"
		where = append(where, "c.outcome = ''")
	case lateAbove:
		from = "calls c INDEXED BY calls_late"
		where = append(where, "c.late = 1", "c.id > ?")
		args = append(args, b.hi)
	case lateBelow:
		from = "calls c INDEXED BY calls_late"
		where = append(where, "c.late = 1", "c.id < ?")
		args = append(args, b.lo)
	}
	if src != lateAbove && src != lateBelow {
		// Within the id bounds the walk goes by id and stops at a page;
		// the start-time index would read the whole range and sort it.
		if b.lo > 0 {
			since = "+" + since
			where = append(where, order+" >= ?")
			args = append(args, b.lo)
		}
		if b.hi > 0 {
			until = "+" + until
			where = append(where, order+" <= ?")
			args = append(args, b.hi)
		}
	}
	eq := func(col, v string) {
		if v != "" {
			where = append(where, col+" = ?")
			args = append(args, v)
		}
	}
	eq("c.server", f.Server)
	eq("c.tool", f.Tool)
	eq("c.tier", f.Tier)
	eq("c.decision", f.Decision)
	eq("c.outcome", f.Outcome)
	if !f.Since.IsZero() {
		where = append(where, since)
		args = append(args, f.Since.UnixMicro())
	}
	if !f.Until.IsZero() {
		where = append(where, until)
		args = append(args, f.Until.UnixMicro())
	}
	if f.BeforeID > 0 {
		where = append(where, order+" < ?")
		args = append(args, f.BeforeID)
	}
	q := "SELECT " + columns + " FROM " + from
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY " + order + " DESC"
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	return q, args
}

// ftsPhrase quotes a search as one FTS5 phrase: with the trigram tokenizer
// that is a substring match, and no character of the search is read as
// query syntax (AND, NEAR, *, column filters).
func ftsPhrase(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// scanCall reads one row selected with callColumns, and extra columns
// after them into extra.
func scanCall(rows *sql.Rows, extra ...any) (Call, error) {
	var c Call
	var started, durUS int64
	var reasons string
	if err := rows.Scan(append([]any{&c.ID, &started, &c.Client, &c.Session, &c.Server, &c.Tool, &c.Tier,
		&c.Decision, &c.DecidedBy, &reasons, &c.Arguments, &c.ArgsHash, &c.Outcome, &c.Error, &durUS,
		&c.DefHash, &c.Summary, &c.RequestID, &c.RuleID, &c.Rule}, extra...)...); err != nil {
		return c, err
	}
	c.Time = time.UnixMicro(started).UTC()
	c.Duration = time.Duration(durUS) * time.Microsecond
	if reasons != "" && reasons != "[]" {
		// A malformed value (written by hand or another tool) shows as
		// one reason instead of hiding the row.
		if err := json.Unmarshal([]byte(reasons), &c.Reasons); err != nil {
			c.Reasons = []string{reasons}
		}
	}
	return c, nil
}

// eachCall runs fn on every call f selects, newest first, reading one row at
// a time. When that takes several queries they share one read transaction,
// so a call finishing meanwhile is seen once.
//
// A search of minTrigram characters or more first walks the newest calls
// (through a filter's index, if any), which a search many calls match fills
// a page from at once; below them it walks the hits of the search index
// and, beside them, the few calls still in flight (not indexed yet), merged
// by id.
//
// A time range is walked by id between its bounds (rangeBounds); the few
// calls of the range recorded late, beyond the bounds, come before and
// after that walk.
func (s *Store) eachCall(ctx context.Context, f Filter, limit int, fn func(Call) error) error {
	search := strings.TrimSpace(f.Search)
	long := utf8.RuneCountInString(search) >= minTrigram
	if !long && f.Since.IsZero() && f.Until.IsZero() { // one query
		q, args := callQuery(f, limit, scanCalls, "", idBounds{})
		return eachRow(ctx, s.reader, q, args, fn)
	}
	tx, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sent := 0
	send := func(c Call) error {
		if limit > 0 && sent == limit {
			return errPageFull
		}
		sent++
		return fn(c)
	}
	b, err := rangeBounds(ctx, tx, f)
	if err != nil {
		return err
	}
	more := func() bool { return err == nil && (limit <= 0 || sent < limit) }
	late := func(src callSource) {
		q, args := callQuery(f, limit, src, "", b)
		err = eachRow(ctx, tx, q, args, send)
	}
	if b.onlyLate {
		late(lateAbove) // above id 0: every late call of the range
	} else {
		if b.hi > 0 {
			late(lateAbove)
		}
		if more() {
			if !long {
				q, args := callQuery(f, limit, scanCalls, "", b)
				err = eachRow(ctx, tx, q, args, send)
			} else {
				err = s.walkSearch(ctx, tx, f, limit, b, search, send)
			}
		}
		if b.lo > 0 && more() {
			late(lateBelow)
		}
	}
	if errors.Is(err, errPageFull) {
		return nil
	}
	return err
}

// rangeBounds returns id bounds for f's time range: lo, the id of the call
// in start-time order (not late, lateSchema) that started first in it, when
// the range has a start; hi, of the one that started last, when it has an
// end. Every call in order between them started in the range, and none
// beyond them did; late calls may lie anywhere. Without bounds SQLite reads
// the whole range by start time and sorts it, or walks every newer call:
// tens of milliseconds on a busy log.
func rangeBounds(ctx context.Context, tx *sql.Tx, f Filter) (idBounds, error) {
	var b idBounds
	if f.Since.IsZero() && f.Until.IsZero() {
		return b, nil
	}
	since, until := int64(math.MinInt64), int64(math.MaxInt64)
	if !f.Since.IsZero() {
		since = f.Since.UnixMicro()
	}
	if !f.Until.IsZero() {
		until = f.Until.UnixMicro()
	}
	// Calls in order are in start-time order by id, ties too.
	q := `SELECT id FROM calls INDEXED BY calls_started_at WHERE started_at >= ? AND started_at < ? AND late = 0
		ORDER BY started_at`
	var lo, hi int64
	err := tx.QueryRowContext(ctx, q+", id LIMIT 1", since, until).Scan(&lo)
	if errors.Is(err, sql.ErrNoRows) {
		return idBounds{onlyLate: true}, nil
	}
	if err != nil {
		return b, err
	}
	if !f.Since.IsZero() {
		b.lo = lo
	}
	if !f.Until.IsZero() {
		if err := tx.QueryRowContext(ctx, q+" DESC, id DESC LIMIT 1", since, until).Scan(&hi); err != nil {
			return b, err
		}
		b.hi = hi
	}
	return b, nil
}

// errPageFull stops a merged walk once the page has its rows.
var errPageFull = errors.New("page full")

// rowQuerier is the reader pool or a read transaction.
type rowQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// eachRow runs fn on every row of a query selecting callColumns.
func eachRow(ctx context.Context, db rowQuerier, q string, args []any, fn func(Call) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CallsMark is a cheap fingerprint of the call log, for a window that
// reloads its lists only when calls changed, not on every commit to the
// database (heartbeats commit every few seconds). Rows are only ever added
// at the top, deleted from the bottom (retention) or updated while they can
// still change: in flight (no outcome yet) or waiting for a person
// (decision pending). A writer that changes other rows must be added here.
type CallsMark struct {
	Newest, Oldest int64
	Open           string // id:decision:outcome of every call that can still change
}

// CallsMark reads the fingerprint: three index lookups and the few rows
// still open.
func (s *Store) CallsMark(ctx context.Context) (CallsMark, error) {
	var m CallsMark
	err := s.reader.QueryRowContext(ctx, `SELECT
		coalesce((SELECT max(id) FROM calls), 0),
		coalesce((SELECT min(id) FROM calls), 0),
		coalesce((SELECT group_concat(m, ',') FROM (
			SELECT id || ':' || decision || ':' || outcome AS m FROM calls WHERE outcome = ''
			UNION SELECT id || ':' || decision || ':' || outcome FROM calls WHERE decision = 'pending'
			ORDER BY 1)), '')`).Scan(&m.Newest, &m.Oldest, &m.Open)
	if err != nil {
		return m, fmt.Errorf("read calls mark: %w", err)
	}
	return m, nil
}

// DayCount is the number of calls of one tier and decision started on one day.
type DayCount struct {
	Day      string // YYYY-MM-DD
	Tier     string
	Decision string
	Count    int
}

// CallsPerDay counts calls started in [since, until) by day, tier and
// decision, oldest day first. Days are cut at midnight in since's time zone
// (at since's offset), so the chart matches the user's calendar; a zero
// until means now.
func (s *Store) CallsPerDay(ctx context.Context, since, until time.Time) ([]DayCount, error) {
	if until.IsZero() {
		until = time.Now()
	}
	_, offset := since.Zone()
	shift := int64(offset) * 1e6
	const dayUS = int64(24 * time.Hour / time.Microsecond)
	rows, err := s.reader.QueryContext(ctx, `SELECT (started_at + ?) / ? AS day, tier, decision, count(*)
		FROM calls WHERE started_at >= ? AND started_at < ?
		GROUP BY day, tier, decision ORDER BY day, tier, decision`,
		shift, dayUS, since.UnixMicro(), until.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("count calls per day: %w", err)
	}
	defer rows.Close()
	var out []DayCount
	for rows.Next() {
		var day int64
		var d DayCount
		if err := rows.Scan(&day, &d.Tier, &d.Decision, &d.Count); err != nil {
			return nil, fmt.Errorf("count calls per day: %w", err)
		}
		d.Day = time.Unix(day*86400, 0).UTC().Format(time.DateOnly)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count calls per day: %w", err)
	}
	return out, nil
}
