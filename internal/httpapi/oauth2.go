package httpapi

import (
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/oidc"
)

// oauthRuntimeRoutes lists the OAuth 2.0 / OIDC runtime endpoints with Okta's URLs
// (https://developer.okta.com/docs/reference/api/oidc/): the org authorization server at
// /oauth2/v1/... (discovery at /.well-known/openid-configuration) and every custom one at
// /oauth2/{authorizationServerId}/v1/....
func (s *Server) oauthRuntimeRoutes() []route {
	rows := []route{
		{"GET", "/.well-known/openid-configuration", s.oauth2(s.discovery(true))},
		{"GET", "/.well-known/okta-organization", s.oauth2(s.oktaOrganization)},
		{"GET", "/oauth2/{as}/.well-known/openid-configuration", s.oauth2(s.discovery(true))},
		{"GET", "/oauth2/{as}/.well-known/oauth-authorization-server", s.oauth2(s.discovery(false))},
	}
	for _, base := range []string{"/oauth2/v1", "/oauth2/{as}/v1"} {
		rows = append(rows,
			route{"GET", base + "/keys", s.oauth2(s.oauthKeys)},
			route{"GET", base + "/authorize", s.oauth2(s.oauthAuthorize)},
			route{"POST", base + "/token", s.oauth2(s.oauthToken)},
			route{"POST", base + "/introspect", s.oauth2(s.oauthIntrospect)},
			route{"POST", base + "/revoke", s.oauth2(s.oauthRevoke)},
			route{"GET", base + "/userinfo", s.oauth2(s.oauthUserInfo)},
			route{"POST", base + "/userinfo", s.oauth2(s.oauthUserInfo)},
			route{"GET", base + "/logout", s.oauth2(s.oauthLogout)},
		)
	}
	return rows
}

type oauthHandler func(w http.ResponseWriter, r *http.Request, srv oidc.Server) error

// oauth2 resolves the org (the host's, else the default org) and the authorization server of
// the path, then runs h. OAuth errors are written as Okta's {"error","error_description"}.
func (s *Server) oauth2(h oauthHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := callerOf(r.Context())
		if c.OrgID == "" {
			id, err := s.svc.DefaultOrgID(r.Context())
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			c.OrgID = id
		}
		base := s.baseURL(r)
		ref := r.PathValue("as")
		srv, err := s.provider().Runtime(r.Context(), ref, base, base)
		if err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				writeOAuthError(w, &oidc.Error{Status: http.StatusNotFound, Code: "not_found", Description: "Not found: Resource not found: " + ref + " (AuthorizationServer)"})
				return
			}
			s.writeError(w, r, err)
			return
		}
		if srv.Custom {
			srv.Issuer = base + "/oauth2/" + serverSegment(srv.AS)
		}
		if err := h(w, r, srv); err != nil {
			var oe *oidc.Error
			if errors.As(err, &oe) {
				writeOAuthError(w, oe)
				return
			}
			s.writeError(w, r, err)
		}
	}
}

func writeOAuthError(w http.ResponseWriter, e *oidc.Error) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	if e.Status == http.StatusUnauthorized && e.Code == "invalid_token" || e.Status == http.StatusForbidden {
		w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="", realm="", scope="", error="`+e.Code+`", error_description="`+e.Description+`", resource=""`)
	}
	writeJSON(w, e.Status, e)
}

// endpoints is the base of a server's runtime URLs: {org}/oauth2/v1 or {issuer}/v1.
func endpoints(srv oidc.Server) string {
	if srv.Custom {
		return srv.Issuer + "/v1"
	}
	return srv.OrgURL + "/oauth2/v1"
}

func (s *Server) discovery(openid bool) oauthHandler {
	return func(w http.ResponseWriter, r *http.Request, srv oidc.Server) error {
		if !srv.Custom && r.PathValue("as") != "" {
			return domain.NotFound("", "AuthorizationServer")
		}
		scopes, err := s.provider().PublishedScopes(r.Context(), srv)
		if err != nil {
			return err
		}
		e := endpoints(srv)
		// client_credentials only on custom servers (below), as in Okta's documents.
		grants := slices.DeleteFunc(s.provider().SupportedGrants(), func(g string) bool { return g == "client_credentials" })
		// Only what okapi serves is advertised, so a client that picks a flow or method from
		// discovery (openid-client, okta-auth-js) never picks one that fails: Okta's documents
		// also list implicit, hybrid, password and device_code grants, client_secret_jwt, request
		// objects and DPoP, which okapi does not implement (README, "OAuth 2.0 and OpenID Connect").
		authMethods := []string{"client_secret_basic", "client_secret_post", "private_key_jwt", "none"}
		doc := map[string]any{
			"issuer": srv.Issuer, "authorization_endpoint": e + "/authorize", "token_endpoint": e + "/token",
			"jwks_uri":                 e + "/keys",
			"response_types_supported": []string{"code"},
			"response_modes_supported": []string{"query", "fragment", "form_post", "okta_post_message"},
			"grant_types_supported":    grants,
			"subject_types_supported":  []string{"public"}, "scopes_supported": scopes,
			"token_endpoint_auth_methods_supported":         authMethods,
			"code_challenge_methods_supported":              []string{"S256"},
			"introspection_endpoint":                        e + "/introspect",
			"introspection_endpoint_auth_methods_supported": authMethods,
			"revocation_endpoint":                           e + "/revoke",
			"revocation_endpoint_auth_methods_supported":    authMethods,
			"end_session_endpoint":                          e + "/logout",
			"request_parameter_supported":                   false,
		}
		if openid {
			doc["userinfo_endpoint"] = e + "/userinfo"
			doc["id_token_signing_alg_values_supported"] = []string{"RS256"}
			doc["claims_supported"] = []string{"iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name",
				"nickname", "preferred_username", "given_name", "middle_name", "family_name", "email", "email_verified", "profile",
				"zoneinfo", "locale", "address", "phone_number", "picture", "website", "gender", "birthdate", "updated_at", "at_hash", "c_hash"}
		} else {
			doc["claims_supported"] = []string{"ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub"}
		}
		if srv.Custom {
			doc["grant_types_supported"] = append(doc["grant_types_supported"].([]string), "client_credentials")
		}
		writeJSON(w, http.StatusOK, doc)
		return nil
	}
}

func (s *Server) oauthKeys(w http.ResponseWriter, r *http.Request, srv oidc.Server) error {
	keys, err := s.provider().JWKS(r.Context(), srv)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "max-age=3600, must-revalidate")
	writeJSON(w, http.StatusOK, map[string]any{"keys": keys})
	return nil
}

// oauthForm parses a form POST and refuses what Okta refuses before client authentication:
// repeated parameters and a client secret in the query. Parameters the body lacks are taken from
// the query: Okta's token endpoint accepts them there, and the official SDKs rely on it (the Go
// SDK v5's PrivateKey mode POSTs grant_type, scope and client_assertion in the query string with
// an empty body; okta-aws-cli and the Terraform provider did the same until late 2024).
func oauthForm(r *http.Request, endpoint string) (oidc.ClientAuth, error) {
	q := r.URL.Query()
	if q.Has("client_secret") {
		return oidc.ClientAuth{}, &oidc.Error{Status: 400, Code: "invalid_request", Description: "Client credentials cannot be supplied via query parameters."}
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return oidc.ClientAuth{}, &oidc.Error{Status: 400, Code: "invalid_request", Description: "The request body is malformed."}
	}
	for _, v := range r.Form {
		if len(v) > 1 {
			return oidc.ClientAuth{}, &oidc.Error{Status: 400, Code: "invalid_request", Description: "The request contained multiple parameters with the same name."}
		}
	}
	for k, v := range q {
		if !r.PostForm.Has(k) {
			r.PostForm[k] = v
		}
	}
	a := oidc.ClientAuth{Form: r.PostForm, Endpoint: endpoint}
	if id, pass, ok := r.BasicAuth(); ok {
		a.Basic = true
		a.BasicID, _ = url.QueryUnescape(id)
		a.BasicPass, _ = url.QueryUnescape(pass)
	}
	return a, nil
}

func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request, srv oidc.Server) error {
	a, err := oauthForm(r, endpoints(srv)+"/token")
	if err != nil {
		return err
	}
	resp, err := s.provider().Token(r.Context(), srv, a)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) oauthIntrospect(w http.ResponseWriter, r *http.Request, srv oidc.Server) error {
	a, err := oauthForm(r, endpoints(srv)+"/introspect")
	if err != nil {
		return err
	}
	out, err := s.provider().Introspect(r.Context(), srv, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) oauthRevoke(w http.ResponseWriter, r *http.Request, srv oidc.Server) error {
	a, err := oauthForm(r, endpoints(srv)+"/revoke")
	if err != nil {
		return err
	}
	if err := s.provider().Revoke(r.Context(), srv, a); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) oauthUserInfo(w http.ResponseWriter, r *http.Request, srv oidc.Server) error {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return oidc.ErrUserInfoToken
	}
	out, err := s.provider().UserInfo(r.Context(), srv, strings.TrimSpace(tok))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// oauthSessionCookie is the cookie okapi's sign-in sets (Okta's "sid").
const oauthSessionCookie = "sid"

func (s *Server) oauthAuthorize(w http.ResponseWriter, r *http.Request, srv oidc.Server) error {
	q := r.URL.Query()
	in := oidc.AuthorizeRequest{ClientID: q.Get("client_id"), ResponseType: q.Get("response_type"), Scope: q.Get("scope"),
		RedirectURI: q.Get("redirect_uri"), State: q.Get("state"), Nonce: q.Get("nonce"), ResponseMode: q.Get("response_mode"),
		CodeChallenge: q.Get("code_challenge"), CodeChallengeMethod: q.Get("code_challenge_method"), Prompt: q.Get("prompt"),
		SessionToken: q.Get("sessionToken")}
	if c, err := r.Cookie(oauthSessionCookie); err == nil {
		in.SessionID = c.Value
	}
	res := s.provider().Authorize(r.Context(), srv, in)
	if !res.Redirect {
		// Never redirect to an unregistered URI: the error goes to the user agent.
		writeOAuthError(w, res.Err)
		return nil
	}
	vals := url.Values{}
	for k, v := range res.Params {
		vals.Set(k, v)
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-cache, no-store")
	switch res.Mode {
	case "form_post":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html><body onload="document.forms[0].submit()"><form method="post" action="` + html.EscapeString(res.RedirectURI) + `">`)
		for k, v := range res.Params {
			b.WriteString(`<input type="hidden" name="` + html.EscapeString(k) + `" value="` + html.EscapeString(v) + `"/>`)
		}
		b.WriteString(`</form></body></html>`)
		_, _ = w.Write([]byte(b.String()))
	case "okta_post_message":
		data, _ := json.Marshal(res.Params)
		u, _ := url.Parse(res.RedirectURI)
		origin, _ := json.Marshal(u.Scheme + "://" + u.Host)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><body><script>window.parent.postMessage(` + string(data) + `, ` + string(origin) + `);</script></body></html>`))
	case "fragment":
		http.Redirect(w, r, res.RedirectURI+"#"+vals.Encode(), http.StatusFound)
	default:
		sep := "?"
		if strings.Contains(res.RedirectURI, "?") {
			sep = "&"
		}
		http.Redirect(w, r, res.RedirectURI+sep+vals.Encode(), http.StatusFound)
	}
	return nil
}

// oauthLogout is /v1/logout: okapi ends no browser session here (sign-in owns sessions); it
// redirects to a registered post_logout_redirect_uri with state, never to an unregistered one.
func (s *Server) oauthLogout(w http.ResponseWriter, r *http.Request, srv oidc.Server) error {
	q := r.URL.Query()
	target, err := s.provider().LogoutRedirect(r.Context(), srv, q.Get("id_token_hint"), q.Get("post_logout_redirect_uri"), q.Get("state"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}
