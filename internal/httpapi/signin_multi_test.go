package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/postgres/pgtest"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// TestSigninAcrossInstances runs two okapi instances on one database: a sessionToken issued by
// one is redeemed on the other, a session made on one is read, refreshed and closed on the
// other, and a sessionToken raced for by both makes exactly one session.
func TestSigninAcrossInstances(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "okapi.db")
		signinAcross(t, func() (*sqlstore.DB, error) { return sqlite.Open(context.Background(), path, sqlite.Options{}) })
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.URL(t)
		signinAcross(t, func() (*sqlstore.DB, error) { return postgres.Open(context.Background(), url) })
	})
}

func signinAcross(t *testing.T, open func() (*sqlstore.DB, error)) {
	ctx := context.Background()
	clock := domain.NewFixedClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	var apis [2]http.Handler
	var svcs [2]*service.Service
	for i := range apis {
		db, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		svcs[i] = service.New(db, clock, nil, slog.New(slog.DiscardHandler))
		apis[i] = httpapi.New(httpapi.Config{Service: svcs[i], Logger: slog.New(slog.DiscardHandler)})
	}
	if _, _, err := svcs[0].EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, AdminLogin: "admin@okapi.test", TokenSecret: testToken}); err != nil {
		t.Fatal(err)
	}
	do := func(i int, method, path, body string) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		r.Header.Set("Accept", "application/json")
		r.Header.Set("Authorization", "SSWS "+testToken)
		w := httptest.NewRecorder()
		apis[i].ServeHTTP(w, r)
		return w
	}
	wantStatus(t, do(0, "POST", "/api/v1/users?activate=true", `{"profile":{"firstName":"A","lastName":"B","email":"ada@example.com","login":"ada@example.com"},"credentials":{"password":{"value":"Passw0rd!Long"}}}`), 200)
	authn := func(i int) string {
		w := do(i, "POST", "/api/v1/authn", `{"username":"ada@example.com","password":"Passw0rd!Long"}`)
		wantStatus(t, w, 200)
		return obj(t, w)["sessionToken"].(string)
	}
	w := do(1, "POST", "/api/v1/sessions", `{"sessionToken":"`+authn(0)+`"}`)
	wantStatus(t, w, 200)
	sid := obj(t, w)["id"].(string)
	wantStatus(t, do(0, "GET", "/api/v1/sessions/"+sid, ""), 200)
	wantStatus(t, do(1, "POST", "/api/v1/sessions/"+sid+"/lifecycle/refresh", ""), 200)
	wantStatus(t, do(0, "DELETE", "/api/v1/sessions/"+sid, ""), 204)
	wantError(t, do(1, "GET", "/api/v1/sessions/"+sid, ""), 404, "E0000007")

	// Both instances race for one sessionToken, many times: one session each time.
	for round := 0; round < 5; round++ {
		st := authn(round % 2)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = do(i, "POST", "/api/v1/sessions", `{"sessionToken":"`+st+`"}`).Code
			}()
		}
		wg.Wait()
		ok := 0
		for _, c := range codes {
			if c == 200 {
				ok++
			} else if c != 401 {
				t.Fatalf("round %d: status %d", round, c)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d sessions from one sessionToken (%v)", round, ok, codes)
		}
	}
}
