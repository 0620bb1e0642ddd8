package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// benchCall sends one request through s and returns the body, failing unless the status is want.
func benchCall(b *testing.B, s *Server, token, method, path, body string, want int) []byte {
	b.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "SSWS "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Length", fmt.Sprint(len(body)))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: status %d, want %d: %s", method, path, rec.Code, want, rec.Body)
	}
	return rec.Body.Bytes()
}

func benchID(b *testing.B, data []byte) string {
	var v struct{ ID string }
	if err := json.Unmarshal(data, &v); err != nil || v.ID == "" {
		b.Fatalf("no id in %s", data)
	}
	return v.ID
}

// BenchmarkPermissionCheck reports what role enforcement costs on GET /api/v1/users/{id}: the
// request made with a USER_ADMIN token targeted to 100 groups (the target user in the last of
// them), in per cent of the same request with a SUPER_ADMIN token, whose check is one read.
// Issue 21's target is under 3 %. Rounds alternate the two tokens and keep each one's best, so
// machine drift hits both alike; the timed loop itself is the targeted admin's request.
func BenchmarkPermissionCheck(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := service.New(db, nil, nil, slog.New(slog.DiscardHandler))
	svc.AuthCacheTTL = time.Second // as okapi serve sets it on SQLite
	_, super, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, TokenName: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	s := New(Config{Service: svc, Logger: slog.New(slog.DiscardHandler)})
	user := func(login string) string {
		return benchID(b, benchCall(b, s, super, "POST", "/api/v1/users?activate=true",
			`{"profile":{"firstName":"B","lastName":"Ench","email":"`+login+`","login":"`+login+`"},"credentials":{"password":{"value":"Bench-Pass-1"}}}`, 200))
	}
	target, admin := user("target@example.com"), user("groupadmin@example.com")
	role := benchID(b, benchCall(b, s, super, "POST", "/api/v1/users/"+admin+"/roles", `{"type":"USER_ADMIN"}`, 201))
	var last string
	for i := range 100 {
		last = benchID(b, benchCall(b, s, super, "POST", "/api/v1/groups", fmt.Sprintf(`{"profile":{"name":"g%03d"}}`, i), 200))
		benchCall(b, s, super, "PUT", "/api/v1/users/"+admin+"/roles/"+role+"/targets/groups/"+last, "", 204)
	}
	benchCall(b, s, super, "PUT", "/api/v1/groups/"+last+"/users/"+target, "", 204)
	_, limited, err := svc.CreateTokenFor(ctx, domain.DefaultOrgName, "groupadmin@example.com", "bench")
	if err != nil {
		b.Fatal(err)
	}
	path := "/api/v1/users/" + target
	b.ReportAllocs()
	for b.Loop() {
		benchCall(b, s, limited, "GET", path, "", http.StatusOK)
	}
	const rounds, perRound = 7, 500
	best := func(token string) float64 {
		start := time.Now()
		for range perRound {
			benchCall(b, s, token, "GET", path, "", http.StatusOK)
		}
		return float64(time.Since(start).Nanoseconds()) / perRound
	}
	superBest, limitedBest := math.MaxFloat64, math.MaxFloat64
	for range rounds {
		superBest = min(superBest, best(super))
		limitedBest = min(limitedBest, best(limited))
	}
	b.ReportMetric(100*(limitedBest-superBest)/superBest, "%-targeted-vs-super")
	b.ReportMetric(superBest/1000, "µs-super")
}
