package storetest

import (
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/signin"
	"github.com/okapi-dev/okapi/internal/store"
)

// The org fixtures of the applications, OAuth, roles and sign-in families (see registerOrgFixture):
// one row of each of their tables; a reset deletes them all.
func init() {
	registerOrgFixture(map[string]int{"app_objects": 0}, func(t *testing.T, s store.Store, org string) {
		update(t, s, func(tx store.Tx) error {
			return tx.PutAppObject(t.Context(), org, store.AppObject{Kind: "app", ID: "0oaFixtureApp", Lookup: "fixture-client", Data: []byte(`{}`), Created: 1})
		})
	})
	registerOrgFixture(map[string]int{"oauth_objects": 0, "oauth_grants": 0}, func(t *testing.T, s store.Store, org string) {
		update(t, s, func(tx store.Tx) error {
			if err := tx.CreateOAuthObject(t.Context(), org, store.OAuthObject{Kind: "server", ID: "ausFixture", ServerID: "ausFixture", Name: "fixture", Body: []byte(`{}`), Created: 1}); err != nil {
				return err
			}
			return tx.CreateOAuthGrant(t.Context(), org, store.OAuthGrant{ID: "grantFixture", Kind: "code", ServerID: "ausFixture", ClientID: "c", UserID: "u", Body: []byte(`{}`), ExpiresAt: 1})
		})
	})
	registerOrgFixture(map[string]int{"role_objects": 0}, func(t *testing.T, s store.Store, org string) {
		u := newUser(t, s, org, "role-fixture@example.com")
		update(t, s, func(tx store.Tx) error {
			return tx.PutRoleObject(t.Context(), org, store.RoleObject{Kind: "user", Parent: u.ID, ID: "ra1Fixture", Data: []byte(`{}`), Created: 1})
		})
	})
	registerOrgFixture(map[string]int{"signin_sessions": 0, "signin_tokens": 0, "signin_factors": 0, "signin_failures": 0},
		func(t *testing.T, s store.Store, org string) {
			u := newUser(t, s, org, "signin-fixture@example.com")
			now := t0
			update(t, s, func(tx store.Tx) error {
				ctx := t.Context()
				if err := tx.CreateSession(ctx, org, domain.Session{ID: "102fixture", OrgID: org, UserID: u.ID, Login: u.Login(), Status: "ACTIVE",
					CreatedAt: now, ExpiresAt: now, LastPasswordVerification: now}); err != nil {
					return err
				}
				if err := tx.PutSigninToken(ctx, org, signin.Token{Hash: "fixturehash", Kind: "session", UserID: u.ID, Created: now, ExpiresAt: now, Status: "SUCCESS"}); err != nil {
					return err
				}
				if err := tx.PutFactor(ctx, org, signin.Factor{ID: "uftFixture", UserID: u.ID, FactorType: "token:software:totp", Provider: "GOOGLE",
					Status: "ACTIVE", Created: now, LastUpdated: now, Profile: map[string]string{}}); err != nil {
					return err
				}
				_, err := tx.AddSigninFailure(ctx, org, u.ID, now)
				return err
			})
		})
}
