package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/eventhook"
	"github.com/okapi-dev/okapi/internal/store"
)

// event_hooks keeps the hook's subscription and channel (secret included: okapi must send it) as
// JSON in data, and the delivery state in columns of its own so the worker's lease and cursor
// updates are single-row conditional UPDATEs.
const eventHookColumns = `id, name, description, status, verification_status, created, created_by, last_updated, data`

type eventHookData struct {
	Events  eventhook.Events  `json:"events"`
	Channel eventhook.Channel `json:"channel"`
	Origin  string            `json:"origin,omitempty"`
}

// GetEventHook implements store.EventHookReader.
func (db *DB) GetEventHook(ctx context.Context, org, id string) (eventhook.EventHook, error) {
	return db.readConn().GetEventHook(ctx, org, id)
}

// ListEventHooks implements store.EventHookReader.
func (db *DB) ListEventHooks(ctx context.Context, org string) ([]eventhook.EventHook, error) {
	return db.readConn().ListEventHooks(ctx, org)
}

// ListDeliverableEventHooks implements store.EventHookReader.
func (db *DB) ListDeliverableEventHooks(ctx context.Context) ([]store.HookDelivery, error) {
	return db.readConn().ListDeliverableEventHooks(ctx)
}

func (c *conn) GetEventHook(ctx context.Context, org, id string) (eventhook.EventHook, error) {
	h, err := scanEventHook(c.queryRow(ctx, `SELECT `+eventHookColumns+` FROM event_hooks WHERE org_id = ? AND id = ?`+c.forUpdate(), org, id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, domain.NotFound(id, "EventHook")
	}
	return h, err
}

func (c *conn) ListEventHooks(ctx context.Context, org string) ([]eventhook.EventHook, error) {
	rows, err := c.query(ctx, `SELECT `+eventHookColumns+` FROM event_hooks WHERE org_id = ? ORDER BY id`, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []eventhook.EventHook{}
	for rows.Next() {
		h, err := scanEventHook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

func (c *conn) ListDeliverableEventHooks(ctx context.Context) ([]store.HookDelivery, error) {
	rows, err := c.query(ctx, `SELECT org_id, cursor_seq, pending_event_id, pending_to, `+eventHookColumns+`
		FROM event_hooks WHERE status = ? AND verification_status = ? ORDER BY org_id, id`,
		eventhook.StatusActive, eventhook.Verified)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.HookDelivery{}
	for rows.Next() {
		var d store.HookDelivery
		var pending sql.NullString
		h, err := scanEventHook(rows, &d.OrgID, &d.Cursor, &pending, &d.PendingTo)
		if err != nil {
			return nil, err
		}
		d.Hook, d.PendingEventID = h, pending.String
		out = append(out, d)
	}
	return out, rows.Err()
}

// scanEventHook reads eventHookColumns, after any extra leading columns given in before.
func scanEventHook(s scanner, before ...any) (eventhook.EventHook, error) {
	var h eventhook.EventHook
	var desc, createdBy sql.NullString
	var created, updated int64
	var data string
	dest := append(before, &h.ID, &h.Name, &desc, &h.Status, &h.VerificationStatus, &created, &createdBy, &updated, &data)
	if err := s.Scan(dest...); err != nil {
		return h, err
	}
	if desc.Valid {
		h.Description = &desc.String
	}
	h.Created, h.LastUpdated, h.CreatedBy = domain.FromMillis(created), domain.FromMillis(updated), createdBy.String
	var d eventHookData
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return h, err
	}
	h.Events, h.Channel, h.Origin = d.Events, d.Channel, d.Origin
	return h, nil
}

func eventHookJSON(h eventhook.EventHook) (string, error) {
	b, err := json.Marshal(eventHookData{Events: h.Events, Channel: h.Channel, Origin: h.Origin})
	return string(b), err
}

func nullStringPtr(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func (c *conn) CreateEventHook(ctx context.Context, org string, h eventhook.EventHook, cursor int64) error {
	data, err := eventHookJSON(h)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO event_hooks (org_id, `+eventHookColumns+`, cursor_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		org, h.ID, h.Name, nullStringPtr(h.Description), h.Status, h.VerificationStatus, h.Created.Millis(),
		nullString(h.CreatedBy), h.LastUpdated.Millis(), data, cursor)
	return err
}

func (c *conn) UpdateEventHook(ctx context.Context, org string, h eventhook.EventHook) error {
	data, err := eventHookJSON(h)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE event_hooks SET name = ?, description = ?, status = ?, verification_status = ?,
		last_updated = ?, data = ? WHERE org_id = ? AND id = ?`,
		h.Name, nullStringPtr(h.Description), h.Status, h.VerificationStatus, h.LastUpdated.Millis(), data, org, h.ID)
	if err != nil {
		return err
	}
	return mustAffect(res, h.ID, "EventHook")
}

func (c *conn) ResetEventHookCursor(ctx context.Context, org, id string, cursor int64) error {
	res, err := c.exec(ctx, `UPDATE event_hooks SET cursor_seq = ?, pending_event_id = NULL, pending_to = 0
		WHERE org_id = ? AND id = ?`, cursor, org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "EventHook")
}

func (c *conn) DeleteEventHook(ctx context.Context, org, id string) error {
	res, err := c.exec(ctx, `DELETE FROM event_hooks WHERE org_id = ? AND id = ?`, org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "EventHook")
}

func (c *conn) ClaimEventHook(ctx context.Context, org, id, owner string, cursor, now, until int64) (bool, error) {
	res, err := c.exec(ctx, `UPDATE event_hooks SET lease_owner = ?, lease_until = ?
		WHERE org_id = ? AND id = ? AND cursor_seq = ? AND (lease_until <= ? OR lease_owner = ?)`, owner, until, org, id, cursor, now, owner)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (c *conn) SaveEventHookDelivery(ctx context.Context, org, id, owner string, cursor int64, pendingEventID string, pendingTo int64) error {
	res, err := c.exec(ctx, `UPDATE event_hooks SET cursor_seq = ?, pending_event_id = ?, pending_to = ?
		WHERE org_id = ? AND id = ? AND lease_owner = ?`, cursor, nullString(pendingEventID), pendingTo, org, id, owner)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err == nil {
			err = store.ErrStale
		}
		return err
	}
	return nil
}
