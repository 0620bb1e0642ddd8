package storetest

import (
	"maps"
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Features",
		check{"NoneUntilPut", testFeaturesNone},
		check{"PutReplacesPerOrgAndFeature", testFeaturesPut},
		check{"GoWithTheirOrg", testFeaturesCascade},
	)
	registerOrgFixture(map[string]int{"org_features": 0}, func(t *testing.T, s store.Store, org string) {
		putFeature(t, s, org, "ftrFixture", "ENABLED")
	})
}

func putFeature(t *testing.T, s store.Store, org, id, status string) {
	t.Helper()
	update(t, s, func(tx store.Tx) error { return tx.PutFeatureStatus(t.Context(), org, id, status) })
}

func featureStatuses(t *testing.T, s store.Store, org string) map[string]string {
	t.Helper()
	got, err := s.ListFeatureStatuses(t.Context(), org)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func testFeaturesNone(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	if got := featureStatuses(t, s, org.ID); len(got) != 0 {
		t.Fatalf("features of a new org: %v, want none", got)
	}
}

func testFeaturesPut(t *testing.T, s store.Store) {
	a, b := newOrg(t, s), newOrg(t, s)
	putFeature(t, s, a.ID, "ftrA", "ENABLED")
	putFeature(t, s, a.ID, "ftrB", "ENABLED")
	putFeature(t, s, b.ID, "ftrA", "ENABLED")
	putFeature(t, s, a.ID, "ftrA", "DISABLED")
	for org, want := range map[string]map[string]string{
		a.ID: {"ftrA": "DISABLED", "ftrB": "ENABLED"},
		b.ID: {"ftrA": "ENABLED"},
	} {
		if got := featureStatuses(t, s, org); !maps.Equal(got, want) {
			t.Errorf("org %s: %v, want %v", org, got, want)
		}
	}
	// Read inside a transaction too (the service checks dependencies and writes in one).
	update(t, s, func(tx store.Tx) error {
		got, err := tx.ListFeatureStatuses(t.Context(), a.ID)
		if err == nil && got["ftrB"] != "ENABLED" {
			t.Errorf("in a transaction: %v", got)
		}
		return err
	})
}

func testFeaturesCascade(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	putFeature(t, s, org.ID, "ftrA", "ENABLED")
	update(t, s, func(tx store.Tx) error { return tx.DeleteOrg(t.Context(), org.ID) })
	if got := featureStatuses(t, s, org.ID); len(got) != 0 {
		t.Errorf("features of a deleted org: %v, want none", got)
	}
}
