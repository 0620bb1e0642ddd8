package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

const groupColumns = `id, type, profile, created, last_updated, last_membership_updated`

// GetGroup implements store.GroupReader.
func (db *DB) GetGroup(ctx context.Context, org, id string) (domain.Group, error) {
	return db.readConn().GetGroup(ctx, org, id)
}

// GetBuiltInGroup implements store.GroupReader.
func (db *DB) GetBuiltInGroup(ctx context.Context, org, name string) (domain.Group, error) {
	return db.readConn().GetBuiltInGroup(ctx, org, name)
}

func (c *conn) GetGroup(ctx context.Context, org, id string) (domain.Group, error) {
	g, err := scanGroup(c.queryRow(ctx, `SELECT `+groupColumns+` FROM groups WHERE org_id = ? AND id = ?`+c.forUpdate(), org, id))
	if errors.Is(err, sql.ErrNoRows) {
		return g, domain.NotFound(id, "UserGroup")
	}
	return g, err
}

func (c *conn) GetBuiltInGroup(ctx context.Context, org, name string) (domain.Group, error) {
	// The type is a literal, not a parameter, so that the planners can use the partial index
	// groups_builtin (migration 00053), which holds the org's two BUILT_IN groups; the name picks
	// one of them (Everyone and Okta Administrators are created in the same instant).
	g, err := scanGroup(c.queryRow(ctx, `SELECT `+groupColumns+` FROM groups WHERE org_id = ? AND type = '`+string(domain.GroupBuiltIn)+`' AND name_lower = ? ORDER BY created, id LIMIT 1`, org, strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return g, domain.NotFound(name, "UserGroup")
	}
	return g, err
}

func scanGroup(s scanner) (domain.Group, error) {
	var g domain.Group
	var profile []byte
	var created, updated, membership int64
	if err := s.Scan(&g.ID, &g.Type, &profile, &created, &updated, &membership); err != nil {
		return g, err
	}
	g.Created, g.LastUpdated, g.LastMembershipUpdated = domain.FromMillis(created), domain.FromMillis(updated), domain.FromMillis(membership)
	return g, json.Unmarshal(profile, &g.Profile)
}

func (c *conn) CreateGroup(ctx context.Context, org string, g domain.Group) error {
	profile, err := json.Marshal(g.Profile)
	if err != nil {
		return err
	}
	desc, _ := g.Profile["description"].(string)
	_, err = c.exec(ctx, `INSERT INTO groups (org_id, id, type, name, name_lower, description, profile, created,
		last_updated, last_membership_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		org, g.ID, g.Type, g.Name(), strings.ToLower(g.Name()), nullString(desc), string(profile),
		g.Created.Millis(), g.LastUpdated.Millis(), g.LastMembershipUpdated.Millis())
	return c.conflict(err, "name")
}

func (c *conn) AddMember(ctx context.Context, org, groupID, userID string, at domain.Time) (bool, error) {
	return c.addMember(ctx, org, groupID, userID, "", at)
}

func (c *conn) AddRuleMember(ctx context.Context, org, groupID, userID, ruleID string, at domain.Time) (bool, error) {
	added, err := c.addMember(ctx, org, groupID, userID, ruleID, at)
	if err != nil || added {
		return added, err
	}
	_, err = c.exec(ctx, `UPDATE group_members SET rule_id = ? WHERE org_id = ? AND group_id = ? AND user_id = ? AND rule_id = ''`,
		ruleID, org, groupID, userID)
	return false, err
}

func (c *conn) RemoveRuleMember(ctx context.Context, org, groupID, userID, ruleID string, at domain.Time) (bool, error) {
	return c.removeMember(ctx, `DELETE FROM group_members WHERE org_id = ? AND group_id = ? AND user_id = ? AND rule_id = ?`,
		at, org, groupID, userID, ruleID)
}

func (c *conn) MoveRuleMember(ctx context.Context, org, groupID, userID, from, to string) error {
	_, err := c.exec(ctx, `UPDATE group_members SET rule_id = ? WHERE org_id = ? AND group_id = ? AND user_id = ? AND rule_id = ?`,
		to, org, groupID, userID, from)
	return err
}

func (c *conn) ReleaseRuleMembers(ctx context.Context, org, ruleID string) error {
	// No index on rule_id: rules are deleted rarely, and the scan is of one org's rows.
	_, err := c.exec(ctx, `UPDATE group_members SET rule_id = '' WHERE org_id = ? AND rule_id = ?`, org, ruleID)
	return err
}

func (c *conn) addMember(ctx context.Context, org, groupID, userID, ruleID string, at domain.Time) (bool, error) {
	// One statement checks that both exist and inserts: reading the group and the user first
	// (profile JSON and all) was most of the cost of adding a membership.
	res, err := c.exec(ctx, `INSERT INTO group_members (org_id, group_id, user_id, created, rule_id)
		SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM groups WHERE org_id = ? AND id = ?)
		AND EXISTS (SELECT 1 FROM users WHERE org_id = ? AND id = ?)
		ON CONFLICT DO NOTHING`, org, groupID, userID, at.Millis(), ruleID, org, groupID, org, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	if n == 0 {
		// Already a member, or the group or the user does not exist: say which.
		if _, err := c.GetGroup(ctx, org, groupID); err != nil {
			return false, err
		}
		if _, err := c.GetUser(ctx, org, userID); err != nil {
			return false, err
		}
		return false, nil
	}
	_, err = c.exec(ctx, `UPDATE groups SET last_membership_updated = ? WHERE org_id = ? AND id = ?`, at.Millis(), org, groupID)
	return true, err
}

func (c *conn) RemoveMember(ctx context.Context, org, groupID, userID string, at domain.Time) (bool, error) {
	return c.removeMember(ctx, `DELETE FROM group_members WHERE org_id = ? AND group_id = ? AND user_id = ?`,
		at, org, groupID, userID)
}

// removeMember runs del (whose first two arguments are the org and the group) and, when it
// removed a row, moves the group's lastMembershipUpdated to at.
func (c *conn) removeMember(ctx context.Context, del string, at domain.Time, args ...any) (bool, error) {
	org, groupID := args[0], args[1]
	res, err := c.exec(ctx, del, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	_, err = c.exec(ctx, `UPDATE groups SET last_membership_updated = ? WHERE org_id = ? AND id = ?`, at.Millis(), org, groupID)
	return true, err
}

func (c *conn) UpdateGroup(ctx context.Context, org string, g domain.Group) error {
	profile, err := json.Marshal(g.Profile)
	if err != nil {
		return err
	}
	desc, _ := g.Profile["description"].(string)
	res, err := c.exec(ctx, `UPDATE groups SET name = ?, name_lower = ?, description = ?, profile = ?, last_updated = ?
		WHERE org_id = ? AND id = ?`,
		g.Name(), strings.ToLower(g.Name()), nullString(desc), string(profile), g.LastUpdated.Millis(), org, g.ID)
	if err != nil {
		return c.conflict(err, "name")
	}
	return mustAffect(res, g.ID, "UserGroup")
}

func (c *conn) DeleteGroup(ctx context.Context, org, id string) error {
	// Memberships are deleted explicitly, so the contract does not rest on each backend's
	// foreign-key cascade settings.
	if _, err := c.exec(ctx, `DELETE FROM group_members WHERE org_id = ? AND group_id = ?`, org, id); err != nil {
		return err
	}
	res, err := c.exec(ctx, `DELETE FROM groups WHERE org_id = ? AND id = ?`, org, id)
	if err != nil {
		return err
	}
	if err := mustAffect(res, id, "UserGroup"); err != nil {
		return err
	}
	return c.execAll(ctx, groupDependents(org, id))
}

// groupDependents are the statements that delete what is keyed by a deleted group: its app
// assignments (in Okta it is gone from GET /apps/{appId}/groups) and the roles assigned to it,
// with their group targets. A role of someone else that names the group as a target keeps that
// row: removing a role's last target would widen the role to every group.
func groupDependents(org, id string) []statement {
	return []statement{
		{`DELETE FROM app_objects WHERE org_id = ? AND kind = 'group' AND id = ?`, []any{org, id}},
		{`DELETE FROM role_objects WHERE org_id = ? AND kind = 'target' AND parent_id IN
			(SELECT id FROM role_objects WHERE org_id = ? AND kind = 'group' AND parent_id = ?)`, []any{org, org, id}},
		{`DELETE FROM role_objects WHERE org_id = ? AND kind = 'group' AND parent_id = ?`, []any{org, id}},
	}
}
