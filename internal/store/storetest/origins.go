package storetest

import (
	"errors"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/origin"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Origins",
		check{"CreateGetListRoundTrip", testOriginRoundTrip},
		check{"NameOrNormalisedOriginTakenIsConflict", testOriginConflict},
		check{"UpdateAndDelete", testOriginUpdateDelete},
		check{"CORSOriginsAreActiveWithCORSScope", testOriginCORS},
	)
}

func trustedOrigin(name, o string, status origin.Status, scopes ...origin.ScopeType) origin.TrustedOrigin {
	to := origin.TrustedOrigin{
		ID: domain.NewID(ids, domain.PrefixOrigin), Name: name, Origin: o, Status: status,
		Created: at(0), CreatedBy: "00uadmin", LastUpdated: at(1), LastUpdatedBy: "00uadmin",
		Scopes: []origin.Scope{},
	}
	for _, s := range scopes {
		to.Scopes = append(to.Scopes, origin.Scope{Type: s})
	}
	return to
}

func createOrigin(t *testing.T, s store.Store, org string, o origin.TrustedOrigin) error {
	return s.Update(t.Context(), func(tx store.Tx) error {
		return tx.CreateTrustedOrigin(t.Context(), org, o, strings.ToLower(o.Origin))
	})
}

func testOriginRoundTrip(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	a := trustedOrigin("A", "https://A.example.com", origin.StatusActive, origin.ScopeRedirect, origin.ScopeCORS)
	b := trustedOrigin("B", "https://b.example.com:8443", origin.StatusInactive, origin.ScopeCORS)
	b.Scopes = append(b.Scopes, origin.Scope{Type: "IFRAME_EMBED", AllowedOktaApps: []string{"OKTA_ENDUSER"}})
	for _, o := range []origin.TrustedOrigin{a, b} {
		if err := createOrigin(t, s, org.ID, o); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetTrustedOrigin(t.Context(), org.ID, o.ID)
		if err != nil || !reflect.DeepEqual(got, o) {
			t.Errorf("GetTrustedOrigin = %#v, %v\nwant %#v", got, err, o)
		}
	}
	createOrigin(t, s, newOrg(t, s).ID, trustedOrigin("A", "https://a.example.com", origin.StatusActive))
	list, err := s.ListTrustedOrigins(t.Context(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{a.ID, b.ID}
	sort.Strings(want)
	var got []string
	for _, o := range list {
		got = append(got, o.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("ListTrustedOrigins ids = %q, want %q (by id, this org only)", got, want)
	}
	_, err = s.GetTrustedOrigin(t.Context(), org.ID, "tosnope")
	wantNotFound(t, err, "tosnope", "TrustedOrigin")
}

func testOriginConflict(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	if err := createOrigin(t, s, org.ID, trustedOrigin("Taken", "https://taken.example.com", origin.StatusActive)); err != nil {
		t.Fatal(err)
	}
	wantConflict(t, createOrigin(t, s, org.ID, trustedOrigin("Taken", "https://other.example.com", origin.StatusActive)), "name")
	wantConflict(t, createOrigin(t, s, org.ID, trustedOrigin("Other", "https://TAKEN.example.com", origin.StatusActive)), "origin")
}

func testOriginUpdateDelete(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	o := trustedOrigin("U", "https://u.example.com", origin.StatusActive, origin.ScopeCORS)
	other := trustedOrigin("V", "https://v.example.com", origin.StatusActive)
	for _, x := range []origin.TrustedOrigin{o, other} {
		if err := createOrigin(t, s, org.ID, x); err != nil {
			t.Fatal(err)
		}
	}
	o.Name, o.Origin, o.Status, o.LastUpdated = "U2", "https://u2.example.com", origin.StatusInactive, at(9)
	update(t, s, func(tx store.Tx) error { return tx.UpdateTrustedOrigin(t.Context(), org.ID, o, o.Origin) })
	if got, err := s.GetTrustedOrigin(t.Context(), org.ID, o.ID); err != nil || !reflect.DeepEqual(got, o) {
		t.Errorf("after update = %#v, %v", got, err)
	}
	clash := o
	clash.Name = "V"
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateTrustedOrigin(t.Context(), org.ID, clash, clash.Origin) })
	wantConflict(t, err, "name")
	update(t, s, func(tx store.Tx) error { return tx.DeleteTrustedOrigin(t.Context(), org.ID, o.ID) })
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteTrustedOrigin(t.Context(), org.ID, o.ID) })
	wantNotFound(t, err, o.ID, "TrustedOrigin")
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateTrustedOrigin(t.Context(), org.ID, o, o.Origin) })
	if !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("update of a deleted origin: %v", err)
	}
}

func testOriginCORS(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	for _, o := range []origin.TrustedOrigin{
		trustedOrigin("cors", "https://cors.example.com", origin.StatusActive, origin.ScopeCORS),
		trustedOrigin("both", "https://both.example.com", origin.StatusActive, origin.ScopeRedirect, origin.ScopeCORS),
		trustedOrigin("redirect", "https://redirect.example.com", origin.StatusActive, origin.ScopeRedirect),
		trustedOrigin("inactive", "https://inactive.example.com", origin.StatusInactive, origin.ScopeCORS),
	} {
		if err := createOrigin(t, s, org.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListCORSOrigins(t.Context(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if want := []string{"https://both.example.com", "https://cors.example.com"}; !slices.Equal(got, want) {
		t.Errorf("ListCORSOrigins = %q, want %q", got, want)
	}
}
