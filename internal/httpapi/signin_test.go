package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// signinUser creates an ACTIVE user with a password and returns its id.
func signinUser(t *testing.T, e *env, login, pw string) string {
	t.Helper()
	w := e.do(req{Method: "POST", Path: "/api/v1/users?activate=true", Body: `{"profile":{"firstName":"Ada","lastName":"Lovelace","email":"` +
		login + `","login":"` + login + `"},"credentials":{"password":{"value":"` + pw + `"}}}`})
	wantStatus(t, w, http.StatusOK)
	return obj(t, w)["id"].(string)
}

func TestAuthnPrimarySuccessAndSession(t *testing.T) {
	e := newEnv(t, "")
	id := signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	w := e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true,
		Body: `{"username":"ADA@example.com","password":"Passw0rd!Long","relayState":"/next"}`})
	wantStatus(t, w, http.StatusOK)
	tx := obj(t, w)
	if tx["status"] != "SUCCESS" || tx["stateToken"] != nil || tx["relayState"] != "/next" {
		t.Fatalf("transaction = %v", tx)
	}
	st, _ := tx["sessionToken"].(string)
	if !strings.HasPrefix(st, "00") {
		t.Fatalf("sessionToken = %q", st)
	}
	user := tx["_embedded"].(map[string]any)["user"].(map[string]any)
	if user["id"] != id || user["profile"].(map[string]any)["login"] != "ada@example.com" {
		t.Errorf("embedded user = %v", user)
	}
	if ev := e.lastEvent("user.session.start"); ev["outcome"].(map[string]any)["result"] != "SUCCESS" {
		t.Errorf("user.session.start = %v", ev["outcome"])
	}

	// The sessionToken makes one session, once.
	w = e.do(req{Method: "POST", Path: "/api/v1/sessions", Body: `{"sessionToken":"` + st + `"}`})
	wantStatus(t, w, http.StatusOK)
	sess := obj(t, w)
	sid := sess["id"].(string)
	if sess["userId"] != id || sess["status"] != "ACTIVE" || sess["login"] != "ada@example.com" ||
		sess["amr"].([]any)[0] != "pwd" || !strings.HasPrefix(sid, "102") {
		t.Errorf("session = %v", sess)
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/sessions", Body: `{"sessionToken":"` + st + `"}`}), 401, "E0000004")

	w = e.do(req{Method: "GET", Path: "/api/v1/sessions/" + sid})
	wantStatus(t, w, http.StatusOK)
	first := obj(t, w)["expiresAt"].(string)
	e.clock.Advance(time.Minute)
	w = e.do(req{Method: "POST", Path: "/api/v1/sessions/" + sid + "/lifecycle/refresh"})
	wantStatus(t, w, http.StatusOK)
	if obj(t, w)["expiresAt"].(string) <= first {
		t.Errorf("refresh did not extend the session")
	}

	// /sessions/me takes the cookie only.
	w = e.do(req{Method: "GET", Path: "/api/v1/sessions/me", NoAuth: true, Header: map[string]string{"Cookie": "sid=" + sid}})
	wantStatus(t, w, http.StatusOK)
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/sessions/me"}), 404, "E0000007")
	w = e.do(req{Method: "DELETE", Path: "/api/v1/sessions/me", NoAuth: true, Header: map[string]string{"Cookie": "sid=" + sid}})
	wantStatus(t, w, http.StatusNoContent)
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/sessions/" + sid}), 404, "E0000007")
	if e.countEvents("user.session.end") != 1 {
		t.Errorf("no user.session.end event")
	}
}

func TestAuthnFailuresLookAlike(t *testing.T) {
	e := newEnv(t, "")
	signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	var bodies []string
	for _, body := range []string{
		`{"username":"ada@example.com","password":"wrong"}`,
		`{"username":"nobody@example.com","password":"Passw0rd!Long"}`,
		`{"username":"ada@example.com"}`,
	} {
		w := e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: body})
		m := wantError(t, w, 401, "E0000004")
		if m["errorSummary"] != "Authentication failed" || len(m["errorCauses"].([]any)) != 0 {
			t.Errorf("error = %v", m)
		}
		delete(m, "errorId")
		bodies = append(bodies, w.Body.String()[strings.Index(w.Body.String(), `"errorCauses"`):])
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Errorf("failures differ: %s vs %s", b, bodies[0])
		}
	}
	ev := e.lastEvent("user.session.start")
	out := ev["outcome"].(map[string]any)
	if out["result"] != "FAILURE" || out["reason"] != "INVALID_CREDENTIALS" {
		t.Errorf("failure event outcome = %v", out)
	}
	if e.countEvents("user.session.start") != 3 {
		t.Errorf("want 3 failure events, got %d", e.countEvents("user.session.start"))
	}
}

func TestAuthnSuspendedAndLockedAreAuthFailed(t *testing.T) {
	e := newEnv(t, "")
	id := signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/lifecycle/suspend"}), 200)
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true,
		Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`}), 401, "E0000004")
}

func TestAuthnPasswordExpired(t *testing.T) {
	e := newEnv(t, "")
	id := signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/lifecycle/expire_password"}), 200)
	w := e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`})
	wantStatus(t, w, 200)
	tx := obj(t, w)
	st, _ := tx["stateToken"].(string)
	if tx["status"] != "PASSWORD_EXPIRED" || st == "" || tx["sessionToken"] != nil {
		t.Fatalf("transaction = %v", tx)
	}
	next := tx["_links"].(map[string]any)["next"].(map[string]any)
	if !strings.HasSuffix(next["href"].(string), "/api/v1/authn/credentials/change_password") {
		t.Errorf("next = %v", next)
	}
	w = e.do(req{Method: "POST", Path: "/api/v1/authn/introspect", NoAuth: true, Body: `{"stateToken":"` + st + `"}`})
	wantStatus(t, w, 200)
	if obj(t, w)["status"] != "PASSWORD_EXPIRED" {
		t.Errorf("introspect = %s", w.Body.String())
	}
	w = e.do(req{Method: "POST", Path: "/api/v1/authn/credentials/change_password", NoAuth: true,
		Body: `{"stateToken":"` + st + `","oldPassword":"Passw0rd!Long","newPassword":"N3wPassw0rd!Long"}`})
	wantStatus(t, w, 200)
	if tx := obj(t, w); tx["status"] != "SUCCESS" || tx["sessionToken"] == nil {
		t.Fatalf("after change = %v", tx)
	}
	// The stateToken is spent.
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/authn/introspect", NoAuth: true, Body: `{"stateToken":"` + st + `"}`}), 401, "E0000011")
	w = e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"N3wPassw0rd!Long"}`})
	wantStatus(t, w, 200)
}

func TestSessionTokenExpires(t *testing.T) {
	e := newEnv(t, "")
	signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	w := e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`})
	st := obj(t, w)["sessionToken"].(string)
	e.clock.Advance(5*time.Minute + time.Second)
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/sessions", Body: `{"sessionToken":"` + st + `"}`}), 401, "E0000004")
}

func TestSessionCookieRedirect(t *testing.T) {
	e := newEnv(t, "")
	signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	w := e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`})
	st := obj(t, w)["sessionToken"].(string)
	// Not a trusted origin: refused, and the token is not spent.
	wantError(t, e.do(req{Method: "GET", Path: "/login/sessionCookieRedirect?token=" + st + "&redirectUrl=https://evil.example/x", NoAuth: true}), 400, "E0000001")
	w = e.do(req{Method: "GET", Path: "/login/sessionCookieRedirect?token=" + st + "&redirectUrl=http://example.com/app", NoAuth: true})
	wantStatus(t, w, http.StatusFound)
	c := w.Header().Get("Set-Cookie")
	if !strings.HasPrefix(c, "sid=102") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "Path=/") ||
		!strings.Contains(c, "SameSite=Lax") || strings.Contains(c, "Secure") {
		t.Errorf("Set-Cookie over HTTP = %q, want HttpOnly, SameSite=Lax and not Secure", c)
	}
	if w.Header().Get("Location") != "http://example.com/app" {
		t.Errorf("Location = %q", w.Header().Get("Location"))
	}
	// Over HTTPS the cookie is Secure and SameSite=None, so cross-site sign-in flows (okta-auth-js)
	// can send it.
	st = obj(t, e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`}))["sessionToken"].(string)
	w = e.do(req{Method: "GET", Path: "https://example.com/login/sessionCookieRedirect?token=" + st + "&redirectUrl=https://example.com/app", NoAuth: true})
	wantStatus(t, w, http.StatusFound)
	if c := w.Header().Get("Set-Cookie"); !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "Secure") || !strings.Contains(c, "SameSite=None") {
		t.Errorf("Set-Cookie over HTTPS = %q, want HttpOnly, Secure and SameSite=None", c)
	}
}

func TestAuthnLockoutAfterMaxAttempts(t *testing.T) {
	e := newEnv(t, "")
	id := signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	// The default password policy locks after 10 consecutive failures; a success resets the count.
	for i := 0; i < 9; i++ {
		wantError(t, e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"wrong"}`}), 401, "E0000004")
	}
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`}), 200)
	for i := 0; i < 10; i++ {
		wantError(t, e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"wrong"}`}), 401, "E0000004")
	}
	w := e.do(req{Method: "GET", Path: "/api/v1/users/" + id})
	if obj(t, w)["status"] != "LOCKED_OUT" {
		t.Fatalf("user after 10 failures: %s", w.Body.String())
	}
	if e.countEvents("user.account.lock") != 1 {
		t.Errorf("want one user.account.lock event")
	}
	// Locked: the right password gets the same 401.
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`}), 401, "E0000004")
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/lifecycle/unlock"}), 200)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`}), 200)
}

// TestAuthnStateTokenSlidingExpiry: a transaction's stateToken lives 5 minutes from its last
// use (each step slides expiresAt), and an expired one is 401 E0000011 (invalid token).
func TestAuthnStateTokenSlidingExpiry(t *testing.T) {
	e := newEnv(t, "")
	id := signinUser(t, e, "ada@example.com", "Passw0rd!Long")
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/users/" + id + "/lifecycle/expire_password"}), 200)
	tx := obj(t, e.do(req{Method: "POST", Path: "/api/v1/authn", NoAuth: true, Body: `{"username":"ada@example.com","password":"Passw0rd!Long"}`}))
	st := tx["stateToken"].(string)
	introspect := func() *httptest.ResponseRecorder {
		return e.do(req{Method: "POST", Path: "/api/v1/authn/introspect", NoAuth: true, Body: `{"stateToken":"` + st + `"}`})
	}
	first := tx["expiresAt"]
	e.clock.Advance(4 * time.Minute)
	w := introspect()
	wantStatus(t, w, 200)
	if slid := obj(t, w)["expiresAt"]; slid == first {
		t.Errorf("expiresAt did not slide: still %v", slid)
	}
	e.clock.Advance(4 * time.Minute) // 8 minutes after the start, 4 after the last use
	wantStatus(t, introspect(), 200)
	e.clock.Advance(5*time.Minute + time.Second)
	wantError(t, introspect(), 401, "E0000011")
}
