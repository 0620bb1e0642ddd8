package service_test

import (
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
	"github.com/okapi-dev/okapi/internal/testgate"
)

// backends runs f on SQLite, and on PostgreSQL when OKAPI_TEST_POSTGRES_URL is set.
func backends(t *testing.T, f func(t *testing.T, db *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		f(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := postgres.Open(context.Background(), testgate.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		f(t, db)
	})
}

// randomOrgName lets PostgreSQL runs share a database.
func randomOrgName() string { return "c" + strings.ToLower(rand.Text()[:12]) }

// cachedOrg is a fresh org on svc with the token cache on for an hour, so only an explicit
// drop can refuse a cached token, and a second token (created after the seed snapshot) that is
// cached.
func cachedOrg(t *testing.T, svc *service.Service) (name, extra string) {
	svc.AuthCacheTTL = time.Hour
	name = randomOrgName()
	org, first, err := svc.NewOrg(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.LoadSeed(t.Context(), name, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveSnapshot(t.Context(), name, "before"); err != nil {
		t.Fatal(err)
	}
	p, err := svc.Authenticate(t.Context(), first)
	if err != nil {
		t.Fatal(err)
	}
	ctx := domain.WithCaller(t.Context(), &domain.Caller{OrgID: org.ID, UserID: p.Owner.ID, TokenID: p.Token.ID})
	if _, extra, err = svc.CreateToken(ctx, "extra", ""); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second from the cache
		if _, err := svc.Authenticate(t.Context(), extra); err != nil {
			t.Fatal(err)
		}
	}
	return name, extra
}

// TestOrgChangesDropCachedTokens (issue 24.2): deleting an org, restoring a snapshot that
// predates a token, and resetting to a seed that predates it refuse the token on the very next
// request, as a revoke does, though it was cached.
func TestOrgChangesDropCachedTokens(t *testing.T) {
	ops := map[string]func(svc *service.Service, name string) error{
		"delete": func(svc *service.Service, name string) error { return svc.DeleteOrg(context.Background(), name) },
		"restore": func(svc *service.Service, name string) error {
			return svc.RestoreSnapshot(context.Background(), name, "before")
		},
		"reset": func(svc *service.Service, name string) error { return svc.ResetOrg(context.Background(), name, true) },
	}
	backends(t, func(t *testing.T, db *sqlstore.DB) {
		for op, f := range ops {
			t.Run(op, func(t *testing.T) {
				svc := service.New(db, nil, nil, nil)
				name, extra := cachedOrg(t, svc)
				if err := f(svc, name); err != nil {
					t.Fatal(err)
				}
				if _, err := svc.Authenticate(t.Context(), extra); !errors.Is(err, domain.ErrInvalidToken) {
					t.Fatalf("token after %s: err = %v, want invalid token", op, err)
				}
			})
		}
	})
}

// TestSharedStoreSeesOtherInstance (issue 24.2): with several instances on one store, an org
// another instance deleted and created again under the same name is seen on the next request,
// not after the org cache's TTL.
func TestSharedStoreSeesOtherInstance(t *testing.T) {
	backends(t, func(t *testing.T, db *sqlstore.DB) {
		a, b := service.New(db, nil, nil, nil), service.New(db, nil, nil, nil)
		a.SharedStore, b.SharedStore = true, true
		name := randomOrgName()
		if _, _, err := a.NewOrg(t.Context(), name); err != nil {
			t.Fatal(err)
		}
		old, err := a.OrgByName(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.DeleteOrg(t.Context(), name); err != nil {
			t.Fatal(err)
		}
		if _, err := a.OrgByName(t.Context(), name); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("deleted elsewhere: err = %v, want not found", err)
		}
		fresh, _, err := b.NewOrg(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.OrgByName(t.Context(), name)
		if err != nil || got.ID != fresh.ID || got.ID == old.ID {
			t.Fatalf("recreated elsewhere: got %q (%v), want %q", got.ID, err, fresh.ID)
		}
	})
}
