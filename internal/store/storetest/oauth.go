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
			ok, err = tx.UseOAuthGrant(ctx, org.ID, "code1")
			return err
		})
		if ok != want {
			t.Fatalf("use %d = %v, want %v", i, ok, want)
		}
	}
	_, err = s.GetOAuthGrant(ctx, newOrg(t, s).ID, "code1")
	wantNotFound(t, err, "code1", "OAuthGrant")
}
