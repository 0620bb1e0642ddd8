package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/eventhook"
)

// HookDelivery is an event hook with its delivery state, as the delivery worker reads it.
//
// The System Log is the queue: a change and its events commit in one transaction, and seq order
// is commit order, so a hook only needs a cursor, the seq of the last event it has been sent (or
// skipped). A batch that was sent but not yet acknowledged is recorded first (PendingEventID,
// PendingTo), so after a crash it is sent again with the same eventId and the same events, and
// the receiver can deduplicate it.
type HookDelivery struct {
	OrgID string
	Hook  eventhook.EventHook
	// Cursor is the seq of the last log event the hook is done with.
	Cursor int64
	// PendingEventID and PendingTo describe the batch in flight: the hook's events in
	// (Cursor, PendingTo], sent as eventId PendingEventID. Empty when nothing is in flight.
	PendingEventID string
	PendingTo      int64
}

// EventHookReader reads event hooks.
type EventHookReader interface {
	// GetEventHook returns one hook of org (with its secret), or domain.NotFound(id, "EventHook").
	GetEventHook(ctx context.Context, org, id string) (eventhook.EventHook, error)
	// ListEventHooks returns every hook of org, by id. Orgs hold few of them.
	ListEventHooks(ctx context.Context, org string) ([]eventhook.EventHook, error)
	// ListDeliverableEventHooks returns the ACTIVE and VERIFIED hooks of every org with their
	// delivery state, by org and id. Only backend errors.
	ListDeliverableEventHooks(ctx context.Context) ([]HookDelivery, error)
}

// EventHookWriter writes event hooks and their delivery state.
type EventHookWriter interface {
	// CreateEventHook inserts h with its delivery cursor at cursor. Only backend errors.
	CreateEventHook(ctx context.Context, org string, h eventhook.EventHook, cursor int64) error
	// UpdateEventHook replaces h's fields (by id), leaving its delivery state alone, or
	// domain.NotFound if it is gone.
	UpdateEventHook(ctx context.Context, org string, h eventhook.EventHook) error
	// ResetEventHookCursor moves the hook's cursor to cursor and drops any batch in flight: a
	// hook that starts receiving events starts with those after cursor. domain.NotFound if gone.
	ResetEventHookCursor(ctx context.Context, org, id string, cursor int64) error
	// DeleteEventHook removes one; domain.NotFound if absent.
	DeleteEventHook(ctx context.Context, org, id string) error
	// ClaimEventHook gives owner the delivery lease of the hook until the Unix ms until, when the
	// lease is free (expired at now) or already owner's, and the hook's cursor is still cursor
	// (no other instance delivered since the caller read it). It reports false, without error,
	// when it is not, or the hook is gone. Several okapi instances share one database; the lease
	// makes one of them at a time deliver each hook.
	ClaimEventHook(ctx context.Context, org, id, owner string, cursor, now, until int64) (bool, error)
	// SaveEventHookDelivery records delivery progress (see HookDelivery). Only the lease holder
	// may: when owner no longer holds the lease it returns ErrStale and changes nothing.
	SaveEventHookDelivery(ctx context.Context, org, id, owner string, cursor int64, pendingEventID string, pendingTo int64) error
}
