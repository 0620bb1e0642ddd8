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

// wantAfterReset is how many rows of each org table the org populateEverything creates keeps
// after a reset: the token owner, the Everyone group and its membership, the token, the system
// zone, and the snapshot. A table not listed here fails the check.
var wantAfterReset = map[string]int{
	"org_snapshots":   1,
	"users":           1,
	"groups":          1,
	"group_members":   1,
	"api_tokens":      1,
	"trusted_origins": 0,
	"zones":           1,
	"log_events":      0,
	"log_targets":     0,
}

// populateEverything gives org one row (or more) in every org-owned table: an admin who owns
// the API token, another user, the Everyone group and an Okta group with members, a trusted
// origin, a system and a custom zone, and a System Log event with a target. A family that adds
// a table adds its row here and its expectation to wantAfterReset.
func populateEverything(t *testing.T, s store.Store, org string) {
	t.Helper()
	admin := newUser(t, s, org, "admin@example.com")
	other := newUser(t, s, org, "other@example.com")
	everyone := newGroup(t, s, org, domain.GroupBuiltIn, "Everyone")
	okta := newGroup(t, s, org, domain.GroupOkta, "Engineering")
	tok := token("admin", admin.ID)
	update(t, s, func(tx store.Tx) error {
		ctx := t.Context()
		if err := tx.CreateToken(ctx, org, tok); err != nil {
			return err
		}
		for _, m := range [][2]string{{everyone.ID, admin.ID}, {everyone.ID, other.ID}, {okta.ID, admin.ID}, {okta.ID, other.ID}} {
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
	update(t, s, func(tx store.Tx) error { return tx.SaveSnapshot(t.Context(), org, "everything", at(3)) })
}

// testOrgTablesLifecycle creates one of everything in two orgs, then resets, restores and
// deletes one of them, checking every table with an org_id column after each step; the other
// org must not change.
func testOrgTablesLifecycle(t *testing.T, s store.Store) {
	b := catalogOf(t, s)
	ctx := t.Context()
	a, other := newOrg(t, s), newOrg(t, s)
	populateEverything(t, s, a.ID)
	populateEverything(t, s, other.ID)
	full, otherFull := orgRows(t, b, a.ID), orgRows(t, b, other.ID)
	for tbl, n := range full {
		if n == 0 {
			t.Errorf("populateEverything leaves %s empty: add a row of it to the fixture", tbl)
		}
	}

	update(t, s, func(tx store.Tx) error { return tx.ResetOrg(ctx, a.ID) })
	got := orgRows(t, b, a.ID)
	for tbl, n := range got {
		want, ok := wantAfterReset[tbl]
		if !ok {
			t.Errorf("after reset: %s has %d rows and no expectation in wantAfterReset", tbl, n)
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
