// Package postgres is okapi's multi-instance backend: several stateless okapi processes share one
// PostgreSQL database through pgx.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// Dialect is PostgreSQL's spelling of the store's queries.
var Dialect = sqlstore.Dialect{
	Name:      "postgres",
	Numbered:  true,
	ForUpdate: " FOR UPDATE",
	// One advisory lock per schema serialises log appends until commit, so the BIGSERIAL seq of
	// log_events is handed out in commit order even with many instances writing: a poller that
	// has read up to seq N never sees a smaller seq commit later. The lock is taken at the first
	// append of a transaction, which services do last, so it is held only for the inserts and
	// the commit.
	LockLog: "SELECT pg_advisory_xact_lock(7431001, hashtext(current_schema()))",
	UniqueViolation: func(err error) (string, bool) {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return pe.ConstraintName, true
		}
		return "", false
	},
	Retryable:   retryable,
	Unavailable: unavailable,
}

// Pool settings, per instance (documented in the README). N instances need N*max connections
// from the server's max_connections (default 100). Transactions are short (one request each),
// so 20 connections serve far more than 20 concurrent requests; a request waits for a free
// connection rather than failing. Connections are recycled every 30 minutes so a failover or a
// PgBouncer/load-balancer change is picked up, and idle ones are closed after 5. The URL
// parameter pool_max_conns=N (as pgxpool spells it) overrides MaxOpen.
const (
	MaxOpen     = 20
	MaxIdle     = 10
	MaxLifetime = 30 * time.Minute
	MaxIdleTime = 5 * time.Minute
)

// Open connects to the database at dsn and applies migrations under an advisory lock, so
// several instances starting at once migrate exactly once.
func Open(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	dsn, maxOpen, err := poolSize(dsn)
	if err != nil {
		return nil, err
	}
	if _, err := pgconn.ParseConfig(dsn); err != nil {
		return nil, fmt.Errorf("postgres url: %w", err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(min(MaxIdle, maxOpen))
	db.SetConnMaxLifetime(MaxLifetime)
	db.SetConnMaxIdleTime(MaxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := checkSchema(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return sqlstore.New(db, db, Dialect), nil
}

// checkSchema fails at once, saying what to run, when no schema of the search_path exists
// (search_path=okapi in the URL before CREATE SCHEMA okapi): goose would fail only later, with
// "no schema has been selected to create in". current_schema() is NULL exactly then.
func checkSchema(ctx context.Context, db *sql.DB) error {
	var current sql.NullString
	var path string
	if err := db.QueryRowContext(ctx, `SELECT current_schema(), current_setting('search_path')`).Scan(&current, &path); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if current.Valid {
		return nil
	}
	schema := strings.TrimSpace(strings.Split(path, ",")[0])
	for _, s := range strings.Split(path, ",") {
		if s = strings.TrimSpace(s); s != `"$user"` && s != "" {
			schema = s
			break
		}
	}
	return fmt.Errorf("postgres: schema %s does not exist: CREATE SCHEMA %s (or fix search_path in the URL)", schema, schema)
}

// poolSize takes the pool_max_conns parameter out of a postgres:// URL (PostgreSQL itself would
// reject it as an unknown setting) and returns the URL without it and the pool size.
func poolSize(dsn string) (string, int, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return dsn, MaxOpen, nil // not a URL: pgconn.ParseConfig reports what is wrong
	}
	q := u.Query()
	v, ok := q["pool_max_conns"]
	if !ok {
		return dsn, MaxOpen, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < 1 || n > 10000 {
		return "", 0, fmt.Errorf("postgres url: pool_max_conns=%q must be a number from 1 to 10000", v[0])
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}
