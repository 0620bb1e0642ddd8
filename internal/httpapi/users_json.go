package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
)

// user is a minimal User resource, enough for group member lists. The Users API replaces this
// file with the full one (same userJSON signature).
type user struct {
	ID              string         `json:"id"`
	Status          string         `json:"status"`
	Created         domain.Time    `json:"created"`
	Activated       domain.Time    `json:"activated"`
	StatusChanged   domain.Time    `json:"statusChanged"`
	LastLogin       domain.Time    `json:"lastLogin"`
	LastUpdated     domain.Time    `json:"lastUpdated"`
	PasswordChanged domain.Time    `json:"passwordChanged"`
	Type            map[string]any `json:"type"`
	Profile         map[string]any `json:"profile"`
	Credentials     map[string]any `json:"credentials"`
	Links           Links          `json:"_links"`
}

// userJSON encodes a user. In collections Okta sends only the self link.
func (s *Server) userJSON(r *http.Request, u domain.User, inCollection bool) any {
	_ = inCollection // the full version adds lifecycle links outside collections
	profile := u.Profile
	if profile == nil {
		profile = map[string]any{}
	}
	return user{
		ID: u.ID, Status: string(u.Status), Created: u.Created, Activated: u.Activated,
		StatusChanged: u.StatusChanged, LastLogin: u.LastLogin, LastUpdated: u.LastUpdated,
		PasswordChanged: u.PasswordChanged, Type: map[string]any{"id": u.TypeID}, Profile: profile,
		Credentials: map[string]any{"provider": u.Provider},
		Links:       Links{"self": s.link(r, "/api/v1/users/"+u.ID)},
	}
}
