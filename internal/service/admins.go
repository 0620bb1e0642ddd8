package service

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// The Okta Administrators group holds every user with an admin role, assigned to the user or to
// a group the user is in (Groups API: group type BUILT_IN; Okta help, "Okta Administrators
// group"). Its membership is kept as ordinary group_members rows that the
// service writes in the transaction of each change that can make or unmake an admin, rather
// than computed when read: every membership read (a group's users, a user's groups,
// usersCount, group filters, snapshots) then needs no special case, and the writes that matter
// are few: assigning and unassigning roles, membership changes of groups holding a role, and
// deleting such a group. Okta manages the group itself, so the groups API refuses to change
// its members (domain.Group.CheckWritable). No System Log event is written for these
// memberships: the role grant or membership change that caused them is logged.

// adminsGroup returns the org's Okta Administrators group; ok is false for an org created
// before okapi had it, until ensureAdminsGroup adds it.
func adminsGroup(ctx context.Context, r store.Reader, org string) (domain.Group, bool, error) {
	g, err := r.GetBuiltInGroup(ctx, org, domain.AdminsGroupName)
	if errors.Is(err, domain.ErrNotFound) {
		return g, false, nil
	}
	return g, err == nil, err
}

// roleGroups returns the ids of the groups holding an admin role, leaving out the Okta
// Administrators group itself (a role on it would otherwise keep its members admins forever).
func roleGroups(ctx context.Context, r store.Reader, org, adminsID string) ([]string, error) {
	objs, err := r.ListRoleObjects(ctx, org, roleGroup, "*", "*")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, o := range objs {
		if o.Parent != adminsID && !slices.Contains(out, o.Parent) {
			out = append(out, o.Parent)
		}
	}
	return out, nil
}

// isAdmin reports whether the user holds a role directly or through one of groups.
func isAdmin(ctx context.Context, r store.Reader, org, userID string, groups []string) (bool, error) {
	direct, err := r.ListRoleObjects(ctx, org, roleUser, userID, "*")
	if err != nil || len(direct) > 0 {
		return len(direct) > 0, err
	}
	if len(groups) == 0 {
		return false, nil
	}
	return r.InAnyGroup(ctx, org, userID, groups)
}

// syncAdmins puts each of userIDs in the Okta Administrators group or takes them out of it, by
// whether they hold an admin role now.
func (s *Service) syncAdmins(ctx context.Context, tx store.Tx, org string, now domain.Time, userIDs ...string) error {
	admins, ok, err := adminsGroup(ctx, tx, org)
	if !ok || len(userIDs) == 0 {
		return err
	}
	groups, err := roleGroups(ctx, tx, org, admins.ID)
	if err != nil {
		return err
	}
	for _, id := range userIDs {
		admin, err := isAdmin(ctx, tx, org, id, groups)
		if err != nil {
			return err
		}
		if admin {
			_, err = tx.AddMember(ctx, org, admins.ID, id, now)
		} else {
			_, err = tx.RemoveMember(ctx, org, admins.ID, id, now)
		}
		// A deleted user's role assignments stay behind (unused): not a member to add.
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
	}
	return nil
}

// syncGroupAdmins re-checks the members of a group that holds (or just stopped holding) a role.
func (s *Service) syncGroupAdmins(ctx context.Context, tx store.Tx, org, groupID string, now domain.Time) error {
	ids, err := memberIDs(ctx, tx, org, groupID)
	if err != nil {
		return err
	}
	return s.syncAdmins(ctx, tx, org, now, ids...)
}

// syncMembershipAdmins follows a membership change of userID in groupIDs (nil: in any groups):
// only when one of the groups holds a role can the user's admin status have changed. The one
// query this costs when no group holds a role is all a user create pays.
func (s *Service) syncMembershipAdmins(ctx context.Context, tx store.Tx, org, userID string, groupIDs []string, now domain.Time) error {
	objs, err := tx.ListRoleObjects(ctx, org, roleGroup, "*", "*")
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(objs, func(o store.RoleObject) bool { return groupIDs == nil || slices.Contains(groupIDs, o.Parent) }) {
		return nil
	}
	return s.syncAdmins(ctx, tx, org, now, userID)
}

// roleHolders returns the members of a group when it holds a role (nil otherwise): the users
// whose admin status deleting the group may change.
func roleHolders(ctx context.Context, r store.Reader, org, groupID string) ([]string, error) {
	objs, err := r.ListRoleObjects(ctx, org, roleGroup, groupID, "*")
	if err != nil || len(objs) == 0 {
		return nil, err
	}
	return memberIDs(ctx, r, org, groupID)
}

// memberIDs returns the ids of every member of a group.
func memberIDs(ctx context.Context, r store.Reader, org, groupID string) ([]string, error) {
	var ids []string
	err := eachMember(ctx, r, org, groupID, func(u domain.User) { ids = append(ids, u.ID) })
	return ids, err
}

// ensureAdminsGroup adds the Okta Administrators group to an org created before okapi had it
// (on EnsureOrg, a reset and a snapshot restore) and brings its membership in line with the
// roles: the users directly assigned a role and the members of the groups holding one. An
// OKTA_GROUP already called "Okta Administrators" holds the name: the org then goes without.
func (s *Service) ensureAdminsGroup(ctx context.Context, tx store.Tx, org string, now domain.Time) error {
	admins, ok, err := adminsGroup(ctx, tx, org)
	if err != nil {
		return err
	}
	if !ok {
		admins = domain.BuiltInGroup(s.IDs, domain.AdminsGroupName, now)
		if taken, err := groupNameTaken(ctx, tx, org, domain.AdminsGroupName); err != nil || taken {
			return err
		}
		if err := tx.CreateGroup(ctx, org, admins); err != nil {
			return err
		}
	}
	want, err := wantedAdmins(ctx, tx, org, admins.ID)
	if err != nil {
		return err
	}
	have, err := memberIDs(ctx, tx, org, admins.ID)
	if err != nil {
		return err
	}
	return s.writeAdmins(ctx, tx, org, admins.ID, want, have, now)
}

// writeAdmins adds the users of want missing from have to the group and takes those of have
// not in want out, so that an org already in line costs no writes.
func (s *Service) writeAdmins(ctx context.Context, tx store.Tx, org, adminsID string, want, have []string, now domain.Time) error {
	wanted, had := idSet(want), idSet(have)
	for id := range wanted {
		if had[id] {
			continue
		}
		// A deleted user's role assignments stay behind (unused): not a member to add.
		if _, err := tx.AddMember(ctx, org, adminsID, id, now); err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
	}
	for id := range had {
		if wanted[id] {
			continue
		}
		if _, err := tx.RemoveMember(ctx, org, adminsID, id, now); err != nil {
			return err
		}
	}
	return nil
}

func idSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// wantedAdmins returns the users holding a role directly and the members of the groups holding
// one, with repeats.
func wantedAdmins(ctx context.Context, r store.Reader, org, adminsID string) ([]string, error) {
	direct, err := r.ListRoleObjects(ctx, org, roleUser, "*", "*")
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, o := range direct {
		ids = append(ids, o.Parent)
	}
	groups, err := roleGroups(ctx, r, org, adminsID)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		members, err := memberIDs(ctx, r, org, g)
		if err != nil {
			return nil, err
		}
		ids = append(ids, members...)
	}
	return ids, nil
}

// groupNameTaken reports whether a group of org other than an APP_GROUP is called name
// (ignoring case): the names unique in an org (groups_okta_name).
func groupNameTaken(ctx context.Context, r store.Reader, org, name string) (bool, error) {
	gs, err := r.ListGroups(ctx, org, store.GroupQuery{NamePrefix: name, Limit: 100})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(gs, func(g domain.Group) bool {
		return g.Type != domain.GroupApp && strings.EqualFold(g.Name(), name)
	}), nil
}
