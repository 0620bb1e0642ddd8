package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
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

// TestAccessLogLineIsSlogs: the hand-appended access line says what the logger's JSON handler
// would (same keys, same values, same types), for awkward paths too; and it follows the
// logger's level.
func TestAccessLogLineIsSlogs(t *testing.T) {
	e := accessEntry{method: "GET", path: "/api/v1/users/\"quoted\"/<tag>&/Zoë/\x01/\u2028", status: 404,
		bytes: 1234, duration: 1234567 * time.Nanosecond, requestID: "reqABC", clientIP: "2001:db8::1"}
	var viaSlog, direct bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&viaSlog, nil))
	New(Config{Logger: logger}).logRequest(context.Background(), e)
	New(Config{Logger: logger, AccessLog: &direct}).logRequest(context.Background(), e)
	var a, b map[string]any
	if err := json.Unmarshal(viaSlog.Bytes(), &a); err != nil {
		t.Fatalf("slog line %q: %v", viaSlog.String(), err)
	}
	if err := json.Unmarshal(direct.Bytes(), &b); err != nil {
		t.Fatalf("direct line %q: %v", direct.String(), err)
	}
	if _, err := time.Parse(time.RFC3339Nano, b["time"].(string)); err != nil {
		t.Errorf("time %v: %v", b["time"], err)
	}
	delete(a, "time")
	delete(b, "time")
	if !reflect.DeepEqual(a, b) {
		t.Errorf("direct line %v\nslog line   %v", b, a)
	}
	if !strings.HasSuffix(direct.String(), "}\n") || strings.Count(direct.String(), "\n") != 1 {
		t.Errorf("not one line: %q", direct.String())
	}
	direct.Reset()
	quiet := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	New(Config{Logger: quiet, AccessLog: &direct}).logRequest(context.Background(), e)
	if direct.Len() != 0 {
		t.Errorf("logged at level warn: %q", direct.String())
	}
}
