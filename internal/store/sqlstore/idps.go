package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// GetIdPObject implements store.IdPReader.
func (db *DB) GetIdPObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (store.IdPObject, error) {
	return db.readConn().GetIdPObject(ctx, org, kind, parent, id, notFoundKind)
}

// ListIdPObjects implements store.IdPReader.
func (db *DB) ListIdPObjects(ctx context.Context, org, kind, parent string) ([]store.IdPObject, error) {
	return db.readConn().ListIdPObjects(ctx, org, kind, parent)
}

func (c *conn) GetIdPObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (store.IdPObject, error) {
	o := store.IdPObject{Kind: kind, Parent: parent, ID: id}
	var data string
	err := c.queryRow(ctx, `SELECT name, data, created FROM idp_objects WHERE org_id = ? AND kind = ? AND parent_id = ? AND id = ?`+c.forUpdate(),
		org, kind, parent, id).Scan(&o.Name, &data, &o.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound(id, notFoundKind)
	}
	o.Data = []byte(data)
	return o, err
}

func (c *conn) ListIdPObjects(ctx context.Context, org, kind, parent string) ([]store.IdPObject, error) {
	q := `SELECT parent_id, id, name, data, created FROM idp_objects WHERE org_id = ? AND kind = ?`
	args := []any{org, kind}
	if parent != "*" {
		q += ` AND parent_id = ?`
		args = append(args, parent)
	}
	rows, err := c.query(ctx, q+` ORDER BY created, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.IdPObject{}
	for rows.Next() {
		o := store.IdPObject{Kind: kind}
		var data string
		if err := rows.Scan(&o.Parent, &o.ID, &o.Name, &data, &o.Created); err != nil {
			return nil, err
		}
		o.Data = []byte(data)
		out = append(out, o)
	}
	return out, rows.Err()
}

func (c *conn) PutIdPObject(ctx context.Context, org string, o store.IdPObject) error {
	_, err := c.exec(ctx, `INSERT INTO idp_objects (org_id, kind, parent_id, id, name, data, created) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, kind, parent_id, id) DO UPDATE SET name = excluded.name, data = excluded.data`,
		org, o.Kind, o.Parent, o.ID, o.Name, string(o.Data), o.Created)
	return err
}

func (c *conn) DeleteIdPObject(ctx context.Context, org, kind, parent, id, notFoundKind string) error {
	res, err := c.exec(ctx, `DELETE FROM idp_objects WHERE org_id = ? AND kind = ? AND parent_id = ? AND id = ?`, org, kind, parent, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, notFoundKind)
}

func (c *conn) DeleteIdPChildren(ctx context.Context, org, parent string) error {
	_, err := c.exec(ctx, `DELETE FROM idp_objects WHERE org_id = ? AND parent_id = ? AND kind <> 'idp'`, org, parent)
	return err
}
