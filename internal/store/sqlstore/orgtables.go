package sqlstore

import (
	"context"
	"fmt"
)

// OrgTable is one table of the org-owned table registry: a table with an org_id column whose
// rows belong to one org. Deleting an org (DeleteOrg), resetting it (ResetOrg) and snapshotting
// it (SaveSnapshot, RestoreSnapshot) are all derived from the registry, and the conformance
// test storetest "OrgTables" fails when a table with an org_id column is missing from it.
//
// How a new resource family registers its tables: append one OrgTable per table to orgTables
// below, parents before children (a table must come after every table its foreign keys
// reference; deletes run in reverse order). Say what a reset keeps with Keep/KeepAll, leave
// NoSnapshot false unless the table holds snapshot bookkeeping. Then, in the family's own
// storetest file, call registerOrgFixture from init with a function that writes a row of each
// new table and how many rows of each a reset keeps (see storetest/orgtables.go).
type OrgTable struct {
	Name string
	// Keep is the SQL condition on the table's columns selecting the rows ResetOrg keeps; every
	// ? in it is bound to the org id. Empty: a reset deletes all of the org's rows.
	Keep string
	// KeepAll means a reset keeps every row (API tokens: the operator's access survives).
	KeepAll bool
	// NoSnapshot leaves the table out of snapshots (the snapshots themselves).
	NoSnapshot bool
	// SnapshotOrder is the ORDER BY of the table's rows in a snapshot, for a table with fewer
	// than four columns; empty: the first four columns (see copyTable).
	SnapshotOrder string
}

// tokenOwners selects the users a reset keeps: the owners of the org's API tokens.
const tokenOwners = `SELECT user_id FROM api_tokens WHERE org_id = ?`

// orgTables is the registry, parents first.
var orgTables = []OrgTable{
	{Name: "org_snapshots", KeepAll: true, NoSnapshot: true},
	{Name: "users", Keep: `id IN (` + tokenOwners + `)`},
	{Name: "groups", Keep: `type = 'BUILT_IN'`},
	// A reset keeps the BUILT_IN groups (Everyone, Okta Administrators) and the token owners'
	// memberships of them; the service then brings Okta Administrators in line with the roles
	// the reset kept.
	{Name: "group_members", Keep: `user_id IN (` + tokenOwners + `) AND group_id IN (SELECT id FROM groups WHERE org_id = ? AND type = 'BUILT_IN')`},
	{Name: "api_tokens", KeepAll: true},
	{Name: "trusted_origins"},
	// The system zones (LegacyIpZone, BlockedIpZone) exist in every org.
	{Name: "zones", Keep: `system`},
	{Name: "log_events"},
	{Name: "log_targets"},
	// Event hooks and their delivery state; a reset deletes them with the System Log they read.
	{Name: "event_hooks"},
	// Identity Providers: IdPs, org keys, IdP signing keys, CSRs and user links.
	{Name: "idp_objects"},
	// Policies and policy rules; the service puts Okta's default policies back after a reset.
	{Name: "policy_objects"},
	// Applications: apps, app users, group assignments, signing keys and CSRs.
	{Name: "app_objects"},
	// OAuth 2.0 / OIDC: authorization servers, their keys, scopes, claims, policies and rules,
	// and the grants (codes, refresh tokens, revocations); the default server comes back on the
	// next OAuth request.
	{Name: "oauth_objects"},
	{Name: "oauth_grants"},
	// Sign-in: sessions, Authn transactions and tokens, factors, failure counts.
	{Name: "signin_sessions"},
	{Name: "signin_tokens"},
	{Name: "signin_factors"},
	{Name: "signin_failures"},
	// The hashes of users' earlier passwords (password policy history).
	{Name: "password_history"},
	// Admin role assignments and their targets; a reset keeps the token owners' roles (their
	// tokens survive it, and act with those roles).
	{Name: "role_objects", Keep: `kind = 'user' AND parent_id IN (` + tokenOwners + `)`},
	// Schemas, group rules, linked objects and user types: a reset deletes them all.
	{Name: "profile_schemas"},
	{Name: "group_rules"},
	{Name: "linked_object_defs"},
	{Name: "linked_object_values"},
	{Name: "user_types"},
	// Org Settings (company details, contacts, preferences): a reset puts Okta's defaults for
	// a new org back by deleting the row.
	{Name: "org_settings", SnapshotOrder: "1"},
	// Self-service feature statuses an org changed (the Features API): a reset puts the
	// catalog's defaults back by deleting them.
	{Name: "org_features", SnapshotOrder: "1, 2"},
}

// OrgTables returns the registry, parents first, for tests.
func OrgTables() []OrgTable { return append([]OrgTable(nil), orgTables...) }

// snapshotTables returns the names of the tables snapshots copy, parents first.
func snapshotTables() []string {
	var out []string
	for _, t := range orgTables {
		if !t.NoSnapshot {
			out = append(out, t.Name)
		}
	}
	return out
}

// snapshotOrder is the ORDER BY that copyTable sorts table's rows by.
func snapshotOrder(table string) string {
	for _, t := range orgTables {
		if t.Name == table && t.SnapshotOrder != "" {
			return t.SnapshotOrder
		}
	}
	return "1, 2, 3, 4"
}

// RegisteredOrgTables returns the names in the registry, parents first. With CatalogOrgTables
// and CountOrgRows it lets the conformance suite check the registry against the schema.
func (db *DB) RegisteredOrgTables() []string {
	out := make([]string, len(orgTables))
	for i, t := range orgTables {
		out[i] = t.Name
	}
	return out
}

// CatalogOrgTables lists the tables that have an org_id column, from the database's catalog
// (sqlite_master and pragma_table_info; information_schema on PostgreSQL), sorted.
func (db *DB) CatalogOrgTables(ctx context.Context) ([]string, error) {
	q := `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'org_id' ORDER BY 1`
	if db.dialect.Numbered {
		q = `SELECT table_name FROM information_schema.columns WHERE column_name = 'org_id' AND table_schema = current_schema() ORDER BY 1`
	}
	rows, err := db.read.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// CountOrgRows counts org's rows in table, one of CatalogOrgTables.
func (db *DB) CountOrgRows(ctx context.Context, table, org string) (int, error) {
	if !validColumn(table) {
		return 0, fmt.Errorf("bad table name %q", table)
	}
	q := `SELECT COUNT(*) FROM ` + table + ` WHERE org_id = ?`
	if db.dialect.Numbered {
		q = rebind(q)
	}
	var n int
	err := db.read.QueryRowContext(ctx, q, org).Scan(&n)
	return n, err
}
