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
func (s *Service) NextHookBatches(ctx context.Context, owner string, lease time.Duration) ([]HookBatch, error) {
	hooks, err := s.Store.ListDeliverableEventHooks(ctx)
	if err != nil {
		return nil, err
	}
	var out []HookBatch
	for _, d := range hooks {
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
	now := time.Now()
	var claimed bool
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		claimed, err = tx.ClaimEventHook(ctx, d.OrgID, d.Hook.ID, owner, now.UnixMilli(), now.Add(lease).UnixMilli())
		return err
	})
	if err != nil || !claimed {
		return HookBatch{}, false, err
	}
	b := HookBatch{OrgID: d.OrgID, Hook: d.Hook, EventID: d.PendingEventID, owner: owner, EventTime: s.nowIn(d.OrgID)}
	limit := hookScan
	events, err := s.Store.ListEvents(ctx, d.OrgID, store.LogQuery{AfterSeq: d.Cursor, Limit: limit})
	if err != nil {
		return b, false, err
	}
	if b.EventID != "" {
		// Resend the batch in flight exactly: the hook's events up to PendingTo.
		b.to = d.PendingTo
		for _, e := range events {
			if e.Seq > d.PendingTo {
				break
			}
			if d.Hook.Subscribes(e.EventType) {
				b.Events = append(b.Events, e)
			}
		}
		return b, true, nil
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
		return b, false, s.saveDelivery(ctx, b, b.to, "", 0)
	}
	b.EventID = domain.NewUUID(s.IDs)
	if err := s.saveDelivery(ctx, b, d.Cursor, b.EventID, b.to); err != nil {
		return b, false, err
	}
	return b, true, nil
}

func (s *Service) saveDelivery(ctx context.Context, b HookBatch, cursor int64, pending string, to int64) error {
	return s.Store.Update(ctx, func(tx store.Tx) error {
		return tx.SaveEventHookDelivery(ctx, b.OrgID, b.Hook.ID, b.owner, cursor, pending, to)
	})
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
		ev.Actor = domain.LogActor{ID: "system@okta.com", Type: "SystemPrincipal", AlternateID: "system@okta.com", DisplayName: "Okta System"}
		ev.Fail(failure)
		return tx.AppendEvents(ctx, b.OrgID, ev)
	})
	if errors.Is(err, store.ErrStale) {
		return nil
	}
	return err
}
