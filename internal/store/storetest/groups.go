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
		check{"RuleMembersAreRemovedOnlyByTheirRule", testGroupRuleMember},
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

// testGroupRuleMember: a membership remembers the rule that manages it; only that rule removes
// it, a manual membership becomes the first rule's that claims it, a move hands it over and a
// release makes it manual again.
func testGroupRuleMember(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	ctx := t.Context()
	g := newGroup(t, s, org.ID, domain.GroupOkta, "Ruled")
	ruled := newUser(t, s, org.ID, "ruled@example.com").ID
	manual := newUser(t, s, org.ID, "manual@example.com").ID
	do := func(f func(tx store.Tx) (bool, error)) bool {
		t.Helper()
		var ok bool
		update(t, s, func(tx store.Tx) error {
			var err error
			ok, err = f(tx)
			return err
		})
		return ok
	}
	add := func(user, rule string, when int64) bool {
		return do(func(tx store.Tx) (bool, error) { return tx.AddRuleMember(ctx, org.ID, g.ID, user, rule, at(when)) })
	}
	remove := func(user, rule string, when int64) bool {
		return do(func(tx store.Tx) (bool, error) { return tx.RemoveRuleMember(ctx, org.ID, g.ID, user, rule, at(when)) })
	}
	managed := func(user string) map[string]string {
		m, err := s.RuleMemberships(ctx, org.ID, user)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if !add(ruled, "0prA", 10) {
		t.Fatal("AddRuleMember of a new membership reported false")
	}
	do(func(tx store.Tx) (bool, error) { return tx.AddMember(ctx, org.ID, g.ID, manual, at(11)) })
	if remove(manual, "0prA", 12) {
		t.Error("a rule removed a manual membership")
	}
	if remove(ruled, "0prB", 12) {
		t.Error("rule B removed rule A's membership")
	}
	if m := managed(ruled); len(m) != 1 || m[g.ID] != "0prA" {
		t.Errorf("RuleMemberships(ruled) = %v", m)
	}
	if m := managed(manual); len(m) != 0 {
		t.Errorf("RuleMemberships(manual) = %v", m)
	}
	// B claiming A's membership leaves it A's; claiming the manual one makes it B's.
	if add(ruled, "0prB", 13) || add(manual, "0prB", 13) {
		t.Error("AddRuleMember of an existing membership reported true")
	}
	if !remove(manual, "0prB", 14) {
		t.Error("rule B did not remove the manual membership it claimed")
	}
	do(func(tx store.Tx) (bool, error) {
		return false, tx.MoveRuleMember(ctx, org.ID, g.ID, ruled, "0prA", "0prC")
	})
	if remove(ruled, "0prA", 15) {
		t.Error("rule A still manages a membership moved to C")
	}
	if !remove(ruled, "0prC", 16) {
		t.Error("rule C did not remove the membership moved to it")
	}
	add(manual, "0prD", 17)
	do(func(tx store.Tx) (bool, error) { return false, tx.ReleaseRuleMembers(ctx, org.ID, "0prD") })
	if m := managed(manual); len(m) != 0 {
		t.Errorf("after ReleaseRuleMembers: %v", m)
	}
	got, _ := s.GetGroup(ctx, org.ID, g.ID)
	if !got.LastMembershipUpdated.Equal(at(17).Time) {
		t.Errorf("lastMembershipUpdated = %v, want %v", got.LastMembershipUpdated, at(17))
	}
}
