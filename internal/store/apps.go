package store

import "context"

// AppObject is one stored object of the Applications family, as a JSON document the
// application package owns: an app (Kind "app", Parent "", Lookup its OAuth client_id when it
// has one), an app user (Kind "user", Parent the app, ID the user), a group assignment (Kind
// "group", ID the group), an app signing key ("key"), a CSR ("csr") or an OIDC app's ID token
// settings ("idtoken", ID the app).
type AppObject struct {
	Kind, Parent, ID, Lookup string
	Data                     []byte
	Created                  int64
}

// AppReader reads application objects.
type AppReader interface {
	// GetAppObject returns one object, or domain.NotFound(id, notFoundKind).
	GetAppObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (AppObject, error)
	// FindAppByLookup returns the app whose Lookup is lookup (an OAuth client_id), or
	// domain.NotFound(lookup, "Application").
	FindAppByLookup(ctx context.Context, org, lookup string) (AppObject, error)
	// ListAppObjects returns the objects of kind, oldest first, under parent and with id; "*"
	// matches any parent or id. Only backend errors.
	ListAppObjects(ctx context.Context, org, kind, parent, id string) ([]AppObject, error)
}

// AppWriter writes application objects.
type AppWriter interface {
	// PutAppObject inserts o or replaces the object with the same kind, parent and id (keeping
	// its Created). A Lookup another app already has is a *ConflictError{"client_id"}.
	PutAppObject(ctx context.Context, org string, o AppObject) error
	// DeleteAppObject removes one object, or returns domain.NotFound(id, notFoundKind).
	DeleteAppObject(ctx context.Context, org, kind, parent, id, notFoundKind string) error
	// DeleteAppObjects removes every object of kind with id under any parent (a deleted user's
	// or group's assignments), or every object under parent when kind is "*" (a deleted app's).
	// Only backend errors.
	DeleteAppObjects(ctx context.Context, org, kind, parent, id string) error
}
