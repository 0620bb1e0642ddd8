package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite in WAL mode appends every commit to the -wal file and copies it back into the
// database file in a checkpoint. By default the commit that crosses 1,000 WAL pages runs the
// checkpoint itself, fsync included, while it still holds the one write connection: with
// ~25 pages per user create that was every ~40th create, stalling every writer behind it for
// tens of milliseconds. okapi instead checkpoints from a connection of its own, in the
// background, in PASSIVE mode (it never blocks readers or the writer). The write connection
// keeps a much higher automatic threshold (autoCheckpointPages) only as a backstop, for a
// checkpointer that falls behind.

// autoCheckpointPages is the write connection's wal_autocheckpoint: ~80 MB of WAL.
const autoCheckpointPages = 20000

// defaultCheckpointEvery is how often the background checkpointer runs.
const defaultCheckpointEvery = 200 * time.Millisecond

// checkpointer runs PRAGMA wal_checkpoint(PASSIVE) on its own connection every tick.
type checkpointer struct {
	db     *sql.DB
	stop   chan struct{}
	wg     sync.WaitGroup
	frames atomic.Int64 // WAL frames at the last checkpoint
	copied atomic.Int64 // of which copied into the database file
	runs   atomic.Int64
	closed sync.Once
}

func startCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	if every <= 0 {
		every = defaultCheckpointEvery
	}
	c := &checkpointer{db: db, stop: make(chan struct{})}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				c.run()
			}
		}
	}()
	return c
}

// run checkpoints once. Errors are left to the next tick (and to the backstop): a busy
// database or a full disk is reported to API callers by the writes themselves.
func (c *checkpointer) run() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var busy, frames, copied int64
	if err := c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		return
	}
	c.frames.Store(frames)
	c.copied.Store(copied)
	c.runs.Add(1)
}

// Close stops the checkpointer and closes its connection. A second Close does nothing (the
// store's Close may run twice).
func (c *checkpointer) Close() error {
	var err error
	c.closed.Do(func() {
		close(c.stop)
		c.wg.Wait()
		err = c.db.Close()
	})
	return err
}
