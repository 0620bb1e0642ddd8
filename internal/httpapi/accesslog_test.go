package httpapi

import (
	"strings"
	"testing"
)

// TestAccessLog: one JSON line per request with method, path, status, duration, request id and
// client IP, and never the Authorization header or any token.
func TestAccessLog(t *testing.T) {
	e := newTestEnv(t)
	wrong := "00WrongTokenThatMustNotBeLogged000000000000"
	reqs := []struct {
		method, path string
		headers      map[string]string
		status       int
	}{
		{"GET", "/api/v1/api-tokens?limit=1", nil, 200},
		{"GET", "/api/v1/api-tokens", map[string]string{"Authorization": "SSWS " + wrong}, 401},
		{"GET", "/api/v1/nowhere", nil, 404},
		{"GET", "/api/v1/test/fail", nil, 500},
		{"GET", "/api/v1/test/panic", nil, 500},
		{"GET", "/healthz", map[string]string{"Authorization": ""}, 200},
	}
	ids := map[string]struct {
		method, path string
		status       int
	}{}
	for _, q := range reqs {
		r := e.do(q.method, q.path, q.headers, nil)
		if r.status != q.status {
			t.Fatalf("%s %s = %d", q.method, q.path, r.status)
		}
		path, _, _ := strings.Cut(q.path, "?")
		ids[r.header.Get("X-Okta-Request-Id")] = struct {
			method, path string
			status       int
		}{q.method, path, q.status}
	}

	all := e.logs.String()
	for _, secret := range []string{e.token, wrong, "SSWS"} {
		if strings.Contains(all, secret) {
			t.Errorf("the log holds %q:\n%s", secret, all)
		}
	}

	access := 0
	for _, l := range e.logs.lines(t) {
		if l["msg"] != "request" {
			continue
		}
		access++
		id, _ := l["request_id"].(string)
		want, ok := ids[id]
		if !ok {
			t.Errorf("access line with unknown request id: %v", l)
			continue
		}
		delete(ids, id)
		if l["method"] != want.method || l["path"] != want.path || l["status"] != float64(want.status) {
			t.Errorf("access line %v, want %v", l, want)
		}
		if d, ok := l["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("duration_ms = %v", l["duration_ms"])
		}
		if l["client_ip"] != "127.0.0.1" {
			t.Errorf("client_ip = %v", l["client_ip"])
		}
		if _, ok := l["time"]; !ok {
			t.Errorf("no time: %v", l)
		}
	}
	if access != len(reqs) || len(ids) != 0 {
		t.Errorf("%d access lines for %d requests; not logged: %v", access, len(reqs), ids)
	}
}

// TestPanicLoggedNotReturned: a panic is logged with its stack and request id; the client sees
// only the Okta 500.
func TestPanicLoggedNotReturned(t *testing.T) {
	e := newTestEnv(t)
	r := e.do("GET", "/api/v1/test/panic", nil, nil)
	if r.status != 500 {
		t.Fatalf("status = %d", r.status)
	}
	id := r.header.Get("X-Okta-Request-Id")
	found := false
	for _, l := range e.logs.lines(t) {
		if l["msg"] == "panic" && l["request_id"] == id {
			found = true
			if s, _ := l["stack"].(string); !strings.Contains(s, "goroutine") {
				t.Errorf("panic logged without a stack: %v", l)
			}
		}
	}
	if !found {
		t.Errorf("panic not logged with request id %s", id)
	}
	// The server keeps serving.
	if r := e.do("GET", "/api/v1/api-tokens", nil, nil); r.status != 200 {
		t.Errorf("after a panic: %d", r.status)
	}
}
