package service

import (
	"context"
	"errors"

	"github.com/okapi-dev/okapi/internal/application"
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

// AppLink is one app link of a user's dashboard (listAppLinks): an ACTIVE app the user is
// assigned to, directly or through a group, and one of its links (visibility.appLinks).
type AppLink struct {
	App      application.App
	LinkName string
	// AssignmentID is the user's app user id when assigned directly, else the user's id.
	AssignmentID string
}

// ListAppLinks returns a user's app links (listAppLinks: "direct or indirect (via group
// membership) assigned applications"), in the apps' creation order.
func (s *Service) ListAppLinks(ctx context.Context, userIDOrLogin string) ([]AppLink, error) {
	org := orgID(ctx)
	u, err := findUser(ctx, s.Store, org, userIDOrLogin)
	if err != nil {
		return nil, err
	}
	direct, err := s.Store.ListAppObjects(ctx, org, appUserKind, "*", u.ID)
	if err != nil {
		return nil, err
	}
	assigned := map[string]string{}
	for _, o := range direct {
		assigned[o.Parent] = u.ID
	}
	viaGroups, err := s.appsOfUserGroups(ctx, org, u.ID)
	if err != nil {
		return nil, err
	}
	for _, appID := range viaGroups {
		if _, ok := assigned[appID]; !ok {
			assigned[appID] = u.ID
		}
	}
	apps, err := s.Store.ListAppObjects(ctx, org, appKind, "*", "*")
	if err != nil {
		return nil, err
	}
	var out []AppLink
	for _, o := range apps {
		if _, ok := assigned[o.ID]; !ok {
			continue
		}
		a, err := decodeApp(o)
		if err != nil {
			return nil, err
		}
		if a.Status() != application.StatusActive {
			continue
		}
		for _, name := range a.LinkNames() {
			out = append(out, AppLink{App: a, LinkName: name, AssignmentID: assigned[o.ID]})
		}
	}
	return out, nil
}

// appsOfUserGroups returns the ids of the apps assigned to any group the user is in: the user's
// groups are read once, not one membership check per group assignment.
func (s *Service) appsOfUserGroups(ctx context.Context, org, userID string) ([]string, error) {
	assignments, err := s.Store.ListAppObjects(ctx, org, appGroupKind, "*", "*")
	if err != nil || len(assignments) == 0 {
		return nil, err
	}
	mine := map[string]bool{}
	for after := ""; ; {
		groups, err := s.Store.ListUserGroups(ctx, org, userID, after, activationPage)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			mine[g.ID] = true
		}
		if len(groups) < activationPage {
			break
		}
		after = groups[len(groups)-1].ID
	}
	var apps []string
	for _, a := range assignments {
		if mine[a.ID] {
			apps = append(apps, a.Parent)
		}
	}
	return apps, nil
}
