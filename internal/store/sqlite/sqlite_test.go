package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/storetest"
)

// TestConformance runs the storage conformance suite on a fresh SQLite file per check.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
