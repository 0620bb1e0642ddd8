package service

import (
	"context"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
)

// UserAssigned reports whether userID is assigned to the app whose OAuth client_id is clientID,
// directly (an app user) or through one of the app's group assignments (oidc.Assignments): Okta
// issues a user's tokens only then ("User is not assigned to the client application").
func (s *Service) UserAssigned(ctx context.Context, clientID, userID string) (bool, error) {
	org := orgID(ctx)
	app, err := s.Store.FindAppByLookup(ctx, org, clientID)
	if err != nil {
		return false, err
	}
	_, err = s.Store.GetAppObject(ctx, org, appUserKind, app.ID, userID, "AppUser")
	if err == nil || !errors.Is(err, domain.ErrNotFound) {
		return err == nil, err
	}
	groups, err := s.Store.ListAppObjects(ctx, org, appGroupKind, app.ID, "*")
	if err != nil || len(groups) == 0 {
		return false, err
	}
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	return s.Store.InAnyGroup(ctx, org, userID, ids)
}
