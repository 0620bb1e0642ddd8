package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// SchemaReader reads the custom part of the org's user and group schemas.
type SchemaReader interface {
	// GetProfileSchema returns org's schema of kind ("user" or "group"); an org that never
	// changed it gets an empty schema (no properties, zero times) and no error.
	GetProfileSchema(ctx context.Context, org, kind string) (domain.ProfileSchema, error)
}

// SchemaWriter writes schemas.
type SchemaWriter interface {
	// PutProfileSchema stores s (by s.Kind), replacing what was there.
	PutProfileSchema(ctx context.Context, org string, s domain.ProfileSchema) error
}

// GroupRuleReader reads group rules.
type GroupRuleReader interface {
	// GetGroupRule returns one rule, or domain.NotFound(id, "GroupRule").
	GetGroupRule(ctx context.Context, org, id string) (domain.GroupRule, error)
	// ListGroupRules returns org's rules by id; activeOnly keeps the ACTIVE ones (what every
	// user write evaluates).
	ListGroupRules(ctx context.Context, org string, activeOnly bool) ([]domain.GroupRule, error)
}

// GroupRuleWriter writes group rules.
type GroupRuleWriter interface {
	// CreateGroupRule inserts r.
	CreateGroupRule(ctx context.Context, org string, r domain.GroupRule) error
	// UpdateGroupRule replaces r (by id), or domain.NotFound.
	UpdateGroupRule(ctx context.Context, org string, r domain.GroupRule) error
	// DeleteGroupRule removes one, or domain.NotFound.
	DeleteGroupRule(ctx context.Context, org, id string) error
}

// LinkedObjectReader reads linked object definitions.
type LinkedObjectReader interface {
	// ListLinkedObjects returns org's definitions by primary name.
	ListLinkedObjects(ctx context.Context, org string) ([]domain.LinkedObject, error)
}

// LinkedObjectWriter writes linked object definitions.
type LinkedObjectWriter interface {
	// CreateLinkedObject inserts l; a taken primary or associated name is a *ConflictError{"name"}.
	CreateLinkedObject(ctx context.Context, org string, l domain.LinkedObject) error
	// DeleteLinkedObject removes the definition whose primary is primaryName and its values, or
	// domain.NotFound.
	DeleteLinkedObject(ctx context.Context, org, primaryName string) error
}

// LinkValueReader reads linked object values.
type LinkValueReader interface {
	// ListLinkedUsers returns, by id, the users linked to userID: its primary in relationship
	// primaryName when associated is false, else the users whose primary it is.
	ListLinkedUsers(ctx context.Context, org, primaryName, userID string, associated bool) ([]string, error)
}

// LinkValueWriter writes linked object values.
type LinkValueWriter interface {
	// SetLink makes primaryUserID the primary of associatedUserID in primaryName, replacing any.
	SetLink(ctx context.Context, org, primaryName, associatedUserID, primaryUserID string) error
	// DeleteLink removes associatedUserID's primary in primaryName (no error if none).
	DeleteLink(ctx context.Context, org, primaryName, associatedUserID string) error
}

// UserTypeReader reads custom user types (the default type is not stored).
type UserTypeReader interface {
	// GetUserType returns one type, or domain.NotFound(id, "UserType").
	GetUserType(ctx context.Context, org, id string) (domain.UserType, error)
	// ListUserTypes returns org's custom types by id.
	ListUserTypes(ctx context.Context, org string) ([]domain.UserType, error)
}

// UserTypeWriter writes custom user types.
type UserTypeWriter interface {
	// CreateUserType inserts t; a taken name is a *ConflictError{"name"}.
	CreateUserType(ctx context.Context, org string, t domain.UserType) error
	// UpdateUserType replaces displayName and description of t (by id), or domain.NotFound.
	UpdateUserType(ctx context.Context, org string, t domain.UserType) error
	// DeleteUserType removes one, or domain.NotFound.
	DeleteUserType(ctx context.Context, org, id string) error
}
