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
// is free in ONE database transaction, each inside its own savepoint, and commits once:
//
//   - each fn still commits atomically or not at all: a failing fn is rolled back to its
//     savepoint and gets its error; the others go on;
//   - fns run one after another, each seeing the ones before it, exactly as if their
//     transactions had committed in that order; a unique conflict between two of them is
//     reported to the later one, as it would be serially;
//   - nobody is answered before the COMMIT: if it fails, every fn of the batch that had
//     succeeded gets the commit error (a *commitError), none of them is acknowledged;
//   - statements run detached from the caller's cancellation (see detached): SQLite rolls back
//     the whole transaction when a write inside it is interrupted, which would take the
//     batch's other fns with it. A caller whose context ends while waiting in the queue is
//     answered at once and its fn never runs.
//
// There is no timer: a batch is whatever queued while the previous one committed, so an idle
// server commits each write at once.

// maxGroup bounds a batch, so that one commit never carries an unbounded amount of work.
const maxGroup = 64

// savepoint is the name of the savepoint around each fn of a batch.
const savepoint = "okapi_group_op"

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
	failAll := func(err error) []groupResult {
		for i := range results {
			if results[i].err == nil && !results[i].panicked {
				results[i].err = err
			}
		}
		return results
	}
	bg := context.Background()
	tx, err := g.db.write.BeginTx(bg, nil)
	if err != nil {
		return failAll(fmt.Errorf("begin: %w", err))
	}
	committed := 0
	for i, p := range batch {
		if err := p.ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		if _, err := tx.ExecContext(bg, "SAVEPOINT "+savepoint); err != nil {
			_ = tx.Rollback()
			return failAll(fmt.Errorf("savepoint: %w", err))
		}
		results[i] = g.run(p, tx)
		if results[i].err != nil || results[i].panicked {
			if _, err := tx.ExecContext(bg, "ROLLBACK TO "+savepoint); err != nil {
				_ = tx.Rollback()
				return failAll(fmt.Errorf("rollback to savepoint: %w", err))
			}
		} else {
			committed++
		}
		if _, err := tx.ExecContext(bg, "RELEASE "+savepoint); err != nil {
			_ = tx.Rollback()
			return failAll(fmt.Errorf("release savepoint: %w", err))
		}
	}
	if committed == 0 {
		_ = tx.Rollback()
		return results
	}
	if err := tx.Commit(); err != nil {
		return failAll(&commitError{err})
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
	t := &conn{db: g.db, q: detached{tx}, pool: g.db.write, tx: tx, inTx: true, detach: true}
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
