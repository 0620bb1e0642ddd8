package store

import "context"

// IdPObject is one stored object of the Identity Providers family, as a JSON document: an IdP
// (Kind "idp"), an org key (Kind "key", Parent ""), an IdP's signing key (Kind "key", Parent the
// IdP's id), a CSR (Kind "csr") or a user link (Kind "link", ID the user's id). The family's
// objects are few per org and read whole, so one table keyed by (kind, parent, id) serves them
// all; the idp package owns what Data holds.
type IdPObject struct {
	Kind, Parent, ID string
	// Name is the IdP's name (for q and uniqueness checks), "" for other kinds.
	Name    string
	Data    []byte
	Created int64
}

// IdPReader reads identity provider objects.
type IdPReader interface {
	// GetIdPObject returns one object, or domain.NotFound(id, notFoundKind).
	GetIdPObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (IdPObject, error)
	// ListIdPObjects returns the objects of kind under parent (any parent when parent is "*"),
	// oldest first. Only backend errors.
	ListIdPObjects(ctx context.Context, org, kind, parent string) ([]IdPObject, error)
}

// IdPWriter writes identity provider objects.
type IdPWriter interface {
	// PutIdPObject inserts o, or replaces the object with the same kind, parent and id (keeping
	// its Created). Only backend errors.
	PutIdPObject(ctx context.Context, org string, o IdPObject) error
	// DeleteIdPObject removes one object, or returns domain.NotFound(id, notFoundKind).
	DeleteIdPObject(ctx context.Context, org, kind, parent, id, notFoundKind string) error
	// DeleteIdPChildren removes every object whose parent is parent (an IdP's keys, CSRs and
	// links). Only backend errors.
	DeleteIdPChildren(ctx context.Context, org, parent string) error
}
