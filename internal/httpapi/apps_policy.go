package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/application"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// appPolicyRoutes lists an app's authentication policy (assignApplicationPolicy) and the
// internal ID token settings endpoint the Terraform okta provider uses for an OIDC app's groups
// claim (not in Okta's public API).
func (s *Server) appPolicyRoutes() []endpoint {
	return inFamily(ratelimit.FamilyApps, []route{
		{"PUT", "/api/v1/apps/{id}/policies/{policyId}", s.authed(s.h(s.assignAppPolicy))},
		{"GET", "/api/v1/internal/apps/{id}/settings/oauth/idToken", s.authed(s.h(s.getIDTokenSettings))},
		{"POST", "/api/v1/internal/apps/{id}/settings/oauth/idToken", s.authed(s.h(s.setIDTokenSettings))},
	})
}

// addAccessPolicyLink links an app to its authentication policy (_links.accessPolicy), as an
// Identity Engine org shows it.
func (s *Server) addAccessPolicyLink(r *http.Request, a application.App, links Links) {
	if id := a.AccessPolicy(); id != "" {
		links["accessPolicy"] = s.link(r, "/api/v1/policies/"+id)
	}
}

// assignAppPolicy answers 204 with no body, as Okta does; a body is ignored.
func (s *Server) assignAppPolicy(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.AssignAppPolicy(r.Context(), r.PathValue("id"), r.PathValue("policyId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// idTokenOut is the internal endpoint's answer as Okta gives it: the issuer fields are null
// (okapi has no custom issuers for them), an unset claim field is null, and groupFilterType
// appears only when set.
type idTokenOut struct {
	Issuer          *string `json:"issuer"`
	OrgURL          *string `json:"orgUrl"`
	CustomURL       *string `json:"customUrl"`
	Audience        *string `json:"audience"`
	IssuerMode      string  `json:"issuerMode"`
	ValueType       *string `json:"valueType"`
	GroupFilterType string  `json:"groupFilterType,omitempty"`
	Name            *string `json:"name"`
	Value           *string `json:"value"`
}

// orNull is nil for "" (JSON null).
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func idTokenJSON(t application.IDTokenSettings) idTokenOut {
	return idTokenOut{IssuerMode: t.IssuerMode, ValueType: orNull(t.ValueType), GroupFilterType: t.GroupFilterType,
		Name: orNull(t.Name), Value: orNull(t.Value)}
}

func (s *Server) getIDTokenSettings(w http.ResponseWriter, r *http.Request) error {
	t, err := s.svc.IDTokenSettings(r.Context(), r.PathValue("id"))
	return writeOne(w, http.StatusOK, idTokenJSON(t), err)
}

func (s *Server) setIDTokenSettings(w http.ResponseWriter, r *http.Request) error {
	var in application.IDTokenSettings
	present, err := decode(r, &in)
	if err == nil && !present {
		err = domain.Validation("body", "body: The request body is required")
	}
	if err != nil {
		return err
	}
	t, err := s.svc.SetIDTokenSettings(r.Context(), r.PathValue("id"), in)
	return writeOne(w, http.StatusOK, idTokenJSON(t), err)
}
