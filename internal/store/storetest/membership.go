package storetest

import (
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("InAnyGroup", check{"AnswersForTheUserOnly", testInAnyGroup})
}

func testInAnyGroup(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := newUser(t, s, org.ID, "in@example.com")
	other := newUser(t, s, org.ID, "out@example.com")
	a := newGroup(t, s, org.ID, domain.GroupOkta, "A")
	b := newGroup(t, s, org.ID, domain.GroupOkta, "B")
	update(t, s, func(tx store.Tx) error {
		_, err := tx.AddMember(t.Context(), org.ID, a.ID, u.ID, t0)
		return err
	})
	for _, c := range []struct {
		user   string
		groups []string
		want   bool
	}{
		{u.ID, []string{b.ID, a.ID}, true},
		{u.ID, []string{b.ID}, false},
		{u.ID, nil, false},
		{other.ID, []string{a.ID, b.ID}, false},
	} {
		got, err := s.InAnyGroup(t.Context(), org.ID, c.user, c.groups)
		if err != nil || got != c.want {
			t.Errorf("InAnyGroup(%s, %v) = %v, %v; want %v", c.user, c.groups, got, err, c.want)
		}
	}
}
