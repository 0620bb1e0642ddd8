package service

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/role"
	"github.com/okapi-dev/okapi/internal/store"
)

const roleTargetKind = "target"

// Assignees of roles: Kind of a RoleObject and Okta's assignmentType.
const (
	roleUser  = "user"
	roleGroup = "group"
)

var assignmentTypes = map[string]string{roleUser: "USER", roleGroup: "GROUP"}

// errRoleAssigned answers assigning a role type the assignee already has.
var errRoleAssigned = domain.NewError(http.StatusConflict, "E0000090", "Duplicate role assignment exception.",
	domain.Cause{Summary: "The role specified is already assigned to the user or group."})

// errLastTarget refuses removing a role's only group target, which would widen it to every group.
var errLastTarget = domain.Validation("groupId", "groupId: A role keeps at least one target; unassign the role instead")

func decodeRole(o store.RoleObject) (role.Assignment, error) {
	var a role.Assignment
	err := json.Unmarshal(o.Data, &a)
	return a, err
}

func putRole(ctx context.Context, tx store.Tx, org, kind string, a role.Assignment) error {
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return tx.PutRoleObject(ctx, org, store.RoleObject{Kind: kind, Parent: a.Assignee, ID: a.ID, Data: data, Created: a.Created.Millis()})
}

// assignee checks the user or group exists and returns its System Log target.
func assignee(ctx context.Context, r store.Reader, org, kind, id string) (domain.LogTarget, error) {
	if kind == roleUser {
		u, err := r.GetUser(ctx, org, id)
		return u.LogTarget(), err
	}
	g, err := r.GetGroup(ctx, org, id)
	return domain.LogTarget{ID: g.ID, Type: "UserGroup", DisplayName: g.Name()}, err
}

func roleEvent(kind string, grant bool) (string, string) {
	prefix, who := "user.account.privilege.", "user"
	if kind == roleGroup {
		prefix, who = "group.privilege.", "group"
	}
	if grant {
		return prefix + "grant", "Grant " + who + " privilege"
	}
	return prefix + "revoke", "Revoke " + who + " privilege"
}

// AssignRole gives a user or group (kind "user" or "group") a standard admin role
// (assignRoleToUser, assignRoleToGroup).
func (s *Service) AssignRole(ctx context.Context, kind, assigneeID, roleType string) (role.Assignment, error) {
	org, now := orgID(ctx), s.now(ctx)
	a, err := role.New(s.IDs, roleType, assignmentTypes[kind], assigneeID, now)
	if err != nil {
		return a, err
	}
	err = s.update(ctx, func(tx store.Tx) error {
		target, err := assignee(ctx, tx, org, kind, assigneeID)
		if err != nil {
			return err
		}
		a.Assignee = target.ID
		existing, err := tx.ListRoleObjects(ctx, org, kind, target.ID, "*")
		if err != nil {
			return err
		}
		for _, o := range existing {
			if r, err := decodeRole(o); err == nil && r.Type == roleType {
				return errRoleAssigned
			}
		}
		if err := putRole(ctx, tx, org, kind, a); err != nil {
			return err
		}
		if err := s.syncAssigneeAdmins(ctx, tx, org, kind, target.ID, now); err != nil {
			return err
		}
		typ, msg := roleEvent(kind, true)
		ev := s.event(ctx, now, typ, msg, target)
		ev.DebugContext.DebugData = map[string]any{"privilegeGranted": a.Label}
		return tx.AppendEvents(ctx, org, ev)
	})
	return a, err
}

// ListRoles returns the roles assigned directly to a user or group.
func (s *Service) ListRoles(ctx context.Context, kind, assigneeID string) ([]role.Assignment, error) {
	org := orgID(ctx)
	target, err := assignee(ctx, s.Store, org, kind, assigneeID)
	if err != nil {
		return nil, err
	}
	objs, err := s.Store.ListRoleObjects(ctx, org, kind, target.ID, "*")
	if err != nil {
		return nil, err
	}
	out := make([]role.Assignment, 0, len(objs))
	for _, o := range objs {
		a, err := decodeRole(o)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// GetRole returns one role assignment of a user or group.
func (s *Service) GetRole(ctx context.Context, kind, assigneeID, roleID string) (role.Assignment, error) {
	org := orgID(ctx)
	target, err := assignee(ctx, s.Store, org, kind, assigneeID)
	if err != nil {
		return role.Assignment{}, err
	}
	o, err := s.Store.GetRoleObject(ctx, org, kind, target.ID, roleID, "Role")
	if err != nil {
		return role.Assignment{}, err
	}
	return decodeRole(o)
}

// UnassignRole removes a role (and its targets) from a user or group.
func (s *Service) UnassignRole(ctx context.Context, kind, assigneeID, roleID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		target, err := assignee(ctx, tx, org, kind, assigneeID)
		if err != nil {
			return err
		}
		o, err := tx.GetRoleObject(ctx, org, kind, target.ID, roleID, "Role")
		if err != nil {
			return err
		}
		if err := tx.DeleteRoleObject(ctx, org, kind, target.ID, roleID, "Role"); err != nil {
			return err
		}
		if err := tx.DeleteRoleObjects(ctx, org, roleTargetKind, roleID, "*"); err != nil {
			return err
		}
		if err := s.syncAssigneeAdmins(ctx, tx, org, kind, target.ID, now); err != nil {
			return err
		}
		a, _ := decodeRole(o)
		typ, msg := roleEvent(kind, false)
		ev := s.event(ctx, now, typ, msg, target)
		ev.DebugContext.DebugData = map[string]any{"privilegeRevoked": a.Label}
		return tx.AppendEvents(ctx, org, ev)
	})
}

// ListRoleGroupTargets returns the groups a role is limited to (listGroupTargetsForRole,
// listGroupTargetsForGroupRole); groups deleted since are left out.
func (s *Service) ListRoleGroupTargets(ctx context.Context, kind, assigneeID, roleID string) ([]domain.Group, error) {
	if _, err := s.GetRole(ctx, kind, assigneeID, roleID); err != nil {
		return nil, err
	}
	org := orgID(ctx)
	objs, err := s.Store.ListRoleObjects(ctx, org, roleTargetKind, roleID, "*")
	if err != nil {
		return nil, err
	}
	out := []domain.Group{}
	for _, o := range objs {
		g, err := s.Store.GetGroup(ctx, org, o.ID)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// AssignRoleGroupTarget limits a group-targetable role to a group (assignGroupTargetToUserRole).
func (s *Service) AssignRoleGroupTarget(ctx context.Context, kind, assigneeID, roleID, groupID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		target, err := assignee(ctx, tx, org, kind, assigneeID)
		if err != nil {
			return err
		}
		o, err := tx.GetRoleObject(ctx, org, kind, target.ID, roleID, "Role")
		if err != nil {
			return err
		}
		a, err := decodeRole(o)
		if err != nil {
			return err
		}
		if !role.TakesGroupTargets(a.Type) {
			return domain.Validation("roleId", "roleId: A "+a.Type+" role cannot be limited to groups")
		}
		g, err := tx.GetGroup(ctx, org, groupID)
		if err != nil {
			return err
		}
		if err := tx.PutRoleObject(ctx, org, store.RoleObject{Kind: roleTargetKind, Parent: roleID, ID: g.ID, Data: []byte(`{}`), Created: now.Millis()}); err != nil {
			return err
		}
		typ, msg := roleEvent(kind, true)
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, target, domain.LogTarget{ID: g.ID, Type: "UserGroup", DisplayName: g.Name()}))
	})
}

// UnassignRoleGroupTarget removes a group from a role's targets; the last one stays.
func (s *Service) UnassignRoleGroupTarget(ctx context.Context, kind, assigneeID, roleID, groupID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		target, err := assignee(ctx, tx, org, kind, assigneeID)
		if err != nil {
			return err
		}
		if _, err := tx.GetRoleObject(ctx, org, kind, target.ID, roleID, "Role"); err != nil {
			return err
		}
		all, err := tx.ListRoleObjects(ctx, org, roleTargetKind, roleID, "*")
		if err != nil {
			return err
		}
		if len(all) == 1 && all[0].ID == groupID {
			return errLastTarget
		}
		if err := tx.DeleteRoleObject(ctx, org, roleTargetKind, roleID, groupID, "Group"); err != nil {
			return err
		}
		typ, msg := roleEvent(kind, false)
		return tx.AppendEvents(ctx, org, s.event(ctx, now, typ, msg, target, domain.LogTarget{ID: groupID, Type: "UserGroup"}))
	})
}

// syncAssigneeAdmins follows a role change of a user or group into the Okta Administrators
// group: the user, or every member of the group.
func (s *Service) syncAssigneeAdmins(ctx context.Context, tx store.Tx, org, kind, id string, now domain.Time) error {
	if kind == roleUser {
		return s.syncAdmins(ctx, tx, org, now, id)
	}
	return s.syncGroupAdmins(ctx, tx, org, id, now)
}

// grantSuperAdmin makes a new org's first admin its super admin, as in a new Okta org.
func (s *Service) grantSuperAdmin(ctx context.Context, tx store.Tx, org, userID string, now domain.Time) error {
	a, err := role.New(s.IDs, "SUPER_ADMIN", "USER", userID, now)
	if err != nil {
		return err
	}
	return putRole(ctx, tx, org, roleUser, a)
}
