// Package postgres is okapi's multi-instance backend: several stateless okapi processes share one
// PostgreSQL database through pgx.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	Retryable: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
	},
}

// Pool settings, per instance (documented in the README). N instances need N*MaxOpen
// connections from the server's max_connections (default 100). Transactions are short (one
// request each), so 20 connections serve far more than 20 concurrent requests; a request waits
// for a free connection rather than failing. Connections are recycled every 30 minutes so a
// failover or a PgBouncer/load-balancer change is picked up, and idle ones are closed after 5.
const (
	MaxOpen     = 20
	MaxIdle     = 10
	MaxLifetime = 30 * time.Minute
	MaxIdleTime = 5 * time.Minute
)

// Open connects to the database at url and applies migrations under an advisory lock, so several
// instances starting at once migrate exactly once.
func Open(ctx context.Context, url string) (*sqlstore.DB, error) {
	if _, err := pgconn.ParseConfig(url); err != nil {
		return nil, fmt.Errorf("postgres url: %w", err)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(MaxOpen)
	db.SetMaxIdleConns(MaxIdle)
	db.SetConnMaxLifetime(MaxLifetime)
	db.SetConnMaxIdleTime(MaxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return sqlstore.New(db, db, Dialect), nil
}
