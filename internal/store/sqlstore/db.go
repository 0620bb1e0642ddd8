// Package sqlstore implements store.Store over database/sql. The SQLite and PostgreSQL backends
// share it and differ only in their Dialect: how they spell placeholders and row locks, and how
// their drivers report a unique violation.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/okapi-dev/okapi/internal/store"
)

// Dialect is what differs between backends.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Numbered placeholders ($1, $2...) instead of "?".
	Numbered bool
	// ForUpdate is appended to a SELECT that reads a row the transaction will write.
	ForUpdate string
	// LockLog serialises log appends within a transaction so that seq order is commit order
	// (PostgreSQL: an advisory transaction lock; SQLite has a single writer already).
	LockLog string
	// UniqueViolation reports whether err is a unique-constraint violation and, if the driver
	// says, which constraint (index) it was.
	UniqueViolation func(err error) (constraint string, ok bool)
	// Retryable reports whether a transaction failed for a reason worth one more try
	// (serialization failure, deadlock, busy).
	Retryable func(err error) bool
	// Unavailable reports whether err means the database cannot serve requests right now (busy
	// or locked past the timeout, full, connection lost), why, and whether that may pass by itself.
	Unavailable func(err error) (reason string, transient, ok bool)
	// CacheStatements keeps the store's constant queries prepared on each connection instead
	// of parsing them again on every call (SQLite: parsing was a seventh of a create's time;
	// pgx caches prepared statements itself).
	CacheStatements bool
	// GroupCommit runs concurrent write transactions in one database transaction with one
	// COMMIT (groupcommit.go). For a single-writer backend (SQLite) only.
	GroupCommit bool
}

// DB is a store.Store over two pools: one for reads, one for writes (SQLite wants one writer).
type DB struct {
	read    *sql.DB
	write   *sql.DB
	dialect Dialect
	queries sync.Map // query text -> rebound text
	stmts   sync.Map // stmtKey -> *sql.Stmt (Dialect.CacheStatements)
	// prepares are the background prepares in flight (prepareLater); Close waits for them, so
	// that no connection outlives it.
	prepares sync.WaitGroup
	closeMu  sync.Mutex    // orders prepareLater's Add against Close's Wait
	closing  chan struct{} // closed by Close
	onClose  []func() error
	group    *groupCommitter // Dialect.GroupCommit
}

// OnClose registers fn to run before the pools close (a backend restoring a setting).
func (db *DB) OnClose(fn func() error) { db.onClose = append(db.onClose, fn) }

var (
	_ store.Store      = (*DB)(nil)
	_ store.Classifier = (*DB)(nil)
)

// New wraps opened pools. read and write may be the same pool.
func New(read, write *sql.DB, d Dialect) *DB {
	db := &DB{read: read, write: write, dialect: d, closing: make(chan struct{})}
	if d.GroupCommit {
		db.group = newGroupCommitter(db)
	}
	return db
}

// Dialect returns the backend's dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// ReadPool exposes the read pool, for tools (bulk seeding, integrity checks).
func (db *DB) ReadPool() *sql.DB { return db.read }

// WritePool exposes the write pool, for tools.
func (db *DB) WritePool() *sql.DB { return db.write }

// Ping checks both pools.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return err
	}
	return db.write.PingContext(ctx)
}

// Close closes both pools.
func (db *DB) Close() error {
	var err error
	db.closeMu.Lock()
	if !db.isClosing() {
		close(db.closing)
	}
	db.closeMu.Unlock()
	if db.group != nil {
		db.group.close()
	}
	db.prepares.Wait()
	for _, fn := range db.onClose {
		err = errors.Join(err, fn())
	}
	db.stmts.Range(func(k, v any) bool {
		if st, ok := v.(*sql.Stmt); ok {
			err = errors.Join(err, st.Close())
		}
		db.stmts.Delete(k)
		return true
	})
	err = errors.Join(err, db.read.Close())
	if db.write != db.read {
		err = errors.Join(err, db.write.Close())
	}
	return err
}

// updateAttempts bounds how often Update runs a transaction that keeps losing races.
const updateAttempts = 5

// Update runs fn in a write transaction. It is okapi's one retry layer: it runs fn again, in a
// fresh transaction, when fn lost an optimistic race (store.ErrStale: a row it read changed
// before it wrote) or the backend reports a transient conflict (serialization failure,
// deadlock, a connection lost before COMMIT was sent) before fn's effects became visible. fn
// must therefore read what it writes inside tx. A busy SQLite is not retried here: its busy
// timeout has already waited (see sqlite.Open). An error that means the database is unavailable
// comes back as a *store.UnavailableError.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	var err error
	for attempt := 0; attempt < updateAttempts; attempt++ {
		err = db.update(ctx, fn)
		if !db.retry(ctx, err) {
			break
		}
	}
	if ue, ok := db.Unavailable(err); ok {
		return ue
	}
	return err
}

// retry reports whether a transaction that failed with err is worth running again.
func (db *DB) retry(ctx context.Context, err error) bool {
	var ce *commitError
	switch {
	case err == nil, errors.As(err, &ce), ctx.Err() != nil:
		return false // done, or COMMIT was sent and its outcome is unknown, or the caller left
	case errors.Is(err, store.ErrStale):
		return true
	}
	return db.dialect.Retryable != nil && db.dialect.Retryable(err)
}

// Unavailable classifies err (store.Classifier): a *store.UnavailableError when the database is
// busy, full or unreachable.
func (db *DB) Unavailable(err error) (*store.UnavailableError, bool) {
	if err == nil {
		return nil, false
	}
	var ue *store.UnavailableError
	if errors.As(err, &ue) {
		return ue, true
	}
	if db.dialect.Unavailable == nil {
		return nil, false
	}
	if reason, transient, ok := db.dialect.Unavailable(err); ok {
		return &store.UnavailableError{Reason: reason, Transient: transient, Err: err}, true
	}
	return nil, false
}

// commitError is a failed COMMIT. It is never retried: the transaction may have committed (the
// connection can drop after the server committed and before it answered).
type commitError struct{ err error }

func (e *commitError) Error() string { return "commit: " + e.err.Error() }
func (e *commitError) Unwrap() error { return e.err }

func (db *DB) update(ctx context.Context, fn func(store.Tx) error) (err error) {
	if db.group != nil {
		return db.group.update(ctx, fn)
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	t := &conn{db: db, q: sqlTx, pool: db.write, tx: sqlTx, inTx: true}
	if err := fn(t); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if t.failed != nil {
		// fn went on after a failed write. PostgreSQL has already aborted the transaction;
		// SQLite would commit the rest. Refuse on both so code that works on one works on both.
		_ = sqlTx.Rollback()
		return t.failed
	}
	if err := sqlTx.Commit(); err != nil {
		return &commitError{err}
	}
	return nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs the store's queries on a pool (reads) or a transaction (reads and writes).
type conn struct {
	db *DB
	q  querier
	// pool is the pool q draws from, and tx is q when it is a transaction: they locate the
	// cached prepared statements (Dialect.CacheStatements).
	pool *sql.DB
	tx   *sql.Tx
	inTx bool
	// logLocked is set once the transaction holds the log append lock.
	logLocked bool
	// failed is the first write that failed in the transaction; Update will not commit after it.
	failed error
}

// readConn is the Reader of the store outside transactions.
func (db *DB) readConn() *conn { return &conn{db: db, q: db.read, pool: db.read} }

// stmtKey names a cached prepared statement: one per pool and query text.
type stmtKey struct {
	pool  *sql.DB
	query string
}

// prepared returns query prepared on c's pool (and bound to c's transaction), or nil when it
// is not cached (yet) or the dialect does not cache statements. Only the store's constant
// query texts come here, so the cache stays as small as the code; queries built from input go
// through queryBuilt.
func (c *conn) prepared(ctx context.Context, query string) *sql.Stmt {
	if !c.db.dialect.CacheStatements || c.pool == nil {
		return nil
	}
	key := stmtKey{c.pool, query}
	v, ok := c.db.stmts.Load(key)
	if !ok {
		if c.tx != nil {
			// Preparing on the pool now would wait for a connection this transaction may hold
			// (SQLite's one writer): prepare it once the connection is free, run it unprepared
			// this time.
			c.db.prepareLater(key)
			return nil
		}
		st, err := c.pool.PrepareContext(ctx, query)
		if err != nil {
			// The unprepared call reports the error (or succeeds, if it was the context).
			return nil
		}
		if v, ok = c.db.stmts.LoadOrStore(key, st); ok {
			st.Close()
		} else {
			v = st
		}
	}
	st, ok := v.(*sql.Stmt)
	if !ok { // being prepared
		return nil
	}
	if c.tx != nil {
		// Re-uses the statement prepared on the transaction's connection (preparing it there
		// the first time); closed with the transaction.
		return c.tx.StmtContext(ctx, st)
	}
	return st
}

// preparing marks a statement the background prepares.
type preparing struct{}

// isClosing reports whether Close has begun.
func (db *DB) isClosing() bool {
	select {
	case <-db.closing:
		return true
	default:
		return false
	}
}

// prepareLater prepares key's query on its pool in the background, once.
func (db *DB) prepareLater(key stmtKey) {
	if _, loaded := db.stmts.LoadOrStore(key, preparing{}); loaded {
		return
	}
	db.closeMu.Lock()
	if db.isClosing() {
		db.closeMu.Unlock()
		return
	}
	db.prepares.Add(1)
	db.closeMu.Unlock()
	go func() {
		defer db.prepares.Done()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-db.closing:
				cancel()
			case <-ctx.Done():
			}
		}()
		st, err := key.pool.PrepareContext(ctx, key.query)
		if err != nil {
			db.stmts.Delete(key) // closed or failing: try again on a later call
			return
		}
		db.stmts.Store(key, st)
	}()
}

// sql rewrites "?" placeholders for dialects that number them. Queries are constants, so the
// rewrite is cached. Question marks inside single-quoted literals are left alone.
func (c *conn) sql(query string) string {
	if !c.db.dialect.Numbered {
		return query
	}
	if v, ok := c.db.queries.Load(query); ok {
		return v.(string)
	}
	out := rebind(query)
	c.db.queries.Store(query, out)
	return out
}

// rebind numbers the "?" placeholders of query ($1, $2...), leaving single-quoted literals and
// placeholders that are already numbered alone.
func rebind(query string) string {
	var b strings.Builder
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		ch := query[i]
		switch {
		case ch == '\'':
			quoted = !quoted
			b.WriteByte(ch)
		case ch == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// queryBuilt runs a query assembled at run time (filters, keyword lists). It is rebound without
// the cache, which holds only the constant queries, so user input cannot grow it.
func (c *conn) queryBuilt(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if c.db.dialect.Numbered {
		query = rebind(query)
	}
	return c.q.QueryContext(ctx, query, args...)
}

func (c *conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx, query = c.stmtCtx(ctx), c.sql(query)
	var res sql.Result
	var err error
	if st := c.prepared(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = c.q.ExecContext(ctx, query, args...)
	}
	if err != nil && c.inTx && c.failed == nil {
		c.failed = err
	}
	return res, err
}

func (c *conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx, query = c.stmtCtx(ctx), c.sql(query)
	if st := c.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.q.QueryContext(ctx, query, args...)
}

func (c *conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	ctx, query = c.stmtCtx(ctx), c.sql(query)
	if st := c.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.q.QueryRowContext(ctx, query, args...)
}

// stmtCtx is the context a statement of c runs under: without the caller's cancellation when
// c is a group commit's (detached), as the prepared-statement path bypasses that wrapper.
func (c *conn) stmtCtx(ctx context.Context) context.Context {
	if _, ok := c.q.(detached); ok {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// forUpdate returns the row-lock suffix inside a transaction, nothing outside one.
func (c *conn) forUpdate() string {
	if c.inTx {
		return c.db.dialect.ForUpdate
	}
	return ""
}

// conflict turns a unique violation into a *store.ConflictError naming field; other errors pass.
func (c *conn) conflict(err error, field string) error {
	if err == nil {
		return nil
	}
	if _, ok := c.db.dialect.UniqueViolation(err); ok {
		ce := &store.ConflictError{Field: field}
		if c.inTx && (c.failed == nil || c.failed == err) {
			c.failed = ce
		}
		return ce
	}
	return err
}

var _ store.Tx = (*conn)(nil)
