package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/okapi-dev/okapi/internal/store"
)

// Group commit (Dialect.GroupCommit, SQLite). SQLite has one writer, and committing costs a
// WAL frame for every page a transaction dirtied: a user create dirties ~20 pages, half of
// them the same ones from one create to the next (the tails of the log and date indexes, the
// Everyone group's row). The committer runs the write transactions that are waiting when it
// is free one after another in ONE database transaction and commits once:
//
//   - fns run in order, each seeing the ones before it, exactly as if their transactions had
//     committed in that order;
//   - when a fn fails (an error or a panic), the whole transaction is rolled back, that fn gets
//     its own outcome (computed after the fns before it, as in that serial order), and every
//     other fn of the batch runs again alone, in a transaction of its own. Fns are re-runnable
//     already: Update retries them on transient errors and the service on stale versions.
//     No savepoints: SQLite's undo copies for them (the sub-journal) either went to a temporary
//     file page by page, slower than not grouping at all, or had to be kept in memory, without
//     bound for a large transaction (an org reset at a million users);
//   - nobody is answered before the COMMIT: if it fails, every fn of the batch gets the commit
//     error (a *commitError), so nothing unacknowledged is reported as written;
//   - statements run detached from the caller's cancellation (see detached): SQLite rolls back
//     the whole transaction when a write inside it is interrupted, which would take the
//     batch's other fns with it. A caller whose context ends before its fn starts gets its
//     context's error and its fn never runs.
//
// There is no timer: a batch is whatever queued while the previous one committed, so an idle
// server commits each write at once.

// maxGroup bounds a batch, so that one commit never carries an unbounded amount of work.
const maxGroup = 64

type pending struct {
	ctx  context.Context
	fn   func(store.Tx) error
	done chan groupResult
}

type groupResult struct {
	err      error
	panicked bool
	panicVal any
}

type groupCommitter struct {
	db    *DB
	queue chan *pending
	stop  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
	// batches and ops count commits and the fns they carried (GroupCommitStats).
	batches, ops atomic.Int64
}

func newGroupCommitter(db *DB) *groupCommitter {
	g := &groupCommitter{db: db, queue: make(chan *pending), stop: make(chan struct{})}
	g.wg.Add(1)
	go g.loop()
	return g
}

// close stops the committer once the batch in flight has committed.
func (g *groupCommitter) close() {
	g.once.Do(func() {
		close(g.stop)
		g.wg.Wait()
	})
}

// update runs fn in the next batch and returns its outcome once the batch has committed.
func (g *groupCommitter) update(ctx context.Context, fn func(store.Tx) error) error {
	p := &pending{ctx: ctx, fn: fn, done: make(chan groupResult, 1)}
	select {
	case g.queue <- p:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.stop:
		return sql.ErrConnDone
	}
	r := <-p.done
	if r.panicked {
		panic(r.panicVal)
	}
	return r.err
}

func (g *groupCommitter) loop() {
	defer g.wg.Done()
	for {
		var batch []*pending
		select {
		case p := <-g.queue:
			batch = append(batch, p)
		case <-g.stop:
			return
		}
	more:
		for len(batch) < maxGroup {
			select {
			case p := <-g.queue:
				batch = append(batch, p)
			default:
				break more
			}
		}
		results := g.commit(batch)
		g.batches.Add(1)
		g.ops.Add(int64(len(batch)))
		for i, p := range batch {
			p.done <- results[i]
		}
	}
}

// commit runs batch in one transaction and returns each fn's outcome.
func (g *groupCommitter) commit(batch []*pending) []groupResult {
	results := make([]groupResult, len(batch))
	bg := context.Background()
	tx, err := g.db.write.BeginTx(bg, nil)
	if err != nil {
		for i := range results {
			results[i].err = fmt.Errorf("begin: %w", err)
		}
		return results
	}
	ran := 0
	for i, p := range batch {
		if err := p.ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		r := g.run(p, tx)
		if r.err != nil || r.panicked {
			_ = tx.Rollback()
			results[i] = r
			for j, q := range batch {
				if j != i && results[j].err == nil {
					// A batch of one: its own transaction.
					results[j] = g.commit([]*pending{q})[0]
				}
			}
			return results
		}
		ran++
	}
	if ran == 0 {
		_ = tx.Rollback()
		return results
	}
	if err := tx.Commit(); err != nil {
		for i := range results {
			if results[i].err == nil {
				results[i].err = &commitError{err}
			}
		}
	}
	return results
}

// run calls p.fn on the shared transaction, catching its panic for the caller to re-raise.
func (g *groupCommitter) run(p *pending, tx *sql.Tx) (r groupResult) {
	defer func() {
		if v := recover(); v != nil {
			r = groupResult{panicked: true, panicVal: v}
		}
	}()
	t := &conn{db: g.db, q: detached{tx}, pool: g.db.write, tx: tx, inTx: true}
	if err := p.fn(t); err != nil {
		return groupResult{err: err}
	}
	if t.failed != nil {
		// As in update: a fn that went on after a failed write is refused.
		return groupResult{err: t.failed}
	}
	return groupResult{}
}

// detached runs statements without the caller's cancellation (see the comment at the top).
type detached struct{ q querier }

func (d detached) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.q.ExecContext(context.WithoutCancel(ctx), query, args...)
}

func (d detached) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.q.QueryContext(context.WithoutCancel(ctx), query, args...)
}

func (d detached) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.q.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}

// GroupCommitStats reports how many batches the group committer has committed and how many
// write transactions they carried (0, 0 without group commit).
func (db *DB) GroupCommitStats() (batches, ops int64) {
	if db.group == nil {
		return 0, 0
	}
	return db.group.batches.Load(), db.group.ops.Load()
}
