package service

import (
	"context"
	"errors"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/origin"
	"github.com/okapi-dev/okapi/internal/store"
)

// ListTrustedOrigins returns one page: q (prefix of name or origin, ignoring case), filter (eq
// on name, origin, status, type), after (an id cursor) and limit.
func (s *Service) ListTrustedOrigins(ctx context.Context, q ListParams) (Page[origin.TrustedOrigin], error) {
	if q.Q != "" && q.Filter != "" {
		return Page[origin.TrustedOrigin]{}, errSearchAndFilter
	}
	f, err := parseFilter(q.Filter, originFilter)
	if err != nil {
		return Page[origin.TrustedOrigin]{}, err
	}
	all, err := s.Store.ListTrustedOrigins(ctx, orgID(ctx))
	if err != nil {
		return Page[origin.TrustedOrigin]{}, err
	}
	prefix := strings.ToLower(q.Q)
	out := []origin.TrustedOrigin{}
	for _, o := range all {
		if o.ID <= q.After {
			continue
		}
		if prefix != "" && !strings.HasPrefix(strings.ToLower(o.Name), prefix) && !strings.HasPrefix(strings.ToLower(o.Origin), prefix) {
			continue
		}
		if !matches(f, originFilter, func(attr string) (any, bool) { return originAttr(o, attr), true }) {
			continue
		}
		if len(out) == q.Limit {
			return Page[origin.TrustedOrigin]{Items: out, Next: out[len(out)-1].ID}, nil
		}
		out = append(out, o)
	}
	return Page[origin.TrustedOrigin]{Items: out}, nil
}

func originAttr(o origin.TrustedOrigin, attr string) any {
	switch attr {
	case "name":
		return o.Name
	case "origin":
		return o.Origin
	case "status":
		return string(o.Status)
	case "type":
		types := make([]string, len(o.Scopes))
		for i, sc := range o.Scopes {
			types[i] = string(sc.Type)
		}
		return types
	}
	return nil
}

// GetTrustedOrigin returns one trusted origin; an id of the wrong shape is 404 without a lookup.
func (s *Service) GetTrustedOrigin(ctx context.Context, id string) (origin.TrustedOrigin, error) {
	if !origin.IsID(id) {
		return origin.TrustedOrigin{}, domain.NotFound(id, "TrustedOrigin")
	}
	return s.Store.GetTrustedOrigin(ctx, orgID(ctx), id)
}

// CreateTrustedOrigin validates and stores a new trusted origin (ACTIVE unless the body says
// INACTIVE). Name and origin must be unique in the org; origins compare by their normal form.
func (s *Service) CreateTrustedOrigin(ctx context.Context, in origin.TrustedOrigin) (origin.TrustedOrigin, error) {
	in.SetDefaults()
	if err := in.Validate(); err != nil {
		return in, err
	}
	norm, _ := origin.Normalize(in.Origin)
	c := domain.CallerFrom(ctx)
	now := s.now(ctx)
	o := origin.TrustedOrigin{
		ID: domain.NewID(s.IDs, origin.IDPrefix), Name: in.Name, Origin: in.Origin, Scopes: in.Scopes, Status: in.Status,
		Created: now, CreatedBy: c.UserID, LastUpdated: now, LastUpdatedBy: c.UserID,
	}
	err := s.update(ctx, func(tx store.Tx) error {
		if err := uniqueOrigin(ctx, tx, c.OrgID, o, norm); err != nil {
			return err
		}
		if err := tx.CreateTrustedOrigin(ctx, c.OrgID, o, norm); err != nil {
			return originConflict(err)
		}
		return tx.AppendEvents(ctx, c.OrgID, s.event(ctx, now, "security.trusted_origin.create", "Create trusted origin", originTarget(o)))
	})
	return o, err
}

// ReplaceTrustedOrigin is PUT: name, origin and scopes are replaced; status changes only when
// the body names one.
func (s *Service) ReplaceTrustedOrigin(ctx context.Context, id string, in origin.TrustedOrigin) (origin.TrustedOrigin, error) {
	if !origin.IsID(id) {
		return in, domain.NotFound(id, "TrustedOrigin")
	}
	if err := in.Validate(); err != nil {
		return in, err
	}
	norm, _ := origin.Normalize(in.Origin)
	c := domain.CallerFrom(ctx)
	now := s.now(ctx)
	var o origin.TrustedOrigin
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if o, err = tx.GetTrustedOrigin(ctx, c.OrgID, id); err != nil {
			return err
		}
		o.Name, o.Origin, o.Scopes = in.Name, in.Origin, in.Scopes
		if in.Status != "" {
			o.Status = in.Status
		}
		o.LastUpdated, o.LastUpdatedBy = now, c.UserID
		if err := uniqueOrigin(ctx, tx, c.OrgID, o, norm); err != nil {
			return err
		}
		if err := tx.UpdateTrustedOrigin(ctx, c.OrgID, o, norm); err != nil {
			return originConflict(err)
		}
		return tx.AppendEvents(ctx, c.OrgID, s.event(ctx, now, "security.trusted_origin.update", "Update trusted origin", originTarget(o)))
	})
	return o, err
}

// DeleteTrustedOrigin removes a trusted origin; CORS from it stops with the next request.
func (s *Service) DeleteTrustedOrigin(ctx context.Context, id string) error {
	if !origin.IsID(id) {
		return domain.NotFound(id, "TrustedOrigin")
	}
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		o, err := tx.GetTrustedOrigin(ctx, org, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteTrustedOrigin(ctx, org, id); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "security.trusted_origin.delete", "Delete trusted origin", originTarget(o)))
	})
}

// SetTrustedOriginStatus activates or deactivates. Asking for the status it already has is
// answered with the origin unchanged and no event, as Okta does for idempotent lifecycle calls.
func (s *Service) SetTrustedOriginStatus(ctx context.Context, id string, status origin.Status) (origin.TrustedOrigin, error) {
	if !origin.IsID(id) {
		return origin.TrustedOrigin{}, domain.NotFound(id, "TrustedOrigin")
	}
	c := domain.CallerFrom(ctx)
	now := s.now(ctx)
	var o origin.TrustedOrigin
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if o, err = tx.GetTrustedOrigin(ctx, c.OrgID, id); err != nil || o.Status == status {
			return err
		}
		o.Status, o.LastUpdated, o.LastUpdatedBy = status, now, c.UserID
		norm, _ := origin.Normalize(o.Origin)
		if err := tx.UpdateTrustedOrigin(ctx, c.OrgID, o, norm); err != nil {
			return err
		}
		typ, msg := "security.trusted_origin.activate", "Activate trusted origin"
		if status == origin.StatusInactive {
			typ, msg = "security.trusted_origin.deactivate", "Deactivate trusted origin"
		}
		return tx.AppendEvents(ctx, c.OrgID, s.event(ctx, now, typ, msg, originTarget(o)))
	})
	return o, err
}

// uniqueOrigin gives Okta's validation error for a taken name or origin before the unique
// indexes (the backstop for concurrent writers) would.
func uniqueOrigin(ctx context.Context, tx store.Tx, org string, o origin.TrustedOrigin, norm string) error {
	all, err := tx.ListTrustedOrigins(ctx, org)
	if err != nil {
		return err
	}
	var fe domain.FieldErrors
	for _, other := range all {
		if other.ID == o.ID {
			continue
		}
		if other.Name == o.Name {
			fe.Add("name", "An object with this field already exists in the current organization")
		}
		if n, _ := origin.Normalize(other.Origin); n == norm {
			fe.Add("origin", "An object with this field already exists in the current organization")
		}
	}
	return fe.Err()
}

func originConflict(err error) error {
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		return domain.Validation(ce.Field, ce.Field+": An object with this field already exists in the current organization")
	}
	return err
}

func originTarget(o origin.TrustedOrigin) domain.LogTarget {
	return domain.LogTarget{ID: o.ID, Type: "TrustedOrigin", AlternateID: o.Origin, DisplayName: o.Name}
}

// CORSAllowed reports whether requestOrigin (an Origin header) is an ACTIVE trusted origin with
// the CORS scope in org. It reads the store on every call, so a change applies to the next
// request on every instance; the query reads a handful of rows by index (see cors_bench_test).
func (s *Service) CORSAllowed(ctx context.Context, org, requestOrigin string) (bool, error) {
	if org == "" {
		return false, nil
	}
	norms, err := s.Store.ListCORSOrigins(ctx, org)
	if err != nil {
		return false, err
	}
	rows := make([]origin.TrustedOrigin, len(norms))
	for i, n := range norms {
		rows[i] = origin.TrustedOrigin{Origin: n, Status: origin.StatusActive, Scopes: []origin.Scope{{Type: origin.ScopeCORS}}}
	}
	return origin.NewMatcher(rows).AllowsCORS(requestOrigin), nil
}

// DefaultOrgID is the id of the org a request without credentials addresses (a CORS preflight
// carries none). Org ids never change, so it is looked up once.
func (s *Service) DefaultOrgID(ctx context.Context) (string, error) {
	if v, ok := s.defaultOrg.Load().(string); ok {
		return v, nil
	}
	org, err := s.Store.GetOrgByName(ctx, domain.DefaultOrgName)
	if err != nil {
		return "", err
	}
	s.defaultOrg.Store(org.ID)
	return org.ID, nil
}
