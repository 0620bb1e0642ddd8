package service_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// newCachedService is a service on a fresh SQLite org with the token cache on (a long TTL, so
// only explicit invalidation can refuse a cached token).
func newCachedService(t testing.TB) (*service.Service, string, *domain.Caller) {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := service.New(db, nil, nil, nil)
	svc.AuthCacheTTL = time.Hour
	secret := "00cachedTokenSecret0123456789"
	org, _, err := svc.EnsureOrg(t.Context(), service.OrgSetup{Name: domain.DefaultOrgName, AdminLogin: "admin@okapi.test",
		TokenSecret: secret, TokenName: "bootstrap"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Authenticate(t.Context(), secret)
	if err != nil {
		t.Fatal(err)
	}
	return svc, secret, &domain.Caller{OrgID: org.ID, UserID: p.Owner.ID, TokenID: p.Token.ID}
}

// TestAuthCacheRevoke: with the cache on, a revoked token is refused on the very next request.
func TestAuthCacheRevoke(t *testing.T) {
	svc, secret, caller := newCachedService(t)
	ctx := domain.WithCaller(t.Context(), caller)
	// A second token, revoked by the first.
	_, other, err := svc.CreateToken(ctx, "other", "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Authenticate(t.Context(), other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(t.Context(), other); err != nil { // now from the cache
		t.Fatal(err)
	}
	if err := svc.RevokeToken(ctx, p.Token.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(t.Context(), other); !errors.Is(err, domain.ErrInvalidToken) {
		t.Fatalf("revoked token: err = %v, want invalid token", err)
	}
	if _, err := svc.Authenticate(t.Context(), secret); err != nil {
		t.Fatalf("the other token must still work: %v", err)
	}
}

// TestAuthCacheOwnerSuspended: suspending a token's owner refuses the token at once, though
// it is cached.
func TestAuthCacheOwnerSuspended(t *testing.T) {
	svc, secret, caller := newCachedService(t)
	ctx := domain.WithCaller(t.Context(), caller)
	if _, err := svc.Authenticate(t.Context(), secret); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UserLifecycle(ctx, caller.UserID, domain.OpSuspend); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(t.Context(), secret); !errors.Is(err, domain.ErrInvalidToken) {
		t.Fatalf("token of a suspended owner: err = %v, want invalid token", err)
	}
}

// BenchmarkAuthenticate is the token check of every API request, against SQLite and from the
// cache.
func BenchmarkAuthenticate(b *testing.B) {
	for _, ttl := range []time.Duration{0, time.Second} {
		name := "store"
		if ttl > 0 {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			svc, secret, _ := newCachedService(b)
			svc.AuthCacheTTL = ttl
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.Authenticate(b.Context(), secret); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
