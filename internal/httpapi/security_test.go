package httpapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/ratelimit"
)

const wrongToken = "00wrongwrongwrongwrongwrongwrongwrongwrong"

// withAPI swaps the env's handler for one built with cfg (Service and Logger filled in).
func (e *env) withAPI(cfg httpapi.Config) *env {
	cfg.Service = e.svc
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	e.api = httpapi.New(cfg)
	return e
}

// TestAuthFailuresLimitedWithRateLimitsOff: a client that keeps failing to authenticate is
// refused with 429 after the failure limit, even with --rate-limit-profile off, and then even
// with the right token (otherwise the answers would tell a guesser which guess was right).
// Other clients are unaffected, a forged X-Forwarded-For does not escape the count, and the
// next window starts afresh.
func TestAuthFailuresLimitedWithRateLimitsOff(t *testing.T) {
	off, err := ratelimit.New(ratelimit.Config{Profile: ratelimit.ProfileOff})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "").withAPI(httpapi.Config{Limiter: off, AuthFailureLimit: 5})
	guesser := "198.51.100.7:4000"
	for i := range 5 {
		hdr := map[string]string{"Authorization": "SSWS " + wrongToken}
		if i%2 == 1 {
			hdr = map[string]string{"Authorization": "", "X-Forwarded-For": "203.0.113." + strconv.Itoa(i)}
		}
		wantError(t, e.do(req{Method: "GET", Path: "/api/v1/users", Header: hdr, NoAuth: true, Peer: guesser}), 401, "E0000011")
	}
	w := e.do(req{Method: "GET", Path: "/api/v1/users", Header: map[string]string{"Authorization": "SSWS " + wrongToken}, Peer: guesser})
	wantError(t, w, 429, "E0000047")
	reset := e.clock.Now().Add(time.Minute).Unix()
	if got := w.Header().Get("X-Rate-Limit-Reset"); got != strconv.FormatInt(reset, 10) {
		t.Errorf("X-Rate-Limit-Reset %q, want %d", got, reset)
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/users", Peer: guesser}), 429, "E0000047")
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/users", Peer: "198.51.100.8:4000"}), 200)

	e.clock.Advance(time.Minute)
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/users", Peer: guesser}), 200)
}

// TestAuthFailuresLimitedByDefault: without any configuration, the default limit applies.
func TestAuthFailuresLimitedByDefault(t *testing.T) {
	e := newEnv(t, "")
	for range httpapi.DefaultAuthFailureLimit {
		wantError(t, e.do(req{Method: "GET", Path: "/api/v1/api-tokens", Header: map[string]string{"Authorization": "SSWS " + wrongToken}}), 401, "E0000011")
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/api-tokens", Header: map[string]string{"Authorization": "SSWS " + wrongToken}}), 429, "E0000047")
}

// TestUnauthenticatedAnswersAreAlike: no endpoint tells an unauthenticated caller whether a
// login, a resource or a route exists: every answer is the same 401, with the same headers,
// whatever the path, the verb and the kind of bad credentials.
func TestUnauthenticatedAnswersAreAlike(t *testing.T) {
	e := newEnv(t, "")
	var first *httptest.ResponseRecorder
	var firstBody map[string]any
	for _, target := range []string{
		"GET /api/v1/users/admin@okapi.test", "GET /api/v1/users/nobody@okapi.test", "GET /api/v1/users/00u00000000000000000",
		"DELETE /api/v1/users/admin@okapi.test", "DELETE /api/v1/users/nobody@okapi.test", "GET /api/v1/groups",
		"DELETE /api/v1/api-tokens/current", "GET /api/v1/logs?filter=x", "POST /api/v1/users/admin@okapi.test/lifecycle/suspend",
	} {
		method, path, _ := strings.Cut(target, " ")
		for _, auth := range []string{"", "SSWS " + wrongToken, "SSWS short", "Bearer " + testToken, "SSWS " + testToken + "x"} {
			w := e.do(req{Method: method, Path: path, Header: map[string]string{"Authorization": auth}, NoAuth: true, Peer: "192.0.2.99:1"})
			m := wantError(t, w, 401, "E0000011")
			delete(m, "errorId")
			if first == nil {
				first, firstBody = w, m
				continue
			}
			if a, b := mustJSON(t, m), mustJSON(t, firstBody); a != b {
				t.Errorf("%s (%q): body %s, first was %s", target, auth, a, b)
			}
			if a, b := headerNames(w.Header()), headerNames(first.Header()); a != b {
				t.Errorf("%s (%q): headers %s, first had %s", target, auth, a, b)
			}
		}
	}
}

// TestSecurityHeadersOnEveryAnswer: nosniff on every response, no-store on every API response,
// errors and successes alike.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	e := newEnv(t, "")
	for _, q := range []req{
		{Method: "GET", Path: "/api/v1/users"}, {Method: "GET", Path: "/api/v1/users/nobody"},
		{Method: "GET", Path: "/api/v1/users", NoAuth: true}, {Method: "PATCH", Path: "/api/v1/users"},
		{Method: "GET", Path: "/api/v2/users"}, {Method: "POST", Path: "/api/v1/groups", Body: `{`},
		{Method: "GET", Path: "/api/v1/users", Header: map[string]string{"Accept": "text/html"}},
		{Method: "DELETE", Path: "/api/v1/groups/00gnothere"},
	} {
		w := e.do(q)
		if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s: X-Content-Type-Options %q", q.Method, q.Path, got)
		}
		if got := w.Header().Get("Cache-Control"); !strings.Contains(got, "no-store") {
			t.Errorf("%s %s: Cache-Control %q", q.Method, q.Path, got)
		}
	}
	for _, path := range []string{"/healthz", "/readyz", "/nothing"} {
		w := httptest.NewRecorder()
		e.api.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", path, got)
		}
	}
}

// TestTokenComparedInConstantTime: the authentication path compares the stored hash with
// crypto/subtle, never with ==, so its timing does not depend on how much of a guess matched.
func TestTokenComparedInConstantTime(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../service/tokens.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var fn *ast.FuncDecl
	for _, d := range f.Decls {
		if d, ok := d.(*ast.FuncDecl); ok && d.Name.Name == "authenticate" {
			fn = d
		}
	}
	if fn == nil {
		t.Fatal("service.authenticate not found in tokens.go")
	}
	constantTime := false
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "ConstantTimeCompare" {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "subtle" {
					constantTime = true
				}
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				for _, side := range []ast.Expr{n.X, n.Y} {
					if s := exprString(side); strings.Contains(strings.ToLower(s), "hash") || strings.Contains(s, "secret") {
						t.Errorf("%s: %s compared with %s", fset.Position(n.Pos()), s, n.Op)
					}
				}
			}
		}
		return true
	})
	if !constantTime {
		t.Error("authenticate does not call subtle.ConstantTimeCompare")
	}
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.CallExpr:
		return exprString(e.Fun) + "()"
	}
	return ""
}

// headerNames lists a response's header names, minus those that differ per request.
func headerNames(h http.Header) string {
	var names []string
	for k := range h {
		if k != "X-Okta-Request-Id" && k != "Date" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// TestOperatorAuthFailuresLimited (issue 24.6): the operator API counts failed operator
// tokens against the same per-IP limit as /api/v1, then refuses even the right token from that
// client until the window ends; other clients are unaffected.
func TestOperatorAuthFailuresLimited(t *testing.T) {
	const op = "op-secret-0123456789abcdef"
	e := newEnv(t, "").withAPI(httpapi.Config{OperatorToken: op, AuthFailureLimit: 3})
	guesser := "198.51.100.9:4000"
	opReq := func(token, peer string) *httptest.ResponseRecorder {
		return e.do(req{Method: "GET", Path: "/okapi/v1/orgs", Header: map[string]string{"Authorization": "SSWS " + token},
			NoAuth: true, Peer: peer})
	}
	for range 3 {
		wantError(t, opReq(wrongToken, guesser), 401, "E0000011")
	}
	wantError(t, opReq(op, guesser), 429, "E0000047")
	wantStatus(t, opReq(op, "198.51.100.10:4000"), 200)
	e.clock.Advance(time.Minute)
	wantStatus(t, opReq(op, guesser), 200)
}
