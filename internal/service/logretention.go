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

// PurgeLogs deletes every event published more than retention before its org's clock, in
// batches of purgeBatch, each its own transaction. It returns how many it deleted. While no org
// has a clock of its own (the usual case) one purge covers every org.
func (s *Service) PurgeLogs(ctx context.Context, retention time.Duration) (int, error) {
	if m := s.clocks.m.Load(); m == nil || len(*m) == 0 {
		before := s.Clock.Now().Add(-retention).UnixMilli()
		return s.purgeBatches(ctx, func(tx store.Tx) (int, error) { return tx.PurgeEvents(ctx, before, purgeBatch) })
	}
	orgs, err := s.Store.ListOrgs(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, o := range orgs {
		before := s.nowIn(o.ID).Add(-retention).UnixMilli()
		n, err := s.purgeBatches(ctx, func(tx store.Tx) (int, error) { return tx.PurgeOrgEvents(ctx, o.ID, before, purgeBatch) })
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (s *Service) purgeBatches(ctx context.Context, purge func(store.Tx) (int, error)) (int, error) {
	total := 0
	for {
		var n int
		start := time.Now()
		err := s.Store.Update(ctx, func(tx store.Tx) error {
			var err error
			n, err = purge(tx)
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
