package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/oidc"
)

// provider is the OAuth 2.0 / OIDC provider over the service's store. The Applications API and
// sign-in are wired in by their method sets (oidc.Clients, oidc.Sessions) as soon as
// *service.Service has them.
func (s *Server) provider() *oidc.Provider {
	s.oauthOnce.Do(func() {
		clients, _ := any(s.svc).(oidc.Clients)
		sessions, _ := any(s.svc).(oidc.Sessions)
		s.oauth = oidc.New(s.svc.Store, s.svc.IDs, s.svc.Now, clients, sessions)
	})
	return s.oauth
}

// authServerRoutes lists the Authorization Servers API
// (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/)
// and the OAuth 2.0 / OIDC runtime endpoints.
func (s *Server) authServerRoutes() []route {
	const base = "/api/v1/authorizationServers"
	const one = base + "/{authServerId}"
	return append([]route{
		{"GET", base, s.authed(s.h(s.listAuthServers))},
		{"POST", base, s.authed(s.h(s.createAuthServer))},
		{"GET", one, s.authed(s.h(s.getAuthServer))},
		{"PUT", one, s.authed(s.h(s.replaceAuthServer))},
		{"DELETE", one, s.authed(s.h(s.deleteAuthServer))},
		{"POST", one + "/lifecycle/activate", s.authed(s.h(s.authServerStatus(oidc.StatusActive)))},
		{"POST", one + "/lifecycle/deactivate", s.authed(s.h(s.authServerStatus(oidc.StatusInactive)))},
		{"GET", one + "/credentials/keys", s.authed(s.h(s.listAuthServerKeys))},
		{"GET", one + "/credentials/keys/{keyId}", s.authed(s.h(s.getAuthServerKey))},
		{"POST", one + "/credentials/lifecycle/keyRotate", s.authed(s.h(s.rotateAuthServerKeys))},
		{"GET", one + "/scopes", s.authed(s.h(s.listScopes))},
		{"POST", one + "/scopes", s.authed(s.h(s.createScope))},
		{"GET", one + "/scopes/{scopeId}", s.authed(s.h(s.getScope))},
		{"PUT", one + "/scopes/{scopeId}", s.authed(s.h(s.replaceScope))},
		{"DELETE", one + "/scopes/{scopeId}", s.authed(s.h(s.deleteScope))},
		{"GET", one + "/claims", s.authed(s.h(s.listClaims))},
		{"POST", one + "/claims", s.authed(s.h(s.createClaim))},
		{"GET", one + "/claims/{claimId}", s.authed(s.h(s.getClaim))},
		{"PUT", one + "/claims/{claimId}", s.authed(s.h(s.replaceClaim))},
		{"DELETE", one + "/claims/{claimId}", s.authed(s.h(s.deleteClaim))},
		{"GET", one + "/policies", s.authed(s.h(s.listASPolicies))},
		{"POST", one + "/policies", s.authed(s.h(s.createASPolicy))},
		{"GET", one + "/policies/{policyId}", s.authed(s.h(s.getASPolicy))},
		{"PUT", one + "/policies/{policyId}", s.authed(s.h(s.replaceASPolicy))},
		{"DELETE", one + "/policies/{policyId}", s.authed(s.h(s.deleteASPolicy))},
		{"POST", one + "/policies/{policyId}/lifecycle/activate", s.authed(s.h(s.asPolicyStatus(oidc.StatusActive)))},
		{"POST", one + "/policies/{policyId}/lifecycle/deactivate", s.authed(s.h(s.asPolicyStatus(oidc.StatusInactive)))},
		{"GET", one + "/policies/{policyId}/rules", s.authed(s.h(s.listASRules))},
		{"POST", one + "/policies/{policyId}/rules", s.authed(s.h(s.createASRule))},
		{"GET", one + "/policies/{policyId}/rules/{ruleId}", s.authed(s.h(s.getASRule))},
		{"PUT", one + "/policies/{policyId}/rules/{ruleId}", s.authed(s.h(s.replaceASRule))},
		{"DELETE", one + "/policies/{policyId}/rules/{ruleId}", s.authed(s.h(s.deleteASRule))},
		{"POST", one + "/policies/{policyId}/rules/{ruleId}/lifecycle/activate", s.authed(s.h(s.asRuleStatus(oidc.StatusActive)))},
		{"POST", one + "/policies/{policyId}/rules/{ruleId}/lifecycle/deactivate", s.authed(s.h(s.asRuleStatus(oidc.StatusInactive)))},
	}, s.oauthRuntimeRoutes()...)
}

// authServerJSON is the AuthorizationServer with its issuer and _links.
type authServerJSON struct {
	oidc.AuthServer
	Issuer string `json:"issuer"`
	Links  Links  `json:"_links"`
}

// serverSegment is the path segment of a server in URLs: Okta writes "default" for the default one.
func serverSegment(a oidc.AuthServer) string {
	if a.Default {
		return oidc.DefaultServerName
	}
	return a.ID
}

// issuer is the server's iss: https://{org}/oauth2/{authServerId}.
func (s *Server) issuer(r *http.Request, a oidc.AuthServer) string {
	return s.baseURL(r) + "/oauth2/" + serverSegment(a)
}

func (s *Server) authServerJSON(r *http.Request, a oidc.AuthServer) authServerJSON {
	if a.Audiences == nil {
		a.Audiences = []string{}
	}
	path := "/api/v1/authorizationServers/" + serverSegment(a)
	self := s.link(r, path)
	self.Hints = &LinkHints{Allow: []string{"GET", "DELETE", "PUT"}}
	getPost := func(p string) Link {
		l := s.link(r, path+p)
		l.Hints = &LinkHints{Allow: []string{"GET", "POST"}}
		return l
	}
	meta := s.issuer(r, a) + "/.well-known/"
	links := Links{
		"self": self, "rotateKey": s.postLink(r, path+"/credentials/lifecycle/keyRotate"),
		"metadata": []Link{{Name: "oauth-authorization-server", Href: meta + "oauth-authorization-server", Hints: &LinkHints{Allow: []string{"GET"}}},
			{Name: "openid-configuration", Href: meta + "openid-configuration", Hints: &LinkHints{Allow: []string{"GET"}}}},
		"keys":   Link{Href: s.baseURL(r) + path + "/credentials/keys", Hints: &LinkHints{Allow: []string{"GET"}}},
		"claims": getPost("/claims"), "policies": getPost("/policies"), "scopes": getPost("/scopes"),
	}
	if a.Status == oidc.StatusActive {
		links["deactivate"] = s.postLink(r, path+"/lifecycle/deactivate")
	} else {
		links["activate"] = s.postLink(r, path+"/lifecycle/activate")
	}
	return authServerJSON{AuthServer: a, Issuer: s.issuer(r, a), Links: links}
}

func (s *Server) listAuthServers(w http.ResponseWriter, r *http.Request) error {
	list, err := s.provider().ListServers(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	out := make([]authServerJSON, len(list))
	for i, a := range list {
		out[i] = s.authServerJSON(r, a)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getAuthServer(w http.ResponseWriter, r *http.Request) error {
	a, err := s.provider().GetServer(r.Context(), r.PathValue("authServerId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.authServerJSON(r, a))
	return nil
}

func (s *Server) createAuthServer(w http.ResponseWriter, r *http.Request) error {
	var in oidc.AuthServer
	if _, err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.provider().CreateServer(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.authServerJSON(r, a))
	return nil
}

func (s *Server) replaceAuthServer(w http.ResponseWriter, r *http.Request) error {
	var in oidc.AuthServer
	if _, err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.provider().ReplaceServer(r.Context(), r.PathValue("authServerId"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.authServerJSON(r, a))
	return nil
}

func (s *Server) deleteAuthServer(w http.ResponseWriter, r *http.Request) error {
	if err := s.provider().DeleteServer(r.Context(), r.PathValue("authServerId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) authServerStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.provider().SetServerStatus(r.Context(), r.PathValue("authServerId"), status); err != nil {
			return err
		}
		noContent(w)
		return nil
	}
}

// keyJSON is a JsonWebKey of the Authorization Servers API.
type keyJSON struct {
	oidc.JWK
	Links Links `json:"_links"`
}

func (s *Server) keyJSON(r *http.Request, server string, k oidc.JWK) keyJSON {
	self := s.link(r, "/api/v1/authorizationServers/"+server+"/credentials/keys/"+k.Kid)
	self.Hints = &LinkHints{Allow: []string{"GET"}}
	return keyJSON{JWK: k, Links: Links{"self": self}}
}

func (s *Server) writeKeys(w http.ResponseWriter, r *http.Request, keys []oidc.JWK) {
	out := make([]keyJSON, len(keys))
	for i, k := range keys {
		out[i] = s.keyJSON(r, r.PathValue("authServerId"), k)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listAuthServerKeys(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.provider().ServerKeys(r.Context(), r.PathValue("authServerId"))
	if err != nil {
		return err
	}
	s.writeKeys(w, r, keys)
	return nil
}

func (s *Server) getAuthServerKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.provider().ServerKey(r.Context(), r.PathValue("authServerId"), r.PathValue("keyId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.keyJSON(r, r.PathValue("authServerId"), k))
	return nil
}

func (s *Server) rotateAuthServerKeys(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Use string `json:"use"`
	}
	if _, err := decode(r, &in); err != nil {
		return err
	}
	keys, err := s.provider().RotateKeys(r.Context(), r.PathValue("authServerId"), in.Use)
	if err != nil {
		return err
	}
	s.writeKeys(w, r, keys)
	return nil
}

func (s *Server) subLinks(r *http.Request, path string, lifecycle string) Links {
	self := s.link(r, path)
	self.Hints = &LinkHints{Allow: []string{"GET", "PUT", "DELETE"}}
	l := Links{"self": self}
	switch lifecycle {
	case oidc.StatusActive:
		l["deactivate"] = s.postLink(r, path+"/lifecycle/deactivate")
	case oidc.StatusInactive:
		l["activate"] = s.postLink(r, path+"/lifecycle/activate")
	}
	return l
}

type asPolicyJSON struct {
	oidc.Policy
	Links Links `json:"_links"`
}

type asRuleJSON struct {
	oidc.Rule
	Links Links `json:"_links"`
}

func (s *Server) asPolicyJSON(r *http.Request, p oidc.Policy) asPolicyJSON {
	path := "/api/v1/authorizationServers/" + r.PathValue("authServerId") + "/policies/" + p.ID
	l := s.subLinks(r, path, p.Status)
	rules := s.link(r, path+"/rules")
	rules.Hints = &LinkHints{Allow: []string{"GET", "POST"}}
	l["rules"] = rules
	return asPolicyJSON{Policy: p, Links: l}
}

func (s *Server) asRuleJSON(r *http.Request, v oidc.Rule) asRuleJSON {
	path := "/api/v1/authorizationServers/" + r.PathValue("authServerId") + "/policies/" + r.PathValue("policyId") + "/rules/" + v.ID
	return asRuleJSON{Rule: v, Links: s.subLinks(r, path, v.Status)}
}

func respond(w http.ResponseWriter, status int, v any, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, status, v)
	return nil
}

func deleted(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) listScopes(w http.ResponseWriter, r *http.Request) error {
	v, err := s.provider().ListScopes(r.Context(), r.PathValue("authServerId"))
	return respond(w, http.StatusOK, v, err)
}

func (s *Server) getScope(w http.ResponseWriter, r *http.Request) error {
	v, err := s.provider().GetScope(r.Context(), r.PathValue("authServerId"), r.PathValue("scopeId"))
	return respond(w, http.StatusOK, v, err)
}

func (s *Server) createScope(w http.ResponseWriter, r *http.Request) error {
	var in oidc.Scope
	if _, err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.provider().CreateScope(r.Context(), r.PathValue("authServerId"), in)
	return respond(w, http.StatusCreated, v, err)
}

func (s *Server) replaceScope(w http.ResponseWriter, r *http.Request) error {
	var in oidc.Scope
	if _, err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.provider().ReplaceScope(r.Context(), r.PathValue("authServerId"), r.PathValue("scopeId"), in)
	return respond(w, http.StatusOK, v, err)
}

func (s *Server) deleteScope(w http.ResponseWriter, r *http.Request) error {
	return deleted(w, s.provider().DeleteScope(r.Context(), r.PathValue("authServerId"), r.PathValue("scopeId")))
}

func (s *Server) listClaims(w http.ResponseWriter, r *http.Request) error {
	v, err := s.provider().ListClaims(r.Context(), r.PathValue("authServerId"))
	return respond(w, http.StatusOK, v, err)
}

func (s *Server) getClaim(w http.ResponseWriter, r *http.Request) error {
	v, err := s.provider().GetClaim(r.Context(), r.PathValue("authServerId"), r.PathValue("claimId"))
	return respond(w, http.StatusOK, v, err)
}

func (s *Server) createClaim(w http.ResponseWriter, r *http.Request) error {
	var in oidc.Claim
	if _, err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.provider().CreateClaim(r.Context(), r.PathValue("authServerId"), in)
	return respond(w, http.StatusCreated, v, err)
}

func (s *Server) replaceClaim(w http.ResponseWriter, r *http.Request) error {
	var in oidc.Claim
	if _, err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.provider().ReplaceClaim(r.Context(), r.PathValue("authServerId"), r.PathValue("claimId"), in)
	return respond(w, http.StatusOK, v, err)
}

func (s *Server) deleteClaim(w http.ResponseWriter, r *http.Request) error {
	return deleted(w, s.provider().DeleteClaim(r.Context(), r.PathValue("authServerId"), r.PathValue("claimId")))
}

func (s *Server) listASPolicies(w http.ResponseWriter, r *http.Request) error {
	list, err := s.provider().ListPolicies(r.Context(), r.PathValue("authServerId"))
	out := make([]asPolicyJSON, len(list))
	for i, p := range list {
		out[i] = s.asPolicyJSON(r, p)
	}
	return respond(w, http.StatusOK, out, err)
}

func (s *Server) getASPolicy(w http.ResponseWriter, r *http.Request) error {
	v, err := s.provider().GetPolicy(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId"))
	return respond(w, http.StatusOK, s.asPolicyJSON(r, v), err)
}

func (s *Server) createASPolicy(w http.ResponseWriter, r *http.Request) error {
	var in oidc.Policy
	if _, err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.provider().CreatePolicy(r.Context(), r.PathValue("authServerId"), in)
	return respond(w, http.StatusCreated, s.asPolicyJSON(r, v), err)
}

func (s *Server) replaceASPolicy(w http.ResponseWriter, r *http.Request) error {
	var in oidc.Policy
	if _, err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.provider().ReplacePolicy(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId"), in)
	return respond(w, http.StatusOK, s.asPolicyJSON(r, v), err)
}

func (s *Server) deleteASPolicy(w http.ResponseWriter, r *http.Request) error {
	return deleted(w, s.provider().DeletePolicy(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId")))
}

func (s *Server) asPolicyStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return deleted(w, s.provider().SetPolicyStatus(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId"), status))
	}
}

func (s *Server) listASRules(w http.ResponseWriter, r *http.Request) error {
	list, err := s.provider().ListRules(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId"))
	out := make([]asRuleJSON, len(list))
	for i, v := range list {
		out[i] = s.asRuleJSON(r, v)
	}
	return respond(w, http.StatusOK, out, err)
}

func (s *Server) getASRule(w http.ResponseWriter, r *http.Request) error {
	v, err := s.provider().GetRule(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId"), r.PathValue("ruleId"))
	return respond(w, http.StatusOK, s.asRuleJSON(r, v), err)
}

func (s *Server) createASRule(w http.ResponseWriter, r *http.Request) error {
	var in oidc.Rule
	if _, err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.provider().CreateRule(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId"), in)
	return respond(w, http.StatusCreated, s.asRuleJSON(r, v), err)
}

func (s *Server) replaceASRule(w http.ResponseWriter, r *http.Request) error {
	var in oidc.Rule
	if _, err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.provider().ReplaceRule(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId"), r.PathValue("ruleId"), in)
	return respond(w, http.StatusOK, s.asRuleJSON(r, v), err)
}

func (s *Server) deleteASRule(w http.ResponseWriter, r *http.Request) error {
	return deleted(w, s.provider().DeleteRule(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId"), r.PathValue("ruleId")))
}

func (s *Server) asRuleStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return deleted(w, s.provider().SetRuleStatus(r.Context(), r.PathValue("authServerId"), r.PathValue("policyId"), r.PathValue("ruleId"), status))
	}
}

// OAuthProvider is the server's OAuth 2.0 / OIDC provider: tests and the wiring of the
// Applications API and sign-in set its Clients and Sessions.
func (s *Server) OAuthProvider() *oidc.Provider { return s.provider() }
