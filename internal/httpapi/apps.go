package httpapi

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/idp"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
)

// appRoutes lists the Applications API: apps and their lifecycle, user and group assignments,
// SAML/WS-Federation signing keys and CSRs, and a SAML app's IdP metadata.
func (s *Server) appRoutes() []endpoint {
	return slices.Concat(
		inFamily(ratelimit.FamilyApp, []route{
			{"GET", "/api/v1/apps/{id}", s.authed(s.h(s.getApp))},
			{"PUT", "/api/v1/apps/{id}", s.authed(s.h(s.replaceApp))},
			{"DELETE", "/api/v1/apps/{id}", s.authed(s.h(s.deleteApp))},
		}),
		inFamily(ratelimit.FamilyApps, []route{
			{"GET", "/api/v1/apps", s.authed(s.h(s.listApps))},
			{"POST", "/api/v1/apps", s.authed(s.h(s.createApp))},
			{"POST", "/api/v1/apps/{id}/lifecycle/activate", s.authed(s.h(s.setAppStatus(application.StatusActive)))},
			{"POST", "/api/v1/apps/{id}/lifecycle/deactivate", s.authed(s.h(s.setAppStatus(application.StatusInactive)))},
			{"GET", "/api/v1/apps/{id}/users", s.authed(s.h(s.listAppUsers))},
			{"POST", "/api/v1/apps/{id}/users", s.authed(s.h(s.assignAppUser))},
			{"GET", "/api/v1/apps/{id}/users/{userId}", s.authed(s.h(s.getAppUser))},
			{"POST", "/api/v1/apps/{id}/users/{userId}", s.authed(s.h(s.updateAppUser))},
			{"DELETE", "/api/v1/apps/{id}/users/{userId}", s.authed(s.h(s.unassignAppUser))},
			{"GET", "/api/v1/apps/{id}/groups", s.authed(s.h(s.listAppGroups))},
			{"GET", "/api/v1/apps/{id}/groups/{groupId}", s.authed(s.h(s.getAppGroup))},
			{"PUT", "/api/v1/apps/{id}/groups/{groupId}", s.authed(s.h(s.assignAppGroup))},
			{"DELETE", "/api/v1/apps/{id}/groups/{groupId}", s.authed(s.h(s.unassignAppGroup))},
			{"GET", "/api/v1/apps/{id}/credentials/keys", s.authed(s.h(s.listAppKeys))},
			{"POST", "/api/v1/apps/{id}/credentials/keys/generate", s.authed(s.h(s.generateAppKey))},
			{"GET", "/api/v1/apps/{id}/credentials/keys/{kid}", s.authed(s.h(s.getAppKey))},
			{"POST", "/api/v1/apps/{id}/credentials/keys/{kid}/clone", s.authed(s.h(s.cloneAppKey))},
			{"GET", "/api/v1/apps/{id}/credentials/csrs", s.authed(s.h(s.listAppCSRs))},
			{"POST", "/api/v1/apps/{id}/credentials/csrs", s.authed(s.h(s.generateAppCSR))},
			{"GET", "/api/v1/apps/{id}/credentials/csrs/{csrId}", s.authed(s.h(s.getAppCSR))},
			{"DELETE", "/api/v1/apps/{id}/credentials/csrs/{csrId}", s.authed(s.h(s.revokeAppCSR))},
			{"GET", "/api/v1/apps/{id}/sso/saml/metadata", s.authed(s.h(s.samlMetadata))},
		}),
	)
}

func (s *Server) appJSON(r *http.Request, a application.App) application.App {
	out := a.Public()
	path := "/api/v1/apps/" + a.ID()
	links := s.lifecycleLinks(r, path, a.Status() == application.StatusActive)
	links["users"] = s.link(r, path+"/users")
	links["groups"] = s.link(r, path+"/groups")
	s.addAccessPolicyLink(r, a, links)
	if a.IsSAML() {
		links["metadata"] = Link{Href: s.baseURL(r) + path + "/sso/saml/metadata", Type: "application/xml"}
	}
	s.logoLinks(r, a, links)
	out["_links"] = links
	return out
}

func decodeApp(r *http.Request) (application.App, error) {
	var in map[string]any
	present, err := decode(r, &in)
	if err != nil {
		return nil, err
	}
	if !present || in == nil {
		return nil, domain.Validation("body", "body: The request body is required")
	}
	for _, f := range application.ReadOnlyFields {
		delete(in, f)
	}
	return application.App(in), nil
}

func (s *Server) listApps(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r, 20, 200)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	apps, next, err := s.svc.ListApps(r.Context(), service.AppQuery{Q: q.Get("q"), Filter: q.Get("filter"), After: q.Get("after"), Limit: limit})
	if err != nil {
		return err
	}
	out := make([]application.App, len(apps))
	for i, a := range apps {
		out[i] = s.appJSON(r, a)
	}
	s.setPageLinks(w, r, next)
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) writeApp(w http.ResponseWriter, r *http.Request, a application.App, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.appJSON(r, a))
	return nil
}

func (s *Server) getApp(w http.ResponseWriter, r *http.Request) error {
	a, err := s.svc.GetApp(r.Context(), r.PathValue("id"))
	return s.writeApp(w, r, a, err)
}

func (s *Server) createApp(w http.ResponseWriter, r *http.Request) error {
	activate, err := activateParam(r)
	if err != nil {
		return err
	}
	in, err := decodeApp(r)
	if err != nil {
		return err
	}
	a, err := s.svc.CreateApp(r.Context(), in, activate)
	return s.writeApp(w, r, a, err)
}

func (s *Server) replaceApp(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeApp(r)
	if err != nil {
		return err
	}
	a, err := s.svc.ReplaceApp(r.Context(), r.PathValue("id"), in)
	return s.writeApp(w, r, a, err)
}

func (s *Server) deleteApp(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteApp(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// setAppStatus answers the lifecycle calls with 200 and {}, as Okta does.
func (s *Server) setAppStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.svc.SetAppStatus(r.Context(), r.PathValue("id"), status); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{})
		return nil
	}
}

// appUserOut is the AppUser schema.
type appUserOut struct {
	ID            string         `json:"id"`
	Created       domain.Time    `json:"created"`
	LastUpdated   domain.Time    `json:"lastUpdated"`
	Scope         string         `json:"scope"`
	Status        string         `json:"status"`
	StatusChanged domain.Time    `json:"statusChanged"`
	SyncState     string         `json:"syncState"`
	Credentials   map[string]any `json:"credentials,omitempty"`
	Profile       map[string]any `json:"profile"`
	Links         Links          `json:"_links"`
}

func (s *Server) appUserJSON(r *http.Request, au service.AppUser) appUserOut {
	out := appUserOut{ID: au.ID, Created: au.Created, LastUpdated: au.LastUpdated, Scope: au.Scope, Status: au.Status,
		StatusChanged: au.StatusChanged, SyncState: au.SyncState, Profile: au.Profile,
		Links: Links{"app": s.link(r, "/api/v1/apps/"+au.AppID), "user": s.link(r, "/api/v1/users/"+au.ID)}}
	if au.GroupID != "" {
		out.Links["group"] = s.link(r, "/api/v1/groups/"+au.GroupID)
	}
	if au.UserName != "" || au.Password != "" {
		out.Credentials = map[string]any{"userName": au.UserName}
		if au.Password != "" {
			out.Credentials["password"] = map[string]any{}
		}
	}
	if out.Profile == nil {
		out.Profile = map[string]any{}
	}
	return out
}

func (s *Server) writeAppUser(w http.ResponseWriter, r *http.Request, au service.AppUser, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.appUserJSON(r, au))
	return nil
}

func (s *Server) listAppUsers(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListAppUsers(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]appUserOut, len(list))
	for i, au := range list {
		out[i] = s.appUserJSON(r, au)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func decodeAppUser(r *http.Request) (service.AppUserInput, error) {
	var in service.AppUserInput
	present, err := decode(r, &in)
	if err == nil && !present {
		err = domain.Validation("body", "body: The request body is required")
	}
	return in, err
}

func (s *Server) assignAppUser(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeAppUser(r)
	if err != nil {
		return err
	}
	au, err := s.svc.AssignAppUser(r.Context(), r.PathValue("id"), in)
	return s.writeAppUser(w, r, au, err)
}

func (s *Server) getAppUser(w http.ResponseWriter, r *http.Request) error {
	au, err := s.svc.GetAppUser(r.Context(), r.PathValue("id"), r.PathValue("userId"))
	return s.writeAppUser(w, r, au, err)
}

func (s *Server) updateAppUser(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeAppUser(r)
	if err != nil {
		return err
	}
	au, err := s.svc.UpdateAppUser(r.Context(), r.PathValue("id"), r.PathValue("userId"), in)
	return s.writeAppUser(w, r, au, err)
}

func (s *Server) unassignAppUser(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.UnassignAppUser(r.Context(), r.PathValue("id"), r.PathValue("userId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

type appGroupOut struct {
	ID          string         `json:"id"`
	LastUpdated domain.Time    `json:"lastUpdated"`
	Priority    int            `json:"priority"`
	Profile     map[string]any `json:"profile"`
	Links       Links          `json:"_links"`
}

func (s *Server) appGroupJSON(r *http.Request, ag service.AppGroup) appGroupOut {
	return appGroupOut{ID: ag.ID, LastUpdated: ag.LastUpdated, Priority: ag.Priority, Profile: ag.Profile,
		Links: Links{"app": s.link(r, "/api/v1/apps/"+ag.AppID), "self": s.link(r, "/api/v1/apps/"+ag.AppID+"/groups/"+ag.ID),
			"group": s.link(r, "/api/v1/groups/"+ag.ID)}}
}

func (s *Server) listAppGroups(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListAppGroups(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]appGroupOut, len(list))
	for i, ag := range list {
		out[i] = s.appGroupJSON(r, ag)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getAppGroup(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.svc.GetAppGroup(r.Context(), r.PathValue("id"), r.PathValue("groupId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.appGroupJSON(r, ag))
	return nil
}

func (s *Server) assignAppGroup(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Priority int            `json:"priority"`
		Profile  map[string]any `json:"profile"`
	}
	if _, err := decode(r, &in); err != nil {
		return err
	}
	ag, err := s.svc.AssignAppGroup(r.Context(), r.PathValue("id"), r.PathValue("groupId"), in.Priority, in.Profile)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.appGroupJSON(r, ag))
	return nil
}

func (s *Server) unassignAppGroup(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.UnassignAppGroup(r.Context(), r.PathValue("id"), r.PathValue("groupId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) listAppKeys(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.svc.ListAppKeys(r.Context(), r.PathValue("id"))
	return writeList(w, keys, err)
}

func (s *Server) generateAppKey(w http.ResponseWriter, r *http.Request) error {
	years, err := strconv.Atoi(r.URL.Query().Get("validityYears"))
	if err != nil {
		return service.ErrIdPValidityYears
	}
	k, err := s.svc.GenerateAppKey(r.Context(), r.PathValue("id"), years)
	return writeOne(w, http.StatusCreated, k, err)
}

func (s *Server) getAppKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.svc.GetAppKey(r.Context(), r.PathValue("id"), r.PathValue("kid"))
	return writeOne(w, http.StatusOK, k, err)
}

func (s *Server) cloneAppKey(w http.ResponseWriter, r *http.Request) error {
	target := r.URL.Query().Get("targetAid")
	if target == "" {
		return domain.NewError(http.StatusBadRequest, domain.CodeMissingParameter, "Missing required parameter: targetAid",
			domain.Cause{Summary: "targetAid: The parameter is required"})
	}
	k, err := s.svc.CloneAppKey(r.Context(), r.PathValue("id"), r.PathValue("kid"), target)
	return writeOne(w, http.StatusCreated, k, err)
}

func (s *Server) listAppCSRs(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListAppCSRs(r.Context(), r.PathValue("id"))
	return writeList(w, list, err)
}

func (s *Server) generateAppCSR(w http.ResponseWriter, r *http.Request) error {
	var m idp.CSRMetadata
	if _, err := decode(r, &m); err != nil {
		return err
	}
	c, err := s.svc.GenerateAppCSR(r.Context(), r.PathValue("id"), m)
	return writeOne(w, http.StatusCreated, c, err)
}

func (s *Server) getAppCSR(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.GetAppCSR(r.Context(), r.PathValue("id"), r.PathValue("csrId"))
	return writeOne(w, http.StatusOK, c, err)
}

func (s *Server) revokeAppCSR(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.RevokeAppCSR(r.Context(), r.PathValue("id"), r.PathValue("csrId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// appGrantRoutes lists the app scope consent grants (ApplicationGrantsAPI).
func (s *Server) appGrantRoutes() []endpoint {
	return inFamily(ratelimit.FamilyApps, []route{
		{"GET", "/api/v1/apps/{id}/grants", s.authed(s.h(s.listScopeGrants))},
		{"POST", "/api/v1/apps/{id}/grants", s.authed(s.h(s.grantScope))},
		{"GET", "/api/v1/apps/{id}/grants/{grantId}", s.authed(s.h(s.getScopeGrant))},
		{"DELETE", "/api/v1/apps/{id}/grants/{grantId}", s.authed(s.h(s.revokeScopeGrant))},
	})
}

// scopeGrantOut is the OAuth2ScopeConsentGrant schema.
type scopeGrantOut struct {
	ID          string         `json:"id"`
	Status      string         `json:"status"`
	Created     domain.Time    `json:"created"`
	LastUpdated domain.Time    `json:"lastUpdated"`
	Issuer      string         `json:"issuer"`
	ClientID    string         `json:"clientId"`
	ScopeID     string         `json:"scopeId"`
	Source      string         `json:"source"`
	CreatedBy   map[string]any `json:"createdBy"`
	Links       Links          `json:"_links"`
}

func (s *Server) scopeGrantJSON(r *http.Request, g service.ScopeGrant) scopeGrantOut {
	self := "/api/v1/apps/" + g.AppID + "/grants/" + g.ID
	return scopeGrantOut{ID: g.ID, Status: g.Status, Created: g.Created, LastUpdated: g.LastUpdated, Issuer: g.Issuer,
		ClientID: g.ClientID, ScopeID: g.ScopeID, Source: g.Source,
		CreatedBy: map[string]any{"id": g.CreatedBy, "type": "User"},
		Links: Links{"self": Link{Href: s.baseURL(r) + self, Hints: &LinkHints{Allow: []string{"GET", "DELETE"}}},
			"app": s.link(r, "/api/v1/apps/"+g.AppID), "client": s.link(r, "/oauth2/v1/clients/"+g.ClientID),
			"scope": s.link(r, "/api/v1/authorizationServers/default/scopes/"+g.ScopeID)}}
}

func (s *Server) listScopeGrants(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListScopeGrants(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]scopeGrantOut, len(list))
	for i, g := range list {
		out[i] = s.scopeGrantJSON(r, g)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) grantScope(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Issuer  string `json:"issuer"`
		ScopeID string `json:"scopeId"`
	}
	if _, err := decode(r, &in); err != nil {
		return err
	}
	g, err := s.svc.GrantScope(r.Context(), r.PathValue("id"), in.Issuer, in.ScopeID)
	return writeOne(w, http.StatusCreated, s.scopeGrantJSON(r, g), err)
}

func (s *Server) getScopeGrant(w http.ResponseWriter, r *http.Request) error {
	g, err := s.svc.GetScopeGrant(r.Context(), r.PathValue("id"), r.PathValue("grantId"))
	return writeOne(w, http.StatusOK, s.scopeGrantJSON(r, g), err)
}

func (s *Server) revokeScopeGrant(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.RevokeScopeGrant(r.Context(), r.PathValue("id"), r.PathValue("grantId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}
