package storetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Orgs",
		check{"CreateGetByIDAndName", testOrgCreateGet},
		check{"NameTakenIsConflict", testOrgConflict},
		check{"ListInByteOrder", testOrgList},
		check{"DeleteUnknownIsNotFound", testOrgDeleteUnknown},
		check{"DeleteRemovesOnlyItsRows", testOrgDeleteIsolation},
		check{"RowsOfOneOrgInvisibleToAnother", testOrgIsolation},
	)
}

func testOrgCreateGet(t *testing.T, s store.Store) {
	o := newOrg(t, s)
	got, err := s.GetOrgByName(t.Context(), o.Name)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, o) {
		t.Errorf("GetOrgByName = %#v, want %#v", got, o)
	}
	_, err = s.GetOrgByName(t.Context(), "no-such-org")
	wantNotFound(t, err, "no-such-org", "Org")
	if got, err = s.GetOrg(t.Context(), o.ID); err != nil || !reflect.DeepEqual(got, o) {
		t.Errorf("GetOrg = %#v, %v, want %#v", got, err, o)
	}
	_, err = s.GetOrg(t.Context(), "00onosuchorg00000000")
	wantNotFound(t, err, "00onosuchorg00000000", "Org")
}

func testOrgConflict(t *testing.T, s store.Store) {
	o := newOrg(t, s)
	err := s.Update(t.Context(), func(tx store.Tx) error {
		return tx.CreateOrg(t.Context(), domain.Org{ID: domain.NewID(ids, domain.PrefixOrg), Name: o.Name, Created: t0})
	})
	wantConflict(t, err, "name")
}

// testOrgList checks ListOrgs sorts by name in byte order, as SQLite's BINARY collation does
// (PostgreSQL columns are COLLATE "C" for this): "B" < "a" < "b" < "é".
func testOrgList(t *testing.T, s store.Store) {
	suffix := ids.Random(8)
	names := []string{"b-" + suffix, "é-" + suffix, "B-" + suffix, "a-" + suffix}
	update(t, s, func(tx store.Tx) error {
		for _, n := range names {
			if err := tx.CreateOrg(t.Context(), domain.Org{ID: domain.NewID(ids, domain.PrefixOrg), Name: n, Created: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	orgs, err := s.ListOrgs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range orgs {
		if slices.Contains(names, o.Name) {
			got = append(got, o.Name)
		}
	}
	want := []string{"B-" + suffix, "a-" + suffix, "b-" + suffix, "é-" + suffix}
	if !slices.Equal(got, want) {
		t.Errorf("ListOrgs order = %q, want %q", got, want)
	}
}

func testOrgDeleteUnknown(t *testing.T, s store.Store) {
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteOrg(t.Context(), "00onope") })
	wantNotFound(t, err, "00onope", "Org")
}

// populate gives org a user in a group, a token and a log event, and returns them.
func populate(t *testing.T, s store.Store, org string) (domain.User, domain.Group, domain.APIToken) {
	t.Helper()
	u := newUser(t, s, org, "same@example.com")
	g := newGroup(t, s, org, domain.GroupOkta, "Same")
	tok := newToken(t, s, org, "same")
	update(t, s, func(tx store.Tx) error {
		if _, err := tx.AddMember(t.Context(), org, g.ID, u.ID, at(1)); err != nil {
			return err
		}
		return tx.AppendEvents(t.Context(), org, event("user.lifecycle.create", u.LogTarget()))
	})
	return u, g, tok
}

func testOrgIsolation(t *testing.T, s store.Store) {
	a, b := newOrg(t, s), newOrg(t, s)
	ua, ga, ta := populate(t, s, a.ID)
	ctx := t.Context()

	_, err := s.GetUser(ctx, b.ID, ua.ID)
	wantNotFound(t, err, ua.ID, "User")
	if _, err := s.GetUserByLogin(ctx, b.ID, ua.Login()); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("GetUserByLogin from another org: %v", err)
	}
	_, err = s.GetGroup(ctx, b.ID, ga.ID)
	wantNotFound(t, err, ga.ID, "UserGroup")
	if _, err := s.GetBuiltInGroup(ctx, b.ID, domain.EveryoneGroupName); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("GetBuiltInGroup of an org without one: %v", err)
	}
	_, err = s.GetToken(ctx, b.ID, ta.ID)
	wantNotFound(t, err, ta.ID, "ApiToken")
	if list, err := s.ListTokens(ctx, b.ID, "", 100); err != nil || len(list) != 0 {
		t.Errorf("ListTokens of another org = %v, %v", list, err)
	}
	if seq, err := s.LatestLogSeq(ctx, b.ID); err != nil || seq != 0 {
		t.Errorf("LatestLogSeq of another org = %d, %v", seq, err)
	}
	// Writes through another org cannot reach A's rows either.
	ub := newUser(t, s, b.ID, "b@example.com")
	err = s.Update(ctx, func(tx store.Tx) error { _, err := tx.AddMember(ctx, b.ID, ga.ID, ub.ID, at(1)); return err })
	wantNotFound(t, err, ga.ID, "UserGroup")
	err = s.Update(ctx, func(tx store.Tx) error { return tx.UpdateUser(ctx, b.ID, ua) })
	wantNotFound(t, err, ua.ID, "User")
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteUser(ctx, b.ID, ua.ID) })
	wantNotFound(t, err, ua.ID, "User")
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteToken(ctx, b.ID, ta.ID) })
	wantNotFound(t, err, ta.ID, "ApiToken")
	if _, err := s.GetUser(ctx, a.ID, ua.ID); err != nil {
		t.Errorf("A's user after B's attempts: %v", err)
	}
}

func testOrgDeleteIsolation(t *testing.T, s store.Store) {
	a, b := newOrg(t, s), newOrg(t, s)
	ua, ga, ta := populate(t, s, a.ID)
	ub, gb, tb := populate(t, s, b.ID)
	seqB, _ := s.LatestLogSeq(t.Context(), b.ID)
	for _, org := range []string{a.ID, b.ID} {
		if err := createZone(t, s, org, zone("Z", false)); err != nil {
			t.Fatal(err)
		}
		if err := createOrigin(t, s, org, trustedOrigin("O", "https://o.example.com", "ACTIVE", "CORS")); err != nil {
			t.Fatal(err)
		}
	}

	update(t, s, func(tx store.Tx) error { return tx.DeleteOrg(t.Context(), a.ID) })
	ctx := t.Context()
	if _, err := s.GetOrgByName(ctx, a.Name); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("deleted org still found: %v", err)
	}
	if _, err := s.GetUser(ctx, a.ID, ua.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("deleted org's user: %v", err)
	}
	if _, err := s.GetGroup(ctx, a.ID, ga.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("deleted org's group: %v", err)
	}
	if _, _, err := s.GetTokenByHash(ctx, ta.Hash); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("deleted org's token still authenticates: %v", err)
	}
	if seq, _ := s.LatestLogSeq(ctx, a.ID); seq != 0 {
		t.Errorf("deleted org's log: latest seq %d", seq)
	}
	if zs, _ := s.ListZones(ctx, a.ID); len(zs) != 0 {
		t.Errorf("deleted org's zones: %d left", len(zs))
	}
	if os, _ := s.ListTrustedOrigins(ctx, a.ID); len(os) != 0 {
		t.Errorf("deleted org's trusted origins: %d left", len(os))
	}
	if zs, _ := s.ListZones(ctx, b.ID); len(zs) != 1 {
		t.Errorf("other org's zones: %d, want 1", len(zs))
	}
	if os, _ := s.ListCORSOrigins(ctx, b.ID); len(os) != 1 {
		t.Errorf("other org's CORS origins: %d, want 1", len(os))
	}

	if _, err := s.GetOrgByName(ctx, b.Name); err != nil {
		t.Errorf("other org: %v", err)
	}
	if _, err := s.GetUser(ctx, b.ID, ub.ID); err != nil {
		t.Errorf("other org's user: %v", err)
	}
	if _, err := s.GetGroup(ctx, b.ID, gb.ID); err != nil {
		t.Errorf("other org's group: %v", err)
	}
	if _, org, err := s.GetTokenByHash(ctx, tb.Hash); err != nil || org != b.ID {
		t.Errorf("other org's token: %q %v", org, err)
	}
	if seq, _ := s.LatestLogSeq(ctx, b.ID); seq != seqB {
		t.Errorf("other org's latest seq = %d, want %d", seq, seqB)
	}
	update(t, s, func(tx store.Tx) error {
		added, err := tx.AddMember(ctx, b.ID, gb.ID, ub.ID, at(5))
		if err == nil && added {
			t.Error("other org's membership was removed")
		}
		return err
	})
	// The name is free again.
	update(t, s, func(tx store.Tx) error {
		return tx.CreateOrg(ctx, domain.Org{ID: domain.NewID(ids, domain.PrefixOrg), Name: a.Name, Created: t0})
	})
}
