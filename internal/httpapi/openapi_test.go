package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/oastest"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// specServer is the real HTTP stack over a real SQLite store, with every response validated
// against the Okta OpenAPI spec by oastest.Handler (the one line other tests can copy).
func specServer(t *testing.T) (*httptest.Server, *service.Service, string) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := service.New(db, nil, nil, slog.New(slog.DiscardHandler))
	_, secret, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, AdminLogin: "admin@example.com", TokenName: "bootstrap"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(oastest.Handler(t, New(Config{Service: svc, Logger: slog.New(slog.DiscardHandler), Version: "test"})))
	t.Cleanup(srv.Close)
	return srv, svc, secret
}

// TestAPITokenAnswersConformToSpec drives every API token route, including its errors, through
// the validating handler: a body or status the spec does not allow fails the test.
func TestAPITokenAnswersConformToSpec(t *testing.T) {
	srv, _, secret := specServer(t)
	do := func(method, path, token string, hdr ...string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "SSWS "+token)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	status, body := do("GET", "/api/v1/api-tokens", secret)
	if status != 200 {
		t.Fatalf("list tokens: %d %s", status, body)
	}
	var list []struct{ ID string }
	if err := json.Unmarshal(body, &list); err != nil || len(list) != 1 {
		t.Fatalf("list tokens: want one token, got %s (%v)", body, err)
	}
	id := list[0].ID
	steps := []struct {
		method, path, token string
		hdr                 []string
		want                int
	}{
		{"GET", "/api/v1/api-tokens/" + id, secret, nil, 200},
		{"GET", "/api/v1/api-tokens?limit=1", secret, nil, 200},
		{"GET", "/api/v1/api-tokens/00Tnope", secret, nil, 404},
		{"DELETE", "/api/v1/api-tokens/00Tnope", secret, nil, 404},
		{"GET", "/api/v1/api-tokens", "", nil, 401},
		{"GET", "/api/v1/api-tokens", "not-a-real-token-at-all", nil, 401},
		{"GET", "/api/v1/api-tokens", secret, []string{"Accept", "text/html"}, 406},
		{"PATCH", "/api/v1/api-tokens", secret, nil, 405},
		{"GET", "/api/v1/no-such-resource", secret, nil, 404},
		{"GET", "/healthz", "", nil, 200},
		{"DELETE", "/api/v1/api-tokens/current", secret, nil, 204},
		{"GET", "/api/v1/api-tokens", secret, nil, 401}, // the token just revoked itself
	}
	for _, s := range steps {
		if status, body := do(s.method, s.path, s.token, s.hdr...); status != s.want {
			t.Errorf("%s %s: %d, want %d: %s", s.method, s.path, status, s.want, strings.TrimSpace(string(body)))
		}
	}
}
