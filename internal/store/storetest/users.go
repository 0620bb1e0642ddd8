package storetest

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Users",
		check{"CreateGetRoundTripsEveryField", testUserRoundTrip},
		check{"GetByLoginIgnoresCase", testUserByLogin},
		check{"UnknownIsNotFound", testUserNotFound},
		check{"LoginTakenIgnoringCaseIsConflict", testUserLoginConflict},
		check{"UpdateChecksVersion", testUserUpdateVersion},
		check{"UpdateToTakenLoginIsConflict", testUserUpdateLoginConflict},
		check{"UpdateDeletedIsNotFound", testUserUpdateDeleted},
		check{"DeleteRemovesUserAndMemberships", testUserDelete},
	)
}

func testUserRoundTrip(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	for _, u := range []domain.User{fullUser("Ada.Lovelace@example.com"), minimalUser("min@example.com")} {
		update(t, s, func(tx store.Tx) error { return tx.CreateUser(t.Context(), org.ID, u) })
		u.Version = 1
		got, err := s.GetUser(t.Context(), org.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, u) {
			t.Errorf("GetUser =\n%#v\nwant\n%#v", got, u)
		}
		// Inside a transaction too (PostgreSQL reads with FOR UPDATE there).
		update(t, s, func(tx store.Tx) error {
			got, err := tx.GetUser(t.Context(), org.ID, u.ID)
			if err == nil && !reflect.DeepEqual(got, u) {
				t.Errorf("tx.GetUser =\n%#v\nwant\n%#v", got, u)
			}
			return err
		})
	}
}

func testUserByLogin(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := newUser(t, s, org.ID, "Grace.Hopper@Example.com")
	newUser(t, s, org.ID, "grace.hopper@example.org")
	for _, login := range []string{"Grace.Hopper@Example.com", "grace.hopper@example.com", "GRACE.HOPPER@EXAMPLE.COM"} {
		got, err := s.GetUserByLogin(t.Context(), org.ID, login)
		if err != nil {
			t.Fatalf("GetUserByLogin(%q): %v", login, err)
		}
		if got.ID != u.ID || got.Login() != "Grace.Hopper@Example.com" {
			t.Errorf("GetUserByLogin(%q) = %s %q, want %s with the login as stored", login, got.ID, got.Login(), u.ID)
		}
	}
	update(t, s, func(tx store.Tx) error {
		got, err := tx.GetUserByLogin(t.Context(), org.ID, "GRACE.hopper@example.com")
		if err == nil && got.ID != u.ID {
			t.Errorf("tx.GetUserByLogin = %s, want %s", got.ID, u.ID)
		}
		return err
	})
}

func testUserNotFound(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	_, err := s.GetUser(t.Context(), org.ID, "00unope")
	wantNotFound(t, err, "00unope", "User")
	_, err = s.GetUserByLogin(t.Context(), org.ID, "nobody@example.com")
	wantNotFound(t, err, "nobody@example.com", "User")
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteUser(t.Context(), org.ID, "00unope") })
	wantNotFound(t, err, "00unope", "User")
	err = s.Update(t.Context(), func(tx store.Tx) error {
		_, err := tx.GetUser(t.Context(), org.ID, "00unope")
		return err
	})
	wantNotFound(t, err, "00unope", "User")
}

func testUserLoginConflict(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	newUser(t, s, org.ID, "dup@example.com")
	for _, login := range []string{"dup@example.com", "DUP@Example.COM"} {
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.CreateUser(t.Context(), org.ID, minimalUser(login))
		})
		wantConflict(t, err, "login")
	}
	// Another org may use the login.
	other := newOrg(t, s)
	newUser(t, s, other.ID, "dup@example.com")
}

func testUserUpdateVersion(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := newUser(t, s, org.ID, "v@example.com")
	stale := u

	u.Status = domain.StatusSuspended
	u.StatusChanged, u.LastUpdated = at(50), at(50)
	u.Profile = map[string]any{"login": "V2@example.com", "email": "v2@example.com", "firstName": "Vee"}
	u.Secrets.PasswordHash = "$2a$10$new"
	update(t, s, func(tx store.Tx) error { return tx.UpdateUser(t.Context(), org.ID, u) })
	u.Version = 2
	got, err := s.GetUser(t.Context(), org.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, u) {
		t.Errorf("after UpdateUser =\n%#v\nwant\n%#v", got, u)
	}
	if _, err := s.GetUserByLogin(t.Context(), org.ID, "v2@EXAMPLE.com"); err != nil {
		t.Errorf("the new login is not found: %v", err)
	}
	if _, err := s.GetUserByLogin(t.Context(), org.ID, "v@example.com"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the old login still finds the user: %v", err)
	}

	// A write based on version 1 lost the race: ErrStale, and the row keeps version 2's data.
	stale.Profile = map[string]any{"login": "v@example.com", "firstName": "Lost"}
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateUser(t.Context(), org.ID, stale) })
	if !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale UpdateUser: %v, want store.ErrStale", err)
	}
	got, _ = s.GetUser(t.Context(), org.ID, u.ID)
	if got.Version != 2 || got.Profile["firstName"] != "Vee" {
		t.Errorf("stale write changed the row: version %d, profile %v", got.Version, got.Profile)
	}
}

func testUserUpdateLoginConflict(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	newUser(t, s, org.ID, "taken@example.com")
	u := newUser(t, s, org.ID, "mover@example.com")
	u.Profile = map[string]any{"login": "TAKEN@example.com"}
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateUser(t.Context(), org.ID, u) })
	wantConflict(t, err, "login")
	got, _ := s.GetUser(t.Context(), org.ID, u.ID)
	if got.Login() != "mover@example.com" || got.Version != 1 {
		t.Errorf("after a refused update: login %q version %d", got.Login(), got.Version)
	}
}

func testUserUpdateDeleted(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := newUser(t, s, org.ID, "gone@example.com")
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(t.Context(), org.ID, u.ID) })
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateUser(t.Context(), org.ID, u) })
	wantNotFound(t, err, u.ID, "User")
}

func testUserDelete(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := newUser(t, s, org.ID, "del@example.com")
	keep := newUser(t, s, org.ID, "keep@example.com")
	g := newGroup(t, s, org.ID, domain.GroupOkta, "Deleters")
	update(t, s, func(tx store.Tx) error {
		for _, id := range []string{u.ID, keep.ID} {
			if _, err := tx.AddMember(t.Context(), org.ID, g.ID, id, at(9)); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(t.Context(), org.ID, u.ID) })
	_, err := s.GetUser(t.Context(), org.ID, u.ID)
	wantNotFound(t, err, u.ID, "User")
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteUser(t.Context(), org.ID, u.ID) })
	wantNotFound(t, err, u.ID, "User")
	// The login is free again, and the membership went with the user: re-adding a user with
	// the same id is a new membership.
	if strings.ToLower(u.Login()) != "del@example.com" {
		t.Fatal("fixture changed")
	}
	again := minimalUser("del@example.com")
	again.ID = u.ID
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(t.Context(), org.ID, again) })
	update(t, s, func(tx store.Tx) error {
		added, err := tx.AddMember(t.Context(), org.ID, g.ID, u.ID, at(10))
		if err == nil && !added {
			t.Error("the deleted user's membership survived")
		}
		added, err2 := tx.AddMember(t.Context(), org.ID, g.ID, keep.ID, at(10))
		if err2 == nil && added {
			t.Error("deleting one user removed another user's membership")
		}
		return errors.Join(err, err2)
	})
}
