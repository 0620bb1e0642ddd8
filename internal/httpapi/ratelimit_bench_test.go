package httpapi

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/testgate"
)

// benchServer is the real handler over a real SQLite store, with the given limiter (nil: none).
func benchServer(b *testing.B, limiter ratelimit.Limiter) (*Server, string) {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	log := slog.New(slog.DiscardHandler)
	svc := service.New(db, nil, nil, log)
	_, token, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, TokenName: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return New(Config{Service: svc, Logger: log, Limiter: limiter, Version: "bench"}), token
}

// benchLimiter never refuses within a benchmark: the enterprise policy with every limit raised,
// so each request pays for a full Take and the headers, never for a 429.
func benchLimiter(b *testing.B, c ratelimit.Counter) ratelimit.Limiter {
	p, err := ratelimit.ProfilePolicy(ratelimit.ProfileEnterprise, time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	for f := range p.Limits {
		p.Limits[f] = 1 << 40
	}
	return ratelimit.NewLimiter(p, c)
}

// serveTokens serves one GET /api/v1/api-tokens on an in-memory recorder.
func serveTokens(b *testing.B, s *Server, token string, wantHeaders bool) {
	req := httptest.NewRequest(http.MethodGet, "/api/v1/api-tokens", nil)
	req.Header.Set("Authorization", "SSWS "+token)
	req.Header.Set("Accept", "application/json")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || (rec.Header().Get(ratelimit.HeaderLimit) != "") != wantHeaders {
		b.Fatalf("status %d, %s %q", rec.Code, ratelimit.HeaderLimit, rec.Header().Get(ratelimit.HeaderLimit))
	}
}

// benchWithLimiter times requests through s (which has a limiter), then reports its cost over a
// server without one. The ratio comes from rounds that alternate the two servers after the
// timed loop, taking each one's best round, so that drift of the machine hits both alike.
func benchWithLimiter(b *testing.B, s *Server, token string) {
	base, baseToken := benchServer(b, nil)
	b.ReportAllocs()
	for b.Loop() {
		serveTokens(b, s, token, true)
	}
	const rounds, perRound = 5, 300
	best := func(srv *Server, tok string, headers bool) float64 {
		start := time.Now()
		for range perRound {
			serveTokens(b, srv, tok, headers)
		}
		return float64(time.Since(start).Nanoseconds()) / perRound
	}
	withNs, withoutNs := math.MaxFloat64, math.MaxFloat64
	for range rounds {
		withoutNs = min(withoutNs, best(base, baseToken, false))
		withNs = min(withNs, best(s, token, true))
	}
	b.ReportMetric(withNs-withoutNs, "ns-limiter/op")
	b.ReportMetric(withNs/withoutNs, "x-without")
}

func BenchmarkRequestWithoutLimiter(b *testing.B) {
	s, token := benchServer(b, nil)
	b.ReportAllocs()
	for b.Loop() {
		serveTokens(b, s, token, false)
	}
}

func BenchmarkRequestWithLimiter(b *testing.B) {
	s, token := benchServer(b, benchLimiter(b, ratelimit.NewMemory()))
	benchWithLimiter(b, s, token)
}

func BenchmarkRequestWithRedisLimiter(b *testing.B) {
	url := testgate.RedisURL(b)
	r, err := ratelimit.NewRedis(url, ratelimit.WithKeyPrefix("okapi:bench:"+domain.CryptoIDs{}.Random(10)+":"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() }) // keys expire with their one-minute window
	s, token := benchServer(b, benchLimiter(b, r))
	benchWithLimiter(b, s, token)
}
