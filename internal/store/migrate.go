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
