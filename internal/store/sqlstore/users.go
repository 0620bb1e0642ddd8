package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

const userColumns = `id, status, transitioning, created, activated, status_changed, last_login, last_updated,
	password_changed, type_id, profile, provider_type, provider_name, recovery_question, password_hash,
	recovery_answer_hash, version`

// GetUser implements store.UserReader.
func (db *DB) GetUser(ctx context.Context, org, id string) (domain.User, error) {
	return db.readConn().GetUser(ctx, org, id)
}

// GetUserByLogin implements store.UserReader.
func (db *DB) GetUserByLogin(ctx context.Context, org, login string) (domain.User, error) {
	return db.readConn().GetUserByLogin(ctx, org, login)
}

func (c *conn) GetUser(ctx context.Context, org, id string) (domain.User, error) {
	row := c.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE org_id = ? AND id = ?`+c.forUpdate(), org, id)
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.NotFound(id, "User")
	}
	return u, err
}

func (c *conn) GetUserByLogin(ctx context.Context, org, login string) (domain.User, error) {
	row := c.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE org_id = ? AND login_lower = ?`+c.forUpdate(), org, strings.ToLower(login))
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.NotFound(login, "User")
	}
	return u, err
}

// scanUser reads the userColumns of a row, then any extra columns into extra.
func scanUser(s scanner, extra ...any) (domain.User, error) {
	u, err := scanUserRaw(s, extra...)
	if err != nil {
		return u, err
	}
	err = json.Unmarshal(u.RawProfile, &u.Profile)
	u.RawProfile = nil
	return u, err
}

// scanListedUser reads a user row of a list. On SQLite the profile stays as stored
// (RawProfile): the text encoding/json wrote, which a response can copy. PostgreSQL's JSONB
// gives it back re-serialised (keys reordered, spaces, HTML characters unescaped), so there it
// is decoded, and the response encodes it like any other.
func (c *conn) scanListedUser(s scanner, extra ...any) (domain.User, error) {
	if c.db.dialect.Name == "postgres" {
		return scanUser(s, extra...)
	}
	return scanUserRaw(s, extra...)
}

// scanUserRaw reads a user row leaving the profile undecoded (domain.User.RawProfile), as the
// list queries return users.
func scanUserRaw(s scanner, extra ...any) (domain.User, error) {
	var u domain.User
	var created, updated int64
	var activated, statusChanged, lastLogin, pwChanged sql.NullInt64
	var profile []byte
	var question, pwHash, answerHash sql.NullString
	dest := []any{&u.ID, &u.Status, &u.TransitioningToStatus, &created, &activated, &statusChanged, &lastLogin,
		&updated, &pwChanged, &u.TypeID, &profile, &u.Provider.Type, &u.Provider.Name, &question, &pwHash,
		&answerHash, &u.Version}
	err := s.Scan(append(dest, extra...)...)
	if err != nil {
		return u, err
	}
	u.Created, u.LastUpdated = domain.FromMillis(created), domain.FromMillis(updated)
	u.Activated, u.StatusChanged = timeOf(activated), timeOf(statusChanged)
	u.LastLogin, u.PasswordChanged = timeOf(lastLogin), timeOf(pwChanged)
	u.RecoveryQuestion = question.String
	u.Secrets = domain.UserSecrets{PasswordHash: pwHash.String, RecoveryAnswerHash: answerHash.String}
	u.RawProfile = profile
	return u, nil
}

// userRow is the column values of u, in the order of the INSERT below.
func userRow(org string, u domain.User) ([]any, error) {
	profile, err := json.Marshal(u.Profile)
	if err != nil {
		return nil, err
	}
	str := func(k string) any { s, _ := u.Profile[k].(string); return nullString(s) }
	login := u.Login()
	return []any{org, u.ID, string(u.Status), u.TransitioningToStatus, u.Created.Millis(), millis(u.Activated),
		millis(u.StatusChanged), millis(u.LastLogin), u.LastUpdated.Millis(), millis(u.PasswordChanged),
		u.TypeID, string(profile), login, strings.ToLower(login), str("email"), str("firstName"),
		str("lastName"), u.Provider.Type, u.Provider.Name, nullString(u.RecoveryQuestion),
		nullString(u.Secrets.PasswordHash), nullString(u.Secrets.RecoveryAnswerHash)}, nil
}

func (c *conn) CreateUser(ctx context.Context, org string, u domain.User) error {
	args, err := userRow(org, u)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO users (org_id, id, status, transitioning, created, activated, status_changed,
		last_login, last_updated, password_changed, type_id, profile, login, login_lower, email, first_name,
		last_name, provider_type, provider_name, recovery_question, password_hash, recovery_answer_hash, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, args...)
	return c.conflict(err, "login")
}

func (c *conn) UpdateUser(ctx context.Context, org string, u domain.User) error {
	args, err := userRow(org, u)
	if err != nil {
		return err
	}
	// Same order as userRow, minus org and id, which go to the WHERE clause with the version.
	args = append(args[2:], org, u.ID, u.Version)
	res, err := c.exec(ctx, `UPDATE users SET status = ?, transitioning = ?, created = ?, activated = ?,
		status_changed = ?, last_login = ?, last_updated = ?, password_changed = ?, type_id = ?, profile = ?,
		login = ?, login_lower = ?, email = ?, first_name = ?, last_name = ?, provider_type = ?,
		provider_name = ?, recovery_question = ?, password_hash = ?, recovery_answer_hash = ?,
		version = version + 1
		WHERE org_id = ? AND id = ? AND version = ?`, args...)
	if err != nil {
		return c.conflict(err, "login")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		if _, err := c.GetUser(ctx, org, u.ID); err != nil {
			return err
		}
		return store.ErrStale
	}
	return nil
}

func (c *conn) DeleteUser(ctx context.Context, org, id string) error {
	if _, err := c.exec(ctx, `DELETE FROM group_members WHERE org_id = ? AND user_id = ?`, org, id); err != nil {
		return err
	}
	res, err := c.exec(ctx, `DELETE FROM users WHERE org_id = ? AND id = ?`, org, id)
	if err != nil {
		return err
	}
	if err := mustAffect(res, id, "User"); err != nil {
		return err
	}
	return c.execAll(ctx, userDependents(org, id))
}

// userDependents are the statements that delete what is keyed by a deleted user, so that
// nothing lists it afterwards (in Okta a deleted user is gone from GET /apps/{appId}/users, its
// roles, factors and sessions with it). Password history and linked-object values go by their
// foreign keys' cascade. Not here: OAuth grants and sign-in tokens, which have no index on the
// user and fail on the missing user when used.
func userDependents(org, id string) []statement {
	return []statement{
		{`DELETE FROM app_objects WHERE org_id = ? AND kind = 'user' AND id = ?`, []any{org, id}},
		// The group targets of the user's roles, then the roles.
		{`DELETE FROM role_objects WHERE org_id = ? AND kind = 'target' AND parent_id IN
			(SELECT id FROM role_objects WHERE org_id = ? AND kind = 'user' AND parent_id = ?)`, []any{org, org, id}},
		{`DELETE FROM role_objects WHERE org_id = ? AND kind IN ('user', 'unsubscribed') AND parent_id = ?`, []any{org, id}},
		{`DELETE FROM idp_objects WHERE org_id = ? AND kind = 'link' AND id = ?`, []any{org, id}},
		{`DELETE FROM signin_sessions WHERE org_id = ? AND user_id = ?`, []any{org, id}},
		{`DELETE FROM signin_factors WHERE org_id = ? AND user_id = ?`, []any{org, id}},
		{`DELETE FROM signin_failures WHERE org_id = ? AND user_id = ?`, []any{org, id}},
	}
}

// statement is one SQL statement with its arguments.
type statement struct {
	query string
	args  []any
}

// execAll runs statements in order, stopping at the first error.
func (c *conn) execAll(ctx context.Context, stmts []statement) error {
	for _, st := range stmts {
		if _, err := c.exec(ctx, st.query, st.args...); err != nil {
			return err
		}
	}
	return nil
}
