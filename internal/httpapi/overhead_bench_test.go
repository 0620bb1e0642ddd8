package httpapi

import (
	"context"
	"io"
	"log/slog"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// BenchmarkConventionOverhead reports what the token check and the access log add to the
// simplest authenticated request (GET /api/v1/api-tokens on SQLite, as okapi serve runs it:
// token cache on, JSON access log at info level, written directly), in per cent of that request without them.
// The target is under 5 % together. Like benchWithLimiter it alternates rounds of the
// two servers and keeps each one's best, so machine drift hits both alike.
func BenchmarkConventionOverhead(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "okapi.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	quiet := slog.New(slog.DiscardHandler)
	svc := service.New(db, nil, nil, quiet)
	svc.AuthCacheTTL = time.Second // as okapi serve sets it on SQLite
	_, token, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, TokenName: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	logged := New(Config{Service: svc, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), AccessLog: io.Discard, Version: "bench"})
	b.ReportAllocs()
	for b.Loop() {
		serveTokens(b, logged, token, false)
	}
	// Each part is timed on its own in a tight loop (the difference of two request timings
	// drowns a microsecond in noise), rounds alternating, each part's best round kept.
	const rounds, perRound = 9, 2000
	best := func(f func()) float64 {
		start := time.Now()
		for range perRound {
			f()
		}
		return float64(time.Since(start).Nanoseconds()) / perRound
	}
	entry := accessEntry{method: "GET", path: "/api/v1/api-tokens", status: 200, bytes: 600,
		duration: 25 * time.Microsecond, requestID: "req" + domain.CryptoIDs{}.Random(20), clientIP: "127.0.0.1"}
	request, logLine, auth := math.MaxFloat64, math.MaxFloat64, math.MaxFloat64
	for range rounds {
		request = min(request, best(func() { serveTokens(b, logged, token, false) }))
		logLine = min(logLine, best(func() { logged.logRequest(ctx, entry) }))
		auth = min(auth, best(func() {
			if _, err := svc.Authenticate(ctx, token); err != nil {
				b.Fatal(err)
			}
		}))
	}
	bare := request - logLine - auth
	b.ReportMetric(100*logLine/bare, "%-access-log")
	b.ReportMetric(100*auth/bare, "%-token-check")
	b.ReportMetric(100*(logLine+auth)/bare, "%-both")
}
