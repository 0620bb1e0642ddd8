package storetest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("AppObjects",
		check{"PutGetListLookupDelete", testAppObjects},
		check{"LargeDocumentRoundTrips", testAppObjectLarge},
	)
}

func testAppObjects(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, other := newOrg(t, s), newOrg(t, s)
	put := func(org string, o store.AppObject) error {
		return s.Update(ctx, func(tx store.Tx) error { return tx.PutAppObject(ctx, org, o) })
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(put(org.ID, store.AppObject{Kind: "app", ID: "0oaA", Lookup: "client-a", Data: []byte(`{"a":1}`), Created: 1}))
	must(put(org.ID, store.AppObject{Kind: "app", ID: "0oaB", Data: []byte(`{}`), Created: 2}))
	must(put(org.ID, store.AppObject{Kind: "user", Parent: "0oaA", ID: "00u1", Data: []byte(`{}`), Created: 3}))
	must(put(org.ID, store.AppObject{Kind: "user", Parent: "0oaB", ID: "00u1", Data: []byte(`{}`), Created: 3}))
	must(put(org.ID, store.AppObject{Kind: "group", Parent: "0oaA", ID: "00g1", Data: []byte(`{}`), Created: 3}))
	must(put(other.ID, store.AppObject{Kind: "app", ID: "0oaC", Lookup: "client-a", Data: []byte(`{}`), Created: 1}))
	wantConflict(t, put(org.ID, store.AppObject{Kind: "app", ID: "0oaD", Lookup: "client-a", Data: []byte(`{}`), Created: 4}), "client_id")

	if o, err := s.FindAppByLookup(ctx, org.ID, "client-a"); err != nil || o.ID != "0oaA" {
		t.Fatalf("FindAppByLookup = %+v, %v", o, err)
	}
	_, err := s.FindAppByLookup(ctx, org.ID, "nope")
	wantNotFound(t, err, "nope", "Application")
	if apps, _ := s.ListAppObjects(ctx, org.ID, "app", "", "*"); len(apps) != 2 || apps[0].ID != "0oaA" {
		t.Errorf("apps %+v", apps)
	}
	if assigned, _ := s.ListAppObjects(ctx, org.ID, "user", "*", "00u1"); len(assigned) != 2 {
		t.Errorf("assignments of 00u1: %d, want 2", len(assigned))
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteAppObjects(ctx, org.ID, "*", "0oaA", "") })
	if left, _ := s.ListAppObjects(ctx, org.ID, "user", "*", "00u1"); len(left) != 1 || left[0].Parent != "0oaB" {
		t.Errorf("after deleting 0oaA's objects: %+v", left)
	}
	if _, err := s.GetAppObject(ctx, org.ID, "app", "", "0oaA", "Application"); err != nil {
		t.Errorf("DeleteAppObjects(*) removed the app itself: %v", err)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteAppObjects(ctx, org.ID, "user", "*", "00u1") })
	if left, _ := s.ListAppObjects(ctx, org.ID, "user", "*", "00u1"); len(left) != 0 {
		t.Errorf("a deleted user's assignments remain: %d", len(left))
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteAppObject(ctx, org.ID, "app", "", "0oaA", "Application") })
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteAppObject(ctx, org.ID, "app", "", "0oaA", "Application") })
	wantNotFound(t, err, "0oaA", "Application")
}

// testAppObjectLarge: an uploaded logo is kept as a JSON document holding up to 1 MB of image
// as base64; it comes back byte for byte and is found by its id under any app.
func testAppObjectLarge(t *testing.T, s store.Store) {
	ctx := t.Context()
	org := newOrg(t, s)
	img := make([]byte, 1<<20)
	for i := range img {
		img[i] = byte(i * 7)
	}
	doc, err := json.Marshal(map[string]any{"id": "gfsLogo", "type": "image/png", "data": img})
	if err != nil {
		t.Fatal(err)
	}
	update(t, s, func(tx store.Tx) error {
		return tx.PutAppObject(ctx, org.ID, store.AppObject{Kind: "logo", Parent: "0oaLogo", ID: "gfsLogo", Data: doc, Created: 1})
	})
	got, err := s.ListAppObjects(ctx, org.ID, "logo", "*", "gfsLogo")
	if err != nil || len(got) != 1 {
		t.Fatalf("ListAppObjects = %d, %v", len(got), err)
	}
	var back struct{ Data []byte }
	if err := json.Unmarshal(got[0].Data, &back); err != nil || !bytes.Equal(back.Data, img) {
		t.Fatalf("logo did not round-trip (%d bytes back, %v)", len(back.Data), err)
	}
}
