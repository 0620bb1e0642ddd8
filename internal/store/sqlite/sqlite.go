// Package sqlite is okapi's embedded default backend: one SQLite file in WAL mode, one writer
// connection (SQLite allows one writer; queueing in Go beats SQLITE_BUSY) and a pool of readers.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect is SQLite's spelling of the store's queries.
var Dialect = sqlstore.Dialect{
	Name:            "sqlite",
	UniqueViolation: uniqueViolation,
	// No Retryable: okapi has one writer connection, so SQLITE_BUSY means another process has held
	// the write lock for the whole busy timeout already. Retrying would keep the client waiting
	// several timeouts for the same answer; it gets 503 with Retry-After instead.
	Unavailable:     unavailable,
	CacheStatements: true,
	GroupCommit:     true,
}

// unavailable: busy or locked past the busy timeout (transient), or full (max_page_count or the
// disk; needs an operator).
func unavailable(err error) (string, bool, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return "", false, false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return "the database is busy", true, true
	case sqlite3.SQLITE_FULL:
		return "the database is full", false, true
	}
	return "", false, false
}

func uniqueViolation(err error) (string, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return se.Error(), true
	}
	return "", false
}

// CacheKiB is each connection's page cache (SQLite's default is 2 MB). A million users make a
// users table whose b-tree interior alone is several megabytes: with the default, every row a
// list page or a create touches re-read interior pages from the OS. 16 MB per connection keeps
// them; the pools hold at most GOMAXPROCS*2+1 connections.
const CacheKiB = 16 * 1024

// Options tune the database; the zero value is the default.
type Options struct {
	// Bulk opens the file for a one-off bulk load (okapi seed-bench): one exclusive connection
	// for reads and writes, no rollback journal, no fsync, a large page cache. A crash during
	// the load can corrupt the file, and nothing else may open it meanwhile; Close puts it
	// back in WAL mode. Never for serving.
	Bulk bool
	// MaxPageCount caps the file size in pages (tests use it to make a full database).
	MaxPageCount int
	// BusyTimeout is how long a write waits for a lock another process holds (default 10 s;
	// tests shorten it).
	BusyTimeout time.Duration
	// CheckpointEvery is how often the background checkpointer copies the WAL into the
	// database file (default 200 ms; see checkpoint.go).
	CheckpointEvery time.Duration
}

// Open opens (creating if needed) the database file at path and applies migrations.
func Open(ctx context.Context, path string, opts Options) (*sqlstore.DB, error) {
	dsn := func(txlock string) string {
		q := url.Values{}
		busy := opts.BusyTimeout
		if busy <= 0 {
			busy = 10 * time.Second
		}
		q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
		if opts.MaxPageCount > 0 {
			q.Add("_pragma", fmt.Sprintf("max_page_count(%d)", opts.MaxPageCount))
		}
		q.Set("_txlock", txlock)
		return "file:" + path + "?" + q.Encode()
	}
	// The database holds secrets' hashes and tokens: create it 0600 (not the umask's 0644).
	// SQLite creates -wal and -shm with the database file's mode, so they follow.
	if path != "" && !strings.Contains(path, ":memory:") && !strings.Contains(path, "mode=memory") {
		if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
			f.Close()
		}
	}
	if opts.Bulk {
		return openBulk(ctx, path, dsn)
	}
	write, err := sql.Open("sqlite", dsn("immediate")+"&_pragma="+url.QueryEscape(fmt.Sprintf("wal_autocheckpoint(%d)", autoCheckpointPages))+"&_pragma="+url.QueryEscape(fmt.Sprintf("cache_size(%d)", -CacheKiB)))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := Migrate(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", dsn("deferred")+"&_pragma="+url.QueryEscape(fmt.Sprintf("cache_size(%d)", -CacheKiB)))
	if err != nil {
		write.Close()
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	ckdb, err := sql.Open("sqlite", dsn("deferred"))
	if err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	ckdb.SetMaxOpenConns(1)
	ckdb.SetMaxIdleConns(1)
	ck := startCheckpointer(ckdb, opts.CheckpointEvery)
	db := sqlstore.New(read, write, Dialect)
	db.OnClose(ck.Close)
	return db, nil
}

// Migrate applies the embedded migrations.
func Migrate(ctx context.Context, db *sql.DB) error {
	// Resource families number their migrations in ranges of their own, so a database that a
	// build with a later range migrated must still take an earlier range that lands after it.
	// Each range creates only its family's tables.
	p, err := goose.NewProvider(goose.DialectSQLite3, db, mustSub(migrations, "migrations"), goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// openBulk opens path with Options.Bulk: it migrates in WAL mode first, then switches the one
// connection to exclusive, journal-less writing.
func openBulk(ctx context.Context, path string, dsn func(string) string) (*sqlstore.DB, error) {
	db, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	for _, p := range []string{"PRAGMA locking_mode = EXCLUSIVE", "PRAGMA journal_mode = OFF",
		"PRAGMA synchronous = OFF", "PRAGMA cache_size = -524288", "PRAGMA temp_store = MEMORY",
		// Rebuilding each index scans the whole table: through a memory map rather than a read
		// call per page (a serving okapi does not map the file, to keep its RSS its own).
		"PRAGMA mmap_size = 17179869184",
		// CREATE INDEX sorts with helper threads (the index rebuild at the end of a seed).
		fmt.Sprintf("PRAGMA threads = %d", runtime.GOMAXPROCS(0))} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	out := sqlstore.New(db, db, Dialect)
	out.OnClose(func() error {
		_, err := db.ExecContext(context.Background(), "PRAGMA journal_mode = WAL")
		return err
	})
	return out, nil
}
