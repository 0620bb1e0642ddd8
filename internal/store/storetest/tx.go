package storetest

import (
	"errors"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Tx",
		check{"ErrorRollsBackEverything", testTxErrorRollsBack},
		check{"PanicRollsBackAndStoreStaysUsable", testTxPanic},
		check{"ErrorsReturnedUnchanged", testTxErrorsUnchanged},
		check{"ConflictEndsTransaction", testTxConflictEnds},
		check{"UncommittedInvisibleOutside", testTxIsolation},
	)
}

// writeAll writes one row of every kind in org, as a service's transaction might.
func writeAll(t *testing.T, tx store.Tx, org string, u domain.User, g domain.Group, tok domain.APIToken) error {
	ctx := t.Context()
	if err := tx.CreateUser(ctx, org, u); err != nil {
		return err
	}
	if err := tx.CreateGroup(ctx, org, g); err != nil {
		return err
	}
	if _, err := tx.AddMember(ctx, org, g.ID, u.ID, at(1)); err != nil {
		return err
	}
	if err := tx.CreateToken(ctx, org, tok); err != nil {
		return err
	}
	return tx.AppendEvents(ctx, org, event("user.lifecycle.create", u.LogTarget()))
}

// wantNothing checks that none of the rows writeAll writes exists.
func wantNothing(t *testing.T, s store.Store, org domain.Org, orgCreated bool, u domain.User, g domain.Group, tok domain.APIToken) {
	t.Helper()
	ctx := t.Context()
	if _, err := s.GetOrgByName(ctx, org.Name); orgCreated == errors.Is(err, domain.ErrNotFound) {
		t.Errorf("org after rollback: %v", err)
	}
	if _, err := s.GetUser(ctx, org.ID, u.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("user after rollback: %v", err)
	}
	if _, err := s.GetUserByLogin(ctx, org.ID, u.Login()); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("user by login after rollback: %v", err)
	}
	if _, err := s.GetGroup(ctx, org.ID, g.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("group after rollback: %v", err)
	}
	if _, _, err := s.GetTokenByHash(ctx, tok.Hash); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("token after rollback: %v", err)
	}
	if seq, err := s.LatestLogSeq(ctx, org.ID); err != nil || seq != 0 {
		t.Errorf("log after rollback: seq %d, %v", seq, err)
	}
}

func testTxErrorRollsBack(t *testing.T, s store.Store) {
	org := domain.Org{ID: domain.NewID(ids, domain.PrefixOrg), Name: "rollback-" + ids.Random(6), Created: t0}
	u, g, tok := fullUser("rb@example.com"), group(domain.GroupOkta, "RB"), token("rb", "00uowner")
	boom := errors.New("boom")
	err := s.Update(t.Context(), func(tx store.Tx) error {
		if err := tx.CreateOrg(t.Context(), org); err != nil {
			return err
		}
		if err := writeAll(t, tx, org.ID, u, g, tok); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Update = %v, want fn's error itself", err)
	}
	wantNothing(t, s, org, false, u, g, tok)
	// The same rows can then be written: nothing half-written blocks them.
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateOrg(t.Context(), org); err != nil {
			return err
		}
		return writeAll(t, tx, org.ID, u, g, tok)
	})
}

func testTxPanic(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u, g, tok := fullUser("panic@example.com"), group(domain.GroupOkta, "Panic"), token("p", "00uowner")
	func() {
		defer func() {
			if p := recover(); p != "kaboom" {
				t.Errorf("recovered %v, want the panic re-raised", p)
			}
		}()
		_ = s.Update(t.Context(), func(tx store.Tx) error {
			if err := writeAll(t, tx, org.ID, u, g, tok); err != nil {
				return err
			}
			panic("kaboom")
		})
		t.Error("Update returned after a panic in fn")
	}()
	wantNothing(t, s, org, true, u, g, tok)
	// The connection went back to the pool in a clean state: the store keeps working (SQLite
	// has a single writer connection, so a leaked transaction would block this forever).
	for range 3 {
		update(t, s, func(tx store.Tx) error { return writeAll(t, tx, org.ID, u, g, tok) })
		update(t, s, func(tx store.Tx) error { return tx.DeleteUser(t.Context(), org.ID, u.ID) })
		u.ID, g, tok = domain.NewID(ids, domain.PrefixUser), group(domain.GroupOkta, g.Name()+"x"), token("p", "00uowner")
	}
}

func testTxErrorsUnchanged(t *testing.T, s store.Store) {
	for _, want := range []error{store.ErrStale, domain.NotFound("x", "User"), domain.ErrWrongStatus} {
		if err := s.Update(t.Context(), func(store.Tx) error { return want }); err != want {
			t.Errorf("Update = %v, want %v unchanged", err, want)
		}
	}
}

// testTxConflictEnds checks that a transaction that swallows a unique violation does not
// commit: PostgreSQL aborts the transaction at the failed statement, and every backend must
// behave the same so code tested on SQLite works on PostgreSQL.
func testTxConflictEnds(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	newUser(t, s, org.ID, "taken@example.com")
	other := minimalUser("other@example.com")
	err := s.Update(t.Context(), func(tx store.Tx) error {
		if err := tx.CreateUser(t.Context(), org.ID, minimalUser("taken@example.com")); err == nil {
			t.Error("duplicate login accepted")
		}
		_ = tx.CreateUser(t.Context(), org.ID, other) // may fail: the transaction is over
		return nil
	})
	wantConflict(t, err, "login")
	if _, err := s.GetUser(t.Context(), org.ID, other.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a write after the conflict committed: %v", err)
	}
}

func testTxIsolation(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	u := fullUser("iso@example.com")
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateUser(t.Context(), org.ID, u); err != nil {
			return err
		}
		if _, err := tx.GetUser(t.Context(), org.ID, u.ID); err != nil {
			t.Errorf("the transaction does not see its own write: %v", err)
		}
		if _, err := s.GetUser(t.Context(), org.ID, u.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("an uncommitted user is visible outside the transaction: %v", err)
		}
		return nil
	})
	if _, err := s.GetUser(t.Context(), org.ID, u.ID); err != nil {
		t.Errorf("committed user: %v", err)
	}
}
