// Package pgtest gives tests a PostgreSQL database of their own: a fresh schema in the database
// named by OKAPI_TEST_POSTGRES_URL, dropped when the test ends. Create that database with
// scripts/pg-test-db.sh.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/okapi-dev/okapi/internal/testgate"
)

// EnvURL names the variable holding the test database URL.
const EnvURL = testgate.EnvPostgres

// BaseURL returns OKAPI_TEST_POSTGRES_URL through testgate: without it the test is skipped,
// or fails under CI=true.
func BaseURL(t testing.TB) string {
	t.Helper()
	return testgate.PostgresURL(t)
}

// URL creates an empty schema okapi_test_<random> and returns the test database URL with its
// search_path set to it, so everything okapi creates (tables, goose's version table) lands
// there. The schema is dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	base := BaseURL(t)
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL, got %q", EnvURL, base)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "okapi_test_" + hex.EncodeToString(b[:])

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema on %s: %v", redact(u), err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	// pgx sends unknown URL parameters as run-time settings at connection start.
	q.Set("search_path", schema)
	// Tests need no durability; not waiting for the WAL flush at each commit makes them fast.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

func redact(u *url.URL) string {
	s := u.Redacted()
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[:i]
	}
	return s
}
