package httpapi

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// BenchmarkUserJSON is the encoding of one user with its links, the body of GET /users/{id}.
func BenchmarkUserJSON(b *testing.B) {
	s := New(Config{})
	now := domain.FromMillis(1700000000000)
	u := domain.User{ID: "00u1234567890abcdefg", Status: domain.StatusActive, Created: now, Activated: now,
		StatusChanged: now, LastUpdated: now, PasswordChanged: now, TypeID: "oty1234567890abcdefg",
		Provider: domain.Provider{Type: "OKTA", Name: "OKTA"},
		Secrets:  domain.UserSecrets{PasswordHash: "$2a$10$x"},
		Profile: map[string]any{"login": "jane.doe@example.com", "email": "jane.doe@example.com",
			"firstName": "Jane", "lastName": "Doe", "department": "Engineering", "title": "Engineer",
			"city": "Paris", "employeeNumber": "100042"}}
	r := httptest.NewRequest("GET", "http://okapi.test/api/v1/users/"+u.ID, nil)
	r = r.WithContext(domain.WithCaller(r.Context(), &domain.Caller{OrgID: "00o1234567890abcdefg"}))
	b.ReportAllocs()
	for b.Loop() {
		if err := json.NewEncoder(io.Discard).Encode(s.userJSON(r, u, false)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUserListPage is the encoding of a page of 200 listed users (stored profiles), the
// body of GET /users?limit=200.
func BenchmarkUserListPage(b *testing.B) {
	s := New(Config{})
	now := domain.FromMillis(1700000000000)
	profile := []byte(`{"city":"Paris","department":"Engineering","email":"jane.doe@example.com","employeeNumber":"100042","firstName":"Jane","lastName":"Doe","login":"jane.doe@example.com","title":"Engineer"}`)
	users := make([]domain.User, 200)
	for i := range users {
		users[i] = domain.User{ID: "00u1234567890abcdefg", Status: domain.StatusActive, Created: now, Activated: now,
			StatusChanged: now, LastUpdated: now, PasswordChanged: now, TypeID: "oty1234567890abcdefg",
			Provider: domain.Provider{Type: "OKTA", Name: "OKTA"}, Secrets: domain.UserSecrets{PasswordHash: "$2a$10$x"},
			RawProfile: profile}
	}
	r := httptest.NewRequest("GET", "http://okapi.test/api/v1/users", nil)
	r = r.WithContext(domain.WithCaller(r.Context(), &domain.Caller{OrgID: "00o1234567890abcdefg"}))
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.writeUsers(w, r, users)
	}
}
