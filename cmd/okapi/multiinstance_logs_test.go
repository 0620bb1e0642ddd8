package main

import (
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// logPoller follows the System Log's polling links (GET /api/v1/logs without until, then each
// rel="next"), alternating between the instances, while the other clients write. Because log
// seq order is commit order on every instance, it must end up with every event exactly once,
// in commit order.
type logPoller struct {
	stop atomic.Bool
	done chan struct{}
	seen []string // uuids, in the order received
	err  error
}

func (c *cluster) startLogPoller(t *testing.T, since time.Time) *logPoller {
	p := &logPoller{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		next := c.on(0) + "/api/v1/logs?limit=7&since=" + url.QueryEscape(since.UTC().Format("2006-01-02T15:04:05.000Z"))
		for n := 1; ; n++ {
			stopping := p.stop.Load() // read before the request: the last page sees every commit
			r, err := c.admin.do(t.Context(), "GET", next, nil)
			if err == nil && r.status != 200 {
				err = fmt.Errorf("GET %s: %v", next, r)
			}
			if err != nil {
				p.err = err
				return
			}
			var events []struct{ UUID string }
			if err := r.decode(&events); err != nil {
				p.err = err
				return
			}
			for _, e := range events {
				p.seen = append(p.seen, e.UUID)
			}
			link := r.nextLink()
			if link == "" {
				p.err = fmt.Errorf("a polling page has no next link")
				return
			}
			next = c.on(n) + link[len(c.on(n-1)):]
			if stopping && len(events) == 0 {
				return
			}
			if len(events) == 0 {
				time.Sleep(5 * time.Millisecond)
			}
		}
	}()
	return p
}

// finish stops the poller once it has drained, and checks what it saw against the database.
func (p *logPoller) finish(t *testing.T, c *cluster) {
	t.Helper()
	p.stop.Store(true)
	<-p.done
	if p.err != nil {
		t.Fatalf("log poller: %v", p.err)
	}
	rows, err := c.db.ReadPool().QueryContext(t.Context(), `SELECT uuid FROM log_events WHERE org_id = $1 ORDER BY seq`, c.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var stored []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, u)
	}
	if len(p.seen) != len(stored) {
		t.Errorf("the poller saw %d events, the database holds %d", len(p.seen), len(stored))
	}
	for i := range min(len(p.seen), len(stored)) {
		if p.seen[i] != stored[i] {
			t.Errorf("poller event %d is %s, commit order has %s: an event was missed, repeated or reordered", i, p.seen[i], stored[i])
			break
		}
	}
}
