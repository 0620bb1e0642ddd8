package service

import (
	"context"
	"errors"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

// DefaultUserTypeDescription is the default type's description, as Okta words it.
const DefaultUserTypeDescription = "Okta user profile template with default permission settings"

func defaultUserType(o domain.Org) domain.UserType {
	return domain.UserType{ID: DefaultUserTypeID(o.ID), Name: "user", DisplayName: "User",
		Description: DefaultUserTypeDescription, Default: true, Created: o.Created, LastUpdated: o.Created}
}

// ListUserTypes is listUserTypes: the default type, then the custom ones.
func (s *Service) ListUserTypes(ctx context.Context) ([]domain.UserType, error) {
	org := orgID(ctx)
	o, err := s.Store.GetOrg(ctx, org)
	if err != nil {
		return nil, err
	}
	custom, err := s.Store.ListUserTypes(ctx, org)
	if err != nil {
		return nil, err
	}
	return append([]domain.UserType{defaultUserType(o)}, custom...), nil
}

// GetUserType is getUserType; "default" names the default type.
func (s *Service) GetUserType(ctx context.Context, id string) (domain.UserType, error) {
	return getUserType(ctx, s.Store, orgID(ctx), id)
}

func getUserType(ctx context.Context, r store.Reader, org, id string) (domain.UserType, error) {
	if id == "default" || id == DefaultUserTypeID(org) {
		o, err := r.GetOrg(ctx, org)
		return defaultUserType(o), err
	}
	if !domain.ValidID(id, domain.PrefixType) {
		return domain.UserType{}, domain.NotFound(id, "UserType")
	}
	return r.GetUserType(ctx, org, id)
}

// CreateUserType is createUserType: at most domain.MaxUserTypes per org, names unique.
func (s *Service) CreateUserType(ctx context.Context, in domain.UserType) (domain.UserType, error) {
	if err := in.Validate(); err != nil {
		return in, err
	}
	org, now := orgID(ctx), s.now(ctx)
	t := in
	t.ID, t.Default, t.Created, t.LastUpdated = domain.NewID(s.IDs, domain.PrefixType), false, now, now
	err := s.update(ctx, func(tx store.Tx) error {
		all, err := tx.ListUserTypes(ctx, org)
		if err != nil {
			return err
		}
		if len(all)+1 >= domain.MaxUserTypes {
			return domain.Validation("name", "name: An org can have at most 10 user types")
		}
		if t.Name == "user" {
			return domain.Validation("name", "name: An object with this field already exists in the current organization")
		}
		if err := tx.CreateUserType(ctx, org, t); err != nil {
			var ce *store.ConflictError
			if errors.As(err, &ce) {
				return domain.Validation("name", "name: An object with this field already exists in the current organization")
			}
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.user_type.create", "Create user type", userTypeTarget(t)))
	})
	return t, err
}

func userTypeTarget(t domain.UserType) domain.LogTarget {
	return domain.LogTarget{ID: t.ID, Type: "UserType", DisplayName: t.DisplayName}
}

// errDefaultType refuses changes to the default type.
var errDefaultType = domain.NewError(http.StatusForbidden, domain.CodeForbidden,
	"You do not have permission to perform the requested action", domain.Cause{Summary: "The default user type cannot be changed or deleted"})

// UpdateUserType is updateUserType (partial) and replaceUserType: only displayName and
// description change; a replace must name the type's name.
func (s *Service) UpdateUserType(ctx context.Context, id string, in domain.UserType, replace bool) (domain.UserType, error) {
	org, now := orgID(ctx), s.now(ctx)
	var t domain.UserType
	err := s.update(ctx, func(tx store.Tx) error {
		old, err := getUserType(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if old.Default {
			return errDefaultType
		}
		t = old
		if replace {
			if in.Name != old.Name {
				return domain.Validation("name", "name: The name of a user type cannot be changed")
			}
			t.DisplayName, t.Description = in.DisplayName, in.Description
		} else {
			if in.DisplayName != "" {
				t.DisplayName = in.DisplayName
			}
			if in.Description != "" {
				t.Description = in.Description
			}
		}
		if err := t.Validate(); err != nil {
			return err
		}
		t.LastUpdated = now
		if err := tx.UpdateUserType(ctx, org, t); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.user_type.update", "Update user type", userTypeTarget(t)))
	})
	return t, err
}

// errTypeInUse refuses deleting a user type that users still have: Okta deletes a type "only
// when there are no users assigned to it" (Okta help, "Delete a user type"). The API's exact
// answer is not documented (unverified); this is its validation error.
func errTypeInUse(name string) error {
	return domain.Validation("id", "id: The user type "+name+" has users; delete them or change their type first")
}

// userTypeInUse reports whether any user of the org, deprovisioned ones included, has the type.
func userTypeInUse(ctx context.Context, r store.Reader, org, typeID string) (bool, error) {
	where, err := parseFilter(`type.id eq "`+typeID+`"`, filter.UsersSearch)
	if err != nil {
		return false, err
	}
	users, _, err := r.ListUsers(ctx, org, store.UserQuery{Where: where, Schema: filter.UsersSearch, IncludeDeprovisioned: true, Limit: 1})
	return len(users) > 0, err
}

// DeleteUserType is deleteUserType; the default type and a type users have cannot be deleted.
func (s *Service) DeleteUserType(ctx context.Context, id string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		t, err := getUserType(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if t.Default {
			return errDefaultType
		}
		if inUse, err := userTypeInUse(ctx, tx, org, t.ID); err != nil || inUse {
			if err == nil {
				err = errTypeInUse(t.Name)
			}
			return err
		}
		if err := tx.DeleteUserType(ctx, org, t.ID); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.user_type.delete", "Delete user type", userTypeTarget(t)))
	})
}

// checkType resolves the type a user is created with: the default unless type.id names one of
// the org's types.
func (s *Service) checkType(ctx context.Context, org string, t *TypeRef) (string, error) {
	if t == nil || t.ID == "" || t.ID == "default" || t.ID == DefaultUserTypeID(org) {
		return DefaultUserTypeID(org), nil
	}
	ut, err := getUserType(ctx, s.reader(ctx), org, t.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return "", domain.Validation("type", "type: The user type "+t.ID+" does not exist")
	}
	return ut.ID, err
}
