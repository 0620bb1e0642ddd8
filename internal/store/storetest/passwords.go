package storetest

import (
	"reflect"
	"testing"

	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("PasswordHistory",
		check{"NewestFirstAndTrimmedToKeep", testPasswordHistory},
		check{"GoesWithItsUser", testPasswordHistoryCascades},
	)
	registerOrgFixture(map[string]int{"password_history": 0}, func(t *testing.T, s store.Store, org string) {
		u := newUser(t, s, org, "history-fixture@example.com")
		update(t, s, func(tx store.Tx) error {
			return tx.AddPasswordHistory(t.Context(), org, u.ID, "$2a$10$fixture", t0, 4)
		})
	})
}

func history(t *testing.T, s store.Store, org, user string, n int) []string {
	t.Helper()
	var got []string
	update(t, s, func(tx store.Tx) (err error) {
		got, err = tx.PasswordHistory(t.Context(), org, user, n)
		return err
	})
	return got
}

func testPasswordHistory(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := newUser(t, s, org.ID, "history@example.com")
	other := newUser(t, s, org.ID, "other@example.com")
	for _, h := range []string{"h1", "h2", "h3", "h4"} {
		update(t, s, func(tx store.Tx) error { return tx.AddPasswordHistory(t.Context(), org.ID, u.ID, h, t0, 3) })
	}
	update(t, s, func(tx store.Tx) error { return tx.AddPasswordHistory(t.Context(), org.ID, other.ID, "x1", t0, 3) })
	if got, want := history(t, s, org.ID, u.ID, 10), []string{"h4", "h3", "h2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("history = %v, want %v (newest first, trimmed to 3)", got, want)
	}
	if got, want := history(t, s, org.ID, u.ID, 2), []string{"h4", "h3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("history(2) = %v, want %v", got, want)
	}
	if got := history(t, s, org.ID, u.ID, 0); len(got) != 0 {
		t.Errorf("history(0) = %v, want none", got)
	}
	if got, want := history(t, s, org.ID, other.ID, 10), []string{"x1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("other user's history = %v, want %v", got, want)
	}
}

func testPasswordHistoryCascades(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := newUser(t, s, org.ID, "gone@example.com")
	update(t, s, func(tx store.Tx) error { return tx.AddPasswordHistory(t.Context(), org.ID, u.ID, "h1", t0, 3) })
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(t.Context(), org.ID, u.ID) })
	if got := history(t, s, org.ID, u.ID, 10); len(got) != 0 {
		t.Errorf("history of a deleted user = %v, want none", got)
	}
}
