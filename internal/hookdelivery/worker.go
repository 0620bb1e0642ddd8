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

	mu     sync.Mutex
	busy   map[[2]string]bool // org and hook ids of the batches being sent
	sends  sync.WaitGroup
	wakeup chan struct{}
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
	w.busy, w.wakeup = map[[2]string]bool{}, make(chan struct{}, 1)
	defer w.sends.Wait()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		w.round(ctx, lease)
		// A hook whose batch is done is looked at again at once (wakeup): a busy hook is
		// limited by its receiver's round trip, not by the polling interval.
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wakeup:
		}
	}
}

// round starts sending one batch per hook that has one and is not already sending, each hook
// on its own: a slow receiver (up to two timeouts with the retry) holds up only its own hook's
// later events, never another hook's.
func (w *Worker) round(ctx context.Context, lease time.Duration) {
	batches, err := w.Svc.NextHookBatches(ctx, w.Owner, lease, w.isBusy)
	if err != nil && ctx.Err() == nil {
		w.logger().Warn("event hooks: reading what to deliver failed", "err", err)
	}
	for _, b := range batches {
		key := [2]string{b.OrgID, b.Hook.ID}
		w.setBusy(key, true)
		w.sends.Add(1)
		go func() {
			defer w.sends.Done()
			defer w.done(key)
			// The request is not cut short by shutdown: a batch that is sent is finished, so a
			// restart does not send it twice.
			sendCtx := context.WithoutCancel(ctx)
			failure := w.Sender.Deliver(sendCtx, b.Hook, eventhook.NewPayload(b.Hook, b.EventID, b.EventTime, b.Events))
			if err := w.Svc.FinishHookBatch(sendCtx, b, failure); err != nil {
				w.logger().Warn("event hooks: recording a delivery failed", "hook", b.Hook.ID, "err", err)
			}
		}()
	}
}

func (w *Worker) isBusy(orgID, hookID string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.busy[[2]string{orgID, hookID}]
}

func (w *Worker) setBusy(key [2]string, v bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if v {
		w.busy[key] = true
	} else {
		delete(w.busy, key)
	}
}

// done frees a hook whose batch is finished and wakes the loop to look for its next one.
func (w *Worker) done(key [2]string) {
	w.setBusy(key, false)
	select {
	case w.wakeup <- struct{}{}:
	default:
	}
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger == nil {
		return slog.Default()
	}
	return w.Logger
}
