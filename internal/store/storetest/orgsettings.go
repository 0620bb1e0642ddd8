package storetest

import (
	"errors"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("OrgSettings",
		check{"NoneUntilPut", testOrgSettingsNone},
		check{"PutReplacesPerOrg", testOrgSettingsPut},
		check{"GoesWithItsOrg", testOrgSettingsCascade},
	)
	registerOrgFixture(map[string]int{"org_settings": 0}, func(t *testing.T, s store.Store, org string) {
		update(t, s, func(tx store.Tx) error {
			return tx.PutOrgSettings(t.Context(), org, store.OrgSettings{Data: []byte(`{"companyName":"fixture"}`), LastUpdated: t0.Millis()})
		})
	})
}

func putOrgSettings(t *testing.T, s store.Store, org, data string, at int64) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		return tx.PutOrgSettings(t.Context(), org, store.OrgSettings{Data: []byte(data), LastUpdated: at})
	})
}

func testOrgSettingsNone(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	if _, err := s.GetOrgSettings(t.Context(), org.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("settings of a new org: %v, want ErrNotFound", err)
	}
}

func testOrgSettingsPut(t *testing.T, s store.Store) {
	a, b := newOrg(t, s), newOrg(t, s)
	putOrgSettings(t, s, a.ID, `{"companyName":"A"}`, 1)
	putOrgSettings(t, s, b.ID, `{"companyName":"B"}`, 2)
	putOrgSettings(t, s, a.ID, `{"companyName":"A2"}`, 3)
	for _, want := range []struct {
		org, data string
		at        int64
	}{{a.ID, `{"companyName":"A2"}`, 3}, {b.ID, `{"companyName":"B"}`, 2}} {
		got, err := s.GetOrgSettings(t.Context(), want.org)
		if err != nil || string(got.Data) != want.data || got.LastUpdated != want.at {
			t.Errorf("settings = %s at %d (%v), want %s at %d", got.Data, got.LastUpdated, err, want.data, want.at)
		}
	}
	// Read inside a transaction too (the service reads, changes and writes in one).
	update(t, s, func(tx store.Tx) error {
		got, err := tx.GetOrgSettings(t.Context(), a.ID)
		if err == nil && string(got.Data) != `{"companyName":"A2"}` {
			t.Errorf("in a transaction: %s", got.Data)
		}
		return err
	})
}

func testOrgSettingsCascade(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	putOrgSettings(t, s, org.ID, `{}`, 1)
	update(t, s, func(tx store.Tx) error { return tx.DeleteOrg(t.Context(), org.ID) })
	if _, err := s.GetOrgSettings(t.Context(), org.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("settings of a deleted org: %v, want ErrNotFound", err)
	}
}
