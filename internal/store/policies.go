package store

import "context"

// PolicyObject is a stored policy (Kind "policy", Parent "") or policy rule (Kind "rule", Parent
// the policy's id), as a JSON document the policy package owns. Type is the policy's type (for
// listPolicies?type=), so lists need not decode every document.
type PolicyObject struct {
	Kind, Parent, ID, Type string
	Data                   []byte
	Created                int64
}

// PolicyReader reads policies and rules.
type PolicyReader interface {
	// GetPolicyObject returns one object, or domain.NotFound(id, notFoundKind).
	GetPolicyObject(ctx context.Context, org, kind, parent, id, notFoundKind string) (PolicyObject, error)
	// ListPolicyObjects returns the objects of kind under parent, of type typ when typ is not "",
	// oldest first. Only backend errors.
	ListPolicyObjects(ctx context.Context, org, kind, parent, typ string) ([]PolicyObject, error)
}

// PolicyWriter writes policies and rules.
type PolicyWriter interface {
	// PutPolicyObject inserts o or replaces the object with the same kind, parent and id (keeping
	// its Created). Only backend errors.
	PutPolicyObject(ctx context.Context, org string, o PolicyObject) error
	// DeletePolicyObject removes one object, or returns domain.NotFound(id, notFoundKind).
	DeletePolicyObject(ctx context.Context, org, kind, parent, id, notFoundKind string) error
	// DeletePolicies removes every policy and rule of org (a reset writes the defaults again).
	// Only backend errors.
	DeletePolicies(ctx context.Context, org string) error
}
