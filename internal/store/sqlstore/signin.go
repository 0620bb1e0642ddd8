package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/signin"
)

const (
	sessionColumns = `id, user_id, login, status, created, expires_at, last_password, last_factor, amr`
	signinColumns  = `hash, kind, user_id, status, factor_id, relay_state, created, expires_at, last_password, last_factor, amr`
)

// GetSession implements store.SigninReader.
func (db *DB) GetSession(ctx context.Context, org, id string) (domain.Session, error) {
	return db.readConn().GetSession(ctx, org, id)
}

// GetSigninToken implements store.SigninReader.
func (db *DB) GetSigninToken(ctx context.Context, org, hash string) (signin.Token, error) {
	return db.readConn().GetSigninToken(ctx, org, hash)
}

func (c *conn) GetSession(ctx context.Context, org, id string) (domain.Session, error) {
	var s domain.Session
	var created, expires, pw, factor int64
	var amr string
	err := c.queryRow(ctx, `SELECT `+sessionColumns+` FROM signin_sessions WHERE org_id = ? AND id = ?`, org, id).
		Scan(&s.ID, &s.UserID, &s.Login, &s.Status, &created, &expires, &pw, &factor, &amr)
	if errors.Is(err, sql.ErrNoRows) {
		return s, domain.NotFound(id, "Session")
	}
	if err != nil {
		return s, err
	}
	s.OrgID = org
	s.CreatedAt, s.ExpiresAt = domain.FromMillis(created), domain.FromMillis(expires)
	s.LastPasswordVerification, s.LastFactorVerification = fromMillisOrZero(pw), fromMillisOrZero(factor)
	s.AMR = splitAMR(amr)
	return s, nil
}

func (c *conn) GetSigninToken(ctx context.Context, org, hash string) (signin.Token, error) {
	var t signin.Token
	var created, expires, pw, factor int64
	var amr string
	err := c.queryRow(ctx, `SELECT `+signinColumns+` FROM signin_tokens WHERE org_id = ? AND hash = ?`+c.forUpdate(), org, hash).
		Scan(&t.Hash, &t.Kind, &t.UserID, &t.Status, &t.FactorID, &t.RelayState, &created, &expires, &pw, &factor, &amr)
	if errors.Is(err, sql.ErrNoRows) {
		// The hash stands for a credential: keep it out of the error.
		return t, domain.NotFound("(token)", "Token")
	}
	if err != nil {
		return t, err
	}
	t.Created, t.ExpiresAt = domain.FromMillis(created), domain.FromMillis(expires)
	t.LastPasswordVerification, t.LastFactorVerification = fromMillisOrZero(pw), fromMillisOrZero(factor)
	t.AMR = splitAMR(amr)
	return t, nil
}

func (c *conn) CreateSession(ctx context.Context, org string, s domain.Session) error {
	_, err := c.exec(ctx, `INSERT INTO signin_sessions (org_id, `+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		org, s.ID, s.UserID, s.Login, s.Status, s.CreatedAt.Millis(), s.ExpiresAt.Millis(),
		millisOrZero(s.LastPasswordVerification), millisOrZero(s.LastFactorVerification), strings.Join(s.AMR, " "))
	return c.conflict(err, "id")
}

func (c *conn) RefreshSession(ctx context.Context, org, id string, expiresAt domain.Time) error {
	res, err := c.exec(ctx, `UPDATE signin_sessions SET expires_at = ? WHERE org_id = ? AND id = ?`, expiresAt.Millis(), org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "Session")
}

func (c *conn) DeleteSession(ctx context.Context, org, id string) error {
	res, err := c.exec(ctx, `DELETE FROM signin_sessions WHERE org_id = ? AND id = ?`, org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "Session")
}

func (c *conn) DeleteUserSessions(ctx context.Context, org, userID string) (int, error) {
	res, err := c.exec(ctx, `DELETE FROM signin_sessions WHERE org_id = ? AND user_id = ?`, org, userID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (c *conn) PutSigninToken(ctx context.Context, org string, t signin.Token) error {
	_, err := c.exec(ctx, `INSERT INTO signin_tokens (org_id, `+signinColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, hash) DO UPDATE SET kind = excluded.kind, user_id = excluded.user_id,
		status = excluded.status, factor_id = excluded.factor_id, relay_state = excluded.relay_state,
		expires_at = excluded.expires_at, last_password = excluded.last_password,
		last_factor = excluded.last_factor, amr = excluded.amr`,
		org, t.Hash, t.Kind, t.UserID, t.Status, t.FactorID, t.RelayState, t.Created.Millis(), t.ExpiresAt.Millis(),
		millisOrZero(t.LastPasswordVerification), millisOrZero(t.LastFactorVerification), strings.Join(t.AMR, " "))
	return err
}

func (c *conn) DeleteSigninToken(ctx context.Context, org, hash string) error {
	res, err := c.exec(ctx, `DELETE FROM signin_tokens WHERE org_id = ? AND hash = ?`, org, hash)
	if err != nil {
		return err
	}
	return mustAffect(res, "(token)", "Token")
}

// millisOrZero stores an unset time as 0.
func millisOrZero(t domain.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Millis()
}

func fromMillisOrZero(ms int64) domain.Time {
	if ms == 0 {
		return domain.Time{}
	}
	return domain.FromMillis(ms)
}

func splitAMR(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Fields(s)
}

const factorColumns = `id, user_id, factor_type, provider, status, created, last_updated, profile, secret, last_step`

// ListFactors implements store.SigninReader.
func (db *DB) ListFactors(ctx context.Context, org, userID string) ([]signin.Factor, error) {
	return db.readConn().ListFactors(ctx, org, userID)
}

// GetFactor implements store.SigninReader.
func (db *DB) GetFactor(ctx context.Context, org, userID, id string) (signin.Factor, error) {
	return db.readConn().GetFactor(ctx, org, userID, id)
}

func scanFactor(s scanner) (signin.Factor, error) {
	var f signin.Factor
	var created, updated int64
	var profile string
	if err := s.Scan(&f.ID, &f.UserID, &f.FactorType, &f.Provider, &f.Status, &created, &updated, &profile, &f.Secret, &f.LastStep); err != nil {
		return f, err
	}
	f.Created, f.LastUpdated = domain.FromMillis(created), domain.FromMillis(updated)
	f.Profile = map[string]string{}
	return f, json.Unmarshal([]byte(profile), &f.Profile)
}

func (c *conn) ListFactors(ctx context.Context, org, userID string) ([]signin.Factor, error) {
	rows, err := c.query(ctx, `SELECT `+factorColumns+` FROM signin_factors WHERE org_id = ? AND user_id = ? ORDER BY id`, org, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []signin.Factor{}
	for rows.Next() {
		f, err := scanFactor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (c *conn) GetFactor(ctx context.Context, org, userID, id string) (signin.Factor, error) {
	f, err := scanFactor(c.queryRow(ctx, `SELECT `+factorColumns+` FROM signin_factors WHERE org_id = ? AND user_id = ? AND id = ?`+c.forUpdate(), org, userID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, domain.NotFound(id, "UserFactor")
	}
	return f, err
}

func (c *conn) PutFactor(ctx context.Context, org string, f signin.Factor) error {
	profile, err := json.Marshal(f.Profile)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO signin_factors (org_id, `+factorColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, id) DO UPDATE SET status = excluded.status, last_updated = excluded.last_updated,
		profile = excluded.profile, secret = excluded.secret, last_step = excluded.last_step`,
		org, f.ID, f.UserID, f.FactorType, f.Provider, f.Status, f.Created.Millis(), f.LastUpdated.Millis(),
		string(profile), f.Secret, f.LastStep)
	return err
}

func (c *conn) DeleteFactor(ctx context.Context, org, userID, id string) error {
	res, err := c.exec(ctx, `DELETE FROM signin_factors WHERE org_id = ? AND user_id = ? AND id = ?`, org, userID, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "UserFactor")
}

func (c *conn) AddSigninFailure(ctx context.Context, org, userID string, at domain.Time) (int, error) {
	var n int
	err := c.queryRow(ctx, `INSERT INTO signin_failures (org_id, user_id, count, last_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (org_id, user_id) DO UPDATE SET count = signin_failures.count + 1, last_at = excluded.last_at
		RETURNING count`, org, userID, at.Millis()).Scan(&n)
	return n, err
}

func (c *conn) ResetSigninFailures(ctx context.Context, org, userID string) error {
	_, err := c.exec(ctx, `DELETE FROM signin_failures WHERE org_id = ? AND user_id = ?`, org, userID)
	return err
}
