package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// GetPolicyObject implements store.PolicyReader.
func (db *DB) GetPolicyObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (store.PolicyObject, error) {
	return db.readConn().GetPolicyObject(ctx, org, kind, parent, id, notFoundKind)
}

// ListPolicyObjects implements store.PolicyReader.
func (db *DB) ListPolicyObjects(ctx context.Context, org, kind, parent, typ string) ([]store.PolicyObject, error) {
	return db.readConn().ListPolicyObjects(ctx, org, kind, parent, typ)
}

func (c *conn) GetPolicyObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (store.PolicyObject, error) {
	o := store.PolicyObject{Kind: kind, Parent: parent, ID: id}
	var data string
	err := c.queryRow(ctx, `SELECT type, data, created FROM policy_objects WHERE org_id = ? AND kind = ? AND parent_id = ? AND id = ?`+c.forUpdate(),
		org, kind, parent, id).Scan(&o.Type, &data, &o.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound(id, notFoundKind)
	}
	o.Data = []byte(data)
	return o, err
}

func (c *conn) ListPolicyObjects(ctx context.Context, org, kind, parent, typ string) ([]store.PolicyObject, error) {
	q := `SELECT id, type, data, created FROM policy_objects WHERE org_id = ? AND kind = ? AND parent_id = ?`
	args := []any{org, kind, parent}
	if typ != "" {
		q += ` AND type = ?`
		args = append(args, typ)
	}
	rows, err := c.query(ctx, q+` ORDER BY created, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.PolicyObject{}
	for rows.Next() {
		o := store.PolicyObject{Kind: kind, Parent: parent}
		var data string
		if err := rows.Scan(&o.ID, &o.Type, &data, &o.Created); err != nil {
			return nil, err
		}
		o.Data = []byte(data)
		out = append(out, o)
	}
	return out, rows.Err()
}

func (c *conn) PutPolicyObject(ctx context.Context, org string, o store.PolicyObject) error {
	_, err := c.exec(ctx, `INSERT INTO policy_objects (org_id, kind, parent_id, id, type, data, created) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, kind, parent_id, id) DO UPDATE SET type = excluded.type, data = excluded.data`,
		org, o.Kind, o.Parent, o.ID, o.Type, string(o.Data), o.Created)
	return err
}

func (c *conn) DeletePolicyObject(ctx context.Context, org, kind, parent, id, notFoundKind string) error {
	res, err := c.exec(ctx, `DELETE FROM policy_objects WHERE org_id = ? AND kind = ? AND parent_id = ? AND id = ?`, org, kind, parent, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, notFoundKind)
}

func (c *conn) DeletePolicies(ctx context.Context, org string) error {
	_, err := c.exec(ctx, `DELETE FROM policy_objects WHERE org_id = ?`, org)
	return err
}
