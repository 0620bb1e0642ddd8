package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/netzone"
	"github.com/okapi-dev/okapi/internal/oastest"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

const testToken = "00testtokentesttokentesttokentesttoken0001"

// env is okapi's whole handler chain over a real SQLite store in a temp dir.
type env struct {
	t     testing.TB
	db    *sqlstore.DB
	svc   *service.Service
	api   *httpapi.Server
	clock *domain.FixedClock
}

// newEnv starts okapi's handler with trustedProxies as --trusted-proxies.
func newEnv(t testing.TB, trustedProxies string) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := domain.NewFixedClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(db, clock, domain.NewSeededIDs(42), quiet)
	if _, _, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, AdminLogin: "admin@okapi.test", TokenSecret: testToken}); err != nil {
		t.Fatal(err)
	}
	proxies, err := netzone.TrustedCIDRs(trustedProxies)
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Service: svc, Logger: quiet, TrustedProxies: proxies.Contains})
	return &env{t: t, db: db, svc: svc, api: api, clock: clock}
}

// req describes one request; Peer is the TCP peer ("ip:port"), 192.0.2.10:5555 when empty.
type req struct {
	Method, Path, Body string
	Header             map[string]string
	Peer               string
	NoAuth             bool
}

func (e *env) do(q req) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if q.Body != "" {
		body = strings.NewReader(q.Body)
	}
	r := httptest.NewRequest(q.Method, q.Path, body)
	if q.Body != "" {
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Content-Length", strconv.Itoa(len(q.Body)))
	} else if q.Method == http.MethodPost || q.Method == http.MethodPut {
		r.Header.Set("Content-Length", "0")
	}
	r.Header.Set("Accept", "application/json")
	if !q.NoAuth {
		r.Header.Set("Authorization", "SSWS "+testToken)
	}
	for k, v := range q.Header {
		r.Header.Set(k, v)
	}
	r.RemoteAddr = q.Peer
	if r.RemoteAddr == "" {
		r.RemoteAddr = "192.0.2.10:5555"
	}
	w := httptest.NewRecorder()
	// Every answer is checked against the Okta OpenAPI spec (internal/oastest).
	oastest.Handler(e.t, e.api).ServeHTTP(w, r)
	return w
}

// json decodes a response body into a generic value.
func decodeBody(t testing.TB, w *httptest.ResponseRecorder) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("body %q: %v", w.Body.String(), err)
	}
	return v
}

func obj(t testing.TB, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	m, ok := decodeBody(t, w).(map[string]any)
	if !ok {
		t.Fatalf("body is not an object: %s", w.Body.String())
	}
	return m
}

// lastEvent returns the newest System Log event of a type, as stored.
func (e *env) lastEvent(eventType string) map[string]any {
	e.t.Helper()
	var data string
	err := e.db.ReadPool().QueryRow(`SELECT data FROM log_events WHERE event_type = ? ORDER BY seq DESC LIMIT 1`, eventType).Scan(&data)
	if err != nil {
		e.t.Fatalf("no %s event: %v", eventType, err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

func (e *env) countEvents(eventType string) int {
	e.t.Helper()
	var n int
	if err := e.db.ReadPool().QueryRow(`SELECT COUNT(*) FROM log_events WHERE event_type = ?`, eventType).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// errorCode returns the Okta errorCode of an error response, failing when the status differs.
func wantError(t testing.TB, w *httptest.ResponseRecorder, status int, code string) map[string]any {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body.String())
	}
	m := obj(t, w)
	if m["errorCode"] != code {
		t.Fatalf("errorCode %v, want %s: %s", m["errorCode"], code, w.Body.String())
	}
	return m
}

func wantStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body.String())
	}
}
