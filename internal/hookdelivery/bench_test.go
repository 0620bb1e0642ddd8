package hookdelivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/eventhook"
	"github.com/okapi-dev/okapi/internal/hookdelivery"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// BenchmarkWriteWithEventHook reports what one active, verified event hook delivering every
// write to a local receiver adds to a write (a group create on SQLite), in per cent of the same
// write in an org without hooks, both measured in this run, rounds alternating, each side's best
// round kept. The target is under 5 %: delivery reads the System Log after the commit,
// so the write itself does no extra work. It also reports the events a second the receiver got
// while the writes ran, and the backlog (written, not yet delivered) 500 ms after they stopped.
func BenchmarkWriteWithEventHook(b *testing.B) {
	ctx := context.Background()
	open := func(hooked bool) (*service.Service, context.Context, *atomic.Int64) {
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "okapi.db"), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		svc := service.New(db, nil, nil, slog.New(slog.DiscardHandler))
		org, token, err := svc.EnsureOrg(ctx, service.OrgSetup{Name: domain.DefaultOrgName, TokenName: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		p, err := svc.Authenticate(ctx, token)
		if err != nil {
			b.Fatal(err)
		}
		cctx := domain.WithCaller(ctx, &domain.Caller{OrgID: org.ID, TokenID: p.Token.ID, UserID: p.Owner.ID, Login: p.Owner.Login()})
		var got atomic.Int64
		if !hooked {
			return svc, cctx, &got
		}
		rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				fmt.Fprintf(w, `{"verification":%q}`, r.Header.Get(hookdelivery.VerificationHeader))
				return
			}
			var p eventhook.Payload
			if err := json.NewDecoder(r.Body).Decode(&p); err == nil {
				got.Add(int64(len(p.Data.Events)))
			}
		}))
		b.Cleanup(rc.Close)
		sender := hookdelivery.New()
		svc.HookVerifier = sender
		h, err := svc.CreateEventHook(cctx, eventhook.EventHook{Name: "bench",
			Events:  eventhook.Events{Type: "EVENT_TYPE", Items: []string{"group.lifecycle.create"}},
			Channel: eventhook.Channel{Type: "HTTP", Version: "1.0.0", Config: eventhook.Config{URI: rc.URL}}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.VerifyEventHook(cctx, h.ID); err != nil {
			b.Fatal(err)
		}
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		w := &hookdelivery.Worker{Svc: svc, Sender: sender, Owner: "bench"}
		go func() { defer close(done); w.Run(wctx) }()
		b.Cleanup(func() { cancel(); <-done })
		return svc, cctx, &got
	}
	plain, plainCtx, _ := open(false)
	hooked, hookedCtx, delivered := open(true)
	n := 0
	write := func(svc *service.Service, ctx context.Context) {
		n++
		if _, err := svc.CreateGroup(ctx, map[string]any{"name": fmt.Sprintf("g%d", n)}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		write(hooked, hookedCtx)
	}
	const rounds, perRound = 7, 200
	best := func(svc *service.Service, ctx context.Context) float64 {
		start := time.Now()
		for range perRound {
			write(svc, ctx)
		}
		return float64(time.Since(start).Nanoseconds()) / perRound
	}
	bare, withHook := math.MaxFloat64, math.MaxFloat64
	time.Sleep(200 * time.Millisecond) // let the warm-up's events drain
	start, before, written := time.Now(), delivered.Load(), 0
	for range rounds {
		bare = min(bare, best(plain, plainCtx))
		withHook = min(withHook, best(hooked, hookedCtx))
		written += perRound
	}
	elapsed := time.Since(start)
	b.ReportMetric(100*(withHook-bare)/bare, "%-write-cost-with-hook")
	b.ReportMetric(float64(delivered.Load()-before)/elapsed.Seconds(), "events-delivered/s")
	time.Sleep(500 * time.Millisecond) // over two polling intervals
	b.ReportMetric(float64(int64(written)-(delivered.Load()-before)), "backlog-events")
}
