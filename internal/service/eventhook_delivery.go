package service

import (
	"context"
	"errors"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/eventhook"
	"github.com/okapi-dev/okapi/internal/store"
)

// Delivery limits. Okta batches several events into one request; okapi sends at most
// hookBatchMax, and reads at most hookScan log events per hook and round.
const (
	hookBatchMax = 50
	hookScan     = 500
)

// HookBatch is one event hook request: events of one hook, under one eventId. A batch that was
// recorded but not finished (a crash, a lost lease) is sent again as the same batch.
type HookBatch struct {
	OrgID   string
	Hook    eventhook.EventHook
	EventID string
	Events  []domain.LogEvent
	// EventTime is when the batch was made, in the org's clock.
	EventTime domain.Time
	owner     string
	to        int64
}

// NextHookBatches claims, for owner, the lease of every deliverable hook no other instance
// holds, and returns the batch each has to send: the one in flight, if an earlier attempt did
// not finish, or else the hook's next events after its cursor. Hooks with nothing to send are
// left out; a stretch of log none of whose events the hook subscribes to just moves its cursor.
// The System Log is the queue (see store.HookDelivery), so nothing here adds to a write's cost.
// Hooks for which busy (if not nil) reports true, whose batch the caller is still sending, are
// left alone: neither read nor claimed.
func (s *Service) NextHookBatches(ctx context.Context, owner string, lease time.Duration, busy func(orgID, hookID string) bool) ([]HookBatch, error) {
	hooks, err := s.Store.ListDeliverableEventHooks(ctx)
	if err != nil {
		return nil, err
	}
	var out []HookBatch
	for _, d := range hooks {
		if busy != nil && busy(d.OrgID, d.Hook.ID) {
			continue
		}
		b, ok, err := s.nextHookBatch(ctx, d, owner, lease)
		if err != nil {
			return out, err
		}
		if ok {
			out = append(out, b)
		}
	}
	return out, nil
}

func (s *Service) nextHookBatch(ctx context.Context, d store.HookDelivery, owner string, lease time.Duration) (HookBatch, bool, error) {
	b := HookBatch{OrgID: d.OrgID, Hook: d.Hook, EventID: d.PendingEventID, owner: owner, EventTime: s.nowIn(d.OrgID), to: d.PendingTo}
	if b.EventID == "" {
		// The common case, nothing new, costs one indexed read and no write.
		latest, err := s.Store.LatestLogSeq(ctx, d.OrgID)
		if err != nil || latest <= d.Cursor {
			return b, false, err
		}
	}
	events, err := s.Store.ListEvents(ctx, d.OrgID, store.LogQuery{AfterSeq: d.Cursor, Limit: hookScan})
	if err != nil {
		return b, false, err
	}
	if b.EventID != "" {
		// Resend the batch in flight exactly: the hook's events up to PendingTo.
		for _, e := range events {
			if e.Seq > d.PendingTo {
				break
			}
			if d.Hook.Subscribes(e.EventType) {
				b.Events = append(b.Events, e)
			}
		}
		ok, err := s.claimHook(ctx, b, d.Cursor, lease, d.Cursor, b.EventID, b.to)
		return b, ok, err
	}
	if len(events) == 0 {
		return b, false, nil
	}
	b.to = events[len(events)-1].Seq
	for _, e := range events {
		if d.Hook.Subscribes(e.EventType) {
			b.Events = append(b.Events, e)
			if len(b.Events) == hookBatchMax {
				b.to = e.Seq
				break
			}
		}
	}
	if len(b.Events) == 0 {
		// Nothing for this hook: skip the stretch.
		_, err := s.claimHook(ctx, b, d.Cursor, lease, b.to, "", 0)
		return b, false, err
	}
	b.EventID = domain.NewUUID(s.IDs)
	ok, err := s.claimHook(ctx, b, d.Cursor, lease, d.Cursor, b.EventID, b.to)
	return b, ok, err
}

// claimHook takes the hook's lease, provided its cursor is still the one read (seen), and
// records the delivery state in the same transaction. It reports false when another instance
// holds the hook or has moved it on.
func (s *Service) claimHook(ctx context.Context, b HookBatch, seen int64, lease time.Duration, cursor int64, pending string, to int64) (bool, error) {
	now := time.Now()
	var claimed bool
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		claimed, err = tx.ClaimEventHook(ctx, b.OrgID, b.Hook.ID, b.owner, seen, now.UnixMilli(), now.Add(lease).UnixMilli())
		if err != nil || !claimed {
			return err
		}
		return tx.SaveEventHookDelivery(ctx, b.OrgID, b.Hook.ID, b.owner, cursor, pending, to)
	})
	return claimed, err
}

// FinishHookBatch records a batch's outcome: the cursor moves past it whether the receiver took
// it or not (Okta retries a failed delivery once, then drops it), and a failure (failure != "")
// is logged as event_hook.delivery with outcome FAILURE in the same transaction. A batch whose
// lease another instance took meanwhile is left to that instance (store.ErrStale is not an error
// here: the batch will be sent again under the same eventId).
func (s *Service) FinishHookBatch(ctx context.Context, b HookBatch, failure string) error {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.SaveEventHookDelivery(ctx, b.OrgID, b.Hook.ID, b.owner, b.to, "", 0); err != nil {
			return err
		}
		if failure == "" {
			return nil
		}
		ev := domain.NewLogEvent(&domain.Caller{}, s.IDs, s.nowIn(b.OrgID), "event_hook.delivery",
			"Event hook delivery failed", eventHookTarget(b.Hook))
		ev.Actor = domain.SystemActor
		ev.Fail(failure)
		return tx.AppendEvents(ctx, b.OrgID, ev)
	})
	if errors.Is(err, store.ErrStale) {
		return nil
	}
	return err
}
