package storetest

import (
	"reflect"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Groups",
		check{"CreateGetRoundTrips", testGroupRoundTrip},
		check{"UnknownIsNotFound", testGroupNotFound},
		check{"BuiltInGroup", testGroupBuiltIn},
		check{"OktaGroupNameTakenIgnoringCaseIsConflict", testGroupNameConflict},
		check{"AddMember", testGroupAddMember},
	)
}

func testGroupRoundTrip(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	g := group(domain.GroupOkta, "Engineering")
	g.Profile["custom"] = []any{"x", float64(1)}
	update(t, s, func(tx store.Tx) error { return tx.CreateGroup(t.Context(), org.ID, g) })
	got, err := s.GetGroup(t.Context(), org.ID, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, g) {
		t.Errorf("GetGroup =\n%#v\nwant\n%#v", got, g)
	}
}

func testGroupNotFound(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	_, err := s.GetGroup(t.Context(), org.ID, "00gnope")
	wantNotFound(t, err, "00gnope", "UserGroup")
	_, err = s.GetBuiltInGroup(t.Context(), org.ID, domain.EveryoneGroupName)
	wantNotFound(t, err, "Everyone", "UserGroup")
}

// testGroupBuiltIn: an org has two BUILT_IN groups, created in the same instant, and the name
// picks one, whichever id sorts first.
func testGroupBuiltIn(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	newGroup(t, s, org.ID, domain.GroupOkta, "Not everyone")
	admins := newGroup(t, s, org.ID, domain.GroupBuiltIn, domain.AdminsGroupName)
	everyone := newGroup(t, s, org.ID, domain.GroupBuiltIn, domain.EveryoneGroupName)
	other := newOrg(t, s).ID
	newGroup(t, s, other, domain.GroupBuiltIn, domain.EveryoneGroupName)
	for name, want := range map[string]domain.Group{domain.EveryoneGroupName: everyone, domain.AdminsGroupName: admins} {
		got, err := s.GetBuiltInGroup(t.Context(), org.ID, name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("GetBuiltInGroup(%q) = %#v, want %#v", name, got, want)
		}
	}
	_, err := s.GetBuiltInGroup(t.Context(), org.ID, "Not everyone") // an OKTA_GROUP
	wantNotFound(t, err, "Not everyone", "UserGroup")
	_, err = s.GetBuiltInGroup(t.Context(), other, domain.AdminsGroupName)
	wantNotFound(t, err, domain.AdminsGroupName, "UserGroup")
}

func testGroupNameConflict(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	newGroup(t, s, org.ID, domain.GroupOkta, "Sales")
	for _, name := range []string{"Sales", "SALES"} {
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.CreateGroup(t.Context(), org.ID, group(domain.GroupOkta, name))
		})
		wantConflict(t, err, "name")
	}
	// App groups may repeat a name (Okta imports them from apps); other orgs may too.
	newGroup(t, s, org.ID, domain.GroupApp, "Sales")
	newGroup(t, s, org.ID, domain.GroupApp, "Sales")
	newGroup(t, s, newOrg(t, s).ID, domain.GroupOkta, "Sales")
}

func testGroupAddMember(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	g := newGroup(t, s, org.ID, domain.GroupOkta, "Members")
	u := newUser(t, s, org.ID, "member@example.com")
	add := func(groupID, userID string, when domain.Time) (bool, error) {
		var added bool
		err := s.Update(t.Context(), func(tx store.Tx) error {
			var err error
			added, err = tx.AddMember(t.Context(), org.ID, groupID, userID, when)
			return err
		})
		return added, err
	}
	if added, err := add(g.ID, u.ID, at(30)); err != nil || !added {
		t.Fatalf("first AddMember = %v, %v; want true", added, err)
	}
	got, _ := s.GetGroup(t.Context(), org.ID, g.ID)
	if !got.LastMembershipUpdated.Equal(at(30).Time) {
		t.Errorf("lastMembershipUpdated = %v, want %v", got.LastMembershipUpdated, at(30))
	}
	if added, err := add(g.ID, u.ID, at(40)); err != nil || added {
		t.Fatalf("repeated AddMember = %v, %v; want false, nil", added, err)
	}
	got, _ = s.GetGroup(t.Context(), org.ID, g.ID)
	if !got.LastMembershipUpdated.Equal(at(30).Time) {
		t.Errorf("a repeated add changed lastMembershipUpdated to %v", got.LastMembershipUpdated)
	}
	_, err := add("00gnope", u.ID, at(50))
	wantNotFound(t, err, "00gnope", "UserGroup")
	_, err = add(g.ID, "00unope", at(50))
	wantNotFound(t, err, "00unope", "User")
}
