package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Health is what Check found in a database.
type Health struct {
	// Version is the schema version the file has; Want the one this
	// binary's migrations end at.
	Version, Want int
	// Problems are PRAGMA quick_check's findings; none means intact.
	Problems []string
}

// Check opens the database at path read-only and reports its schema version
// and integrity (PRAGMA quick_check). Unlike Open it neither creates the
// file nor migrates it, so a diagnosis changes nothing.
func Check(ctx context.Context, path string) (Health, error) {
	h := Health{Want: len(migrations)}
	db, err := sql.Open("sqlite", uriPath(path)+"?mode=ro&"+readerParams)
	if err != nil {
		return h, fmt.Errorf("open database %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&h.Version); err != nil {
		return h, fmt.Errorf("database %s: read schema version: %w", path, err)
	}
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return h, fmt.Errorf("database %s: quick_check: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return h, fmt.Errorf("database %s: quick_check: %w", path, err)
		}
		if !strings.EqualFold(line, "ok") {
			h.Problems = append(h.Problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("database %s: quick_check: %w", path, err)
	}
	return h, nil
}
