package service

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// UserMeta is what the user type and user schema endpoints show: okapi has one user type and
// one schema per org, with ids derived from the org id, created with the org.
type UserMeta struct {
	TypeID, SchemaID string
	Created          domain.Time
}

// GetUserMeta returns the caller's org's user type and schema identity. typeID may be the
// type's id or "default"; any other is 404 E0000007.
func (s *Service) GetUserMeta(ctx context.Context, typeID string) (UserMeta, error) {
	org := orgID(ctx)
	m := UserMeta{TypeID: DefaultUserTypeID(org), SchemaID: DefaultUserSchemaID(org)}
	if typeID != "" && typeID != "default" && typeID != m.TypeID && typeID != m.SchemaID {
		return m, domain.NotFound(typeID, "UserType")
	}
	o, err := s.Store.GetOrg(ctx, org)
	if err != nil {
		return m, err
	}
	m.Created = o.Created
	return m, nil
}
