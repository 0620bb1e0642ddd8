package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// GetRoleObject implements store.RoleReader.
func (db *DB) GetRoleObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (store.RoleObject, error) {
	return db.readConn().GetRoleObject(ctx, org, kind, parent, id, notFoundKind)
}

// ListRoleObjects implements store.RoleReader.
func (db *DB) ListRoleObjects(ctx context.Context, org, kind, parent, id string) ([]store.RoleObject, error) {
	return db.readConn().ListRoleObjects(ctx, org, kind, parent, id)
}

func (c *conn) GetRoleObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (store.RoleObject, error) {
	o := store.RoleObject{Kind: kind, Parent: parent, ID: id}
	var data string
	err := c.queryRow(ctx, `SELECT data, created FROM role_objects WHERE org_id = ? AND kind = ? AND parent_id = ? AND id = ?`+c.forUpdate(),
		org, kind, parent, id).Scan(&data, &o.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound(id, notFoundKind)
	}
	o.Data = []byte(data)
	return o, err
}

// roleWhere adds the parent and id conditions, "*" matching any.
func roleWhere(q string, args []any, parent, id string) (string, []any) {
	if parent != "*" {
		q += ` AND parent_id = ?`
		args = append(args, parent)
	}
	if id != "*" {
		q += ` AND id = ?`
		args = append(args, id)
	}
	return q, args
}

func (c *conn) ListRoleObjects(ctx context.Context, org, kind, parent, id string) ([]store.RoleObject, error) {
	q, args := roleWhere(`SELECT parent_id, id, data, created FROM role_objects WHERE org_id = ? AND kind = ?`, []any{org, kind}, parent, id)
	rows, err := c.query(ctx, q+` ORDER BY created, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.RoleObject{}
	for rows.Next() {
		o := store.RoleObject{Kind: kind}
		var data string
		if err := rows.Scan(&o.Parent, &o.ID, &data, &o.Created); err != nil {
			return nil, err
		}
		o.Data = []byte(data)
		out = append(out, o)
	}
	return out, rows.Err()
}

func (c *conn) PutRoleObject(ctx context.Context, org string, o store.RoleObject) error {
	_, err := c.exec(ctx, `INSERT INTO role_objects (org_id, kind, parent_id, id, data, created) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, kind, parent_id, id) DO UPDATE SET data = excluded.data`,
		org, o.Kind, o.Parent, o.ID, string(o.Data), o.Created)
	return err
}

func (c *conn) DeleteRoleObject(ctx context.Context, org, kind, parent, id, notFoundKind string) error {
	res, err := c.exec(ctx, `DELETE FROM role_objects WHERE org_id = ? AND kind = ? AND parent_id = ? AND id = ?`, org, kind, parent, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, notFoundKind)
}

func (c *conn) DeleteRoleObjects(ctx context.Context, org, kind, parent, id string) error {
	q, args := roleWhere(`DELETE FROM role_objects WHERE org_id = ? AND kind = ?`, []any{org, kind}, parent, id)
	_, err := c.exec(ctx, q, args...)
	return err
}
