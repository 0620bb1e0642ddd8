package storetest

import (
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("PolicyObjects",
		check{"PutGetListByTypeReplaceDelete", testPolicyObjects},
	)
	// The OrgTables check: a reset deletes an org's policies and rules.
	registerOrgFixture(map[string]int{"policy_objects": 0}, func(t *testing.T, s store.Store, org string) {
		update(t, s, func(tx store.Tx) error {
			return tx.PutPolicyObject(t.Context(), org, store.PolicyObject{Kind: "policy", ID: "00pFixture", Type: "PASSWORD", Data: []byte(`{}`), Created: 1})
		})
	})
}

func testPolicyObjects(t *testing.T, s store.Store) {
	ctx := t.Context()
	org, other := newOrg(t, s), newOrg(t, s)
	put := func(org string, o store.PolicyObject) {
		t.Helper()
		update(t, s, func(tx store.Tx) error { return tx.PutPolicyObject(ctx, org, o) })
	}
	put(org.ID, store.PolicyObject{Kind: "policy", ID: "00pA", Type: "PASSWORD", Data: []byte(`{"a":1}`), Created: 2})
	put(org.ID, store.PolicyObject{Kind: "policy", ID: "00pB", Type: "PASSWORD", Data: []byte(`{}`), Created: 1})
	put(org.ID, store.PolicyObject{Kind: "policy", ID: "00pC", Type: "OKTA_SIGN_ON", Data: []byte(`{}`), Created: 1})
	put(org.ID, store.PolicyObject{Kind: "rule", Parent: "00pA", ID: "0prA", Type: "PASSWORD", Data: []byte(`{}`), Created: 1})
	put(other.ID, store.PolicyObject{Kind: "policy", ID: "00pD", Type: "PASSWORD", Data: []byte(`{}`), Created: 1})
	pw, err := s.ListPolicyObjects(ctx, org.ID, "policy", "", "PASSWORD")
	if err != nil || len(pw) != 2 || pw[0].ID != "00pB" {
		t.Fatalf("PASSWORD policies %+v, %v: want B then A, this org only", pw, err)
	}
	if all, _ := s.ListPolicyObjects(ctx, org.ID, "policy", "", ""); len(all) != 3 {
		t.Errorf("every policy: %d, want 3", len(all))
	}
	if rules, _ := s.ListPolicyObjects(ctx, org.ID, "rule", "00pA", ""); len(rules) != 1 {
		t.Errorf("rules of A: %d", len(rules))
	}
	put(org.ID, store.PolicyObject{Kind: "policy", ID: "00pA", Type: "PASSWORD", Data: []byte(`{"a":2}`), Created: 50})
	got, err := s.GetPolicyObject(ctx, org.ID, "policy", "", "00pA", "Policy")
	if err != nil || string(got.Data) != `{"a":2}` || got.Created != 2 {
		t.Fatalf("after replace %+v, %v", got, err)
	}
	_, err = s.GetPolicyObject(ctx, other.ID, "policy", "", "00pA", "Policy")
	wantNotFound(t, err, "00pA", "Policy")
	err = s.Update(ctx, func(tx store.Tx) error {
		return tx.DeletePolicyObject(ctx, org.ID, "rule", "00pA", "nope", "PolicyRule")
	})
	wantNotFound(t, err, "nope", "PolicyRule")
	update(t, s, func(tx store.Tx) error { return tx.DeletePolicies(ctx, org.ID) })
	if all, _ := s.ListPolicyObjects(ctx, org.ID, "policy", "", ""); len(all) != 0 {
		t.Errorf("DeletePolicies left %d", len(all))
	}
	if all, _ := s.ListPolicyObjects(ctx, other.ID, "policy", "", ""); len(all) != 1 {
		t.Errorf("DeletePolicies touched another org")
	}
}
