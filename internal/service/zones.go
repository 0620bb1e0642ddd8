package service

import (
	"context"
	"errors"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/netzone"
	"github.com/okapi-dev/okapi/internal/store"
)

// System zones every org starts with, as Okta names them.
const (
	LegacyIPZone  = "LegacyIpZone"
	BlockedIPZone = "BlockedIpZone"
	// DefaultExemptIPZone is the system zone Okta orgs have for IPs exempt from blocking
	// (Network zones: "DefaultExemptIpZone"); clients such as the Terraform provider look it up.
	DefaultExemptIPZone = "DefaultExemptIpZone"
)

// ListZones returns a page of the org's zones: filter (eq on id and usage, joined by or/and),
// after (an id cursor) and limit (-1 or 0: all, which is Okta's default for zones).
func (s *Service) ListZones(ctx context.Context, q ListParams) (Page[netzone.Zone], error) {
	f, err := parseFilter(q.Filter, zoneFilter)
	if err != nil {
		return Page[netzone.Zone]{}, err
	}
	all, err := s.Store.ListZones(ctx, orgID(ctx))
	if err != nil {
		return Page[netzone.Zone]{}, err
	}
	out := []netzone.Zone{}
	for _, z := range all {
		if z.ID <= q.After || !matches(f, zoneFilter, func(attr string) (any, bool) { return zoneAttr(z, attr), true }) {
			continue
		}
		if q.Limit > 0 && len(out) == q.Limit {
			return Page[netzone.Zone]{Items: out, Next: out[len(out)-1].ID}, nil
		}
		out = append(out, z)
	}
	return Page[netzone.Zone]{Items: out}, nil
}

func zoneAttr(z netzone.Zone, attr string) any {
	if attr == "id" {
		return z.ID
	}
	return string(z.Usage)
}

// GetZone returns one zone; an id of the wrong shape is 404 without a lookup.
func (s *Service) GetZone(ctx context.Context, id string) (netzone.Zone, error) {
	if !netzone.IsID(id) {
		return netzone.Zone{}, domain.NotFound(id, "NetworkZone")
	}
	return s.Store.GetZone(ctx, orgID(ctx), id)
}

// CreateZone validates and stores a custom zone; clients cannot create system zones.
func (s *Service) CreateZone(ctx context.Context, in netzone.Zone) (netzone.Zone, error) {
	in.System = false
	in.SetDefaults()
	if err := in.Validate(); err != nil {
		return in, err
	}
	org, now := orgID(ctx), s.now(ctx)
	z := in
	z.ID, z.Created, z.LastUpdated = domain.NewID(s.IDs, netzone.IDPrefix), now, now
	err := s.update(ctx, func(tx store.Tx) error {
		if err := tx.CreateZone(ctx, org, z); err != nil {
			return zoneConflict(err)
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "zone.create", "Create network zone", zoneTarget(z)))
	})
	if err == nil {
		s.zones.invalidate(org)
	}
	return z, err
}

// ReplaceZone is PUT: everything but id, type, system and created is replaced; status changes
// only when the body names one. A system zone keeps its usage.
func (s *Service) ReplaceZone(ctx context.Context, id string, in netzone.Zone) (netzone.Zone, error) {
	if !netzone.IsID(id) {
		return in, domain.NotFound(id, "NetworkZone")
	}
	org, now := orgID(ctx), s.now(ctx)
	var z netzone.Zone
	err := s.update(ctx, func(tx store.Tx) error {
		old, err := tx.GetZone(ctx, org, id)
		if err != nil {
			return err
		}
		z = in
		z.ID, z.System, z.Created, z.LastUpdated = old.ID, old.System, old.Created, now
		if z.Status == "" {
			z.Status = old.Status
		}
		if old.System && z.Usage != "" && z.Usage != old.Usage {
			return domain.Validation("usage", "usage: The usage of a system zone cannot be changed.")
		}
		z.SetDefaults()
		if err := z.ValidateReplace(old); err != nil {
			return err
		}
		if err := tx.UpdateZone(ctx, org, z); err != nil {
			return zoneConflict(err)
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "zone.update", "Update network zone", zoneTarget(z)))
	})
	if err == nil {
		s.zones.invalidate(org)
	}
	return z, err
}

// errSystemZone refuses deleting a system zone: Okta's zones are permanent parts of the org.
var errSystemZone = domain.NewError(http.StatusForbidden, domain.CodeForbidden,
	"You do not have permission to perform the requested action", domain.Cause{Summary: "System network zones cannot be deleted."})

// DeleteZone removes a custom zone.
func (s *Service) DeleteZone(ctx context.Context, id string) error {
	if !netzone.IsID(id) {
		return domain.NotFound(id, "NetworkZone")
	}
	org, now := orgID(ctx), s.now(ctx)
	err := s.update(ctx, func(tx store.Tx) error {
		z, err := tx.GetZone(ctx, org, id)
		if err != nil {
			return err
		}
		if z.System {
			return errSystemZone
		}
		if err := tx.DeleteZone(ctx, org, id); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "zone.delete", "Delete network zone", zoneTarget(z)))
	})
	if err == nil {
		s.zones.invalidate(org)
	}
	return err
}

// SetZoneStatus activates or deactivates a zone. The Terraform provider calls it after every
// write whatever the state, so asking for the current status returns the zone unchanged.
func (s *Service) SetZoneStatus(ctx context.Context, id string, status netzone.Status) (netzone.Zone, error) {
	if !netzone.IsID(id) {
		return netzone.Zone{}, domain.NotFound(id, "NetworkZone")
	}
	org, now := orgID(ctx), s.now(ctx)
	var z netzone.Zone
	err := s.update(ctx, func(tx store.Tx) error {
		var err error
		if z, err = tx.GetZone(ctx, org, id); err != nil || z.Status == status {
			return err
		}
		z.Status, z.LastUpdated = status, now
		if err := tx.UpdateZone(ctx, org, z); err != nil {
			return err
		}
		typ, msg := "zone.activate", "Activate network zone"
		if status == netzone.StatusInactive {
			typ, msg = "zone.deactivate", "Deactivate network zone"
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, zoneTarget(z)))
	})
	if err == nil {
		s.zones.invalidate(org)
	}
	return z, err
}

func zoneConflict(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return domain.Validation("name", "name: An object with this field already exists in the current organization")
	}
	return err
}

func zoneTarget(z netzone.Zone) domain.LogTarget {
	return domain.LogTarget{ID: z.ID, Type: "NetworkZone", AlternateID: string(z.Type), DisplayName: z.Name}
}

// systemZones are the zones an org is created with: Okta's LegacyIpZone (the default IP zone
// admins fill with gateways and proxies), BlockedIpZone and DefaultExemptIpZone, all empty.
func systemZones(ids domain.IDs, now domain.Time) []netzone.Zone {
	return []netzone.Zone{
		{ID: domain.NewID(ids, netzone.IDPrefix), Name: LegacyIPZone, Type: netzone.TypeIP, Usage: netzone.UsagePolicy,
			Status: netzone.StatusActive, System: true, Created: now, LastUpdated: now},
		{ID: domain.NewID(ids, netzone.IDPrefix), Name: BlockedIPZone, Type: netzone.TypeIP, Usage: netzone.UsageBlocklist,
			Status: netzone.StatusActive, System: true, Created: now, LastUpdated: now},
		{ID: domain.NewID(ids, netzone.IDPrefix), Name: DefaultExemptIPZone, Type: netzone.TypeIP, Usage: netzone.UsagePolicy,
			Status: netzone.StatusActive, System: true, Created: now, LastUpdated: now},
	}
}

// ensureSystemZones adds the system zones an org created before they existed lacks. Another
// instance starting at the same time may add them first: its insert makes ours a conflict,
// which ends our transaction (see store.Store.Update), so we look again and retry.
func (s *Service) ensureSystemZones(ctx context.Context, org string) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = s.update(ctx, func(tx store.Tx) error {
			zones, err := tx.ListZones(ctx, org)
			if err != nil {
				return err
			}
			have := map[string]bool{}
			for _, z := range zones {
				if z.System {
					have[z.Name] = true
				}
			}
			for _, z := range systemZones(s.IDs, s.now(ctx)) {
				if have[z.Name] {
					continue
				}
				if err := tx.CreateZone(ctx, org, z); err != nil {
					return err
				}
			}
			return nil
		})
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return err
}
