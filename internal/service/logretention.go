package service

import (
	"context"
	"time"

	"github.com/okapi-dev/okapi/internal/store"
)

// DefaultLogRetention is how long events are kept (Okta keeps the System Log 90 days).
const DefaultLogRetention = 90 * 24 * time.Hour

// purgeBatch is how many events one purge transaction deletes: small, so appends queued behind
// the writer wait milliseconds, not seconds.
const purgeBatch = 500

// PurgeLogs deletes every event published more than retention before the service clock, in
// batches of purgeBatch, each its own transaction. It returns how many it deleted.
func (s *Service) PurgeLogs(ctx context.Context, retention time.Duration) (int, error) {
	before := s.Clock.Now().Add(-retention).UnixMilli()
	total := 0
	for {
		var n int
		start := time.Now()
		err := s.Store.Update(ctx, func(tx store.Tx) error {
			var err error
			n, err = tx.PurgeEvents(ctx, before, purgeBatch)
			return err
		})
		total += n
		if err != nil || n < purgeBatch {
			return total, err
		}
		// A backlog (a restored or seeded database) takes many batches. Back to back they
		// would hold the one SQLite writer nearly all the time and API writes would queue
		// behind them for seconds; pausing as long as the batch took leaves the writer free
		// at least half the time.
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(max(10*time.Millisecond, time.Since(start))):
		}
	}
}

// RunLogRetention purges expired events now and then every `every` until ctx is done. A
// retention of 0 keeps events forever.
func (s *Service) RunLogRetention(ctx context.Context, retention, every time.Duration) {
	if retention <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.PurgeLogs(ctx, retention); err != nil && ctx.Err() == nil {
			s.Logger.Warn("log retention purge failed", "err", err)
		} else if n > 0 {
			s.Logger.Info("log retention purged events", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
