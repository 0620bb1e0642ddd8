package httpapi

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
)

// TestAppendUserMatchesEncodingJSON: the hand-written encoder of list pages writes exactly the
// bytes encoding/json writes for the same user, whether the profile comes decoded (Profile) or
// as stored (RawProfile), for every status, credential shape and awkward string.
func TestAppendUserMatchesEncodingJSON(t *testing.T) {
	s := New(Config{})
	strs := []string{"", "plain", "Zoë", "東京", "a\"quote", `back\slash`, "<script>&amp;", "tab\there",
		"nl\n", "\u2028sep\u2029", "bad\xffutf8", "emoji 😀", "\x00nul", "~!@#$%^*()_+"}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func() string { return strs[rng.IntN(len(strs))] }
	at := func() domain.Time {
		switch rng.IntN(4) {
		case 0:
			return domain.Time{}
		case 1:
			return domain.FromMillis(0)
		case 2:
			return domain.At(time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC))
		}
		return domain.FromMillis(rng.Int64N(4e12))
	}
	statuses := []domain.UserStatus{domain.StatusStaged, domain.StatusProvisioned, domain.StatusActive,
		domain.StatusRecovery, domain.StatusPasswordExpired, domain.StatusLockedOut, domain.StatusSuspended,
		domain.StatusDeprovisioned}
	r := httptest.NewRequest("GET", "http://okapi.test/api/v1/users", nil)
	r = r.WithContext(domain.WithCaller(r.Context(), &domain.Caller{OrgID: "00o1234567890abcdefg"}))
	for i := 0; i < 2000; i++ {
		u := domain.User{ID: "00u" + pick(), Status: statuses[rng.IntN(len(statuses))],
			Created: at(), Activated: at(), StatusChanged: at(), LastLogin: at(), LastUpdated: at(),
			PasswordChanged: at(), TypeID: "oty" + pick(),
			Profile: map[string]any{"login": pick() + "@example.com", "firstName": pick(), "lastName": pick(),
				"count": rng.Float64() * 1e6, "ok": rng.IntN(2) == 0, "none": nil,
				"list": []any{pick(), 1.5}, pick(): pick()}}
		if rng.IntN(2) == 0 {
			u.TransitioningToStatus = "ACTIVE"
		}
		if rng.IntN(2) == 0 {
			u.Secrets.PasswordHash = "$2a$10$x"
		}
		if rng.IntN(2) == 0 {
			u.RecoveryQuestion = pick()
		}
		if rng.IntN(4) > 0 {
			u.Provider = domain.Provider{Type: "OKTA", Name: pick()}
		}
		for _, inCollection := range []bool{true, false} {
			var want bytes.Buffer
			if err := json.NewEncoder(&want).Encode(s.userJSON(r, u, inCollection)); err != nil {
				t.Fatal(err)
			}
			got, err := s.appendUser(nil, r, u, inCollection)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(append(got, '\n'), want.Bytes()) {
				t.Fatalf("user %d (collection %v):\n got %s\nwant %s", i, inCollection, got, want.Bytes())
			}
			// As a list returns it: the profile as the store wrote it.
			raw := u
			raw.RawProfile, err = json.Marshal(u.Profile)
			if err != nil {
				t.Fatal(err)
			}
			raw.Profile = nil
			got, err = s.appendUser(nil, r, raw, inCollection)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(append(got, '\n'), want.Bytes()) {
				t.Fatalf("user %d with a stored profile (collection %v):\n got %s\nwant %s", i, inCollection, got, want.Bytes())
			}
		}
	}
}
