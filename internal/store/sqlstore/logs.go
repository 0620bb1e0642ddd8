package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/okapi-dev/okapi/internal/domain"
)

// LatestLogSeq implements store.LogReader.
func (db *DB) LatestLogSeq(ctx context.Context, org string) (int64, error) {
	return db.readConn().LatestLogSeq(ctx, org)
}

func (c *conn) LatestLogSeq(ctx context.Context, org string) (int64, error) {
	var seq int64
	err := c.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM log_events WHERE org_id = ?`, org).Scan(&seq)
	return seq, err
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
		data, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		var seq int64
		err = c.queryRow(ctx, `INSERT INTO log_events (org_id, uuid, published, event_type, severity,
			legacy_event_type, display_message, outcome_result, outcome_reason, actor_id, actor_type,
			actor_alternate_id, actor_display_name, client_ip, client_zone, transaction_id, request_id, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
			org, ev.UUID, ev.Published.Millis(), ev.EventType, ev.Severity, nullString(ev.LegacyEventType),
			ev.DisplayMessage, ev.Outcome.Result, nullString(ev.Outcome.Reason), ev.Actor.ID, ev.Actor.Type,
			nullString(ev.Actor.AlternateID), nullString(ev.Actor.DisplayName), nullString(ev.Client.IPAddress),
			nullString(ev.Client.Zone), nullString(ev.Transaction.ID), nullString(ev.Transaction.ID), string(data)).Scan(&seq)
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
