package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/origin"
	"github.com/okapi-dev/okapi/internal/store"
)

const originColumns = `id, name, origin, scopes, status, created, created_by, last_updated, last_updated_by`

// GetTrustedOrigin implements store.OriginReader.
func (db *DB) GetTrustedOrigin(ctx context.Context, org, id string) (origin.TrustedOrigin, error) {
	return db.readConn().GetTrustedOrigin(ctx, org, id)
}

// ListTrustedOrigins implements store.OriginReader.
func (db *DB) ListTrustedOrigins(ctx context.Context, org string) ([]origin.TrustedOrigin, error) {
	return db.readConn().ListTrustedOrigins(ctx, org)
}

// ListCORSOrigins implements store.OriginReader.
func (db *DB) ListCORSOrigins(ctx context.Context, org string) ([]string, error) {
	return db.readConn().ListCORSOrigins(ctx, org)
}

func (c *conn) GetTrustedOrigin(ctx context.Context, org, id string) (origin.TrustedOrigin, error) {
	o, err := scanOrigin(c.queryRow(ctx, `SELECT `+originColumns+` FROM trusted_origins WHERE org_id = ? AND id = ?`+c.forUpdate(), org, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound(id, "TrustedOrigin")
	}
	return o, err
}

func (c *conn) ListTrustedOrigins(ctx context.Context, org string) ([]origin.TrustedOrigin, error) {
	rows, err := c.query(ctx, `SELECT `+originColumns+` FROM trusted_origins WHERE org_id = ? ORDER BY id`, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []origin.TrustedOrigin{}
	for rows.Next() {
		o, err := scanOrigin(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (c *conn) ListCORSOrigins(ctx context.Context, org string) ([]string, error) {
	// scopes is a small JSON array; the LIKE narrows the rows and the caller's matcher decides.
	rows, err := c.query(ctx, `SELECT origin_norm FROM trusted_origins WHERE org_id = ? AND status = ? AND scopes LIKE ?`,
		org, origin.StatusActive, `%"CORS"%`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func scanOrigin(s scanner) (origin.TrustedOrigin, error) {
	var o origin.TrustedOrigin
	var scopes string
	var created, updated int64
	var createdBy, updatedBy sql.NullString
	if err := s.Scan(&o.ID, &o.Name, &o.Origin, &scopes, &o.Status, &created, &createdBy, &updated, &updatedBy); err != nil {
		return o, err
	}
	o.Created, o.LastUpdated = domain.FromMillis(created), domain.FromMillis(updated)
	o.CreatedBy, o.LastUpdatedBy = createdBy.String, updatedBy.String
	return o, json.Unmarshal([]byte(scopes), &o.Scopes)
}

func (c *conn) CreateTrustedOrigin(ctx context.Context, org string, o origin.TrustedOrigin, norm string) error {
	scopes, err := json.Marshal(o.Scopes)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO trusted_origins (org_id, `+originColumns+`, origin_norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		org, o.ID, o.Name, o.Origin, string(scopes), o.Status, o.Created.Millis(), nullString(o.CreatedBy),
		o.LastUpdated.Millis(), nullString(o.LastUpdatedBy), norm)
	return c.originConflict(err)
}

func (c *conn) UpdateTrustedOrigin(ctx context.Context, org string, o origin.TrustedOrigin, norm string) error {
	scopes, err := json.Marshal(o.Scopes)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE trusted_origins SET name = ?, origin = ?, origin_norm = ?, scopes = ?, status = ?,
		last_updated = ?, last_updated_by = ? WHERE org_id = ? AND id = ?`,
		o.Name, o.Origin, norm, string(scopes), o.Status, o.LastUpdated.Millis(), nullString(o.LastUpdatedBy), org, o.ID)
	if err != nil {
		return c.originConflict(err)
	}
	return mustAffect(res, o.ID, "TrustedOrigin")
}

// originConflict names the unique index that fired: both backends mention the column or index.
func (c *conn) originConflict(err error) error {
	if err == nil {
		return nil
	}
	if constraint, ok := c.db.dialect.UniqueViolation(err); ok {
		if strings.Contains(constraint, "origin_norm") {
			return &store.ConflictError{Field: "origin"}
		}
		return &store.ConflictError{Field: "name"}
	}
	return err
}

func (c *conn) DeleteTrustedOrigin(ctx context.Context, org, id string) error {
	res, err := c.exec(ctx, `DELETE FROM trusted_origins WHERE org_id = ? AND id = ?`, org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "TrustedOrigin")
}
