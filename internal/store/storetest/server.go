package storetest

import (
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("ServerSettings",
		check{"CreateOnceThenRead", testServerSettingCreateOnce},
		check{"OutliveOrgs", testServerSettingOutlivesOrgs},
	)
}

// testServerSettingCreateOnce: a setting is written once; a second writer gets a conflict and
// the first value stays (how two instances starting together agree on one operator token).
func testServerSettingCreateOnce(t *testing.T, s store.Store) {
	if _, err := s.ServerSetting(t.Context(), "k1"); err == nil {
		t.Fatal("a setting never written was found")
	} else {
		wantNotFound(t, err, "k1", "ServerSetting")
	}
	update(t, s, func(tx store.Tx) error { return tx.CreateServerSetting(t.Context(), "k1", "first") })
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateServerSetting(t.Context(), "k1", "second") })
	wantConflict(t, err, "name")
	if v, err := s.ServerSetting(t.Context(), "k1"); err != nil || v != "first" {
		t.Errorf("ServerSetting = %q, %v; want the first value", v, err)
	}
}

// testServerSettingOutlivesOrgs: settings belong to no org, so deleting every org keeps them.
func testServerSettingOutlivesOrgs(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	update(t, s, func(tx store.Tx) error { return tx.CreateServerSetting(t.Context(), "k2", "kept") })
	update(t, s, func(tx store.Tx) error { return tx.DeleteOrg(t.Context(), org.ID) })
	if v, err := s.ServerSetting(t.Context(), "k2"); err != nil || v != "kept" {
		t.Errorf("after deleting the org: %q, %v", v, err)
	}
}
