package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// BenchmarkListUsers100k lists one 200-user page of 100,000 users with the common filters and
// searches, through the store (no HTTP). It reports what the indexes buy: every case should be an
// index seek, so ns/op stays in the low milliseconds whatever the table size.
func BenchmarkListUsers100k(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	org := domain.Org{ID: domain.NewID(domain.CryptoIDs{}, domain.PrefixOrg), Name: "bench", Created: domain.FromMillis(1)}
	if err := db.Update(ctx, func(tx store.Tx) error { return tx.CreateOrg(ctx, org) }); err != nil {
		b.Fatal(err)
	}
	statuses := []domain.UserStatus{domain.StatusActive, domain.StatusActive, domain.StatusStaged, domain.StatusSuspended}
	const n, batch = 100_000, 10_000
	ids := domain.NewSeededIDs(7)
	for start := 0; start < n; start += batch {
		users := make([]domain.User, batch)
		for i := range users {
			k := start + i
			login := fmt.Sprintf("user%06d@example.com", k)
			users[i] = domain.User{ID: domain.NewID(ids, domain.PrefixUser), Status: statuses[k%len(statuses)],
				Created: domain.FromMillis(int64(k)), LastUpdated: domain.FromMillis(int64(k)), TypeID: "oty00000000000000000",
				Provider: domain.Provider{Type: "OKTA", Name: "OKTA"},
				Profile: map[string]any{"login": login, "email": login, "firstName": fmt.Sprintf("F%d", k%997),
					"lastName": fmt.Sprintf("L%d", k%1009), "department": fmt.Sprintf("D%d", k%50)}}
		}
		rows, err := sqlstore.PrepareBulk(org.ID, sqlstore.Bulk{Users: users})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.BulkInsert(ctx, rows); err != nil {
			b.Fatal(err)
		}
	}
	cases := []struct {
		name, expr string
		schema     *filter.Schema
	}{
		{"filter status", `status eq "ACTIVE"`, filter.UsersFilter},
		{"filter lastName", `profile.lastName eq "L42"`, filter.UsersFilter},
		{"filter lastUpdated", `lastUpdated gt "1970-01-01T00:00:50.000Z"`, filter.UsersFilter},
		{"search lastName", `profile.lastName eq "l42"`, filter.UsersSearch},
		{"search email sw", `profile.email sw "user0420"`, filter.UsersSearch},
		{"search custom (unindexed)", `profile.department eq "D7"`, filter.UsersSearch},
	}
	for _, c := range cases {
		expr, err := filter.ParseFor(c.expr, c.schema)
		if err != nil {
			b.Fatal(err)
		}
		q := store.UserQuery{Where: expr, Schema: c.schema, Limit: 200, IncludeDeprovisioned: c.schema == filter.UsersSearch}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				users, _, err := db.ListUsers(ctx, org.ID, q)
				if err != nil || len(users) == 0 {
					b.Fatalf("%d users, %v", len(users), err)
				}
			}
		})
	}
}
