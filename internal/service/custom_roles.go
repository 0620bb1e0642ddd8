package service

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/role"
	"github.com/okapi-dev/okapi/internal/store"
)

// customRoleKind is the RoleObject kind of custom roles (Parent "").
const customRoleKind = "customRole"

var errRoleLabelTaken = domain.Validation("label", "label: A role with this label already exists")

func decodeCustomRole(o store.RoleObject) (role.CustomRole, error) {
	var r role.CustomRole
	err := json.Unmarshal(o.Data, &r)
	return r, err
}

func putCustomRole(ctx context.Context, tx store.Tx, org string, r role.CustomRole) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.PutRoleObject(ctx, org, store.RoleObject{Kind: customRoleKind, ID: r.ID, Data: data, Created: r.Created.Millis()})
}

func customRoleTarget(r role.CustomRole) domain.LogTarget {
	return domain.LogTarget{ID: r.ID, Type: "ROLE", AlternateID: r.Label, DisplayName: r.Label}
}

// listCustomRoles returns the org's custom roles, oldest first.
func listCustomRoles(ctx context.Context, rd store.Reader, org string) ([]role.CustomRole, error) {
	objs, err := rd.ListRoleObjects(ctx, org, customRoleKind, "", "*")
	if err != nil {
		return nil, err
	}
	out := make([]role.CustomRole, 0, len(objs))
	for _, o := range objs {
		r, err := decodeCustomRole(o)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// findCustomRole finds a custom role by id or label (the API's roleIdOrLabel).
func findCustomRole(ctx context.Context, rd store.Reader, org, idOrLabel string) (role.CustomRole, error) {
	all, err := listCustomRoles(ctx, rd, org)
	if err != nil {
		return role.CustomRole{}, err
	}
	for _, r := range all {
		if r.ID == idOrLabel || r.Label == idOrLabel {
			return r, nil
		}
	}
	return role.CustomRole{}, domain.NotFound(idOrLabel, "CustomRole")
}

// labelTaken reports whether another role of the org has label (ignoring case).
func labelTaken(all []role.CustomRole, label, except string) bool {
	return slices.ContainsFunc(all, func(r role.CustomRole) bool { return r.ID != except && strings.EqualFold(r.Label, label) })
}

// ListCustomRoles is listRoles.
func (s *Service) ListCustomRoles(ctx context.Context) ([]role.CustomRole, error) {
	return listCustomRoles(ctx, s.Store, orgID(ctx))
}

// GetCustomRole is getRole.
func (s *Service) GetCustomRole(ctx context.Context, idOrLabel string) (role.CustomRole, error) {
	return findCustomRole(ctx, s.Store, orgID(ctx), idOrLabel)
}

// CreateCustomRole is createRole: a label unique in the org, a description and at least one
// permission (iam.role.create).
func (s *Service) CreateCustomRole(ctx context.Context, label, description string, perms []string) (role.CustomRole, error) {
	if err := role.ValidateCustom(label, description, perms, true); err != nil {
		return role.CustomRole{}, err
	}
	org, now := orgID(ctx), s.now(ctx)
	r := role.CustomRole{ID: domain.NewID(s.IDs, role.PrefixCustomRole), Label: label, Description: description,
		Created: now, LastUpdated: now}
	for _, p := range perms {
		if !slices.ContainsFunc(r.Permissions, func(x role.Permission) bool { return x.Label == p }) {
			r.Permissions = append(r.Permissions, role.Permission{Label: p, Created: now, LastUpdated: now})
		}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		all, err := listCustomRoles(ctx, tx, org)
		if err != nil {
			return err
		}
		if labelTaken(all, label, "") {
			return errRoleLabelTaken
		}
		if err := putCustomRole(ctx, tx, org, r); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "iam.role.create", "Create a custom role", customRoleTarget(r)))
	})
	return r, err
}

// mutateCustomRole runs change on the role named idOrLabel and stores it with one event.
func (s *Service) mutateCustomRole(ctx context.Context, idOrLabel, eventType, message string, change func(all []role.CustomRole, r *role.CustomRole) error) (role.CustomRole, error) {
	org, now := orgID(ctx), s.now(ctx)
	var out role.CustomRole
	err := s.update(ctx, func(tx store.Tx) error {
		all, err := listCustomRoles(ctx, tx, org)
		if err != nil {
			return err
		}
		r, err := findCustomRole(ctx, tx, org, idOrLabel)
		if err != nil {
			return err
		}
		if err := change(all, &r); err != nil {
			return err
		}
		r.LastUpdated = now
		if err := putCustomRole(ctx, tx, org, r); err != nil {
			return err
		}
		out = r
		return tx.AppendEvents(ctx, org, s.event(ctx, now, eventType, message, customRoleTarget(r)))
	})
	return out, err
}

// ReplaceCustomRole is replaceRole: label and description (permissions have their own calls).
func (s *Service) ReplaceCustomRole(ctx context.Context, idOrLabel, label, description string) (role.CustomRole, error) {
	if err := role.ValidateCustom(label, description, nil, false); err != nil {
		return role.CustomRole{}, err
	}
	return s.mutateCustomRole(ctx, idOrLabel, "iam.role.update", "Update a custom role", func(all []role.CustomRole, r *role.CustomRole) error {
		if labelTaken(all, label, r.ID) {
			return errRoleLabelTaken
		}
		r.Label, r.Description = label, description
		return nil
	})
}

// DeleteCustomRole is deleteRole (iam.role.delete).
func (s *Service) DeleteCustomRole(ctx context.Context, idOrLabel string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		r, err := findCustomRole(ctx, tx, org, idOrLabel)
		if err != nil {
			return err
		}
		if err := tx.DeleteRoleObject(ctx, org, customRoleKind, "", r.ID, "CustomRole"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "iam.role.delete", "Delete a custom role", customRoleTarget(r)))
	})
}

// CustomRolePermission is getRolePermission.
func (s *Service) CustomRolePermission(ctx context.Context, idOrLabel, permission string) (role.CustomRole, role.Permission, error) {
	r, err := s.GetCustomRole(ctx, idOrLabel)
	if err != nil {
		return r, role.Permission{}, err
	}
	for _, p := range r.Permissions {
		if p.Label == permission {
			return r, p, nil
		}
	}
	return r, role.Permission{}, domain.NotFound(permission, "Permission")
}

// AddCustomRolePermission is createRolePermission (and replaceRolePermission when replace,
// which sets the conditions of a permission the role has).
func (s *Service) AddCustomRolePermission(ctx context.Context, idOrLabel, permission string, conditions map[string]any, replace bool) (role.CustomRole, error) {
	if !role.KnownPermission(permission) {
		return role.CustomRole{}, domain.Validation("permissionType", "permissionType: "+permission+" is not a valid permission")
	}
	now := s.now(ctx)
	return s.mutateCustomRole(ctx, idOrLabel, "iam.role.permission.add", "Add a permission to a custom role", func(_ []role.CustomRole, r *role.CustomRole) error {
		i := slices.IndexFunc(r.Permissions, func(p role.Permission) bool { return p.Label == permission })
		switch {
		case i >= 0 && !replace:
			return domain.NewError(http.StatusBadRequest, domain.CodeValidation, "Api validation failed: permissionType",
				domain.Cause{Summary: "permissionType: The role already has the permission " + permission})
		case i >= 0:
			r.Permissions[i].Conditions, r.Permissions[i].LastUpdated = conditions, now
		case replace:
			return domain.NotFound(permission, "Permission")
		default:
			r.Permissions = append(r.Permissions, role.Permission{Label: permission, Conditions: conditions, Created: now, LastUpdated: now})
		}
		return nil
	})
}

// DeleteCustomRolePermission is deleteRolePermission.
func (s *Service) DeleteCustomRolePermission(ctx context.Context, idOrLabel, permission string) error {
	_, err := s.mutateCustomRole(ctx, idOrLabel, "iam.role.permission.delete", "Delete a permission from a custom role", func(_ []role.CustomRole, r *role.CustomRole) error {
		i := slices.IndexFunc(r.Permissions, func(p role.Permission) bool { return p.Label == permission })
		if i < 0 {
			return domain.NotFound(permission, "Permission")
		}
		r.Permissions = slices.Delete(r.Permissions, i, i+1)
		return nil
	})
	return err
}
