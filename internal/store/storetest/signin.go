package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/signin"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Signin",
		check{"SessionRoundTripsRefreshesAndEnds", testSessionRoundTrip},
		check{"TokenPutReplacesAndDeletesOnce", testSigninTokenOnce},
		check{"FactorsRoundTripPerUser", testFactors},
		check{"FailuresCountAndReset", testSigninFailures},
	)
}

func testSessionRoundTrip(t *testing.T, s store.Store) {
	org, other := newOrg(t, s), newOrg(t, s)
	sess := domain.Session{ID: "102aaaaaaaaaaaaaaaaaaaaaa", OrgID: org.ID, UserID: "00uone", Login: "one@example.com",
		Status: signin.SessionActive, CreatedAt: t0, ExpiresAt: domain.At(t0.Add(time.Hour)),
		LastPasswordVerification: t0, AMR: []string{"pwd"}}
	second := sess
	second.ID, second.AMR, second.LastFactorVerification = "102bbbbbbbbbbbbbbbbbbbbbb", []string{"pwd", "mfa", "otp"}, t0
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateSession(t.Context(), org.ID, sess); err != nil {
			return err
		}
		return tx.CreateSession(t.Context(), org.ID, second)
	})
	for _, want := range []domain.Session{sess, second} {
		got, err := s.GetSession(t.Context(), org.ID, want.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("GetSession = %#v, %v; want %#v", got, err, want)
		}
	}
	if _, err := s.GetSession(t.Context(), other.ID, sess.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("GetSession(other org) = %v, want not found", err)
	}
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSession(t.Context(), org.ID, sess) })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateSession(same id) = %v, want conflict", err)
	}
	later := domain.At(t0.Add(3 * time.Hour))
	update(t, s, func(tx store.Tx) error { return tx.RefreshSession(t.Context(), org.ID, sess.ID, later) })
	if got, _ := s.GetSession(t.Context(), org.ID, sess.ID); !got.ExpiresAt.Equal(later.Time) {
		t.Errorf("expiresAt after refresh = %v, want %v", got.ExpiresAt, later)
	}
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.RefreshSession(t.Context(), org.ID, "102nope", later) })
	wantNotFound(t, err, "102nope", "Session")
	update(t, s, func(tx store.Tx) error { return tx.DeleteSession(t.Context(), org.ID, sess.ID) })
	_, err = s.GetSession(t.Context(), org.ID, sess.ID)
	wantNotFound(t, err, sess.ID, "Session")
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteSession(t.Context(), org.ID, sess.ID) })
	wantNotFound(t, err, sess.ID, "Session")
	var n int
	update(t, s, func(tx store.Tx) (err error) {
		n, err = tx.DeleteUserSessions(t.Context(), org.ID, "00uone")
		return err
	})
	if n != 1 {
		t.Errorf("DeleteUserSessions = %d, want 1", n)
	}
}

func testSigninTokenOnce(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	tok := signin.Token{Hash: domain.HashToken("00state"), Kind: signin.KindState, UserID: "00uone",
		Created: t0, ExpiresAt: domain.At(t0.Add(time.Minute)), Status: signin.StatusMFARequired,
		RelayState: "/after", LastPasswordVerification: t0, AMR: []string{"pwd"}}
	update(t, s, func(tx store.Tx) error { return tx.PutSigninToken(t.Context(), org.ID, tok) })
	got, err := s.GetSigninToken(t.Context(), org.ID, tok.Hash)
	if err != nil || !reflect.DeepEqual(got, tok) {
		t.Errorf("GetSigninToken = %#v, %v; want %#v", got, err, tok)
	}
	tok.Status, tok.FactorID, tok.LastFactorVerification = signin.StatusSuccess, "ostfone", t0
	tok.ExpiresAt, tok.AMR = domain.At(t0.Add(2*time.Minute)), []string{"pwd", "mfa"}
	update(t, s, func(tx store.Tx) error { return tx.PutSigninToken(t.Context(), org.ID, tok) })
	if got, _ := s.GetSigninToken(t.Context(), org.ID, tok.Hash); !reflect.DeepEqual(got, tok) {
		t.Errorf("after replace = %#v, want %#v", got, tok)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteSigninToken(t.Context(), org.ID, tok.Hash) })
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteSigninToken(t.Context(), org.ID, tok.Hash) })
	if !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("second DeleteSigninToken = %v, want not found", err)
	}
	if _, err := s.GetSigninToken(t.Context(), org.ID, tok.Hash); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("GetSigninToken(deleted) = %v, want not found", err)
	}
}

func testFactors(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	f := signin.Factor{ID: "uftaaaaaaaaaaaaaaaaa", UserID: "00uone", FactorType: "token:software:totp", Provider: "GOOGLE",
		Status: "PENDING_ACTIVATION", Created: t0, LastUpdated: t0, Profile: map[string]string{"credentialId": "one@example.com"},
		Secret: "JBSWY3DPEHPK3PXP"}
	other := f
	other.ID, other.UserID = "uftbbbbbbbbbbbbbbbbb", "00utwo"
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutFactor(t.Context(), org.ID, f); err != nil {
			return err
		}
		return tx.PutFactor(t.Context(), org.ID, other)
	})
	got, err := s.ListFactors(t.Context(), org.ID, "00uone")
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], f) {
		t.Fatalf("ListFactors = %#v, %v; want [%#v]", got, err, f)
	}
	f.Status, f.LastStep, f.LastUpdated = "ACTIVE", 12345, at(5)
	update(t, s, func(tx store.Tx) error { return tx.PutFactor(t.Context(), org.ID, f) })
	if g, err := s.GetFactor(t.Context(), org.ID, "00uone", f.ID); err != nil || !reflect.DeepEqual(g, f) {
		t.Errorf("GetFactor = %#v, %v; want %#v", g, err, f)
	}
	_, err = s.GetFactor(t.Context(), org.ID, "00utwo", f.ID)
	wantNotFound(t, err, f.ID, "UserFactor")
	update(t, s, func(tx store.Tx) error { return tx.DeleteFactor(t.Context(), org.ID, "00uone", f.ID) })
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteFactor(t.Context(), org.ID, "00uone", f.ID) })
	wantNotFound(t, err, f.ID, "UserFactor")
}

func testSigninFailures(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	var n int
	for want := 1; want <= 3; want++ {
		update(t, s, func(tx store.Tx) (err error) {
			n, err = tx.AddSigninFailure(t.Context(), org.ID, "00uone", t0)
			return err
		})
		if n != want {
			t.Fatalf("count = %d, want %d", n, want)
		}
	}
	update(t, s, func(tx store.Tx) error { return tx.ResetSigninFailures(t.Context(), org.ID, "00uone") })
	update(t, s, func(tx store.Tx) (err error) {
		n, err = tx.AddSigninFailure(t.Context(), org.ID, "00uone", t0)
		return err
	})
	if n != 1 {
		t.Errorf("count after reset = %d, want 1", n)
	}
}
