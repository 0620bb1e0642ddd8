package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

// Ordering guarantee: AppendEvents takes the dialect's log lock before its first insert
// (PostgreSQL: pg_advisory_xact_lock, held until commit or rollback; SQLite: the single writer
// connection with BEGIN IMMEDIATE). Sequence numbers are therefore handed out in commit order,
// and a transaction's commit is visible before the next appender gets the lock. So when a
// reader sees seq N, every lower seq is either visible too or was rolled back and never will
// be: a poller that pages by seq never misses a late commit and never sees an event twice.

// LatestLogSeq implements store.LogReader.
func (db *DB) LatestLogSeq(ctx context.Context, org string) (int64, error) {
	return db.readConn().LatestLogSeq(ctx, org)
}

func (c *conn) LatestLogSeq(ctx context.Context, org string) (int64, error) {
	var seq int64
	err := c.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM log_events WHERE org_id = ?`, org).Scan(&seq)
	return seq, err
}

// ListEvents implements store.LogReader.
func (db *DB) ListEvents(ctx context.Context, org string, q store.LogQuery) ([]domain.LogEvent, error) {
	return db.readConn().ListEvents(ctx, org, q)
}

func (c *conn) ListEvents(ctx context.Context, org string, q store.LogQuery) ([]domain.LogEvent, error) {
	if q.Limit <= 0 {
		return nil, fmt.Errorf("ListEvents: limit %d", q.Limit)
	}
	where := []string{"org_id = ?"}
	args := []any{org}
	if q.Since != 0 {
		where, args = append(where, "published >= ?"), append(args, q.Since)
	}
	if q.Until != 0 {
		where, args = append(where, "published < ?"), append(args, q.Until)
	}
	cmp, dir := ">", "ASC"
	if q.Descending {
		cmp, dir = "<", "DESC"
	}
	order := "seq " + dir
	if q.ByPublished {
		order = "published " + dir + ", seq " + dir
		if q.AfterSeq != 0 {
			where = append(where, "(published "+cmp+" ? OR (published = ? AND seq "+cmp+" ?))")
			args = append(args, q.AfterPublished, q.AfterPublished, q.AfterSeq)
		}
	} else if q.AfterSeq != 0 {
		where, args = append(where, "seq "+cmp+" ?"), append(args, q.AfterSeq)
	}
	contains := "instr(search_text, ?) > 0"
	if c.db.dialect.Name == "postgres" {
		contains = "strpos(search_text, ?) > 0"
	}
	for _, k := range q.Keywords {
		where, args = append(where, contains), append(args, " "+k+" ")
	}
	if q.Filter != nil {
		d := filter.SQLite
		if c.db.dialect.Numbered {
			d = filter.Postgres
		}
		cond, fargs, err := filter.Compile(q.Filter, q.FilterSchema, d, len(args)+1)
		if err != nil {
			return nil, err
		}
		where, args = append(where, "("+cond+")"), append(args, fargs...)
	}
	// LIMIT is an int formatted in, not a parameter: filter SQL numbers its own PostgreSQL
	// placeholders and must come last.
	// The page's seqs are chosen first and the events read after: choosing needs only the
	// indexed columns, so a since/until window with many events sorts their seqs, not their
	// JSON (a poll over the last minute of a busy org sorted tens of thousands of events).
	query := "SELECT seq, data FROM log_events WHERE seq IN (SELECT seq FROM log_events WHERE " +
		strings.Join(where, " AND ") + " ORDER BY " + order + fmt.Sprintf(" LIMIT %d", q.Limit) +
		") ORDER BY " + order
	rows, err := c.queryBuilt(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	events := make([]domain.LogEvent, 0, min(q.Limit, 256))
	for rows.Next() {
		var seq int64
		var data string
		if err := rows.Scan(&seq, &data); err != nil {
			return nil, err
		}
		var ev domain.LogEvent
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return nil, fmt.Errorf("log event %d: %w", seq, err)
		}
		ev.Seq = seq
		events = append(events, ev)
	}
	return events, rows.Err()
}

func (c *conn) AppendEvents(ctx context.Context, org string, events ...domain.LogEvent) error {
	if !c.inTx {
		return fmt.Errorf("AppendEvents outside a transaction")
	}
	if c.db.dialect.LockLog != "" && !c.logLocked {
		if _, err := c.exec(ctx, c.db.dialect.LockLog); err != nil {
			return fmt.Errorf("lock log: %w", err)
		}
		c.logLocked = true
	}
	for _, ev := range events {
		row, err := eventRow(org, ev)
		if err != nil {
			return err
		}
		var seq int64
		err = c.queryRow(ctx, `INSERT INTO log_events (`+eventColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`, row...).Scan(&seq)
		if err != nil {
			return err
		}
		for i, t := range ev.Target {
			_, err := c.exec(ctx, `INSERT INTO log_targets (org_id, event_seq, idx, id, type, alternate_id, display_name)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, org, seq, i, t.ID, t.Type, nullString(t.AlternateID), nullString(t.DisplayName))
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// eventColumns are the columns eventRow fills, in its order.
const eventColumns = `org_id, uuid, published, event_type, severity, legacy_event_type, display_message,
	outcome_result, outcome_reason, actor_id, actor_type, actor_alternate_id, actor_display_name, client_ip,
	client_zone, transaction_id, request_id, search_text, data`

// eventRow is the values of eventColumns for ev.
func eventRow(org string, ev domain.LogEvent) ([]any, error) {
	data, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	return []any{org, ev.UUID, ev.Published.Millis(), ev.EventType, ev.Severity, nullString(ev.LegacyEventType),
		ev.DisplayMessage, ev.Outcome.Result, nullString(ev.Outcome.Reason), ev.Actor.ID, ev.Actor.Type,
		nullString(ev.Actor.AlternateID), nullString(ev.Actor.DisplayName), nullString(ev.Client.IPAddress),
		nullString(ev.Client.Zone), nullString(ev.Transaction.ID), nullString(requestIDOf(ev)),
		ev.SearchText(), string(data)}, nil
}

// requestIDOf is debugContext.debugData.requestId, which equals the transaction id for events
// of API requests.
func requestIDOf(ev domain.LogEvent) string {
	if id, ok := ev.DebugContext.DebugData["requestId"].(string); ok {
		return id
	}
	return ev.Transaction.ID
}

// PurgeEvents implements store.LogWriter. It deletes the targets explicitly rather than rely on
// the foreign key's cascade, which SQLite applies only with foreign_keys on.
func (c *conn) PurgeEvents(ctx context.Context, before int64, limit int) (int, error) {
	if !c.inTx {
		return 0, fmt.Errorf("PurgeEvents outside a transaction")
	}
	const batch = `SELECT seq FROM log_events WHERE published < ? ORDER BY published, seq LIMIT ?`
	if _, err := c.exec(ctx, `DELETE FROM log_targets WHERE event_seq IN (`+batch+`)`, before, limit); err != nil {
		return 0, err
	}
	res, err := c.exec(ctx, `DELETE FROM log_events WHERE seq IN (`+batch+`)`, before, limit)
	if err != nil {
		return 0, err
	}
	deleted, err := res.RowsAffected()
	return int(deleted), err
}

// PurgeOrgEvents implements store.LogWriter.
func (c *conn) PurgeOrgEvents(ctx context.Context, org string, before int64, limit int) (int, error) {
	if !c.inTx {
		return 0, fmt.Errorf("PurgeOrgEvents outside a transaction")
	}
	const batch = `SELECT seq FROM log_events WHERE org_id = ? AND published < ? ORDER BY published, seq LIMIT ?`
	if _, err := c.exec(ctx, `DELETE FROM log_targets WHERE event_seq IN (`+batch+`)`, org, before, limit); err != nil {
		return 0, err
	}
	res, err := c.exec(ctx, `DELETE FROM log_events WHERE seq IN (`+batch+`)`, org, before, limit)
	if err != nil {
		return 0, err
	}
	deleted, err := res.RowsAffected()
	return int(deleted), err
}
