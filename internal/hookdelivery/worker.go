package hookdelivery

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/okapi-dev/okapi/internal/eventhook"
	"github.com/okapi-dev/okapi/internal/service"
)

// Worker delivers the events of every deliverable hook, on every instance that runs one: the
// leases in the store make one instance at a time serve each hook, and the cursors and batches
// in flight live in the store too, so an instance that dies is taken over by another (or by
// itself after a restart) once its leases expire.
type Worker struct {
	Svc    *service.Service
	Sender *Sender
	// Owner names this instance in the leases; unique per process.
	Owner string
	// Interval is how often the worker looks for new events (default 200 ms).
	Interval time.Duration
	// Lease is how long a claimed hook stays this instance's without renewal (default 10 s):
	// longer than one batch takes with its retry.
	Lease  time.Duration
	Logger *slog.Logger
}

// Run delivers until ctx ends, then returns once the requests in flight are done.
func (w *Worker) Run(ctx context.Context) {
	interval, lease := w.Interval, w.Lease
	if interval <= 0 {
		interval = 200 * time.Millisecond
	}
	if lease <= 0 {
		lease = 10 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		// A round that sent something goes on at once: a busy hook is limited by its
		// receiver's round trip, not by the polling interval.
		if w.round(ctx, lease) > 0 && ctx.Err() == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// round sends one batch per hook that has one, the hooks in parallel, and returns how many it sent.
func (w *Worker) round(ctx context.Context, lease time.Duration) int {
	batches, err := w.Svc.NextHookBatches(ctx, w.Owner, lease)
	if err != nil && ctx.Err() == nil {
		w.logger().Warn("event hooks: reading what to deliver failed", "err", err)
	}
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The request is not cut short by shutdown: a batch that is sent is finished, so a
			// restart does not send it twice.
			sendCtx := context.WithoutCancel(ctx)
			failure := w.Sender.Deliver(sendCtx, b.Hook, eventhook.NewPayload(b.Hook, b.EventID, b.EventTime, b.Events))
			if err := w.Svc.FinishHookBatch(sendCtx, b, failure); err != nil {
				w.logger().Warn("event hooks: recording a delivery failed", "hook", b.Hook.ID, "err", err)
			}
		}()
	}
	wg.Wait()
	return len(batches)
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger == nil {
		return slog.Default()
	}
	return w.Logger
}
