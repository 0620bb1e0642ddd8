package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Bulk is a batch of prepared rows for BulkInsert: new users, groups, memberships and log
// events of one org. It is the seeding path (okapi seed-bench, imports): rows are trusted to be
// valid and new, so no domain rule runs and nothing is read back.
type Bulk struct {
	Users   []domain.User
	Groups  []domain.Group
	Members []Member
	Events  []domain.LogEvent
}

// Member is one group membership row.
type Member struct {
	GroupID, UserID string
	Created         domain.Time
}

// bulkRows is how many rows one multi-row INSERT carries: statement overhead, not SQLite's
// 32766-parameter limit, is what it amortises, and gains flatten out past a few dozen rows.
const bulkRows = 64

// BulkRows is a Bulk turned into column values, ready for BulkInsert. Building it is the CPU
// part of seeding (JSON encoding of profiles and events); PrepareBulk is safe to call from
// several goroutines while one of them inserts, so seeding uses every core.
type BulkRows struct {
	org                            string
	users, groups, members, events [][]any
	// targets hold the index of their event in events in place of event_seq until insert time.
	targets [][]any
}

// PrepareBulk encodes b's rows for org.
func PrepareBulk(org string, b Bulk) (*BulkRows, error) {
	r := &BulkRows{org: org, users: make([][]any, 0, len(b.Users)), events: make([][]any, 0, len(b.Events))}
	for _, u := range b.Users {
		row, err := userRow(org, u)
		if err != nil {
			return nil, err
		}
		r.users = append(r.users, append(row, int64(1)))
	}
	for _, g := range b.Groups {
		profile, err := json.Marshal(g.Profile)
		if err != nil {
			return nil, err
		}
		desc, _ := g.Profile["description"].(string)
		r.groups = append(r.groups, []any{org, g.ID, g.Type, g.Name(), strings.ToLower(g.Name()), nullString(desc),
			string(profile), g.Created.Millis(), g.LastUpdated.Millis(), g.LastMembershipUpdated.Millis()})
	}
	for _, m := range b.Members {
		r.members = append(r.members, []any{org, m.GroupID, m.UserID, m.Created.Millis()})
	}
	for i, ev := range b.Events {
		row, err := eventRow(org, ev)
		if err != nil {
			return nil, err
		}
		r.events = append(r.events, append([]any{int64(0)}, row...))
		for j, t := range ev.Target {
			r.targets = append(r.targets, []any{org, int64(i), j, t.ID, t.Type, nullString(t.AlternateID), nullString(t.DisplayName)})
		}
	}
	return r, nil
}

// BulkInsert writes rows in ONE transaction with multi-row prepared INSERTs (users, groups,
// memberships, events and their targets), many times faster per row than the one-row
// statements of the Tx methods. Events get consecutive seqs after the current last one, under
// the log lock, so pollers see them in order. A unique violation fails the whole batch. rows
// is consumed: insert it once. Callers split large seeds into batches of thousands of users.
func (db *DB) BulkInsert(ctx context.Context, rows *BulkRows) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	ins := &bulkInserter{db: db, tx: tx, stmts: map[string]*sql.Stmt{}}
	defer ins.close()
	if err := ins.insert(ctx, `INSERT INTO users (org_id, id, status, transitioning, created, activated, status_changed,
		last_login, last_updated, password_changed, type_id, profile, login, login_lower, email, first_name,
		last_name, provider_type, provider_name, recovery_question, password_hash, recovery_answer_hash, version) VALUES `, 23, rows.users); err != nil {
		return ins.conflict(err, "login")
	}
	if err := ins.insert(ctx, `INSERT INTO groups (org_id, id, type, name, name_lower, description, profile, created,
		last_updated, last_membership_updated) VALUES `, 10, rows.groups); err != nil {
		return ins.conflict(err, "name")
	}
	if err := ins.insert(ctx, `INSERT INTO group_members (org_id, group_id, user_id, created) VALUES `, 4, rows.members); err != nil {
		return ins.conflict(err, "member")
	}
	if len(rows.events) > 0 {
		if err := db.bulkEvents(ctx, ins, rows); err != nil {
			return err
		}
	}
	ins.close()
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// bulkEvents numbers the events itself (seq is otherwise the database's): under the log lock
// (PostgreSQL) or the single writer (SQLite), max(seq)+1... is exactly what the one-row path
// would hand out, and knowing the seqs lets targets go in with multi-row INSERTs too.
func (db *DB) bulkEvents(ctx context.Context, ins *bulkInserter, rows *BulkRows) error {
	if db.dialect.LockLog != "" {
		if _, err := ins.tx.ExecContext(ctx, db.dialect.LockLog); err != nil {
			return fmt.Errorf("lock log: %w", err)
		}
	}
	var last int64
	if err := ins.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM log_events`).Scan(&last); err != nil {
		return err
	}
	for i, r := range rows.events {
		r[0] = last + 1 + int64(i)
	}
	for _, t := range rows.targets {
		t[1] = last + 1 + t[1].(int64)
	}
	if err := ins.insert(ctx, `INSERT INTO log_events (seq, `+eventColumns+`) VALUES `, 20, rows.events); err != nil {
		return err
	}
	if err := ins.insert(ctx, `INSERT INTO log_targets (org_id, event_seq, idx, id, type, alternate_id, display_name) VALUES `, 7, rows.targets); err != nil {
		return err
	}
	if db.dialect.Name == "postgres" {
		// Explicit seqs do not advance the BIGSERIAL's sequence; the next one-row append must
		// continue after them.
		_, err := ins.tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('log_events', 'seq'), $1)`, last+int64(len(rows.events)))
		return err
	}
	return nil
}

// bulkInserter runs multi-row INSERTs in a transaction, preparing each statement shape once.
type bulkInserter struct {
	db    *DB
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// insert writes rows (each of cols values) with head + "(?, ...), (?, ...)" in chunks of bulkRows.
func (b *bulkInserter) insert(ctx context.Context, head string, cols int, rows [][]any) error {
	args := make([]any, 0, bulkRows*cols)
	for start := 0; start < len(rows); start += bulkRows {
		chunk := rows[start:min(start+bulkRows, len(rows))]
		stmt, err := b.stmt(ctx, head, cols, len(chunk))
		if err != nil {
			return err
		}
		args = args[:0]
		for _, r := range chunk {
			if len(r) != cols {
				return fmt.Errorf("bulk insert: row of %d values for %d columns", len(r), cols)
			}
			args = append(args, r...)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

func (b *bulkInserter) stmt(ctx context.Context, head string, cols, n int) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s|%d|%d", head, cols, n)
	if s, ok := b.stmts[key]; ok {
		return s, nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	q := head + strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
	if b.db.dialect.Numbered {
		q = rebind(q)
	}
	s, err := b.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	b.stmts[key] = s
	return s, nil
}

func (b *bulkInserter) close() {
	for k, s := range b.stmts {
		_ = s.Close()
		delete(b.stmts, k)
	}
}

// conflict names the unique violation like the one-row methods do.
func (b *bulkInserter) conflict(err error, field string) error {
	c := &conn{db: b.db}
	return c.conflict(err, field)
}

// DropIndexes drops the secondary indexes of tables (SQLite only; elsewhere it does nothing)
// and returns what recreates them exactly as the migrations made them. Building an index once
// over sorted keys is several times faster than growing it one random key at a time, so a
// large seed drops them first. The database must not serve meanwhile: queries would scan,
// and a unique index is checked only when it comes back (a duplicate then fails restore).
//
// restore calls progress (when not nil) after each index it rebuilt, with the count done and
// the total, so a caller can show how long the rest will take.
func (db *DB) DropIndexes(ctx context.Context, tables ...string) (restore func(ctx context.Context, progress func(done, total int)) error, err error) {
	if db.dialect.Name != "sqlite" {
		return func(context.Context, func(int, int)) error { return nil }, nil
	}
	var defs []string
	for _, t := range tables {
		rows, err := db.write.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, t)
		if err != nil {
			return nil, err
		}
		var names []string
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return nil, err
			}
			names, defs = append(names, name), append(defs, def)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, n := range names {
			if _, err := db.write.ExecContext(ctx, `DROP INDEX "`+n+`"`); err != nil {
				return nil, err
			}
		}
	}
	return func(ctx context.Context, progress func(done, total int)) error {
		for i, d := range defs {
			if _, err := db.write.ExecContext(ctx, d); err != nil {
				return fmt.Errorf("recreate index: %w", err)
			}
			if progress != nil {
				progress(i+1, len(defs))
			}
		}
		return nil
	}, nil
}
