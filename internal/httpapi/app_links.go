package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// appLinkRoutes lists listAppLinks: a user's dashboard links.
func (s *Server) appLinkRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/users/{id}/appLinks", s.authed(s.h(s.listAppLinks))},
	})
}

// appLinkJSON is Okta's AppLink. Its id is the user's, as in Okta's examples; linkUrl is the
// dashboard launch URL /home/{appName}/{appId}/{link}, named after the app link (Okta numbers
// them); logoUrl is the app's logo (_links.logo).
type appLinkJSON struct {
	ID               string `json:"id"`
	Label            string `json:"label"`
	LinkURL          string `json:"linkUrl"`
	LogoURL          string `json:"logoUrl"`
	AppName          string `json:"appName"`
	AppInstanceID    string `json:"appInstanceId"`
	AppAssignmentID  string `json:"appAssignmentId"`
	CredentialsSetup bool   `json:"credentialsSetup"`
	Hidden           bool   `json:"hidden"`
	SortOrder        int    `json:"sortOrder"`
}

func (s *Server) listAppLinks(w http.ResponseWriter, r *http.Request) error {
	links, err := s.svc.ListAppLinks(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]appLinkJSON, len(links))
	for i, l := range links {
		logo := Links{}
		s.logoLinks(r, l.App, logo)
		out[i] = appLinkJSON{ID: l.AssignmentID, Label: l.App.Label(), AppName: l.App.Name(), AppInstanceID: l.App.ID(),
			AppAssignmentID: l.AssignmentID, LinkURL: s.baseURL(r) + "/home/" + l.App.Name() + "/" + l.App.ID() + "/" + l.LinkName,
			LogoURL: logo["logo"].([]Link)[0].Href, Hidden: l.App.HiddenOnWeb(), SortOrder: i}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
