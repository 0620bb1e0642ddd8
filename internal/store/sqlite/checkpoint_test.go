package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCheckpointerCopiesWAL: commits on a connection that never checkpoints itself leave
// their pages in the WAL; the background checkpointer copies them into the database file.
func TestCheckpointerCopiesWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ck.db")
	w, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	if _, err := w.ExecContext(ctx, `CREATE TABLE t (v TEXT)`); err != nil {
		t.Fatal(err)
	}
	before := fileSize(t, path)
	for i := 0; i < 200; i++ {
		if _, err := w.ExecContext(ctx, `INSERT INTO t VALUES (?)`, string(make([]byte, 2000))); err != nil {
			t.Fatal(err)
		}
	}
	if got := fileSize(t, path); got != before {
		t.Fatalf("the database file changed before any checkpoint (%d -> %d bytes): the writer checkpointed", before, got)
	}
	ckdb, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	ck := startCheckpointer(ckdb, 5*time.Millisecond)
	defer ck.Close()
	deadline := time.Now().Add(10 * time.Second)
	for ck.runs.Load() == 0 || ck.frames.Load() == 0 || ck.copied.Load() != ck.frames.Load() {
		if time.Now().After(deadline) {
			t.Fatalf("no complete checkpoint: runs %d, WAL frames %d, copied %d", ck.runs.Load(), ck.frames.Load(), ck.copied.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := fileSize(t, path); got <= before+200*2000 {
		t.Errorf("database file %d bytes after the checkpoint, want more than %d", got, before+200*2000)
	}
}

// TestWriterBackstopThreshold: the write connection checkpoints by itself only far past
// SQLite's default of 1,000 pages.
func TestWriterBackstopThreshold(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "okapi.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.WritePool().QueryRowContext(context.Background(), "PRAGMA wal_autocheckpoint").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != autoCheckpointPages {
		t.Errorf("wal_autocheckpoint = %d, want %d", n, autoCheckpointPages)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
