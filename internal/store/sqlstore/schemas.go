package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
)

// GetProfileSchema implements store.SchemaReader.
func (db *DB) GetProfileSchema(ctx context.Context, org, kind string) (domain.ProfileSchema, error) {
	return db.readConn().GetProfileSchema(ctx, org, kind)
}

func (c *conn) GetProfileSchema(ctx context.Context, org, kind string) (domain.ProfileSchema, error) {
	s := domain.ProfileSchema{Kind: kind, Properties: map[string]domain.SchemaProperty{}}
	var data string
	var created, updated int64
	err := c.queryRow(ctx, `SELECT data, created, last_updated FROM profile_schemas WHERE org_id = ? AND kind = ?`+c.forUpdate(),
		org, kind).Scan(&data, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal([]byte(data), &s); err != nil {
		return s, err
	}
	if s.Properties == nil {
		s.Properties = map[string]domain.SchemaProperty{}
	}
	s.Created, s.LastUpdated = domain.FromMillis(created), domain.FromMillis(updated)
	return s, nil
}

func (c *conn) PutProfileSchema(ctx context.Context, org string, s domain.ProfileSchema) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO profile_schemas (org_id, kind, data, created, last_updated) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (org_id, kind) DO UPDATE SET data = excluded.data, last_updated = excluded.last_updated`,
		org, s.Kind, string(data), s.Created.Millis(), s.LastUpdated.Millis())
	return err
}

const ruleColumns = `id, name, status, data, created, last_updated`

// GetGroupRule implements store.GroupRuleReader.
func (db *DB) GetGroupRule(ctx context.Context, org, id string) (domain.GroupRule, error) {
	return db.readConn().GetGroupRule(ctx, org, id)
}

// ListGroupRules implements store.GroupRuleReader.
func (db *DB) ListGroupRules(ctx context.Context, org string, activeOnly bool) ([]domain.GroupRule, error) {
	return db.readConn().ListGroupRules(ctx, org, activeOnly)
}

func (c *conn) GetGroupRule(ctx context.Context, org, id string) (domain.GroupRule, error) {
	r, err := scanRule(c.queryRow(ctx, `SELECT `+ruleColumns+` FROM group_rules WHERE org_id = ? AND id = ?`+c.forUpdate(), org, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.NotFound(id, "GroupRule")
	}
	return r, err
}

func (c *conn) ListGroupRules(ctx context.Context, org string, activeOnly bool) ([]domain.GroupRule, error) {
	q, args := `SELECT `+ruleColumns+` FROM group_rules WHERE org_id = ?`, []any{org}
	if activeOnly {
		q, args = q+` AND status = ?`, append(args, domain.RuleActive)
	}
	rows, err := c.query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.GroupRule{}
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRule(s scanner) (domain.GroupRule, error) {
	var r domain.GroupRule
	var id, name, status, data string
	var created, updated int64
	if err := s.Scan(&id, &name, &status, &data, &created, &updated); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return r, err
	}
	r.ID, r.Name, r.Status = id, name, status
	r.Created, r.LastUpdated = domain.FromMillis(created), domain.FromMillis(updated)
	return r, nil
}

func (c *conn) CreateGroupRule(ctx context.Context, org string, r domain.GroupRule) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO group_rules (org_id, `+ruleColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		org, r.ID, r.Name, r.Status, string(data), r.Created.Millis(), r.LastUpdated.Millis())
	return err
}

func (c *conn) UpdateGroupRule(ctx context.Context, org string, r domain.GroupRule) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE group_rules SET name = ?, status = ?, data = ?, last_updated = ? WHERE org_id = ? AND id = ?`,
		r.Name, r.Status, string(data), r.LastUpdated.Millis(), org, r.ID)
	if err != nil {
		return err
	}
	return mustAffect(res, r.ID, "GroupRule")
}

func (c *conn) DeleteGroupRule(ctx context.Context, org, id string) error {
	res, err := c.exec(ctx, `DELETE FROM group_rules WHERE org_id = ? AND id = ?`, org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "GroupRule")
}

// ListLinkedObjects implements store.LinkedObjectReader.
func (db *DB) ListLinkedObjects(ctx context.Context, org string) ([]domain.LinkedObject, error) {
	return db.readConn().ListLinkedObjects(ctx, org)
}

func (c *conn) ListLinkedObjects(ctx context.Context, org string) ([]domain.LinkedObject, error) {
	rows, err := c.query(ctx, `SELECT data, created FROM linked_object_defs WHERE org_id = ? ORDER BY primary_name`, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.LinkedObject{}
	for rows.Next() {
		var data string
		var created int64
		if err := rows.Scan(&data, &created); err != nil {
			return nil, err
		}
		var l domain.LinkedObject
		if err := json.Unmarshal([]byte(data), &l); err != nil {
			return nil, err
		}
		l.Created = domain.FromMillis(created)
		out = append(out, l)
	}
	return out, rows.Err()
}

func (c *conn) CreateLinkedObject(ctx context.Context, org string, l domain.LinkedObject) error {
	data, err := json.Marshal(l)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO linked_object_defs (org_id, primary_name, associated_name, data, created) VALUES (?, ?, ?, ?, ?)`,
		org, l.Primary.Name, l.Associated.Name, string(data), l.Created.Millis())
	return c.conflict(err, "name")
}

func (c *conn) DeleteLinkedObject(ctx context.Context, org, primaryName string) error {
	res, err := c.exec(ctx, `DELETE FROM linked_object_defs WHERE org_id = ? AND primary_name = ?`, org, primaryName)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `DELETE FROM linked_object_values WHERE org_id = ? AND primary_name = ?`, org, primaryName); err != nil {
		return err
	}
	return mustAffect(res, primaryName, "LinkedObject")
}

// ListLinkedUsers implements store.LinkValueReader.
func (db *DB) ListLinkedUsers(ctx context.Context, org, primaryName, userID string, associated bool) ([]string, error) {
	return db.readConn().ListLinkedUsers(ctx, org, primaryName, userID, associated)
}

func (c *conn) ListLinkedUsers(ctx context.Context, org, primaryName, userID string, associated bool) ([]string, error) {
	q := `SELECT primary_user_id FROM linked_object_values WHERE org_id = ? AND primary_name = ? AND associated_user_id = ? ORDER BY primary_user_id`
	if associated {
		q = `SELECT associated_user_id FROM linked_object_values WHERE org_id = ? AND primary_name = ? AND primary_user_id = ? ORDER BY associated_user_id`
	}
	rows, err := c.query(ctx, q, org, primaryName, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (c *conn) SetLink(ctx context.Context, org, primaryName, associatedUserID, primaryUserID string) error {
	_, err := c.exec(ctx, `INSERT INTO linked_object_values (org_id, primary_name, associated_user_id, primary_user_id) VALUES (?, ?, ?, ?)
		ON CONFLICT (org_id, primary_name, associated_user_id) DO UPDATE SET primary_user_id = excluded.primary_user_id`,
		org, primaryName, associatedUserID, primaryUserID)
	return err
}

func (c *conn) DeleteLink(ctx context.Context, org, primaryName, associatedUserID string) error {
	_, err := c.exec(ctx, `DELETE FROM linked_object_values WHERE org_id = ? AND primary_name = ? AND associated_user_id = ?`,
		org, primaryName, associatedUserID)
	return err
}

const userTypeColumns = `id, name, data, created, last_updated`

// GetUserType implements store.UserTypeReader.
func (db *DB) GetUserType(ctx context.Context, org, id string) (domain.UserType, error) {
	return db.readConn().GetUserType(ctx, org, id)
}

// ListUserTypes implements store.UserTypeReader.
func (db *DB) ListUserTypes(ctx context.Context, org string) ([]domain.UserType, error) {
	return db.readConn().ListUserTypes(ctx, org)
}

func scanUserType(s scanner) (domain.UserType, error) {
	var t domain.UserType
	var id, name, data string
	var created, updated int64
	if err := s.Scan(&id, &name, &data, &created, &updated); err != nil {
		return t, err
	}
	if err := json.Unmarshal([]byte(data), &t); err != nil {
		return t, err
	}
	t.ID, t.Name, t.Created, t.LastUpdated = id, name, domain.FromMillis(created), domain.FromMillis(updated)
	return t, nil
}

func (c *conn) GetUserType(ctx context.Context, org, id string) (domain.UserType, error) {
	t, err := scanUserType(c.queryRow(ctx, `SELECT `+userTypeColumns+` FROM user_types WHERE org_id = ? AND id = ?`+c.forUpdate(), org, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, domain.NotFound(id, "UserType")
	}
	return t, err
}

func (c *conn) ListUserTypes(ctx context.Context, org string) ([]domain.UserType, error) {
	rows, err := c.query(ctx, `SELECT `+userTypeColumns+` FROM user_types WHERE org_id = ? ORDER BY id`, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.UserType{}
	for rows.Next() {
		t, err := scanUserType(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (c *conn) CreateUserType(ctx context.Context, org string, t domain.UserType) error {
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO user_types (org_id, `+userTypeColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		org, t.ID, t.Name, string(data), t.Created.Millis(), t.LastUpdated.Millis())
	return c.conflict(err, "name")
}

func (c *conn) UpdateUserType(ctx context.Context, org string, t domain.UserType) error {
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	res, err := c.exec(ctx, `UPDATE user_types SET data = ?, last_updated = ? WHERE org_id = ? AND id = ?`,
		string(data), t.LastUpdated.Millis(), org, t.ID)
	if err != nil {
		return err
	}
	return mustAffect(res, t.ID, "UserType")
}

func (c *conn) DeleteUserType(ctx context.Context, org, id string) error {
	res, err := c.exec(ctx, `DELETE FROM user_types WHERE org_id = ? AND id = ?`, org, id)
	if err != nil {
		return err
	}
	return mustAffect(res, id, "UserType")
}
