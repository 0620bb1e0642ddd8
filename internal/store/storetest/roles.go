package storetest

import (
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("RoleObjects",
		check{"PutGetListDelete", testRoleObjects},
	)
}

func testRoleObjects(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, other := newOrg(t, s), newOrg(t, s)
	put := func(org string, o store.RoleObject) {
		t.Helper()
		update(t, s, func(tx store.Tx) error { return tx.PutRoleObject(ctx, org, o) })
	}
	put(org.ID, store.RoleObject{Kind: "user", Parent: "00u1", ID: "ra1A", Data: []byte(`{"type":"USER_ADMIN"}`), Created: 1})
	put(org.ID, store.RoleObject{Kind: "user", Parent: "00u1", ID: "ra1B", Data: []byte(`{}`), Created: 2})
	put(org.ID, store.RoleObject{Kind: "target", Parent: "ra1A", ID: "00g1", Data: []byte(`{}`), Created: 3})
	put(org.ID, store.RoleObject{Kind: "target", Parent: "ra1A", ID: "00g2", Data: []byte(`{}`), Created: 4})
	put(other.ID, store.RoleObject{Kind: "user", Parent: "00u1", ID: "ra1C", Data: []byte(`{}`), Created: 1})
	if list, err := s.ListRoleObjects(ctx, org.ID, "user", "00u1", "*"); err != nil || len(list) != 2 || list[0].ID != "ra1A" {
		t.Fatalf("roles of 00u1: %+v, %v", list, err)
	}
	if got, err := s.GetRoleObject(ctx, org.ID, "user", "00u1", "ra1A", "Role"); err != nil || string(got.Data) != `{"type":"USER_ADMIN"}` {
		t.Fatalf("GetRoleObject = %+v, %v", got, err)
	}
	_, err := s.GetRoleObject(ctx, other.ID, "user", "00u1", "ra1A", "Role")
	wantNotFound(t, err, "ra1A", "Role")
	update(t, s, func(tx store.Tx) error { return tx.DeleteRoleObjects(ctx, org.ID, "target", "ra1A", "*") })
	if left, _ := s.ListRoleObjects(ctx, org.ID, "target", "*", "*"); len(left) != 0 {
		t.Errorf("targets left: %d", len(left))
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteRoleObject(ctx, org.ID, "user", "00u1", "ra1A", "Role") })
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteRoleObject(ctx, org.ID, "user", "00u1", "ra1A", "Role") })
	wantNotFound(t, err, "ra1A", "Role")
}
