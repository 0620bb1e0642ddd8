package storetest

import (
	"context"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/netzone"
	"github.com/okapi-dev/okapi/internal/origin"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	registerOrgFixture(coreAfterReset, populateCore)
	register("OrgTables",
		check{"EveryOrgIDTableIsRegistered", testOrgTablesRegistered},
		check{"DeleteResetRestoreCoverEveryTable", testOrgTablesLifecycle},
	)
}

// orgCatalog is what the registry checks need beyond the store contract: the registry, the
// schema's catalog and raw row counts (sqlstore.DB, both backends).
type orgCatalog interface {
	RegisteredOrgTables() []string
	CatalogOrgTables(ctx context.Context) ([]string, error)
	CountOrgRows(ctx context.Context, table, org string) (int, error)
}

func catalogOf(t *testing.T, s store.Store) orgCatalog {
	t.Helper()
	c, ok := s.(orgCatalog)
	if !ok {
		t.Skipf("%T exposes no SQL catalog", s)
	}
	return c
}

// orgIDTables lists the tables with an org_id column, from the catalog.
func orgIDTables(t *testing.T, c orgCatalog) []string {
	t.Helper()
	names, err := c.CatalogOrgTables(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// orgRows counts org's rows in every table with an org_id column.
func orgRows(t *testing.T, c orgCatalog, org string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range orgIDTables(t, c) {
		n, err := c.CountOrgRows(t.Context(), tbl, org)
		if err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	return out
}

// testOrgTablesRegistered fails when a migration adds a table with an org_id column that the
// registry in sqlstore/orgtables.go does not list: org deletes, resets and snapshots would
// silently leave its rows behind.
func testOrgTablesRegistered(t *testing.T, s store.Store) {
	b := catalogOf(t, s)
	registered := map[string]bool{}
	for _, name := range b.RegisteredOrgTables() {
		registered[name] = true
	}
	inCatalog := map[string]bool{}
	for _, name := range orgIDTables(t, b) {
		inCatalog[name] = true
		if !registered[name] {
			t.Errorf("table %s has an org_id column but is not in sqlstore's orgTables registry (sqlstore/orgtables.go)", name)
		}
	}
	for name := range registered {
		if !inCatalog[name] {
			t.Errorf("registered org table %s has no org_id column in the schema", name)
		}
	}
}

// orgFixture gives an org rows in some of the org-owned tables, and says how many of them each
// table keeps after a reset.
type orgFixture struct {
	afterReset map[string]int
	create     func(t *testing.T, s store.Store, org string)
}

// orgFixtures together create one of everything; see registerOrgFixture.
var orgFixtures []orgFixture

// registerOrgFixture adds a family's rows to the org the OrgTables check fills: create writes at
// least one row in each of the family's org-owned tables, and afterReset says how many rows of
// each of those tables a reset keeps (0: all go). A family that adds tables calls it from init
// in its own storetest file, next to registering the tables in sqlstore/orgtables.go; a table
// with an org_id column that no fixture fills or that has no afterReset entry fails the check.
func registerOrgFixture(afterReset map[string]int, create func(t *testing.T, s store.Store, org string)) {
	orgFixtures = append(orgFixtures, orgFixture{afterReset: afterReset, create: create})
}

// coreAfterReset is what a reset keeps of populateCore's rows: the token owner, the BUILT_IN
// groups (Everyone, Okta Administrators) and the token owner's memberships of them, the token
// and the system zone.
var coreAfterReset = map[string]int{
	"org_snapshots":   0, // populateEverything adds the snapshot, which a reset keeps
	"users":           1,
	"groups":          2,
	"group_members":   2,
	"api_tokens":      1,
	"trusted_origins": 0,
	"zones":           1,
	"log_events":      0,
	"log_targets":     0,
}

// populateCore fills the users, groups, tokens, origins, zones, System Log and snapshot tables:
// an admin who owns the API token, another user, the two BUILT_IN groups and an Okta group
// with members, a trusted origin, a system and a custom zone, and a System Log event with a target.
func populateCore(t *testing.T, s store.Store, org string) {
	t.Helper()
	admin := newUser(t, s, org, "admin@example.com")
	other := newUser(t, s, org, "other@example.com")
	everyone := newGroup(t, s, org, domain.GroupBuiltIn, domain.EveryoneGroupName)
	admins := newGroup(t, s, org, domain.GroupBuiltIn, domain.AdminsGroupName)
	okta := newGroup(t, s, org, domain.GroupOkta, "Engineering")
	tok := token("admin", admin.ID)
	update(t, s, func(tx store.Tx) error {
		ctx := t.Context()
		if err := tx.CreateToken(ctx, org, tok); err != nil {
			return err
		}
		for _, m := range [][2]string{{everyone.ID, admin.ID}, {everyone.ID, other.ID}, {admins.ID, admin.ID}, {admins.ID, other.ID}, {okta.ID, admin.ID}, {okta.ID, other.ID}} {
			if _, err := tx.AddMember(ctx, org, m[0], m[1], at(1)); err != nil {
				return err
			}
		}
		return tx.AppendEvents(ctx, org, event("user.lifecycle.create", other.LogTarget()))
	})
	for _, z := range []netzone.Zone{zone("LegacyIpZone", true), zone("Office", false)} {
		if err := createZone(t, s, org, z); err != nil {
			t.Fatal(err)
		}
	}
	if err := createOrigin(t, s, org, trustedOrigin("O", "https://o.example.com", origin.StatusActive, origin.ScopeCORS)); err != nil {
		t.Fatal(err)
	}
}

// populateEverything runs every registered fixture in org, then saves the snapshot the check
// restores, and returns what a reset keeps per table.
func populateEverything(t *testing.T, s store.Store, org string) map[string]int {
	t.Helper()
	want := map[string]int{}
	for _, f := range orgFixtures {
		f.create(t, s, org)
		for tbl, n := range f.afterReset {
			want[tbl] += n
		}
	}
	update(t, s, func(tx store.Tx) error { return tx.SaveSnapshot(t.Context(), org, "everything", at(3)) })
	want["org_snapshots"]++
	return want
}

// testOrgTablesLifecycle creates one of everything in two orgs, then resets, restores and
// deletes one of them, checking every table with an org_id column after each step; the other
// org must not change.
func testOrgTablesLifecycle(t *testing.T, s store.Store) {
	b := catalogOf(t, s)
	ctx := t.Context()
	a, other := newOrg(t, s), newOrg(t, s)
	wantAfterReset := populateEverything(t, s, a.ID)
	populateEverything(t, s, other.ID)
	full, otherFull := orgRows(t, b, a.ID), orgRows(t, b, other.ID)
	for tbl, n := range full {
		if n == 0 {
			t.Errorf("no org fixture fills %s: add one with registerOrgFixture in the family's storetest file", tbl)
		}
	}

	update(t, s, func(tx store.Tx) error { return tx.ResetOrg(ctx, a.ID) })
	got := orgRows(t, b, a.ID)
	for tbl, n := range got {
		want, ok := wantAfterReset[tbl]
		if !ok {
			t.Errorf("after reset: %s has %d rows and no fixture says how many a reset keeps (registerOrgFixture)", tbl, n)
		} else if n != want {
			t.Errorf("after reset: %s has %d rows, want %d", tbl, n, want)
		}
	}

	update(t, s, func(tx store.Tx) error { return tx.RestoreSnapshot(ctx, a.ID, "everything") })
	got = orgRows(t, b, a.ID)
	for tbl, n := range full {
		if got[tbl] != n {
			t.Errorf("after restore: %s has %d rows, want the %d saved", tbl, got[tbl], n)
		}
	}

	update(t, s, func(tx store.Tx) error { return tx.DeleteOrg(ctx, a.ID) })
	for tbl, n := range orgRows(t, b, a.ID) {
		if n != 0 {
			t.Errorf("after delete: %s still has %d rows of the deleted org", tbl, n)
		}
	}
	for tbl, n := range orgRows(t, b, other.ID) {
		if n != otherFull[tbl] {
			t.Errorf("the other org's %s went from %d to %d rows", tbl, otherFull[tbl], n)
		}
	}
}
