package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// rlStart is not on a second: the window must still end on one.
var rlStart = time.Date(2024, 5, 17, 12, 0, 30, 250_000_000, time.UTC)

// rlEnv is the real HTTP stack over a real SQLite store, with a rate limiter and a clock the
// test moves (the limiter counts on the service clock).
type rlEnv struct {
	t     *testing.T
	srv   *httptest.Server
	db    *sqlstore.DB
	svc   *service.Service
	clock *domain.FixedClock
	org   string
	token string
}

func newRLEnv(t *testing.T, cfg ratelimit.Config) *rlEnv {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := domain.NewFixedClock(rlStart)
	svc := service.New(db, clock, nil, nil)
	org, secret, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, TokenName: "bootstrap"})
	if err != nil {
		t.Fatal(err)
	}
	limiter, err := ratelimit.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	api := New(Config{Service: svc, Limiter: limiter, Version: "test"})
	stubRoutes(api)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &rlEnv{t: t, srv: srv, db: db, svc: svc, clock: clock, org: org.ID, token: secret}
}

// stubRoutes gives the tests one authenticated route in a few families. A route the table
// already has (once that resource is built) is left alone: its real handler answers, which
// still goes through authed and so through the limiter.
func stubRoutes(s *Server) {
	stub := s.authed(func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, map[string]any{}) })
	for _, p := range []string{"GET /api/v1/users", "GET /api/v1/users/{id}", "GET /api/v1/logs"} {
		method, path, _ := strings.Cut(p, " ")
		if _, pattern := s.mux.Handler(httptest.NewRequest(method, path, nil)); pattern == "" {
			s.mux.HandleFunc(p, stub)
		}
	}
}

// rlResult is what a client sees of one response.
type rlResult struct {
	status int
	header http.Header
	code   string
}

func (e *rlEnv) get(path, token string) rlResult {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "SSWS "+token)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	res := rlResult{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode >= 400 {
		var eb struct{ ErrorCode string }
		if err := json.Unmarshal(body, &eb); err != nil {
			e.t.Fatalf("GET %s: %d with a body that is not an error object: %s", path, resp.StatusCode, body)
		}
		res.code = eb.ErrorCode
	}
	return res
}

// want checks the three headers, each sent exactly once, and the status.
func (r rlResult) want(t *testing.T, what string, status, limit, remaining int, reset time.Time) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d (%s), want %d", what, r.status, r.code, status)
	}
	for name, v := range map[string]int64{
		ratelimit.HeaderLimit: int64(limit), ratelimit.HeaderRemaining: int64(remaining), ratelimit.HeaderReset: reset.Unix(),
	} {
		if got := r.header.Values(name); len(got) != 1 || got[0] != strconv.FormatInt(v, 10) {
			t.Errorf("%s: %s = %q, want exactly [%d]", what, name, got, v)
		}
	}
}

func (e *rlEnv) violations() []string {
	e.t.Helper()
	return e.events("system.org.rate_limit.violation")
}

// events returns "<severity> <bucket>" for each of the org's log events of eventType.
func (e *rlEnv) events(eventType string) []string {
	e.t.Helper()
	rows, err := e.db.ReadPool().Query(`SELECT severity, data FROM log_events WHERE org_id = ? AND event_type = ? ORDER BY seq`,
		e.org, eventType)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var severity, data string
		if err := rows.Scan(&severity, &data); err != nil {
			e.t.Fatal(err)
		}
		var ev domain.LogEvent
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, severity+" "+ev.DebugContext.DebugData["rateLimitBucket"].(string))
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func TestRateLimitHeadersAcrossWindow(t *testing.T) {
	e := newRLEnv(t, ratelimit.Config{Profile: ratelimit.ProfileTest, Window: 2 * time.Second})
	// 12:00:30.25 + 2 s, down to the second.
	reset := time.Date(2024, 5, 17, 12, 0, 32, 0, time.UTC)
	for i := range 5 {
		e.get("/api/v1/api-tokens", e.token).want(t, "request "+strconv.Itoa(i+1), 200, 5, 4-i, reset)
		e.clock.Advance(100 * time.Millisecond)
		// Okta warns at 60 % of the limit: the 3rd of 5.
		if got, want := len(e.events("system.org.rate_limit.warning")), min(max(i-1, 0), 1); got != want {
			t.Errorf("after request %d: %d warning events, want %d", i+1, got, want)
		}
	}
	for i := range 2 {
		r := e.get("/api/v1/api-tokens", e.token)
		r.want(t, "over the limit", 429, 5, 0, reset)
		if r.code != domain.CodeRateLimited {
			t.Errorf("429 errorCode %q, want E0000047", r.code)
		}
		// The SDKs wait Reset - Date + 1 = 32 - 30 + 1 = 3 s: past the window, not much more.
		if got := r.header.Values("Date"); len(got) != 1 || got[0] != "Fri, 17 May 2024 12:00:30 GMT" {
			t.Errorf("429 %d: Date %q", i+1, got)
		}
	}
	if got := e.violations(); len(got) != 1 || got[0] != "WARN other" {
		t.Fatalf("after two refusals: violation events %q, want one WARN for bucket other", got)
	}

	e.clock.Set(reset.Add(-time.Millisecond))
	e.get("/api/v1/api-tokens", e.token).want(t, "1 ms before Reset", 429, 5, 0, reset)

	e.clock.Set(reset)
	next := reset.Add(2 * time.Second)
	e.get("/api/v1/api-tokens", e.token).want(t, "at Reset", 200, 5, 4, next)
	for range 4 {
		e.get("/api/v1/api-tokens", e.token)
	}
	e.get("/api/v1/api-tokens", e.token).want(t, "second window over", 429, 5, 0, next)
	if got := e.violations(); len(got) != 2 {
		t.Fatalf("violation events %q, want one per window", got)
	}
	if got := e.events("system.org.rate_limit.warning"); len(got) != 2 || got[1] != "WARN other" {
		t.Fatalf("warning events %q, want one WARN per window for bucket other", got)
	}
}

// TestRateLimitPublishedDefaults: with the default profile each family reports Okta's
// Enterprise number.
func TestRateLimitPublishedDefaults(t *testing.T) {
	e := newRLEnv(t, ratelimit.Config{})
	reset := rlStart.Add(time.Minute).Truncate(time.Second)
	for _, c := range []struct {
		path  string
		limit int
	}{
		{"/api/v1/api-tokens", 600},
		{"/api/v1/users", 600},
		{"/api/v1/users/me", 1000},
		{"/api/v1/logs", 50},
	} {
		e.get(c.path, e.token).want(t, c.path, 200, c.limit, c.limit-1, reset)
	}
}

func TestRateLimitFamiliesAndOrgsIndependent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "limits.json")
	if err := os.WriteFile(path, []byte(`{"families": {"logs": 3, "users": 7}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newRLEnv(t, ratelimit.Config{Profile: ratelimit.ProfileTest, Window: 2 * time.Second, OverridesFile: path})
	_, acme, err := e.svc.CreateOrg(context.Background(), service.OrgSetup{Name: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	reset := rlStart.Add(2 * time.Second).Truncate(time.Second)
	for range 3 {
		e.get("/api/v1/logs", e.token)
	}
	e.get("/api/v1/logs", e.token).want(t, "default org logs, 4th", 429, 3, 0, reset)

	e.clock.Advance(time.Second) // later windows open later, but still end on a second
	later := reset.Add(time.Second)
	e.get("/api/v1/users", e.token).want(t, "default org users", 200, 7, 6, later)
	e.get("/api/v1/users/me", e.token).want(t, "default org users/me", 200, 5, 4, later)
	e.get("/api/v1/api-tokens", e.token).want(t, "default org other", 200, 5, 4, later)
	e.get("/api/v1/logs", acme).want(t, "acme logs", 200, 3, 2, later)

	if got := e.violations(); len(got) != 1 || got[0] != "WARN logs" {
		t.Fatalf("violation events %q, want one for bucket logs", got)
	}
}

// TestRateLimitUnauthenticated: requests that name no org count against one bucket per client
// IP with the "other" limit, so a token guesser is throttled while the org's bucket is untouched.
func TestRateLimitUnauthenticated(t *testing.T) {
	e := newRLEnv(t, ratelimit.Config{Profile: ratelimit.ProfileTest, Window: 2 * time.Second})
	reset := rlStart.Add(2 * time.Second).Truncate(time.Second)
	steps := []struct {
		what, path, token string
		status            int
		code              string
	}{
		{"no token", "/api/v1/api-tokens", "", 401, domain.CodeInvalidToken},
		{"wrong token", "/api/v1/api-tokens", "00wrongwrongwrongwrongwrongwrongwrongwrong", 401, domain.CodeInvalidToken},
		{"unknown path", "/api/v1/nothing-here", e.token, 404, domain.CodePathNotFound},
		{"no token, users", "/api/v1/users", "", 401, domain.CodeInvalidToken},
		{"wrong token again", "/api/v1/api-tokens", "00wrongwrongwrongwrongwrongwrongwrongwrong", 401, domain.CodeInvalidToken},
		{"sixth failure", "/api/v1/api-tokens", "00wrongwrongwrongwrongwrongwrongwrongwrong", 429, domain.CodeRateLimited},
		{"unknown path over the limit", "/api/v1/nothing-here", "", 429, domain.CodeRateLimited},
	}
	for i, s := range steps {
		r := e.get(s.path, s.token)
		r.want(t, s.what, s.status, 5, max(4-i, 0), reset)
		if r.code != s.code {
			t.Errorf("%s: errorCode %q, want %q", s.what, r.code, s.code)
		}
	}
	// The org's own bucket is untouched, and nothing was logged to the org.
	e.get("/api/v1/api-tokens", e.token).want(t, "valid token", 200, 5, 4, reset)
	if got := append(e.violations(), e.events("system.org.rate_limit.warning")...); len(got) != 0 {
		t.Errorf("events %q for unauthenticated traffic", got)
	}
	// The health probes count in their own per-IP family, whose limit the test profile keeps at
	// 1200: a harness polling /readyz is not refused after five polls.
	for range 7 {
		resp, err := http.Get(e.srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get(ratelimit.HeaderLimit) != "1200" {
			t.Fatalf("/healthz: %d, %s %q", resp.StatusCode, ratelimit.HeaderLimit, resp.Header.Get(ratelimit.HeaderLimit))
		}
	}
}

// TestRateLimitHealthProbes (issue 24.1): /healthz and /readyz are a rate-limit family of their
// own, counted per client IP, so a client polling them in a loop is refused without touching any
// org's buckets.
func TestRateLimitHealthProbes(t *testing.T) {
	overrides := filepath.Join(t.TempDir(), "limits.json")
	if err := os.WriteFile(overrides, []byte(`{"families": {"health": 3}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newRLEnv(t, ratelimit.Config{Profile: ratelimit.ProfileTest, Window: 2 * time.Second, OverridesFile: overrides})
	reset := rlStart.Add(2 * time.Second).Truncate(time.Second)
	for i, path := range []string{"/healthz", "/readyz", "/healthz", "/readyz", "/healthz"} {
		status := 200
		if i >= 3 {
			status = 429
		}
		e.get(path, "").want(t, path, status, 3, max(2-i, 0), reset)
	}
	e.get("/api/v1/api-tokens", e.token).want(t, "the org's bucket", 200, 5, 4, reset)
	if got := e.violations(); len(got) != 0 {
		t.Errorf("violations %q logged to an org for probes", got)
	}
}

// TestRateLimitOffNeverRefuses: the off profile reports the (here overridden) numbers but
// serves every request.
func TestRateLimitOffNeverRefuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "limits.json")
	if err := os.WriteFile(path, []byte(`{"families": {"other": 3}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newRLEnv(t, ratelimit.Config{Profile: ratelimit.ProfileOff, OverridesFile: path})
	reset := rlStart.Add(time.Minute).Truncate(time.Second)
	for i := range 6 {
		e.get("/api/v1/api-tokens", e.token).want(t, "request "+strconv.Itoa(i+1), 200, 3, max(2-i, 0), reset)
	}
	e.get("/api/v1/logs", e.token).want(t, "logs", 200, 50, 49, reset)
	if got := append(e.violations(), e.events("system.org.rate_limit.warning")...); len(got) != 0 {
		t.Errorf("off logged %q", got)
	}
}

// TestRateLimitFailsOpen: with the counter unreachable requests are served, without headers.
func TestRateLimitFailsOpen(t *testing.T) {
	e := newRLEnv(t, ratelimit.Config{Profile: ratelimit.ProfileTest,
		RedisURL: "redis://127.0.0.1:1/0?max_retries=-1&dial_timeout=200ms"})
	for range 2 {
		r := e.get("/api/v1/api-tokens", e.token)
		if r.status != 200 || r.header.Get(ratelimit.HeaderLimit) != "" {
			t.Fatalf("Redis down: %d, headers %v", r.status, r.header)
		}
	}
}
