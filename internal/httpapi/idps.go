package httpapi

import (
	"net/http"
	"strconv"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/idp"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
)

// idpRoutes lists the Identity Providers API: IdPs and their lifecycle, the org key store,
// IdP signing keys, CSRs and linked users.
func (s *Server) idpRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/idps", s.authed(s.h(s.listIdPs))},
		{"POST", "/api/v1/idps", s.authed(s.h(s.createIdP))},
		{"GET", "/api/v1/idps/credentials/keys", s.authed(s.h(s.listIdPKeys))},
		{"POST", "/api/v1/idps/credentials/keys", s.authed(s.h(s.createIdPKey))},
		{"GET", "/api/v1/idps/credentials/keys/{kid}", s.authed(s.h(s.getIdPKey))},
		{"DELETE", "/api/v1/idps/credentials/keys/{kid}", s.authed(s.h(s.deleteIdPKey))},
		{"GET", "/api/v1/idps/{id}", s.authed(s.h(s.getIdP))},
		{"PUT", "/api/v1/idps/{id}", s.authed(s.h(s.replaceIdP))},
		{"DELETE", "/api/v1/idps/{id}", s.authed(s.h(s.deleteIdP))},
		{"POST", "/api/v1/idps/{id}/lifecycle/activate", s.authed(s.h(s.setIdPStatus(idp.StatusActive)))},
		{"POST", "/api/v1/idps/{id}/lifecycle/deactivate", s.authed(s.h(s.setIdPStatus(idp.StatusInactive)))},
		{"GET", "/api/v1/idps/{id}/credentials/keys", s.authed(s.h(s.listIdPSigningKeys))},
		{"POST", "/api/v1/idps/{id}/credentials/keys/generate", s.authed(s.h(s.generateIdPSigningKey))},
		{"GET", "/api/v1/idps/{id}/credentials/keys/{kid}", s.authed(s.h(s.getIdPSigningKey))},
		{"POST", "/api/v1/idps/{id}/credentials/keys/{kid}/clone", s.authed(s.h(s.cloneIdPSigningKey))},
		{"GET", "/api/v1/idps/{id}/credentials/csrs", s.authed(s.h(s.listIdPCSRs))},
		{"POST", "/api/v1/idps/{id}/credentials/csrs", s.authed(s.h(s.generateIdPCSR))},
		{"GET", "/api/v1/idps/{id}/credentials/csrs/{csrId}", s.authed(s.h(s.getIdPCSR))},
		{"DELETE", "/api/v1/idps/{id}/credentials/csrs/{csrId}", s.authed(s.h(s.revokeIdPCSR))},
		{"GET", "/api/v1/idps/{id}/users", s.authed(s.h(s.listIdPUsers))},
		{"GET", "/api/v1/idps/{id}/users/{userId}", s.authed(s.h(s.getIdPUser))},
		{"POST", "/api/v1/idps/{id}/users/{userId}", s.authed(s.h(s.linkIdPUser))},
		{"DELETE", "/api/v1/idps/{id}/users/{userId}", s.authed(s.h(s.unlinkIdPUser))},
	})
}

// identityProvider is the IdentityProvider schema with its _links.
type identityProvider struct {
	idp.IdP
	Links Links `json:"_links"`
}

func (s *Server) idpJSON(r *http.Request, p idp.IdP) identityProvider {
	path := "/api/v1/idps/" + p.ID
	links := s.lifecycleLinks(r, path, p.Status == idp.StatusActive)
	links["users"] = s.link(r, path+"/users")
	switch str, _ := p.Protocol["type"].(string); str {
	case "SAML2":
		links["acs"] = s.postLink(r, "/sso/saml2/"+p.ID)
		links["metadata"] = s.link(r, path+"/metadata.xml")
	case "OIDC", "OAUTH2":
		links["authorize"] = Link{Href: s.baseURL(r) + "/oauth2/v1/authorize?idp=" + p.ID}
		links["clientRedirectUri"] = s.postLink(r, "/oauth2/v1/authorize/callback")
	}
	return identityProvider{IdP: p, Links: links}
}

// idpBody is what create and replace read; read-only fields are ignored.
type idpBody struct {
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	Status     string         `json:"status"`
	IssuerMode string         `json:"issuerMode"`
	Protocol   map[string]any `json:"protocol"`
	Policy     map[string]any `json:"policy"`
	Properties map[string]any `json:"properties"`
}

func decodeIdP(r *http.Request) (idp.IdP, error) {
	var in idpBody
	present, err := decode(r, &in)
	if err != nil {
		return idp.IdP{}, err
	}
	if !present {
		return idp.IdP{}, domain.Validation("body", "body: The request body is required")
	}
	return idp.IdP{Name: in.Name, Type: in.Type, Status: in.Status, IssuerMode: in.IssuerMode,
		Protocol: in.Protocol, Policy: in.Policy, Properties: in.Properties}, nil
}

func (s *Server) listIdPs(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r, 20, 200)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, next, err := s.svc.ListIdPs(r.Context(), service.IdPQuery{Q: q.Get("q"), Type: q.Get("type"), After: q.Get("after"), Limit: limit})
	if err != nil {
		return err
	}
	out := make([]identityProvider, len(list))
	for i, p := range list {
		out[i] = s.idpJSON(r, p)
	}
	s.setPageLinks(w, r, next)
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) writeIdP(w http.ResponseWriter, r *http.Request, p idp.IdP, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.idpJSON(r, p))
	return nil
}

func (s *Server) getIdP(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.GetIdP(r.Context(), r.PathValue("id"))
	return s.writeIdP(w, r, p, err)
}

func (s *Server) createIdP(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeIdP(r)
	if err != nil {
		return err
	}
	p, err := s.svc.CreateIdP(r.Context(), in)
	return s.writeIdP(w, r, p, err)
}

func (s *Server) replaceIdP(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeIdP(r)
	if err != nil {
		return err
	}
	p, err := s.svc.ReplaceIdP(r.Context(), r.PathValue("id"), in)
	return s.writeIdP(w, r, p, err)
}

func (s *Server) deleteIdP(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteIdP(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) setIdPStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.svc.SetIdPStatus(r.Context(), r.PathValue("id"), status)
		return s.writeIdP(w, r, p, err)
	}
}

func (s *Server) listIdPKeys(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.svc.ListIdPKeys(r.Context())
	return writeList(w, keys, err)
}

func writeList[T any](w http.ResponseWriter, list []T, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func writeOne(w http.ResponseWriter, status int, v any, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, status, v)
	return nil
}

func (s *Server) createIdPKey(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		X5c []string `json:"x5c"`
	}
	if _, err := decode(r, &in); err != nil {
		return err
	}
	k, err := s.svc.CreateIdPKey(r.Context(), in.X5c)
	return writeOne(w, http.StatusOK, k, err)
}

func (s *Server) getIdPKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.svc.GetIdPKey(r.Context(), r.PathValue("kid"))
	return writeOne(w, http.StatusOK, k, err)
}

func (s *Server) deleteIdPKey(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteIdPKey(r.Context(), r.PathValue("kid")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) listIdPSigningKeys(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.svc.ListIdPSigningKeys(r.Context(), r.PathValue("id"))
	return writeList(w, keys, err)
}

func (s *Server) generateIdPSigningKey(w http.ResponseWriter, r *http.Request) error {
	years, err := strconv.Atoi(r.URL.Query().Get("validityYears"))
	if err != nil {
		return service.ErrIdPValidityYears
	}
	k, err := s.svc.GenerateIdPSigningKey(r.Context(), r.PathValue("id"), years)
	return writeOne(w, http.StatusOK, k, err)
}

func (s *Server) getIdPSigningKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.svc.GetIdPSigningKey(r.Context(), r.PathValue("id"), r.PathValue("kid"))
	return writeOne(w, http.StatusOK, k, err)
}

func (s *Server) cloneIdPSigningKey(w http.ResponseWriter, r *http.Request) error {
	target := r.URL.Query().Get("targetIdpId")
	if target == "" {
		return domain.NewError(http.StatusBadRequest, domain.CodeMissingParameter, "Missing required parameter: targetIdpId",
			domain.Cause{Summary: "targetIdpId: The parameter is required"})
	}
	k, err := s.svc.CloneIdPSigningKey(r.Context(), r.PathValue("id"), r.PathValue("kid"), target)
	return writeOne(w, http.StatusCreated, k, err)
}

func (s *Server) listIdPCSRs(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListIdPCSRs(r.Context(), r.PathValue("id"))
	return writeList(w, list, err)
}

func (s *Server) generateIdPCSR(w http.ResponseWriter, r *http.Request) error {
	var m idp.CSRMetadata
	if _, err := decode(r, &m); err != nil {
		return err
	}
	c, err := s.svc.GenerateIdPCSR(r.Context(), r.PathValue("id"), m)
	return writeOne(w, http.StatusCreated, c, err)
}

func (s *Server) getIdPCSR(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.GetIdPCSR(r.Context(), r.PathValue("id"), r.PathValue("csrId"))
	return writeOne(w, http.StatusOK, c, err)
}

func (s *Server) revokeIdPCSR(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.RevokeIdPCSR(r.Context(), r.PathValue("id"), r.PathValue("csrId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// idpUser is the IdentityProviderApplicationUser schema: a user's account at an IdP.
type idpUser struct {
	ID          string         `json:"id"`
	ExternalID  string         `json:"externalId"`
	Created     domain.Time    `json:"created"`
	LastUpdated domain.Time    `json:"lastUpdated"`
	Profile     map[string]any `json:"profile"`
	Links       Links          `json:"_links"`
}

func (s *Server) idpUserJSON(r *http.Request, l idp.Link) idpUser {
	return idpUser{ID: l.UserID, ExternalID: l.ExternalID, Created: l.Created, LastUpdated: l.LastUpdated, Profile: map[string]any{},
		Links: Links{
			"self": s.link(r, "/api/v1/idps/"+l.IdPID+"/users/"+l.UserID),
			"idp":  s.link(r, "/api/v1/idps/"+l.IdPID),
			"user": s.link(r, "/api/v1/users/"+l.UserID),
		}}
}

func (s *Server) listIdPUsers(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListIdPUsers(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]idpUser, len(list))
	for i, l := range list {
		out[i] = s.idpUserJSON(r, l)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getIdPUser(w http.ResponseWriter, r *http.Request) error {
	l, err := s.svc.GetIdPUser(r.Context(), r.PathValue("id"), r.PathValue("userId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.idpUserJSON(r, l))
	return nil
}

func (s *Server) linkIdPUser(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		ExternalID string `json:"externalId"`
	}
	if _, err := decode(r, &in); err != nil {
		return err
	}
	l, err := s.svc.LinkIdPUser(r.Context(), r.PathValue("id"), r.PathValue("userId"), in.ExternalID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.idpUserJSON(r, l))
	return nil
}

func (s *Server) unlinkIdPUser(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.UnlinkIdPUser(r.Context(), r.PathValue("id"), r.PathValue("userId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}
