package storetest

import (
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("IdPObjects",
		check{"PutGetListReplaceDelete", testIdPObjects},
	)
	// The OrgTables check: a reset deletes an org's identity providers and keys.
	registerOrgFixture(map[string]int{"idp_objects": 0}, func(t *testing.T, s store.Store, org string) {
		update(t, s, func(tx store.Tx) error {
			return tx.PutIdPObject(t.Context(), org, store.IdPObject{Kind: "idp", ID: "0oaFixture", Name: "Fixture", Data: []byte(`{}`), Created: 1})
		})
	})
}

func testIdPObjects(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, other := newOrg(t, s), newOrg(t, s)
	put := func(org string, o store.IdPObject) {
		t.Helper()
		update(t, s, func(tx store.Tx) error { return tx.PutIdPObject(ctx, org, o) })
	}
	put(org.ID, store.IdPObject{Kind: "idp", ID: "0oaA", Name: "A", Data: []byte(`{"a":1}`), Created: 2})
	put(org.ID, store.IdPObject{Kind: "idp", ID: "0oaB", Name: "B", Data: []byte(`{"b":1}`), Created: 1})
	put(org.ID, store.IdPObject{Kind: "key", Parent: "0oaA", ID: "kid1", Data: []byte(`{}`), Created: 3})
	put(org.ID, store.IdPObject{Kind: "key", Parent: "0oaB", ID: "kid1", Data: []byte(`{}`), Created: 3}) // a clone: same kid
	put(org.ID, store.IdPObject{Kind: "key", ID: "orgkey", Data: []byte(`{}`), Created: 4})
	put(other.ID, store.IdPObject{Kind: "idp", ID: "0oaC", Name: "C", Data: []byte(`{}`), Created: 1})

	idps, err := s.ListIdPObjects(ctx, org.ID, "idp", "")
	if err != nil || len(idps) != 2 || idps[0].ID != "0oaB" || idps[1].ID != "0oaA" {
		t.Fatalf("ListIdPObjects(idp) = %+v, %v; want B then A (oldest first), this org only", idps, err)
	}
	if keys, _ := s.ListIdPObjects(ctx, org.ID, "key", "*"); len(keys) != 3 {
		t.Errorf("every key of the org: %d, want 3", len(keys))
	}
	if keys, _ := s.ListIdPObjects(ctx, org.ID, "key", ""); len(keys) != 1 || keys[0].ID != "orgkey" {
		t.Errorf("org keys: %+v", keys)
	}
	put(org.ID, store.IdPObject{Kind: "idp", ID: "0oaA", Name: "A2", Data: []byte(`{"a":2}`), Created: 99})
	got, err := s.GetIdPObject(ctx, org.ID, "idp", "", "0oaA", "IdP")
	if err != nil || got.Name != "A2" || string(got.Data) != `{"a":2}` || got.Created != 2 {
		t.Fatalf("after replace: %+v, %v; want the new name and data, the first created", got, err)
	}
	_, err = s.GetIdPObject(ctx, other.ID, "idp", "", "0oaA", "IdP")
	wantNotFound(t, err, "0oaA", "IdP")
	update(t, s, func(tx store.Tx) error { return tx.DeleteIdPChildren(ctx, org.ID, "0oaA") })
	if keys, _ := s.ListIdPObjects(ctx, org.ID, "key", "0oaA"); len(keys) != 0 {
		t.Errorf("DeleteIdPChildren left %d keys", len(keys))
	}
	if keys, _ := s.ListIdPObjects(ctx, org.ID, "key", "0oaB"); len(keys) != 1 {
		t.Errorf("DeleteIdPChildren removed another IdP's key")
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteIdPObject(ctx, org.ID, "idp", "", "0oaA", "IdP") })
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteIdPObject(ctx, org.ID, "idp", "", "0oaA", "IdP") })
	wantNotFound(t, err, "0oaA", "IdP")
}
