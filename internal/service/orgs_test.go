package service_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/postgres/pgtest"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// TestEnsureOrgConcurrently starts the default org from several "instances" at once, as okapi
// processes starting together on one database do: every one succeeds, and there is one org
// with one bootstrap token.
func TestEnsureOrgConcurrently(t *testing.T) {
	backends := storeBackends()
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			secret := "00" + strings.Repeat("eNsUrE", 7)
			const instances = 8
			orgs := make([]string, instances)
			errs := make([]error, instances)
			done := make(chan struct{})
			start := make(chan struct{})
			for i := range instances {
				go func() {
					defer func() { done <- struct{}{} }()
					<-start
					svc := service.New(db, nil, nil, nil)
					org, _, err := svc.EnsureOrg(t.Context(), service.OrgSetup{
						Name: domain.DefaultOrgName, AdminLogin: "admin@okapi.test", TokenSecret: secret, TokenName: "bootstrap",
					})
					orgs[i], errs[i] = org.ID, err
				}()
			}
			close(start)
			for range instances {
				<-done
			}
			if err := errors.Join(errs...); err != nil {
				t.Fatalf("concurrent EnsureOrg: %v", err)
			}
			all, err := db.ListOrgs(t.Context())
			if err != nil || len(all) != 1 {
				t.Fatalf("ListOrgs = %v, %v; want one org", all, err)
			}
			for i, id := range orgs {
				if id != all[0].ID {
					t.Errorf("instance %d got org %q, want %q", i, id, all[0].ID)
				}
			}
			if _, org, err := db.GetTokenByHash(t.Context(), domain.HashToken(secret)); err != nil || org != all[0].ID {
				t.Errorf("bootstrap token: org %q, %v", org, err)
			}
		})
	}
}

// storeBackends opens a fresh store on each backend: SQLite, and PostgreSQL (a schema of its
// own; required under CI). The store closes when the test ends.
func storeBackends() map[string]func(t *testing.T) *sqlstore.DB {
	return map[string]func(t *testing.T) *sqlstore.DB{
		"SQLite": func(t *testing.T) *sqlstore.DB {
			db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		"PostgreSQL": func(t *testing.T) *sqlstore.DB {
			db, err := postgres.Open(t.Context(), pgtest.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
	}
}
