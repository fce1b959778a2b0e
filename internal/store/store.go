// Package store keeps Airlock's audit log in one SQLite file that several
// processes (proxies, the desktop app, the CLI) share.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Writers take the write lock at BEGIN (_txlock=immediate): across processes,
// deferred transactions that read then write fail with SQLITE_BUSY despite the
// busy timeout. One writer connection per process keeps statements prepared
// and makes in-process writes queue in Go rather than in SQLite.
const writerParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(1)&_pragma=journal_size_limit(67108864)&_txlock=immediate"

const readerParams = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=query_only(1)"

// readerConns bounds the reader pool; reads are short indexed lookups.
const readerConns = 4

// Store is an open audit database. It is safe for concurrent use.
type Store struct {
	path   string
	writer *sql.DB
	reader *sql.DB

	insertCall   *sql.Stmt
	finishCall   *sql.Stmt
	trustVersion *sql.Stmt // on the reader: read before every decision

	// versionConn is one fixed reader connection: PRAGMA data_version is only
	// comparable between calls made on the same connection.
	versionMu   sync.Mutex
	versionConn *sql.Conn
}

// Open opens or creates the database at path. The folder is created 0700 and
// the file 0600: the audit log holds what tools were asked to do.
func Open(path string) (*Store, error) {
	if err := prepareFile(path); err != nil {
		return nil, err
	}
	// SQLite gives new -wal and -shm files the database file's mode.
	s, err := open(path)
	if err != nil {
		return nil, err
	}
	if err := tightenSidecars(path); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func open(path string) (*Store, error) {
	ctx := context.Background()
	name := uriPath(path)

	writer, err := sql.Open("sqlite", name+"?"+writerParams)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	s := &Store{path: path, writer: writer}

	if err := migrateRetrying(ctx, writer); err != nil {
		s.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}

	reader, err := sql.Open("sqlite", name+"?"+readerParams)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	s.reader = reader
	reader.SetMaxOpenConns(readerConns + 1) // +1 for versionConn
	reader.SetMaxIdleConns(readerConns + 1)

	if s.versionConn, err = reader.Conn(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	if s.insertCall, err = writer.PrepareContext(ctx, insertCallSQL); err != nil {
		s.Close()
		return nil, fmt.Errorf("prepare insert: %w", err)
	}
	if s.finishCall, err = writer.PrepareContext(ctx, finishCallSQL); err != nil {
		s.Close()
		return nil, fmt.Errorf("prepare update: %w", err)
	}
	if s.trustVersion, err = reader.PrepareContext(ctx, "SELECT v FROM trust_version"); err != nil {
		s.Close()
		return nil, fmt.Errorf("prepare trust version: %w", err)
	}
	return s, nil
}

// migrateRetrying runs migrate, waiting out a database being created by
// another process: switching a new file to WAL needs an exclusive lock, and
// SQLite reports SQLITE_BUSY for it without calling the busy handler. Once
// the file is in WAL mode (it stays so) this never loops.
func migrateRetrying(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		err := migrate(ctx, db)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff // primary code; extended codes add high bits
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// Close releases the database. It folds the WAL back into the main file and
// truncates it, so an idle database is one file of its real size.
func (s *Store) Close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.insertCall, s.finishCall, s.trustVersion} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	if s.versionConn != nil {
		errs = append(errs, s.versionConn.Close())
	}
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if s.writer != nil {
		// Other processes may be reading: wait only briefly for them. A
		// checkpoint that could not finish is not an error; the next one
		// (or the last process to close) completes it.
		ctx := context.Background()
		_, _ = s.writer.ExecContext(ctx, "PRAGMA busy_timeout = 200")
		_, _ = s.writer.ExecContext(ctx, "PRAGMA optimize")
		_, _ = s.writer.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		errs = append(errs, s.writer.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database %s: %w", s.path, err)
	}
	return nil
}

// DataVersion changes whenever another connection (another process, or this
// store's writer) commits to the database. Polling it is a cheap way to
// notice new calls without re-reading them.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	s.versionMu.Lock()
	defer s.versionMu.Unlock()
	var v int64
	if err := s.versionConn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read data_version: %w", err)
	}
	return v, nil
}

// prepareFile creates the folder and an empty database file with private
// modes before SQLite sees the path, and narrows an existing file that is
// readable by others.
func prepareFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create database folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	return tighten(path)
}

// tightenSidecars narrows -wal and -shm files left by an older process.
func tightenSidecars(path string) error {
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := tighten(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func tighten(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(path, fi.Mode().Perm()&0o700); err != nil {
		return fmt.Errorf("make %s private: %w", path, err)
	}
	return nil
}

// uriPath turns a file path into an SQLite URI. The driver only passes a
// "file:" name to SQLite whole, and SQLite reads '?' and '#' in it as the
// start of parameters, so those (and '%') are escaped.
func uriPath(path string) string {
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p // file:/C:/x, not file:C:/x
	}
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(p)
}
