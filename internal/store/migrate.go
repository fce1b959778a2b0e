package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; PRAGMA user_version records how many have
// run. Append new steps, never edit or reorder old ones: databases in the
// field have already applied them.
var migrations = []string{
	// 1: the audit log.
	`CREATE TABLE calls (
		id          INTEGER PRIMARY KEY,
		started_at  INTEGER NOT NULL,           -- unix microseconds, UTC
		client      TEXT    NOT NULL DEFAULT '',
		session     TEXT    NOT NULL DEFAULT '',
		server      TEXT    NOT NULL,
		tool        TEXT    NOT NULL,
		tier        TEXT    NOT NULL DEFAULT '',
		decision    TEXT    NOT NULL DEFAULT '',
		decided_by  TEXT    NOT NULL DEFAULT '',
		reasons     TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
		arguments   TEXT    NOT NULL DEFAULT '',   -- redacted JSON
		args_hash   TEXT    NOT NULL DEFAULT '',
		outcome     TEXT    NOT NULL DEFAULT '',   -- '' while in flight
		error       TEXT    NOT NULL DEFAULT '',
		duration_us INTEGER NOT NULL DEFAULT 0
	);
	-- History filters walk these newest first (id is the keyset cursor).
	CREATE INDEX calls_server_tool ON calls (server, tool, id);
	CREATE INDEX calls_tool ON calls (tool, id);
	CREATE INDEX calls_started_at ON calls (started_at);`,

	// 2: the checkpoint: requests waiting for a person, consents, pinned
	// tool definitions, user rules, paused servers.
	`ALTER TABLE calls ADD COLUMN def_hash TEXT NOT NULL DEFAULT '';
	ALTER TABLE calls ADD COLUMN summary TEXT NOT NULL DEFAULT '';
	ALTER TABLE calls ADD COLUMN request_id INTEGER NOT NULL DEFAULT 0;
	CREATE TABLE requests (
		id          INTEGER PRIMARY KEY,
		created_at  INTEGER NOT NULL,
		expires_at  INTEGER NOT NULL,
		kind        TEXT NOT NULL,             -- call | consent | changed
		server      TEXT NOT NULL,
		tool        TEXT NOT NULL,
		tier        TEXT NOT NULL,
		reasons     TEXT NOT NULL DEFAULT '[]',
		summary     TEXT NOT NULL DEFAULT '',
		arguments   TEXT NOT NULL DEFAULT '',  -- redacted JSON
		args_hash   TEXT NOT NULL,
		def_hash    TEXT NOT NULL,
		session     TEXT NOT NULL DEFAULT '',
		client      TEXT NOT NULL DEFAULT '',
		findings    TEXT NOT NULL DEFAULT '[]',
		definition  TEXT NOT NULL DEFAULT '',  -- the tool definition asked about
		previous    TEXT NOT NULL DEFAULT '',  -- the pinned definition it replaces (kind changed)
		status      TEXT NOT NULL DEFAULT 'pending', -- pending | allowed | denied | withdrawn | expired
		scope       TEXT NOT NULL DEFAULT '',
		answered_at INTEGER NOT NULL DEFAULT 0,
		answered_by TEXT NOT NULL DEFAULT '',
		consumed_by INTEGER NOT NULL DEFAULT 0 -- the call an approval was spent on
	);
	CREATE INDEX requests_open ON requests (status, server, tool, args_hash);
	CREATE TABLE consents (
		server     TEXT NOT NULL,
		tool       TEXT NOT NULL,             -- '*' = every read tool of the server
		def_hash   TEXT NOT NULL DEFAULT '',
		granted_at INTEGER NOT NULL,
		granted_by TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (server, tool)
	);
	CREATE TABLE pins (
		server             TEXT NOT NULL,
		tool               TEXT NOT NULL,
		def_hash           TEXT NOT NULL,
		definition         TEXT NOT NULL,
		pinned_at          INTEGER NOT NULL,
		changed_hash       TEXT NOT NULL DEFAULT '',
		changed_definition TEXT NOT NULL DEFAULT '',
		changed_at         INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (server, tool)
	);
	CREATE TABLE rules (
		id         INTEGER PRIMARY KEY,
		server     TEXT NOT NULL,
		tool       TEXT NOT NULL,
		args       TEXT NOT NULL DEFAULT '{}',
		action     TEXT NOT NULL,
		note       TEXT NOT NULL DEFAULT '',
		created_at INTEGER NOT NULL,
		matched_at INTEGER NOT NULL DEFAULT 0,
		matches    INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE paused (
		server    TEXT PRIMARY KEY,
		paused_at INTEGER NOT NULL,
		reason    TEXT NOT NULL
	);
	-- Bumped by every change to the tables above, so a proxy can keep them
	-- cached and notice another process's change with one cheap read.
	CREATE TABLE trust_version (v INTEGER NOT NULL);
	INSERT INTO trust_version VALUES (1);`,

	// 3: allow rules carry the most severe tier they allow. Rules made from
	// "always allow" answers (only ever given to write calls) stop at write.
	`ALTER TABLE rules ADD COLUMN up_to TEXT NOT NULL DEFAULT '';
	UPDATE rules SET up_to = 'write' WHERE action = 'allow' AND note LIKE 'from request %';
	UPDATE trust_version SET v = v + 1;`,

	// 4: desktop apps announce themselves with a heartbeat, so a proxy that
	// needs a person knows whether a window can ask; launches records when a
	// proxy last started one, so proxies sharing the home start it once.
	`CREATE TABLE apps (
		pid        INTEGER PRIMARY KEY,
		started_at INTEGER NOT NULL,
		seen_at    INTEGER NOT NULL
	);
	CREATE TABLE launches (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		at INTEGER NOT NULL
	);
	-- Expiry closes the calls that waited on a request.
	CREATE INDEX calls_request ON calls (request_id) WHERE request_id != 0;`,

	// 5: the History screen: full-text search and an index per filter
	// (history.go).
	historySchema,

	// 6: a call enters the full-text index when it finishes (or is recorded
	// already finished), not when it is recorded in flight: the row written before forwarding is on every call's
	// critical path, the outcome update is not (the proxy makes it beside
	// the reply). Rows enter the index exactly once (outcome '' -> set), and
	// only indexed rows are ever removed from it, which keeps the
	// external-content index consistent.
	`DROP TRIGGER calls_fts_insert;
	DROP TRIGGER calls_fts_update;
	DROP TRIGGER calls_fts_delete;
	CREATE TRIGGER calls_fts_insert AFTER INSERT ON calls WHEN new.outcome != '' BEGIN
		INSERT INTO calls_fts(rowid, arguments, summary, server, tool)
		VALUES (new.id, new.arguments, new.summary, new.server, new.tool);
	END;
	CREATE TRIGGER calls_fts_finish AFTER UPDATE OF outcome ON calls
	WHEN old.outcome = '' AND new.outcome != '' BEGIN
		INSERT INTO calls_fts(rowid, arguments, summary, server, tool)
		VALUES (new.id, new.arguments, new.summary, new.server, new.tool);
	END;
	CREATE TRIGGER calls_fts_update AFTER UPDATE OF arguments, summary, server, tool ON calls
	WHEN old.outcome != '' BEGIN
		INSERT INTO calls_fts(calls_fts, rowid, arguments, summary, server, tool)
		VALUES ('delete', old.id, old.arguments, old.summary, old.server, old.tool);
		INSERT INTO calls_fts(rowid, arguments, summary, server, tool)
		VALUES (new.id, new.arguments, new.summary, new.server, new.tool);
	END;
	CREATE TRIGGER calls_fts_delete AFTER DELETE ON calls WHEN old.outcome != '' BEGIN
		INSERT INTO calls_fts(calls_fts, rowid, arguments, summary, server, tool)
		VALUES ('delete', old.id, old.arguments, old.summary, old.server, old.tool);
	END;
	-- Rows recorded by step 5's insert trigger but not finished yet would
	-- be indexed twice when they finish: rebuild from finished rows only.
	INSERT INTO calls_fts(calls_fts) VALUES ('delete-all');
	INSERT INTO calls_fts(rowid, arguments, summary, server, tool)
		SELECT id, arguments, summary, server, tool FROM calls WHERE outcome != '';`,

	// 7: each proxy reports its upstreams' lifecycle (servers.go), so the
	// window, a separate process, can show them. A row belongs to one proxy
	// process (pid and start time, since pids are reused); seen_at is that
	// proxy's heartbeat, and rows whose proxy stopped beating are shown as
	// not running.
	`CREATE TABLE upstreams (
		proxy_pid     INTEGER NOT NULL,
		proxy_started INTEGER NOT NULL,          -- unix microseconds
		server        TEXT    NOT NULL,
		state         TEXT    NOT NULL,          -- starting | running | restarting | failed | stopped
		detail        TEXT    NOT NULL DEFAULT '', -- the last error, while down
		pid           INTEGER NOT NULL DEFAULT 0,  -- the upstream's process, while running
		tools         INTEGER NOT NULL DEFAULT 0,
		since         INTEGER NOT NULL,          -- when state was entered
		seen_at       INTEGER NOT NULL,          -- the proxy's last heartbeat
		PRIMARY KEY (proxy_pid, proxy_started, server)
	);
	CREATE INDEX upstreams_server ON upstreams (server, seen_at);`,

	// 8: the Rules screen and retention (rules.go, prune.go). A call keeps
	// the rule that decided it (or, when none decided, the one that set its
	// tier): rule_id for a rule in the rules table, rule as the rule read
	// at the time, which is also how a rule from airlock.json (no id) finds
	// its calls. Retention deletes old requests by age.
	`ALTER TABLE calls ADD COLUMN rule_id INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE calls ADD COLUMN rule TEXT NOT NULL DEFAULT '';
	CREATE INDEX calls_rule_id ON calls (rule_id, id) WHERE rule_id != 0;
	CREATE INDEX calls_rule ON calls (rule, id) WHERE rule != '';
	CREATE INDEX requests_created ON requests (created_at);`,

	// 9: the display session the desktop app last ran in (apps.go), kept
	// after it stops: hosts start proxies with an environment that names
	// no display, and a proxy then starts the window on this one.
	`CREATE TABLE app_display (
		id          INTEGER PRIMARY KEY CHECK (id = 1),
		env         TEXT    NOT NULL,  -- JSON object: DISPLAY, WAYLAND_DISPLAY, XAUTHORITY, ...
		recorded_at INTEGER NOT NULL
	);`,

	// 10: calls recorded out of start-time order are marked, so a time
	// range is walked by id (history.go, lateSchema).
	lateSchema,

	// 11: each proxy reports which tools its copy of a server offers, so
	// the window can tell a pinned tool the server dropped (upstreams.go).
	// offered is a JSON array of tool names, NULL until the proxy has
	// listed them (or from a proxy that predates this step): unknown, not
	// empty. offered_since is when that proxy's list last changed.
	`ALTER TABLE upstreams ADD COLUMN offered TEXT;
	ALTER TABLE upstreams ADD COLUMN offered_since INTEGER NOT NULL DEFAULT 0;`,
}

// migrate brings the schema up to date. The write lock is taken before
// user_version is read (the writer's transactions are IMMEDIATE), so two
// processes opening a fresh database at once cannot both apply a step.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()

	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this airlock understands (%d): update airlock", version, len(migrations))
	}
	if version == len(migrations) {
		return nil
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	// PRAGMA takes no bound parameters; the value is our own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
		return fmt.Errorf("set schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration: %w", err)
	}
	return nil
}
