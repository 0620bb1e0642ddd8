package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

const oauthObjectColumns = `kind, id, server_id, parent_id, name, body, created`

// GetOAuthObject implements store.OAuthReader.
func (db *DB) GetOAuthObject(ctx context.Context, org, kind, id string) (store.OAuthObject, error) {
	return db.readConn().GetOAuthObject(ctx, org, kind, id)
}

// ListOAuthObjects implements store.OAuthReader.
func (db *DB) ListOAuthObjects(ctx context.Context, org, kind, parent string) ([]store.OAuthObject, error) {
	return db.readConn().ListOAuthObjects(ctx, org, kind, parent)
}

// GetOAuthGrant implements store.OAuthReader.
func (db *DB) GetOAuthGrant(ctx context.Context, org, id string) (store.OAuthGrant, error) {
	return db.readConn().GetOAuthGrant(ctx, org, id)
}

func scanOAuthObject(s scanner) (store.OAuthObject, error) {
	var o store.OAuthObject
	var body string
	err := s.Scan(&o.Kind, &o.ID, &o.ServerID, &o.ParentID, &o.Name, &body, &o.Created)
	o.Body = []byte(body)
	return o, err
}

func (c *conn) GetOAuthObject(ctx context.Context, org, kind, id string) (store.OAuthObject, error) {
	o, err := scanOAuthObject(c.queryRow(ctx, `SELECT `+oauthObjectColumns+` FROM oauth_objects WHERE org_id = ? AND kind = ? AND id = ?`+c.forUpdate(), org, kind, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound(id, kind)
	}
	return o, err
}

func (c *conn) ListOAuthObjects(ctx context.Context, org, kind, parent string) ([]store.OAuthObject, error) {
	q := `SELECT ` + oauthObjectColumns + ` FROM oauth_objects WHERE org_id = ? AND kind = ?`
	args := []any{org, kind}
	if parent != "" {
		q += ` AND parent_id = ?`
		args = append(args, parent)
	}
	rows, err := c.query(ctx, q+` ORDER BY created, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.OAuthObject{}
	for rows.Next() {
		o, err := scanOAuthObject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (c *conn) CreateOAuthObject(ctx context.Context, org string, o store.OAuthObject) error {
	_, err := c.exec(ctx, `INSERT INTO oauth_objects (org_id, `+oauthObjectColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		org, o.Kind, o.ID, o.ServerID, o.ParentID, o.Name, string(o.Body), o.Created)
	return c.conflict(err, "name")
}

func (c *conn) UpdateOAuthObject(ctx context.Context, org string, o store.OAuthObject) error {
	res, err := c.exec(ctx, `UPDATE oauth_objects SET name = ?, body = ? WHERE org_id = ? AND kind = ? AND id = ?`,
		o.Name, string(o.Body), org, o.Kind, o.ID)
	if err != nil {
		return c.conflict(err, "name")
	}
	return mustAffect(res, o.ID, o.Kind)
}

func (c *conn) DeleteOAuthObject(ctx context.Context, org, kind, id string) error {
	res, err := c.exec(ctx, `DELETE FROM oauth_objects WHERE org_id = ? AND kind = ? AND id = ?`, org, kind, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, kind)
}

func (c *conn) DeleteOAuthServerObjects(ctx context.Context, org, serverID string) error {
	if _, err := c.exec(ctx, `DELETE FROM oauth_objects WHERE org_id = ? AND server_id = ?`, org, serverID); err != nil {
		return err
	}
	_, err := c.exec(ctx, `DELETE FROM oauth_grants WHERE org_id = ? AND server_id = ?`, org, serverID)
	return err
}

func (c *conn) GetOAuthGrant(ctx context.Context, org, id string) (store.OAuthGrant, error) {
	var g store.OAuthGrant
	var body string
	var used, revoked int
	err := c.queryRow(ctx, `SELECT id, kind, server_id, client_id, user_id, body, expires_at, used, family_id, used_at, revoked FROM oauth_grants WHERE org_id = ? AND id = ?`, org, id).
		Scan(&g.ID, &g.Kind, &g.ServerID, &g.ClientID, &g.UserID, &body, &g.ExpiresAt, &used, &g.FamilyID, &g.UsedAt, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return g, domain.NotFound(id, "OAuthGrant")
	}
	g.Body, g.Used, g.Revoked = []byte(body), used != 0, revoked != 0
	return g, err
}

func (c *conn) CreateOAuthGrant(ctx context.Context, org string, g store.OAuthGrant) error {
	_, err := c.exec(ctx, `INSERT INTO oauth_grants (org_id, id, kind, server_id, client_id, user_id, body, expires_at, used, family_id, used_at, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		org, g.ID, g.Kind, g.ServerID, g.ClientID, g.UserID, string(g.Body), g.ExpiresAt, boolInt(g.Used), g.FamilyID, g.UsedAt, boolInt(g.Revoked))
	return c.conflict(err, "id")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (c *conn) UseOAuthGrant(ctx context.Context, org, id string, at int64) (bool, error) {
	res, err := c.exec(ctx, `UPDATE oauth_grants SET used = 1, used_at = ? WHERE org_id = ? AND id = ? AND used = 0`, at, org, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (c *conn) ExtendOAuthGrant(ctx context.Context, org, id string, expiresAt int64) error {
	_, err := c.exec(ctx, `UPDATE oauth_grants SET expires_at = ? WHERE org_id = ? AND id = ?`, expiresAt, org, id)
	return err
}

func (c *conn) RevokeOAuthGrant(ctx context.Context, org, id string) error {
	_, err := c.exec(ctx, `UPDATE oauth_grants SET revoked = 1 WHERE org_id = ? AND id = ?`, org, id)
	return err
}

func (c *conn) RevokeOAuthFamily(ctx context.Context, org, familyID string) (int64, error) {
	if familyID == "" {
		return 0, nil
	}
	res, err := c.exec(ctx, `UPDATE oauth_grants SET revoked = 1 WHERE org_id = ? AND family_id = ? AND revoked = 0`, org, familyID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
