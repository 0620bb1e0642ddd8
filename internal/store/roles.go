package store

import "context"

// RoleObject is a stored role assignment (Kind "user" or "group", Parent the user or group id)
// or group target (Kind "target", Parent the assignment id, ID the target group's id), as a
// JSON document the role package owns.
type RoleObject struct {
	Kind, Parent, ID string
	Data             []byte
	Created          int64
}

// RoleReader reads role assignments and targets.
type RoleReader interface {
	// GetRoleObject returns one object, or domain.NotFound(id, notFoundKind).
	GetRoleObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (RoleObject, error)
	// ListRoleObjects returns the objects of kind under parent ("*": any) with id ("*": any),
	// oldest first. Only backend errors.
	ListRoleObjects(ctx context.Context, org, kind, parent, id string) ([]RoleObject, error)
}

// RoleWriter writes role assignments and targets.
type RoleWriter interface {
	// PutRoleObject inserts o, or replaces the object with the same kind, parent and id. Only
	// backend errors.
	PutRoleObject(ctx context.Context, org string, o RoleObject) error
	// DeleteRoleObject removes one object, or returns domain.NotFound(id, notFoundKind).
	DeleteRoleObject(ctx context.Context, org, kind, parent, id, notFoundKind string) error
	// DeleteRoleObjects removes the objects of kind under parent ("*": any) with id ("*": any).
	// Only backend errors.
	DeleteRoleObjects(ctx context.Context, org, kind, parent, id string) error
}
