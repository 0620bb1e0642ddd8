package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// GetAppObject implements store.AppReader.
func (db *DB) GetAppObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (store.AppObject, error) {
	return db.readConn().GetAppObject(ctx, org, kind, parent, id, notFoundKind)
}

// FindAppByLookup implements store.AppReader.
func (db *DB) FindAppByLookup(ctx context.Context, org, lookup string) (store.AppObject, error) {
	return db.readConn().FindAppByLookup(ctx, org, lookup)
}

// ListAppObjects implements store.AppReader.
func (db *DB) ListAppObjects(ctx context.Context, org, kind, parent, id string) ([]store.AppObject, error) {
	return db.readConn().ListAppObjects(ctx, org, kind, parent, id)
}

const appObjectColumns = `kind, parent_id, id, lookup, data, created`

func scanAppObject(s scanner) (store.AppObject, error) {
	var o store.AppObject
	var data string
	var lookup sql.NullString
	err := s.Scan(&o.Kind, &o.Parent, &o.ID, &lookup, &data, &o.Created)
	o.Lookup, o.Data = lookup.String, []byte(data)
	return o, err
}

func (c *conn) GetAppObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (store.AppObject, error) {
	o, err := scanAppObject(c.queryRow(ctx, `SELECT `+appObjectColumns+` FROM app_objects WHERE org_id = ? AND kind = ? AND parent_id = ? AND id = ?`+c.forUpdate(),
		org, kind, parent, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound(id, notFoundKind)
	}
	return o, err
}

func (c *conn) FindAppByLookup(ctx context.Context, org, lookup string) (store.AppObject, error) {
	o, err := scanAppObject(c.queryRow(ctx, `SELECT `+appObjectColumns+` FROM app_objects WHERE org_id = ? AND kind = 'app' AND lookup = ?`, org, lookup))
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound(lookup, "Application")
	}
	return o, err
}

func (c *conn) ListAppObjects(ctx context.Context, org, kind, parent, id string) ([]store.AppObject, error) {
	q := `SELECT ` + appObjectColumns + ` FROM app_objects WHERE org_id = ? AND kind = ?`
	args := []any{org, kind}
	if parent != "*" {
		q += ` AND parent_id = ?`
		args = append(args, parent)
	}
	if id != "*" {
		q += ` AND id = ?`
		args = append(args, id)
	}
	rows, err := c.query(ctx, q+` ORDER BY created, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.AppObject{}
	for rows.Next() {
		o, err := scanAppObject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (c *conn) PutAppObject(ctx context.Context, org string, o store.AppObject) error {
	_, err := c.exec(ctx, `INSERT INTO app_objects (org_id, `+appObjectColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, kind, parent_id, id) DO UPDATE SET lookup = excluded.lookup, data = excluded.data`,
		org, o.Kind, o.Parent, o.ID, nullString(o.Lookup), string(o.Data), o.Created)
	return c.conflict(err, "client_id")
}

func (c *conn) DeleteAppObject(ctx context.Context, org, kind, parent, id, notFoundKind string) error {
	res, err := c.exec(ctx, `DELETE FROM app_objects WHERE org_id = ? AND kind = ? AND parent_id = ? AND id = ?`, org, kind, parent, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, notFoundKind)
}

func (c *conn) DeleteAppObjects(ctx context.Context, org, kind, parent, id string) error {
	if kind == "*" {
		_, err := c.exec(ctx, `DELETE FROM app_objects WHERE org_id = ? AND parent_id = ?`, org, parent)
		return err
	}
	_, err := c.exec(ctx, `DELETE FROM app_objects WHERE org_id = ? AND kind = ? AND id = ?`, org, kind, id)
	return err
}
