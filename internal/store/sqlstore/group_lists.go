package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// groupSortColumns maps store.GroupSortFields to the SQL expression a list is ordered by. Each
// expression is never NULL, so a keyset comparison on it is two-valued.
var groupSortColumns = map[string]string{
	"id":                    "id",
	"type":                  "type",
	"created":               "created",
	"lastUpdated":           "last_updated",
	"lastMembershipUpdated": "last_membership_updated",
	"profile.name":          "name_lower",
	"profile.description":   "COALESCE(description, '')",
}

// ListGroups implements store.GroupReader.
func (db *DB) ListGroups(ctx context.Context, org string, q store.GroupQuery) ([]domain.Group, error) {
	return db.readConn().ListGroups(ctx, org, q)
}

// ListMembers implements store.GroupReader.
func (db *DB) ListMembers(ctx context.Context, org, groupID, after string, limit int) ([]domain.User, error) {
	return db.readConn().ListMembers(ctx, org, groupID, after, limit)
}

// ListUserGroups implements store.GroupReader.
func (db *DB) ListUserGroups(ctx context.Context, org, userID, after string, limit int) ([]domain.Group, error) {
	return db.readConn().ListUserGroups(ctx, org, userID, after, limit)
}

// CountMembers implements store.GroupReader.
func (db *DB) CountMembers(ctx context.Context, org string, groupIDs []string) (map[string]int, error) {
	return db.readConn().CountMembers(ctx, org, groupIDs)
}

// ListGroups pages by keyset: rows strictly after (key, id) of the previous page's last row, in
// the same order, so no row is skipped or repeated when rows are added between pages.
func (c *conn) ListGroups(ctx context.Context, org string, q store.GroupQuery) ([]domain.Group, error) {
	col := "id"
	if q.SortBy != "" {
		var ok bool
		if col, ok = groupSortColumns[q.SortBy]; !ok {
			return nil, fmt.Errorf("sqlstore: unknown group sort field %q", q.SortBy)
		}
	}
	b := c.builder()
	b.WriteString(`SELECT ` + groupColumns + ` FROM groups`)
	b.and(`org_id = ` + b.arg(org))
	if q.NamePrefix != "" {
		// substr counts characters on both backends; name_lower is Go's strings.ToLower, so the
		// prefix is folded the same way here.
		prefix := strings.ToLower(q.NamePrefix)
		b.and(`substr(name_lower, 1, ` + b.arg(len([]rune(prefix))) + `) = ` + b.arg(prefix))
	}
	if q.Type != "" {
		b.and(`type = ` + b.arg(q.Type))
	}
	if q.Where != nil {
		if err := b.where(q.Where, q.WhereSchema); err != nil {
			return nil, err
		}
	}
	if q.After.ID != "" {
		b.after(col, q.Desc, q.After.Key, q.After.ID)
	}
	if col == "id" {
		b.orderBy(q.Desc, "id")
	} else {
		b.orderBy(q.Desc, col, "id")
	}
	b.WriteString(` LIMIT ` + b.arg(max(q.Limit, 0)))
	rows, err := c.q.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return nil, err
	}
	return scanGroups(rows)
}

func (c *conn) queryGroups(ctx context.Context, query string, args ...any) ([]domain.Group, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanGroups(rows)
}

func scanGroups(rows *sql.Rows) ([]domain.Group, error) {
	defer rows.Close()
	var out []domain.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// qualify prefixes each column of a column list with a table alias, for joins.
func qualify(columns, alias string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

var memberUserColumns = qualify(userColumns, "u")
var memberGroupColumns = qualify(groupColumns, "g")

// ListMembers walks group_members in its primary-key order (org, group, user), so a page costs
// limit rows however large the group is.
func (c *conn) ListMembers(ctx context.Context, org, groupID, after string, limit int) ([]domain.User, error) {
	rows, err := c.query(ctx, `SELECT `+memberUserColumns+` FROM group_members m
		JOIN users u ON u.org_id = m.org_id AND u.id = m.user_id
		WHERE m.org_id = ? AND m.group_id = ? AND m.user_id > ?
		ORDER BY m.user_id LIMIT ?`, org, groupID, after, max(limit, 0))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.User
	for rows.Next() {
		u, err := c.scanListedUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ListUserGroups walks the group_members_user index (org, user, group).
func (c *conn) ListUserGroups(ctx context.Context, org, userID, after string, limit int) ([]domain.Group, error) {
	return c.queryGroups(ctx, `SELECT `+memberGroupColumns+` FROM group_members m
		JOIN groups g ON g.org_id = m.org_id AND g.id = m.group_id
		WHERE m.org_id = ? AND m.user_id = ? AND m.group_id > ?
		ORDER BY m.group_id LIMIT ?`, org, userID, after, max(limit, 0))
}

func (c *conn) CountMembers(ctx context.Context, org string, groupIDs []string) (map[string]int, error) {
	out := make(map[string]int, len(groupIDs))
	if len(groupIDs) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(groupIDs)+1)
	args = append(args, org)
	for _, id := range groupIDs {
		args = append(args, id)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(groupIDs)), ", ")
	// Built per call (the list's length varies): not through the prepared-statement cache.
	rows, err := c.queryBuilt(ctx, `SELECT group_id, COUNT(*) FROM group_members
		WHERE org_id = ? AND group_id IN (`+marks+`) GROUP BY group_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// InAnyGroup implements store.GroupReader.
func (db *DB) InAnyGroup(ctx context.Context, org, userID string, groupIDs []string) (bool, error) {
	return db.readConn().InAnyGroup(ctx, org, userID, groupIDs)
}

func (c *conn) InAnyGroup(ctx context.Context, org, userID string, groupIDs []string) (bool, error) {
	if len(groupIDs) == 0 {
		return false, nil
	}
	want := make(map[string]bool, len(groupIDs))
	for _, id := range groupIDs {
		want[id] = true
	}
	// The user's memberships come off the (org_id, user_id, group_id) index with one prepared
	// statement; a user is in far fewer groups than an IN list of targets costs to plan.
	rows, err := c.query(ctx, `SELECT group_id FROM group_members WHERE org_id = ? AND user_id = ?`, org, userID)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return false, err
		}
		if want[id] {
			return true, nil
		}
	}
	return false, rows.Err()
}

// RuleMemberships implements store.GroupReader.
func (db *DB) RuleMemberships(ctx context.Context, org, userID string) (map[string]string, error) {
	return db.readConn().RuleMemberships(ctx, org, userID)
}

func (c *conn) RuleMemberships(ctx context.Context, org, userID string) (map[string]string, error) {
	rows, err := c.query(ctx, `SELECT group_id, rule_id FROM group_members WHERE org_id = ? AND user_id = ? AND rule_id <> ''`, org, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var g, r string
		if err := rows.Scan(&g, &r); err != nil {
			return nil, err
		}
		out[g] = r
	}
	return out, rows.Err()
}
