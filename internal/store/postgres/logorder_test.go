package postgres_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/postgres/pgtest"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// TestLogSeqIsCommitOrder proves that a System Log poller paging by "seq > last" never misses
// an event. Many transactions append events concurrently and sleep a random while before
// committing (some while holding the log lock, some before appending), on two pools as two
// instances would; meanwhile a reader polls seq > last. If a smaller seq could commit after a
// larger one was read, the poller would step over it and the final census would show events it
// never saw.
func TestLogSeqIsCommitOrder(t *testing.T) {
	url := pgtest.URL(t)
	instances := make([]*sqlstore.DB, 2)
	for i := range instances {
		db, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		instances[i] = db
	}
	missed := runLogRace(t, instances)
	if len(missed) > 0 {
		t.Fatalf("the poller missed %d committed events (a smaller seq committed after a larger one was read): %v", len(missed), missed)
	}
}

// runLogRace runs the scenario and returns the seqs the poller never saw.
func runLogRace(t *testing.T, instances []*sqlstore.DB) []int64 {
	ctx := t.Context()
	org := domain.Org{ID: domain.NewID(domain.CryptoIDs{}, domain.PrefixOrg), Name: "lograce", Created: domain.FromMillis(1)}
	if err := instances[0].Update(ctx, func(tx store.Tx) error { return tx.CreateOrg(ctx, org) }); err != nil {
		t.Fatal(err)
	}
	const writers, txsEach = 12, 8
	var done atomic.Bool
	var seen []int64
	pollErr := make(chan error, 1)
	go func() {
		last := int64(0)
		for {
			finished := done.Load() // read before polling, so the last poll sees every commit
			got, err := seqsAfter(ctx, instances[1], org.ID, last)
			if err != nil {
				pollErr <- err
				return
			}
			seen = append(seen, got...)
			if len(got) > 0 {
				last = got[len(got)-1]
			}
			if finished {
				pollErr <- nil
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()

	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Go(func() {
			db := instances[w%len(instances)]
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range txsEach {
				sleepFirst := rng.IntN(2) == 0
				pause := time.Duration(rng.IntN(4000)) * time.Microsecond
				n := 1 + rng.IntN(3)
				err := db.Update(ctx, func(tx store.Tx) error {
					if sleepFirst {
						time.Sleep(pause)
					}
					evs := make([]domain.LogEvent, n)
					for i := range evs {
						evs[i] = domain.NewLogEvent(&domain.Caller{}, domain.CryptoIDs{}, org.Created, "test.event", "race")
					}
					if err := tx.AppendEvents(ctx, org.ID, evs...); err != nil {
						return err
					}
					if !sleepFirst {
						time.Sleep(pause) // commit late while holding seqs
					}
					return nil
				})
				if err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	done.Store(true)
	if err := errors.Join(append(errs, <-pollErr)...); err != nil {
		t.Fatal(err)
	}

	all, err := seqsAfter(ctx, instances[0], org.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < writers*txsEach {
		t.Fatalf("%d events stored, want at least %d", len(all), writers*txsEach)
	}
	if !slices.IsSorted(seen) || len(slices.Compact(slices.Clone(seen))) != len(seen) {
		t.Fatalf("the poller saw seqs out of order or twice")
	}
	var missed []int64
	for _, s := range all {
		if _, ok := slices.BinarySearch(seen, s); !ok {
			missed = append(missed, s)
		}
	}
	return missed
}

// seqsAfter polls the way the System Log API does: events of org with seq > last, in seq order.
func seqsAfter(ctx context.Context, db *sqlstore.DB, org string, last int64) ([]int64, error) {
	events, err := db.ListEvents(ctx, org, store.LogQuery{AfterSeq: last, Limit: 10_000})
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(events))
	for i, ev := range events {
		out[i] = ev.Seq
	}
	return out, nil
}
