package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"log/slog"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// testEnv is a real okapi HTTP stack over a real SQLite store in a temp dir, with the access log
// captured. Test-only routes under /api/v1/test/ reach the pieces no production route uses yet
// (JSON decoding, internal faults, panics, the client context).
type testEnv struct {
	t     *testing.T
	srv   *httptest.Server
	api   *Server
	db    *sqlstore.DB
	svc   *service.Service
	token string
	logs  *lockedBuffer
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	logs := &lockedBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := service.New(db, nil, nil, log)
	_, secret, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, AdminLogin: "admin@example.com", TokenName: "bootstrap"})
	if err != nil {
		t.Fatal(err)
	}
	api := New(Config{Service: svc, Logger: log, AccessLog: logs, Version: "test"})
	registerTestRoutes(api)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv, api: api, db: db, svc: svc, token: secret, logs: logs}
}

// echoBody exercises every JSON type decode must check.
type echoBody struct {
	Name    string            `json:"name"`
	Count   int               `json:"count"`
	Active  bool              `json:"active"`
	Status  domain.UserStatus `json:"status,omitempty"`
	Tags    []string          `json:"tags,omitempty"`
	Profile map[string]any    `json:"profile,omitempty"`
	When    *domain.Time      `json:"when,omitempty"`
	Nested  struct {
		Flag  bool `json:"flag"`
		Items []struct {
			Label string `json:"label"`
		} `json:"items,omitempty"`
	} `json:"nested"`
}

func registerTestRoutes(s *Server) {
	echo := func(w http.ResponseWriter, r *http.Request) {
		var b echoBody
		if _, err := decode(r, &b); err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, b)
	}
	s.mux.HandleFunc("POST /api/v1/test/echo", s.authed(echo))
	s.mux.HandleFunc("PUT /api/v1/test/echo", s.authed(echo))
	s.mux.HandleFunc("GET /api/v1/test/fail", s.authed(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, errors.New("sqlite: disk I/O error in /var/secret/okapi.db"))
	}))
	s.mux.HandleFunc("GET /api/v1/test/panic", s.authed(func(w http.ResponseWriter, r *http.Request) {
		panic("boom: /var/secret/okapi.db")
	}))
	s.mux.HandleFunc("GET /api/v1/test/caller", s.authed(func(w http.ResponseWriter, r *http.Request) {
		c := callerOf(r.Context())
		writeJSON(w, http.StatusOK, map[string]any{
			"requestId": c.RequestID, "userAgent": c.UserAgent, "ip": c.IP, "ipChain": c.IPChain,
			"acceptLanguage": c.AcceptLanguage, "fingerprint": c.Fingerprint, "orgId": c.OrgID, "tokenId": c.TokenID,
		})
	}))
}

// response is what a test sees of an HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// do sends a request with the given headers; "Authorization" defaults to the env's token
// unless headers set it (to "" to send none).
func (e *testEnv) do(method, path string, headers map[string]string, body io.Reader) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+e.token)
	req.Header.Set("Accept", "application/json")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// raw writes a request by hand, for what net/http's client will not send (a POST with neither
// body nor Content-Length).
func (e *testEnv) raw(request string) response {
	e.t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(e.srv.URL, "http://"), 5*time.Second)
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// lockedBuffer is a log sink safe for concurrent handlers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the captured log lines decoded, failing on any line that is not JSON.
func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, l)
		}
		out = append(out, m)
	}
	return out
}
