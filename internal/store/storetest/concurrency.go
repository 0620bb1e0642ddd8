package storetest

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Concurrency",
		check{"CreatesOfOneLoginExactlyOneWins", testConcurrentCreates},
		check{"CreatesOfOneGroupNameExactlyOneWins", testConcurrentGroupCreates},
		check{"VersionCheckedUpdatesLoseNothing", testConcurrentOptimisticUpdates},
		check{"ReadModifyWriteInTxLosesNothing", testConcurrentLockedUpdates},
		check{"AddsOfOneMembershipExactlyOneIsNew", testConcurrentAddMember},
	)
}

// parallel runs fn(i) for i in [0, n) at once and returns their errors.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// exactlyOne checks that one call succeeded and every other failed with a conflict on field.
func exactlyOne(t *testing.T, errs []error, field string) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("calls %d and %d both succeeded", winner, i)
		case err == nil:
			winner = i
		default:
			var ce *store.ConflictError
			if !errors.As(err, &ce) || ce.Field != field {
				t.Errorf("call %d: %v, want a conflict on %s", i, err, field)
			}
		}
	}
	if winner < 0 {
		t.Fatal("no call succeeded")
	}
	return winner
}

func testConcurrentCreates(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	users := make([]domain.User, 8)
	for i := range users {
		login := "race@example.com"
		if i%2 == 1 {
			login = strings.ToUpper(login)
		}
		users[i] = minimalUser(login)
	}
	errs := parallel(len(users), func(i int) error {
		return s.Update(t.Context(), func(tx store.Tx) error {
			if err := tx.CreateUser(t.Context(), org.ID, users[i]); err != nil {
				return err
			}
			return tx.AppendEvents(t.Context(), org.ID, event("user.lifecycle.create", users[i].LogTarget()))
		})
	})
	winner := exactlyOne(t, errs, "login")
	got, err := s.GetUserByLogin(t.Context(), org.ID, "race@example.com")
	if err != nil || got.ID != users[winner].ID {
		t.Errorf("GetUserByLogin = %s, %v; want the winner %s", got.ID, err, users[winner].ID)
	}
	for i, u := range users {
		if _, err := s.GetUser(t.Context(), org.ID, u.ID); (err == nil) != (i == winner) {
			t.Errorf("user %d stored = %v, want only the winner", i, err == nil)
		}
	}
}

func testConcurrentGroupCreates(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	errs := parallel(6, func(i int) error {
		return s.Update(t.Context(), func(tx store.Tx) error {
			name := "Race"
			if i%2 == 1 {
				name = "RACE"
			}
			return tx.CreateGroup(t.Context(), org.ID, group(domain.GroupOkta, name))
		})
	})
	exactlyOne(t, errs, "name")
}

// counter reads the user's profile counter.
func counter(u domain.User) int { f, _ := u.Profile["counter"].(float64); return int(f) }

// testConcurrentOptimisticUpdates reads outside the transaction, so only the version check
// stands between two writers: every lost race must be ErrStale, and with retries every
// increment lands.
func testConcurrentOptimisticUpdates(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := newUser(t, s, org.ID, "counter@example.com")
	const workers, each = 4, 5
	errs := parallel(workers, func(int) error {
		for range each {
			var err error
			for attempt := 0; ; attempt++ {
				cur, gerr := s.GetUser(t.Context(), org.ID, u.ID)
				if gerr != nil {
					return gerr
				}
				cur.Profile["counter"] = float64(counter(cur) + 1)
				err = s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateUser(t.Context(), org.ID, cur) })
				if !errors.Is(err, store.ErrStale) || attempt > 500 {
					break
				}
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetUser(t.Context(), org.ID, u.ID)
	if counter(got) != workers*each || got.Version != 1+workers*each {
		t.Errorf("counter %d version %d, want %d and %d: an update was lost", counter(got), got.Version, workers*each, 1+workers*each)
	}
}

// testConcurrentLockedUpdates reads inside the transaction, as services do (PostgreSQL locks
// the row; SQLite has one writer), retrying on ErrStale like the service.
func testConcurrentLockedUpdates(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := newUser(t, s, org.ID, "locked@example.com")
	const workers, each = 4, 5
	errs := parallel(workers, func(int) error {
		for range each {
			err := retryStale(t, s, func(tx store.Tx) error {
				cur, err := tx.GetUser(t.Context(), org.ID, u.ID)
				if err != nil {
					return err
				}
				cur.Profile["counter"] = float64(counter(cur) + 1)
				if err := tx.UpdateUser(t.Context(), org.ID, cur); err != nil {
					return err
				}
				return tx.AppendEvents(t.Context(), org.ID, event("user.account.update_profile", cur.LogTarget()))
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetUser(t.Context(), org.ID, u.ID)
	if counter(got) != workers*each || got.Version != 1+workers*each {
		t.Errorf("counter %d version %d, want %d and %d: an update was lost", counter(got), got.Version, workers*each, 1+workers*each)
	}
}

func testConcurrentAddMember(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	g := newGroup(t, s, org.ID, domain.GroupOkta, "Racers")
	u := newUser(t, s, org.ID, "racer@example.com")
	added := make([]bool, 6)
	errs := parallel(len(added), func(i int) error {
		return s.Update(t.Context(), func(tx store.Tx) error {
			var err error
			added[i], err = tx.AddMember(t.Context(), org.ID, g.ID, u.ID, at(int64(i)))
			return err
		})
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range added {
		if a {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d concurrent adds reported a new membership, want exactly 1", n)
	}
}
