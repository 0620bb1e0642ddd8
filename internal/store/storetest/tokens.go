package storetest

import (
	"errors"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Tokens",
		check{"CreateGetRoundTrips", testTokenRoundTrip},
		check{"UnknownIsNotFound", testTokenNotFound},
		check{"HashTakenIsConflict", testTokenConflict},
		check{"ListPagesByIDInByteOrder", testTokenList},
		check{"DeleteAndTouch", testTokenDeleteTouch},
	)
}

func testTokenRoundTrip(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	full := token("full", "00uowner")
	bare := token("bare", "00uowner")
	bare.Network = nil
	for _, tok := range []domain.APIToken{full, bare} {
		update(t, s, func(tx store.Tx) error { return tx.CreateToken(t.Context(), org.ID, tok) })
		got, err := s.GetToken(t.Context(), org.ID, tok.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tok) {
			t.Errorf("GetToken =\n%#v\nwant\n%#v", got, tok)
		}
		got, gotOrg, err := s.GetTokenByHash(t.Context(), tok.Hash)
		if err != nil || gotOrg != org.ID || !reflect.DeepEqual(got, tok) {
			t.Errorf("GetTokenByHash = %#v, %q, %v; want the token in %s", got, gotOrg, err, org.ID)
		}
	}
}

func testTokenNotFound(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	_, err := s.GetToken(t.Context(), org.ID, "00Tnope")
	wantNotFound(t, err, "00Tnope", "ApiToken")
	if _, _, err := s.GetTokenByHash(t.Context(), domain.HashToken("nope")); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("GetTokenByHash(unknown) = %v, want domain.ErrNotFound", err)
	}
	err = s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteToken(t.Context(), org.ID, "00Tnope") })
	wantNotFound(t, err, "00Tnope", "ApiToken")
}

func testTokenConflict(t *testing.T, s store.Store) {
	org, other := newOrg(t, s), newOrg(t, s)
	tok := newToken(t, s, org.ID, "first")
	// A hash is unique across orgs: a secret picks its org.
	for _, o := range []string{org.ID, other.ID} {
		dup := token("second", "00uowner")
		dup.Hash = tok.Hash
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateToken(t.Context(), o, dup) })
		wantConflict(t, err, "token")
	}
}

// testTokenList pages with a keyset (id > after) and checks that pages come in byte order of
// the ids (mixed-case base62, so a locale collation would reorder them), with no token skipped
// or repeated.
func testTokenList(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	newToken(t, s, newOrg(t, s).ID, "another org's")
	var want []string
	for range 7 {
		want = append(want, newToken(t, s, org.ID, "t").ID)
	}
	// Ids that differ only in case sort upper case first in byte order.
	for _, id := range []string{"00Tzzzzzzzzzzzzzzzzz", "00TZZZZZZZZZZZZZZZZZ"} {
		tok := token("case", "00uowner")
		tok.ID = id
		update(t, s, func(tx store.Tx) error { return tx.CreateToken(t.Context(), org.ID, tok) })
		want = append(want, id)
	}
	sort.Strings(want)
	var got []string
	after := ""
	for page := 0; page < 10; page++ {
		list, err := s.ListTokens(t.Context(), org.ID, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) > 2 {
			t.Fatalf("page of %d, limit 2", len(list))
		}
		if len(list) == 0 {
			break
		}
		for _, tok := range list {
			got = append(got, tok.ID)
		}
		after = list[len(list)-1].ID
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged ids =\n%q\nwant\n%q", got, want)
	}
}

func testTokenDeleteTouch(t *testing.T, s store.Store) {
	org := newOrg(t, s)
	tok := newToken(t, s, org.ID, "touched")
	update(t, s, func(tx store.Tx) error { return tx.TouchToken(t.Context(), org.ID, tok.ID, at(60), at(600)) })
	got, err := s.GetToken(t.Context(), org.ID, tok.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.LastUsed.Equal(at(60).Time) || !got.ExpiresAt.Equal(at(600).Time) {
		t.Errorf("after TouchToken: lastUsed %v expiresAt %v", got.LastUsed, got.ExpiresAt)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteToken(t.Context(), org.ID, tok.ID) })
	_, err = s.GetToken(t.Context(), org.ID, tok.ID)
	wantNotFound(t, err, tok.ID, "ApiToken")
	if _, _, err := s.GetTokenByHash(t.Context(), tok.Hash); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("revoked token still found by hash: %v", err)
	}
}
