package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// MigrateTimeout bounds how long Migrate waits for another instance's migrations.
const MigrateTimeout = 5 * time.Minute

// Migrate applies the embedded migrations. Several instances may call it at once on one
// database: each holds a session advisory lock while goose reads and advances its version
// table, so the first applies the migrations and the others find nothing left to do.
func Migrate(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	// Out of order is allowed for the reason sqlite.Migrate gives: each resource family numbers
	// its migrations in a range of its own, and ranges land in any order.
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(migrationLock{}), goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, MigrateTimeout)
	defer cancel()
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// migrationLock is goose's SessionLocker with a blocking pg_advisory_lock. goose's own
// Postgres locker polls pg_try_advisory_lock every 5 seconds (1 s at best), which would make
// every instance but the first wait seconds at start-up; blocking wakes a waiter the moment the
// lock is free. The key is scoped to the current schema so separate okapi installations in one
// database (and parallel test runs) do not wait for each other.
type migrationLock struct{}

// migrationLockClass is the first key of okapi's two-part advisory locks for migrations.
const migrationLockClass = 7431000

func (migrationLock) SessionLock(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, migrationLockClass)
	if err != nil {
		return fmt.Errorf("wait for the migration lock: %w", err)
	}
	return nil
}

func (migrationLock) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, migrationLockClass)
	return err
}
