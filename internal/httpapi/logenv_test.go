package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/oastest"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

const testSecret = "00test-secret-for-the-system-log-tests"

// logEnv is okapi over a real SQLite store in a temp dir, served by httptest.
type logEnv struct {
	t     *testing.T
	srv   *httptest.Server
	svc   *service.Service
	db    *sqlstore.DB
	org   domain.Org
	clock domain.Clock
}

// newLogEnv starts okapi with clock (nil = the wall clock) and the default org.
func newLogEnv(t *testing.T, clock domain.Clock) *logEnv {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if clock == nil {
		clock = domain.SystemClock{}
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(db, clock, domain.NewSeededIDs(uint64(time.Now().UnixNano())), logger)
	org, _, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, TokenSecret: testSecret, TokenName: "bootstrap"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(oastest.Handler(t, httpapi.New(httpapi.Config{Service: svc, Logger: logger})))
	t.Cleanup(srv.Close)
	return &logEnv{t: t, srv: srv, svc: svc, db: db, org: org, clock: clock}
}

// callerCtx is a context acting as the default org's admin.
func (e *logEnv) callerCtx() context.Context {
	e.t.Helper()
	tok, _, err := e.db.GetTokenByHash(context.Background(), domain.HashToken(testSecret))
	if err != nil {
		e.t.Fatal(err)
	}
	owner, err := e.db.GetUser(context.Background(), e.org.ID, tok.UserID)
	if err != nil {
		e.t.Fatal(err)
	}
	return domain.WithCaller(context.Background(), &domain.Caller{OrgID: e.org.ID, UserID: owner.ID, TokenID: tok.ID,
		Login: owner.Login(), DisplayName: owner.DisplayName()})
}

// get sends an authenticated GET and returns the response and its body.
func (e *logEnv) get(path string) (*http.Response, []byte) {
	return e.do("GET", path, testSecret)
}

func (e *logEnv) do(method, path, secret string) (*http.Response, []byte) {
	e.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = e.srv.URL + path
	}
	req, err := http.NewRequest(method, path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+secret)
	req.Header.Set("Accept", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res, body
}

// logs GETs a System Log page and decodes it.
func (e *logEnv) logs(path string) ([]domain.LogEvent, *http.Response) {
	e.t.Helper()
	res, body := e.get(path)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	var events []domain.LogEvent
	if err := json.Unmarshal(body, &events); err != nil {
		e.t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	return events, res
}

// links returns the Link header URLs by rel.
func links(res *http.Response) map[string]string {
	out := map[string]string{}
	for _, v := range res.Header.Values("Link") {
		u, rel, ok := strings.Cut(v, ">; rel=")
		if ok {
			out[strings.Trim(rel, `"`)] = strings.TrimPrefix(u, "<")
		}
	}
	return out
}

// param reads one query parameter of a link URL.
func param(t *testing.T, link, name string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get(name)
}
