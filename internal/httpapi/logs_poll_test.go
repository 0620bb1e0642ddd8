package httpapi_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/store"
)

// TestPollerSeesEveryEventOnce: 4 writers create and revoke tokens concurrently for a few
// seconds while a poller follows next links with small pages. The poller must receive every
// event exactly once and in commit order, even though transactions commit out of their
// published order.
func TestPollerSeesEveryEventOnce(t *testing.T) {
	e := newLogEnv(t, nil)
	ctx := e.callerCtx()
	before, err := e.db.LatestLogSeq(context.Background(), e.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var written atomic.Int64
	var wg sync.WaitGroup
	stop := time.Now().Add(3 * time.Second)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				tok, _, err := e.svc.CreateToken(ctx, "poll", "")
				if err != nil {
					t.Error(err)
					return
				}
				written.Add(1)
				if err := e.svc.RevokeToken(ctx, tok.ID); err != nil {
					t.Error(err)
					return
				}
				written.Add(1)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	// Start after the org's setup events so only the writers' events are counted.
	next := e.srv.URL + "/api/v1/logs?limit=7&after=" + cursorAt(before)
	var got []string
	seen := map[string]bool{}
	finished := false
	for emptyAfterDone := 0; emptyAfterDone < 2; {
		select {
		case <-done:
			finished = true
		default:
		}
		events, res := e.logs(next)
		for _, ev := range events {
			if seen[ev.UUID] {
				t.Fatalf("event %s received twice", ev.UUID)
			}
			seen[ev.UUID] = true
			got = append(got, ev.UUID)
		}
		l := links(res)
		if l["self"] == "" || l["next"] == "" {
			t.Fatalf("polling page links = %v, want self and next", l)
		}
		next = l["next"]
		if finished && len(events) == 0 {
			emptyAfterDone++
		}
	}
	if t.Failed() {
		return
	}
	if int64(len(got)) != written.Load() || len(got) < 50 {
		t.Fatalf("poller received %d events, writers wrote %d", len(got), written.Load())
	}
	truth, err := e.db.ListEvents(context.Background(), e.org.ID, store.LogQuery{AfterSeq: before, Limit: len(got) + 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != len(got) {
		t.Fatalf("store has %d events, poller received %d", len(truth), len(got))
	}
	outOfOrder := 0
	for i, ev := range truth {
		if ev.UUID != got[i] {
			t.Fatalf("event %d: poller got %s, commit order has %s", i, got[i], ev.UUID)
		}
		if i > 0 && ev.Published.Before(truth[i-1].Published.Time) {
			outOfOrder++
		}
	}
	t.Logf("%d events, %d committed out of published order", len(got), outOfOrder)
}

// cursorAt is the polling cursor positioned after seq.
func cursorAt(seq int64) string { return "0_" + strconv.FormatInt(seq, 10) }
