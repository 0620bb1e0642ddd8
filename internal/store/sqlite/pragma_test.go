package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// TestPragmasOnBothPools: WAL, the busy timeout and foreign keys are per-connection settings
// (journal_mode is per file), so every connection of both pools must have them, not just the
// first one that ran the migrations.
func TestPragmasOnBothPools(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[string]string{"journal_mode": "wal", "busy_timeout": "10000", "foreign_keys": "1", "synchronous": "1"}
	for name, pool := range map[string]*sql.DB{"write": db.WritePool(), "read": db.ReadPool()} {
		// Hold several connections at once so the pool has to open distinct ones.
		n := 3
		if name == "write" {
			n = 1
		}
		var conns []*sql.Conn
		for i := 0; i < n; i++ {
			c, err := pool.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			for pragma, v := range want {
				var got string
				if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatalf("%s pool conn %d: PRAGMA %s: %v", name, i, pragma, err)
				}
				if got != v {
					t.Errorf("%s pool conn %d: %s = %s, want %s", name, i, pragma, got, v)
				}
			}
			c.Close()
		}
	}
}

// TestForeignKeysEnforced: a row that points at a missing org is refused, on the write pool.
func TestForeignKeysEnforced(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.WritePool().ExecContext(ctx, `INSERT INTO log_events (org_id, uuid, published, event_type, severity, data)
		VALUES ('00onoSuchOrg', 'u', 0, 't', 'INFO', '{}')`)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("insert with a dangling org_id: err = %v, want a foreign key violation", err)
	}
}

// TestReopenKeepsData: closing and reopening applies no migration twice and keeps rows.
func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "okapi.db")
	for i := 0; i < 2; i++ {
		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var ok string
		if err := db.ReadPool().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Errorf("integrity_check = %q %v", ok, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
