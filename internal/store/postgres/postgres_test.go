package postgres_test

import (
	"context"
	"testing"

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

// TestConformance runs the storage conformance suite on a fresh schema per check. Without
// OKAPI_TEST_POSTGRES_URL it is skipped (and fails under CI=true).
func TestConformance(t *testing.T) {
	pgtest.BaseURL(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

var _ = context.Background
