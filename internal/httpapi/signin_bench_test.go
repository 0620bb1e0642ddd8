package httpapi_test

import (
	"net/http"
	"testing"
)

// BenchmarkAuthnPrimary is primary authentication with a right and a wrong password: both are
// bounded by one bcrypt check (cost 10), and must cost about the same (no enumeration by timing).
func BenchmarkAuthnPrimary(b *testing.B) {
	e := newEnv(b, "")
	w := e.do(req{Method: "POST", Path: "/api/v1/users?activate=true", Body: `{"profile":{"firstName":"A","lastName":"B","email":"ada@example.com","login":"ada@example.com"},"credentials":{"password":{"value":"Passw0rd!Long"}}}`})
	wantStatus(b, w, http.StatusOK)
	for _, c := range []struct {
		name, body string
		status     int
	}{
		{"right", `{"username":"ada@example.com","password":"Passw0rd!Long"}`, 200},
		{"unknown-login", `{"username":"nobody@example.com","password":"Passw0rd!Long"}`, 401},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				w := e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: c.body})
				if w.Code != c.status {
					b.Fatalf("status %d: %s", w.Code, w.Body.String())
				}
			}
		})
	}
}

// BenchmarkSessionByID is session validation (GET /api/v1/sessions/{id}), the read an OIDC
// authorize request makes for its session cookie.
func BenchmarkSessionByID(b *testing.B) {
	e := newEnv(b, "")
	wantStatus(b, e.do(req{Method: "POST", Path: "/api/v1/users?activate=true", Body: `{"profile":{"firstName":"A","lastName":"B","email":"ada@example.com","login":"ada@example.com"},"credentials":{"password":{"value":"Passw0rd!Long"}}}`}), 200)
	w := e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`})
	st := obj(b, w)["sessionToken"].(string)
	w = e.do(req{Method: "POST", Path: "/api/v1/sessions", Body: `{"sessionToken":"` + st + `"}`})
	sid := obj(b, w)["id"].(string)
	for b.Loop() {
		if w := e.do(req{Method: "GET", Path: "/api/v1/sessions/me", NoAuth: true, Header: map[string]string{"Cookie": "sid=" + sid}}); w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
