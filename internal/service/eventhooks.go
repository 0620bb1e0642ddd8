package service

import (
	"context"
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/eventhook"
	"github.com/okapi-dev/okapi/internal/store"
)

// HookVerifier performs an event hook's one-time verification request (internal/hookdelivery
// implements it over HTTP). It returns nil when the receiver echoed the challenge, or an error
// whose text says what the receiver did instead.
type HookVerifier interface {
	Verify(ctx context.Context, h eventhook.EventHook) error
}

// ListEventHooks returns every event hook of the caller's org (listEventHooks: Okta does not page it).
func (s *Service) ListEventHooks(ctx context.Context) ([]eventhook.EventHook, error) {
	return s.Store.ListEventHooks(ctx, orgID(ctx))
}

// GetEventHook returns one event hook; an id of the wrong shape is 404 without a lookup.
func (s *Service) GetEventHook(ctx context.Context, id string) (eventhook.EventHook, error) {
	if !isEventHookID(id) {
		return eventhook.EventHook{}, domain.NotFound(id, "EventHook")
	}
	return s.Store.GetEventHook(ctx, orgID(ctx), id)
}

func isEventHookID(id string) bool {
	return len(id) == 20 && strings.HasPrefix(id, eventhook.IDPrefix)
}

// CreateEventHook registers a hook: ACTIVE and UNVERIFIED (createEventHook). It receives events
// only once verified, and only those logged after that.
func (s *Service) CreateEventHook(ctx context.Context, in eventhook.EventHook) (eventhook.EventHook, error) {
	in.SetDefaults()
	if err := in.Validate(); err != nil {
		return in, err
	}
	c := domain.CallerFrom(ctx)
	now := s.now(ctx)
	h := in
	h.ID = domain.NewID(s.IDs, eventhook.IDPrefix)
	h.Status, h.VerificationStatus = eventhook.StatusActive, eventhook.Unverified
	h.Created, h.LastUpdated, h.CreatedBy = now, now, c.UserID
	err := s.update(ctx, func(tx store.Tx) error {
		seq, err := tx.LatestLogSeq(ctx, c.OrgID)
		if err != nil {
			return err
		}
		if err := tx.CreateEventHook(ctx, c.OrgID, h, seq); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, c.OrgID, s.event(ctx, now, "event_hook.created", "Event hook created", eventHookTarget(h)))
	})
	return h, err
}

// ReplaceEventHook is replaceEventHook: name, description, events and channel are replaced.
// A changed channel must be verified again. The secret (authScheme.value) is write-only, so a
// body that leaves it out with the same header name keeps the stored one.
func (s *Service) ReplaceEventHook(ctx context.Context, id string, in eventhook.EventHook) (eventhook.EventHook, error) {
	if !isEventHookID(id) {
		return in, domain.NotFound(id, "EventHook")
	}
	in.SetDefaults()
	if err := in.Validate(); err != nil {
		return in, err
	}
	org, now := orgID(ctx), s.now(ctx)
	var h eventhook.EventHook
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if h, err = tx.GetEventHook(ctx, org, id); err != nil {
			return err
		}
		keepSecret(&in.Channel, h.Channel)
		if !sameChannel(h.Channel, in.Channel) {
			h.VerificationStatus = eventhook.Unverified
		}
		h.Name, h.Description, h.Events, h.Channel, h.LastUpdated = in.Name, in.Description, in.Events, in.Channel, now
		if in.Origin != "" {
			h.Origin = in.Origin
		}
		if err := tx.UpdateEventHook(ctx, org, h); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "event_hook.updated", "Event hook updated", eventHookTarget(h)))
	})
	return h, err
}

func keepSecret(in *eventhook.Channel, old eventhook.Channel) {
	a, o := in.Config.AuthScheme, old.Config.AuthScheme
	if a != nil && o != nil && a.Value == "" && strings.EqualFold(a.Key, o.Key) {
		a.Value = o.Value
	}
}

// sameChannel reports whether the receiver stays the same: same URI, headers and auth header.
func sameChannel(a, b eventhook.Channel) bool {
	if a.Type != b.Type || a.Version != b.Version || a.Config.URI != b.Config.URI || len(a.Config.Headers) != len(b.Config.Headers) {
		return false
	}
	for i := range a.Config.Headers {
		if a.Config.Headers[i] != b.Config.Headers[i] {
			return false
		}
	}
	x, y := a.Config.AuthScheme, b.Config.AuthScheme
	return (x == nil) == (y == nil) && (x == nil || *x == *y)
}

// SetEventHookStatus activates or deactivates a hook. Asking for the status it has is answered
// with the hook unchanged and no event. A hook that starts receiving events (ACTIVE and VERIFIED)
// starts with the events logged after this call: Okta does not deliver what happened while a
// hook was inactive.
func (s *Service) SetEventHookStatus(ctx context.Context, id, status string) (eventhook.EventHook, error) {
	if !isEventHookID(id) {
		return eventhook.EventHook{}, domain.NotFound(id, "EventHook")
	}
	org, now := orgID(ctx), s.now(ctx)
	var h eventhook.EventHook
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if h, err = tx.GetEventHook(ctx, org, id); err != nil || h.Status == status {
			return err
		}
		h.Status, h.LastUpdated = status, now
		if err := tx.UpdateEventHook(ctx, org, h); err != nil {
			return err
		}
		if err := s.startDelivery(ctx, tx, org, h); err != nil {
			return err
		}
		typ, msg := "event_hook.activated", "Event hook activated"
		if status == eventhook.StatusInactive {
			typ, msg = "event_hook.deactivated", "Event hook deactivated"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, eventHookTarget(h)))
	})
	return h, err
}

// startDelivery moves a hook that has just become deliverable to the end of the log.
func (s *Service) startDelivery(ctx context.Context, tx store.Tx, org string, h eventhook.EventHook) error {
	if !h.Deliverable() {
		return nil
	}
	seq, err := tx.LatestLogSeq(ctx, org)
	if err != nil {
		return err
	}
	return tx.ResetEventHookCursor(ctx, org, h.ID, seq)
}

// errDeleteActiveHook answers deleteEventHook on an ACTIVE hook: Okta deletes only INACTIVE ones.
var errDeleteActiveHook = domain.NewError(http.StatusForbidden, "E0000056",
	"Delete event hook forbidden: deactivate the event hook before deleting it.")

// DeleteEventHook removes an INACTIVE hook.
func (s *Service) DeleteEventHook(ctx context.Context, id string) error {
	if !isEventHookID(id) {
		return domain.NotFound(id, "EventHook")
	}
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		h, err := tx.GetEventHook(ctx, org, id)
		if err != nil {
			return err
		}
		if h.Status != eventhook.StatusInactive {
			return errDeleteActiveHook
		}
		if err := tx.DeleteEventHook(ctx, org, id); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "event_hook.deleted", "Event hook deleted", eventHookTarget(h)))
	})
}

// VerifyEventHook runs the one-time verification (verifyEventHook): okapi sends the receiver a
// GET with a challenge and the hook becomes VERIFIED when it is echoed. The request is made
// outside any transaction; a receiver that fails is 400 E0000001 naming what it answered.
func (s *Service) VerifyEventHook(ctx context.Context, id string) (eventhook.EventHook, error) {
	h, err := s.GetEventHook(ctx, id)
	if err != nil {
		return h, err
	}
	if s.HookVerifier == nil {
		return h, domain.NewError(http.StatusBadRequest, domain.CodeValidation, "Api validation failed: verify",
			domain.Cause{Summary: "verify: event hook verification is not available in this okapi"})
	}
	if err := s.HookVerifier.Verify(ctx, h); err != nil {
		return h, domain.NewError(http.StatusBadRequest, domain.CodeValidation, "Api validation failed: verify",
			domain.Cause{Summary: "verify: Event hook verification failed: " + err.Error()})
	}
	org, now := orgID(ctx), s.now(ctx)
	err = s.update(ctx, func(tx store.Tx) error {
		var err error
		if h, err = tx.GetEventHook(ctx, org, id); err != nil {
			return err
		}
		was := h.VerificationStatus
		h.VerificationStatus, h.LastUpdated = eventhook.Verified, now
		if err := tx.UpdateEventHook(ctx, org, h); err != nil {
			return err
		}
		if was != eventhook.Verified {
			if err := s.startDelivery(ctx, tx, org, h); err != nil {
				return err
			}
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "event_hook.verified", "Event hook verified", eventHookTarget(h)))
	})
	return h, err
}

func eventHookTarget(h eventhook.EventHook) domain.LogTarget {
	return domain.LogTarget{ID: h.ID, Type: "EventHook", AlternateID: h.Channel.Config.URI, DisplayName: h.Name}
}
