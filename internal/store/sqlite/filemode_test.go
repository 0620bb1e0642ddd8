package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// TestDatabaseFilesPrivate: the database and its -wal and -shm are created 0600 whatever the
// umask allows, since they hold password hashes and tokens (issue 24 point 7).
func TestDatabaseFilesPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "okapi.db")
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := fi.Mode().Perm(); m&0o077 != 0 {
			t.Errorf("%s mode %o, want 0600", filepath.Base(f), m)
		}
	}
}
