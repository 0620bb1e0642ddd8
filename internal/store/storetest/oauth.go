package storetest

import (
	"reflect"
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("OAuth",
		check{"ObjectsRoundTripConflictDelete", testOAuthObjects},
		check{"GrantsAreSingleUse", testOAuthGrants},
		check{"GrantFamiliesRevokeTogether", testOAuthGrantFamilies},
	)
}

func testOAuthObjects(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, other := newOrg(t, s), newOrg(t, s)
	srv := store.OAuthObject{Kind: store.OAuthServer, ID: "aus1", ServerID: "aus1", Name: "default", Body: []byte(`{"a":1}`), Created: 1}
	sc := store.OAuthObject{Kind: store.OAuthScope, ID: "scp1", ServerID: "aus1", ParentID: "aus1", Name: "openid", Body: []byte(`{}`), Created: 2}
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateOAuthObject(ctx, org.ID, srv); err != nil {
			return err
		}
		return tx.CreateOAuthObject(ctx, org.ID, sc)
	})
	update(t, s, func(tx store.Tx) error { return tx.CreateOAuthObject(ctx, other.ID, srv) })
	got, err := s.GetOAuthObject(ctx, org.ID, store.OAuthServer, "aus1")
	if err != nil || !reflect.DeepEqual(got, srv) {
		t.Fatalf("GetOAuthObject = %#v, %v", got, err)
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		return tx.CreateOAuthObject(ctx, org.ID, store.OAuthObject{Kind: store.OAuthScope, ID: "scp2", ServerID: "aus1", ParentID: "aus1", Name: "openid", Body: []byte(`{}`)})
	})
	wantConflict(t, err, "name")
	list, err := s.ListOAuthObjects(ctx, org.ID, store.OAuthScope, "aus1")
	if err != nil || len(list) != 1 || list[0].ID != "scp1" {
		t.Fatalf("ListOAuthObjects = %v, %v", list, err)
	}
	srv.Name, srv.Body = "renamed", []byte(`{"a":2}`)
	update(t, s, func(tx store.Tx) error { return tx.UpdateOAuthObject(ctx, org.ID, srv) })
	if got, _ := s.GetOAuthObject(ctx, org.ID, store.OAuthServer, "aus1"); got.Name != "renamed" || string(got.Body) != `{"a":2}` {
		t.Fatalf("after update %#v", got)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteOAuthServerObjects(ctx, org.ID, "aus1") })
	_, err = s.GetOAuthObject(ctx, org.ID, store.OAuthScope, "scp1")
	wantNotFound(t, err, "scp1", store.OAuthScope)
	if _, err := s.GetOAuthObject(ctx, other.ID, store.OAuthServer, "aus1"); err != nil {
		t.Fatalf("other org's server: %v", err)
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteOAuthObject(ctx, org.ID, store.OAuthServer, "aus1") })
	wantNotFound(t, err, "aus1", store.OAuthServer)
}

func testOAuthGrants(t *testing.T, s store.Store) {
	ctx := t.Context()
	org := newOrg(t, s)
	g := store.OAuthGrant{ID: "code1", Kind: "code", ServerID: "aus1", ClientID: "c1", UserID: "00u1", Body: []byte(`{}`), ExpiresAt: 99}
	update(t, s, func(tx store.Tx) error { return tx.CreateOAuthGrant(ctx, org.ID, g) })
	got, err := s.GetOAuthGrant(ctx, org.ID, "code1")
	if err != nil || !reflect.DeepEqual(got, g) {
		t.Fatalf("GetOAuthGrant = %#v, %v", got, err)
	}
	for i, want := range []bool{true, false} {
		var ok bool
		update(t, s, func(tx store.Tx) error {
			var err error
			ok, err = tx.UseOAuthGrant(ctx, org.ID, "code1", 42)
			return err
		})
		if ok != want {
			t.Fatalf("use %d = %v, want %v", i, ok, want)
		}
	}
	if got, _ := s.GetOAuthGrant(ctx, org.ID, "code1"); !got.Used || got.UsedAt != 42 {
		t.Fatalf("after use %#v, want used at 42", got)
	}
	_, err = s.GetOAuthGrant(ctx, newOrg(t, s).ID, "code1")
	wantNotFound(t, err, "code1", "OAuthGrant")
}

// testOAuthGrantFamilies: a family's grants round-trip their family id, are revoked together
// (not another family's, not another org's), and a grant's expiry can be moved.
func testOAuthGrantFamilies(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, other := newOrg(t, s), newOrg(t, s)
	rows := []store.OAuthGrant{
		{ID: "rt:1", Kind: "refresh", FamilyID: "rt:1", Body: []byte(`{}`), ExpiresAt: 10},
		{ID: "rt:2", Kind: "refresh", FamilyID: "rt:1", Body: []byte(`{}`), ExpiresAt: 10, Used: true, UsedAt: 5},
		{ID: "rev:AT.1", Kind: "access", FamilyID: "rt:1", Body: []byte(`{}`), ExpiresAt: 10},
		{ID: "rt:9", Kind: "refresh", FamilyID: "rt:9", Body: []byte(`{}`), ExpiresAt: 10},
	}
	for _, o := range []string{org.ID, other.ID} {
		update(t, s, func(tx store.Tx) error {
			for _, g := range rows {
				if err := tx.CreateOAuthGrant(ctx, o, g); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if got, err := s.GetOAuthGrant(ctx, org.ID, "rt:2"); err != nil || !reflect.DeepEqual(got, rows[1]) {
		t.Fatalf("GetOAuthGrant = %#v, %v", got, err)
	}
	var n int64
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.RevokeOAuthFamily(ctx, org.ID, "rt:1")
		return err
	})
	if n != 3 {
		t.Fatalf("RevokeOAuthFamily changed %d grants, want 3", n)
	}
	for _, c := range []struct {
		org, id string
		revoked bool
	}{{org.ID, "rt:1", true}, {org.ID, "rt:2", true}, {org.ID, "rev:AT.1", true}, {org.ID, "rt:9", false}, {other.ID, "rt:1", false}} {
		if g, err := s.GetOAuthGrant(ctx, c.org, c.id); err != nil || g.Revoked != c.revoked {
			t.Errorf("%s revoked = %v (%v), want %v", c.id, g.Revoked, err, c.revoked)
		}
	}
	update(t, s, func(tx store.Tx) error {
		if err := tx.RevokeOAuthGrant(ctx, org.ID, "rt:9"); err != nil {
			return err
		}
		return tx.ExtendOAuthGrant(ctx, org.ID, "rt:9", 99)
	})
	if g, _ := s.GetOAuthGrant(ctx, org.ID, "rt:9"); !g.Revoked || g.ExpiresAt != 99 {
		t.Fatalf("rt:9 after revoke and extend %#v", g)
	}
}
