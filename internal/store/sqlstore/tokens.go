package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
)

const tokenColumns = `id, name, hash, user_id, client_name, created, last_updated, expires_at, token_window, last_used, network`

// GetTokenByHash implements store.TokenReader.
func (db *DB) GetTokenByHash(ctx context.Context, hash string) (domain.APIToken, string, error) {
	return db.readConn().GetTokenByHash(ctx, hash)
}

// GetToken implements store.TokenReader.
func (db *DB) GetToken(ctx context.Context, org, id string) (domain.APIToken, error) {
	return db.readConn().GetToken(ctx, org, id)
}

// ListTokens implements store.TokenReader.
func (db *DB) ListTokens(ctx context.Context, org, after string, limit int) ([]domain.APIToken, error) {
	return db.readConn().ListTokens(ctx, org, after, limit)
}

func (c *conn) GetTokenByHash(ctx context.Context, hash string) (domain.APIToken, string, error) {
	var org string
	row := c.queryRow(ctx, `SELECT org_id, `+tokenColumns+` FROM api_tokens WHERE hash = ?`, hash)
	t, err := scanToken(row, &org)
	if errors.Is(err, sql.ErrNoRows) {
		// The hash is a credential: keep it out of the error.
		return t, "", domain.NotFound("(token)", "ApiToken")
	}
	return t, org, err
}

func (c *conn) GetToken(ctx context.Context, org, id string) (domain.APIToken, error) {
	var ignored string
	row := c.queryRow(ctx, `SELECT org_id, `+tokenColumns+` FROM api_tokens WHERE org_id = ? AND id = ?`, org, id)
	t, err := scanToken(row, &ignored)
	if errors.Is(err, sql.ErrNoRows) {
		return t, domain.NotFound(id, "ApiToken")
	}
	return t, err
}

func (c *conn) ListTokens(ctx context.Context, org, after string, limit int) ([]domain.APIToken, error) {
	rows, err := c.query(ctx, `SELECT org_id, `+tokenColumns+` FROM api_tokens WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?`, org, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.APIToken{}
	for rows.Next() {
		var ignored string
		t, err := scanToken(rows, &ignored)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanToken(s scanner, org *string) (domain.APIToken, error) {
	var t domain.APIToken
	var created, updated, expires, used int64
	var network sql.NullString
	err := s.Scan(org, &t.ID, &t.Name, &t.Hash, &t.UserID, &t.ClientName, &created, &updated, &expires, &t.TokenWindow, &used, &network)
	if err != nil {
		return t, err
	}
	t.Created, t.LastUpdated = domain.FromMillis(created), domain.FromMillis(updated)
	t.ExpiresAt, t.LastUsed = domain.FromMillis(expires), domain.FromMillis(used)
	if network.Valid && network.String != "" {
		t.Network = &domain.TokenNetwork{}
		if err := json.Unmarshal([]byte(network.String), t.Network); err != nil {
			return t, err
		}
	}
	return t, nil
}

func (c *conn) CreateToken(ctx context.Context, org string, t domain.APIToken) error {
	var network any
	if t.Network != nil {
		b, err := json.Marshal(t.Network)
		if err != nil {
			return err
		}
		network = string(b)
	}
	_, err := c.exec(ctx, `INSERT INTO api_tokens (org_id, `+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		org, t.ID, t.Name, t.Hash, t.UserID, t.ClientName, t.Created.Millis(), t.LastUpdated.Millis(),
		t.ExpiresAt.Millis(), t.TokenWindow, t.LastUsed.Millis(), network)
	return c.conflict(err, "token")
}

func (c *conn) DeleteToken(ctx context.Context, org, id string) error {
	res, err := c.exec(ctx, `DELETE FROM api_tokens WHERE org_id = ? AND id = ?`, org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "ApiToken")
}

func (c *conn) TouchToken(ctx context.Context, org, id string, lastUsed, expiresAt domain.Time) error {
	_, err := c.exec(ctx, `UPDATE api_tokens SET last_used = ?, expires_at = ? WHERE org_id = ? AND id = ?`,
		lastUsed.Millis(), expiresAt.Millis(), org, id)
	return err
}

func (c *conn) UpdateTokenNetwork(ctx context.Context, org, id, name string, network *domain.TokenNetwork, lastUpdated domain.Time) error {
	b, err := json.Marshal(network)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE api_tokens SET name = ?, network = ?, last_updated = ? WHERE org_id = ? AND id = ?`,
		name, string(b), lastUpdated.Millis(), org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "ApiToken")
}
