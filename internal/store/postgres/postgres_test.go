package postgres_test

import (
	"database/sql"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/store"
	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/postgres/pgtest"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
	"github.com/okapi-dev/okapi/internal/store/storetest"
)

// open opens the store on a fresh schema, closed and dropped when t ends.
func open(t *testing.T) *sqlstore.DB {
	t.Helper()
	url := pgtest.URL(t)
	db, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	// Registered after the schema's cleanup, so it runs first: close, then drop.
	t.Cleanup(func() { db.Close() })
	return db
}

// TestConformance runs the storage conformance suite, each resource on a fresh schema.
// Without OKAPI_TEST_POSTGRES_URL it is skipped (and fails under CI=true).
func TestConformance(t *testing.T) {
	pgtest.BaseURL(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

// TestMigrateConcurrently starts several instances' migrations at once on an empty schema,
// each on its own pool as separate processes would: all succeed and each migration is
// applied exactly once.
func TestMigrateConcurrently(t *testing.T) {
	url := pgtest.URL(t)
	const instances = 6
	pools := make([]*sql.DB, instances)
	for i := range pools {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		pools[i] = db
	}
	errs := make([]error, instances)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, db := range pools {
		wg.Go(func() {
			<-start
			errs[i] = postgres.Migrate(t.Context(), db)
		})
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent Migrate: %v", err)
	}
	rows, err := pools[0].QueryContext(t.Context(),
		`SELECT version_id, count(*) FROM goose_db_version WHERE is_applied GROUP BY version_id ORDER BY version_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var version, count int64
		if err := rows.Scan(&version, &count); err != nil {
			t.Fatal(err)
		}
		if count != 1 {
			t.Errorf("migration %d applied %d times", version, count)
		}
		n++
	}
	if n < 2 { // version 0 (goose's own) and 00001_init at least
		t.Errorf("%d migrations recorded", n)
	}
	// And the store works on the result; a second migration run is a no-op.
	if err := postgres.Migrate(t.Context(), pools[1]); err != nil {
		t.Errorf("re-running Migrate: %v", err)
	}
}

// TestTextColumnsCollateC guards the schema decision that every text column sorts and
// compares bytewise, as SQLite's BINARY collation does, whatever the database's locale: a
// migration that adds a TEXT column without COLLATE "C" fails here.
func TestTextColumnsCollateC(t *testing.T) {
	db := open(t)
	rows, err := db.ReadPool().QueryContext(t.Context(), `SELECT table_name, column_name, COALESCE(collation_name, '')
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')
		  AND table_name <> 'goose_db_version'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var table, column, collation string
		if err := rows.Scan(&table, &column, &collation); err != nil {
			t.Fatal(err)
		}
		n++
		if collation != "C" {
			t.Errorf(`%s.%s has collation %q, want "C" (add COLLATE "C")`, table, column, collation)
		}
	}
	if n < 20 {
		t.Errorf("only %d text columns found; is search_path pointing at the test schema?", n)
	}
}

// TestOpenRejectsBadURL checks that a malformed URL fails at start with a clear error.
func TestOpenRejectsBadURL(t *testing.T) {
	pgtest.BaseURL(t)
	_, err := postgres.Open(t.Context(), "postgres://host:notaport/db")
	if err == nil || !strings.Contains(err.Error(), "postgres") {
		t.Errorf("Open(bad url) = %v", err)
	}
}

// TestOpenPoolSize checks the pool_max_conns URL parameter: it sizes the pool and does not
// reach PostgreSQL (which would refuse it as an unknown setting).
func TestOpenPoolSize(t *testing.T) {
	url := pgtest.URL(t)
	db, err := postgres.Open(t.Context(), url+"&pool_max_conns=3")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := db.WritePool().Stats().MaxOpenConnections; n != 3 {
		t.Errorf("MaxOpenConnections = %d, want 3", n)
	}
	if err := db.Ping(t.Context()); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"0", "x", "-1"} {
		if _, err := postgres.Open(t.Context(), url+"&pool_max_conns="+bad); err == nil || !strings.Contains(err.Error(), "pool_max_conns") {
			t.Errorf("pool_max_conns=%s: %v", bad, err)
		}
	}
}

// TestMissingSchema (issue 25.3): a search_path naming a schema that does not exist fails at
// once with what to run, not with goose's "no schema has been selected" seconds later.
func TestMissingSchema(t *testing.T) {
	u, err := url.Parse(pgtest.BaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", "okapi_missing_schema")
	u.RawQuery = q.Encode()
	start := time.Now()
	db, err := postgres.Open(t.Context(), u.String())
	if err == nil {
		db.Close()
		t.Fatal("opened with a missing schema")
	}
	want := "schema okapi_missing_schema does not exist: CREATE SCHEMA okapi_missing_schema"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
}
