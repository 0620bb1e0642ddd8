package storetest

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/netzone"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Zones",
		check{"CreateGetListRoundTrip", testZoneRoundTrip},
		check{"NameTakenIsConflict", testZoneConflict},
		check{"UpdateAndDelete", testZoneUpdateDelete},
	)
}

func zone(name string, system bool) netzone.Zone {
	return netzone.Zone{
		ID: domain.NewID(ids, netzone.IDPrefix), Name: name, Type: netzone.TypeIP, Usage: netzone.UsagePolicy,
		Status: netzone.StatusActive, System: system,
		Gateways: []netzone.Address{{Type: netzone.AddressCIDR, Value: "10.0.0.0/8"}, {Type: netzone.AddressRange, Value: "192.168.0.1-192.168.0.9"}},
		Proxies:  []netzone.Address{{Type: netzone.AddressCIDR, Value: "172.16.0.0/12"}},
		Created:  at(0), LastUpdated: at(1),
	}
}

func createZone(t *testing.T, s store.Store, org string, z netzone.Zone) error {
	return s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateZone(t.Context(), org, z) })
}

func testZoneRoundTrip(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	plain := zone("Office", false)
	system := zone("LegacyIpZone", true)
	system.Gateways, system.Proxies = nil, nil
	dynamic := zone("Dynamic", false)
	dynamic.Type, dynamic.Gateways, dynamic.Proxies = "DYNAMIC", nil, nil
	dynamic.Locations = json.RawMessage(`[{"country":"US","region":"US-CA"}]`)
	dynamic.ProxyType = "TorAnonymizer"
	for _, z := range []netzone.Zone{plain, system, dynamic} {
		if err := createZone(t, s, org.ID, z); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetZone(t.Context(), org.ID, z.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Raw JSON may be re-spaced by the store; compare it by meaning.
		if !sameJSON(got.Locations, z.Locations) {
			t.Errorf("locations = %s, want %s", got.Locations, z.Locations)
		}
		got.Locations, z.Locations = nil, nil
		if !reflect.DeepEqual(got, z) {
			t.Errorf("GetZone =\n%#v\nwant\n%#v", got, z)
		}
	}
	createZone(t, s, newOrg(t, s).ID, zone("Office", false))
	list, err := s.ListZones(t.Context(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{plain.ID, system.ID, dynamic.ID}
	sort.Strings(want)
	var got []string
	for _, z := range list {
		got = append(got, z.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("ListZones ids = %q, want %q (by id, this org only)", got, want)
	}
	_, err = s.GetZone(t.Context(), org.ID, "nzonope")
	wantNotFound(t, err, "nzonope", "NetworkZone")
}

func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

func testZoneConflict(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	if err := createZone(t, s, org.ID, zone("Taken", false)); err != nil {
		t.Fatal(err)
	}
	wantConflict(t, createZone(t, s, org.ID, zone("Taken", false)), "name")
}

func testZoneUpdateDelete(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	z, other := zone("Z", false), zone("Other", false)
	for _, x := range []netzone.Zone{z, other} {
		if err := createZone(t, s, org.ID, x); err != nil {
			t.Fatal(err)
		}
	}
	z.Name, z.Status, z.Gateways, z.LastUpdated = "Z2", netzone.StatusInactive, []netzone.Address{{Type: netzone.AddressCIDR, Value: "1.2.3.4/32"}}, at(9)
	update(t, s, func(tx store.Tx) error { return tx.UpdateZone(t.Context(), org.ID, z) })
	if got, err := s.GetZone(t.Context(), org.ID, z.ID); err != nil || !reflect.DeepEqual(got, z) {
		t.Errorf("after update = %#v, %v", got, err)
	}
	clash := z
	clash.Name = "Other"
	wantConflict(t, s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateZone(t.Context(), org.ID, clash) }), "name")
	update(t, s, func(tx store.Tx) error { return tx.DeleteZone(t.Context(), org.ID, z.ID) })
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteZone(t.Context(), org.ID, z.ID) })
	wantNotFound(t, err, z.ID, "NetworkZone")
	if err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateZone(t.Context(), org.ID, z) }); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("update of a deleted zone: %v", err)
	}
}
