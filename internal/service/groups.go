package service

import (
	"context"
	"errors"
	"reflect"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// CreateGroup creates an OKTA_GROUP (the only type the API creates) with the given profile.
// A bad profile or a name another group has (ignoring case) is 400 E0000001.
func (s *Service) CreateGroup(ctx context.Context, profile map[string]any) (domain.Group, error) {
	org, now := orgID(ctx), s.now(ctx)
	p, err := s.groupProfile(ctx, org, profile)
	if err != nil {
		return domain.Group{}, err
	}
	g := domain.Group{
		ID: domain.NewID(s.IDs, domain.PrefixGroup), Type: domain.GroupOkta,
		Created: now, LastUpdated: now, LastMembershipUpdated: now, Profile: p,
	}
	err = s.update(ctx, func(tx store.Tx) error {
		if err := tx.CreateGroup(ctx, org, g); err != nil {
			return groupConflict(err)
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "group.lifecycle.create", "Create okta group", g.LogTarget()))
	})
	return g, err
}

// groupSchema reads the org's group schema, against which group profiles are validated as user
// profiles are against the user schema (Schemas API, "Group Schema"). It is read outside any
// transaction, as the user create path does: a primary-key read with no row lock, so group
// writes do not queue behind one another on the schema row. A group profile replaces the stored
// one whole, so only a concurrent schema change could change the outcome.
func (s *Service) groupSchema(ctx context.Context, org string) (domain.ProfileSchema, error) {
	return s.Store.GetProfileSchema(ctx, org, SchemaGroup)
}

// groupProfile validates a new group profile against the group schema.
func (s *Service) groupProfile(ctx context.Context, org string, profile map[string]any) (map[string]any, error) {
	sc, err := s.groupSchema(ctx, org)
	if err != nil {
		return nil, err
	}
	return domain.NewGroupProfileSchema(profile, sc)
}

// GetGroup returns a group of the caller's org; unknown is 404 E0000007.
func (s *Service) GetGroup(ctx context.Context, id string) (domain.Group, error) {
	return s.Store.GetGroup(ctx, orgID(ctx), id)
}

// ReplaceGroup replaces the whole profile of an OKTA_GROUP (Okta has no partial update of a
// group). Other group types are 403 E0000006. lastUpdated moves, and an event is logged, only
// when the profile really changes.
func (s *Service) ReplaceGroup(ctx context.Context, id string, profile map[string]any) (domain.Group, error) {
	org, now := orgID(ctx), s.now(ctx)
	// Read before the transaction (see groupSchema), checked after the group is known, so an
	// unknown or BUILT_IN group answers 404 or 403 whatever the profile.
	sc, err := s.groupSchema(ctx, org)
	if err != nil {
		return domain.Group{}, err
	}
	var out domain.Group
	err = s.update(ctx, func(tx store.Tx) error {
		g, err := tx.GetGroup(ctx, org, id)
		if err != nil {
			return err
		}
		if err := g.CheckWritable(); err != nil {
			return err
		}
		p, err := domain.NewGroupProfileSchema(profile, sc)
		if err != nil {
			return err
		}
		if reflect.DeepEqual(p, g.Profile) {
			out = g
			return nil
		}
		g.Profile, g.LastUpdated = p, now
		if err := tx.UpdateGroup(ctx, org, g); err != nil {
			return groupConflict(err)
		}
		out = g
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "group.profile.update", "Update group profile", g.LogTarget()))
	})
	return out, err
}

// DeleteGroup deletes an OKTA_GROUP with its memberships, app group assignments and roles
// (store.GroupWriter's DeleteGroup); other types are 403 E0000006.
func (s *Service) DeleteGroup(ctx context.Context, id string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		g, err := tx.GetGroup(ctx, org, id)
		if err != nil {
			return err
		}
		if err := g.CheckWritable(); err != nil {
			return err
		}
		admins, err := roleHolders(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteGroup(ctx, org, id); err != nil {
			return err
		}
		// The members of a group holding a role may have been admins through it alone.
		if err := s.syncAdmins(ctx, tx, org, now, admins...); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "group.lifecycle.delete", "Delete okta group", g.LogTarget()))
	})
}

// AddGroupMember puts a user in an OKTA_GROUP. Adding a member again succeeds and changes
// nothing (no event, lastMembershipUpdated unchanged), as Okta's PUT is idempotent. Unknown
// group or user is 404; a BUILT_IN or APP_GROUP group is 403 E0000006.
func (s *Service) AddGroupMember(ctx context.Context, groupID, userID string) error {
	return s.changeMembership(ctx, groupID, userID, true)
}

// RemoveGroupMember takes a user out of an OKTA_GROUP. Removing a non-member succeeds and
// changes nothing. Errors as AddGroupMember.
func (s *Service) RemoveGroupMember(ctx context.Context, groupID, userID string) error {
	return s.changeMembership(ctx, groupID, userID, false)
}

func (s *Service) changeMembership(ctx context.Context, groupID, userID string, add bool) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		g, err := tx.GetGroup(ctx, org, groupID)
		if err != nil {
			return err
		}
		if err := g.CheckWritable(); err != nil {
			return err
		}
		u, err := tx.GetUser(ctx, org, userID)
		if err != nil {
			return err
		}
		var changed bool
		eventType, message := "group.user_membership.add", "Add user to group membership"
		if add {
			changed, err = tx.AddMember(ctx, org, groupID, userID, now)
		} else {
			eventType, message = "group.user_membership.remove", "Remove user from group membership"
			changed, err = tx.RemoveMember(ctx, org, groupID, userID, now)
		}
		if err != nil || !changed {
			return err
		}
		if err := s.syncMembershipAdmins(ctx, tx, org, userID, []string{groupID}, now); err != nil {
			return err
		}
		if !add {
			if err := s.excludeFromRules(ctx, tx, org, groupID, u, now); err != nil {
				return err
			}
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, eventType, message, u.LogTarget(), g.LogTarget()))
	})
}

// ListGroupMembers returns one page of a group's users by id and the cursor of the next page
// ("" on the last one); an unknown group is 404.
func (s *Service) ListGroupMembers(ctx context.Context, groupID string, p ListParams) (Page[domain.User], error) {
	org := orgID(ctx)
	if _, err := s.Store.GetGroup(ctx, org, groupID); err != nil {
		return Page[domain.User]{}, err
	}
	users, err := s.Store.ListMembers(ctx, org, groupID, p.After, p.Limit+1)
	if err != nil {
		return Page[domain.User]{}, err
	}
	return idPage(users, p.Limit, func(u domain.User) string { return u.ID }), nil
}

// ListUserGroups returns one page of the groups of a user by id and the cursor of the next page
// ("" on the last one); an unknown user is 404.
func (s *Service) ListUserGroups(ctx context.Context, userID string, p ListParams) (Page[domain.Group], error) {
	org := orgID(ctx)
	if _, err := s.Store.GetUser(ctx, org, userID); err != nil {
		return Page[domain.Group]{}, err
	}
	groups, err := s.Store.ListUserGroups(ctx, org, userID, p.After, p.Limit+1)
	if err != nil {
		return Page[domain.Group]{}, err
	}
	return idPage(groups, p.Limit, func(g domain.Group) string { return g.ID }), nil
}

// idPage cuts a list read with one row more than limit down to a page of limit items whose
// Next is the last id shown, as Okta's `after` is for lists in id order; "" when the extra row
// was not there.
func idPage[T any](items []T, limit int, id func(T) string) Page[T] {
	if len(items) <= limit {
		return Page[T]{Items: items}
	}
	items = items[:limit]
	return Page[T]{Items: items, Next: id(items[limit-1])}
}

// GroupStats returns `_embedded.stats` for each group. okapi has no apps, group push or admin
// roles yet, so only usersCount can be non-zero.
func (s *Service) GroupStats(ctx context.Context, groups []domain.Group) (map[string]domain.GroupStats, error) {
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	counts, err := s.Store.CountMembers(ctx, orgID(ctx), ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]domain.GroupStats, len(groups))
	for _, id := range ids {
		out[id] = domain.GroupStats{UsersCount: counts[id]}
	}
	return out, nil
}

// groupConflict turns a name clash into Okta's 400 E0000001.
func groupConflict(err error) error {
	var ce *store.ConflictError
	if errors.As(err, &ce) && ce.Field == "name" {
		return domain.ErrGroupNameTaken()
	}
	return err
}
