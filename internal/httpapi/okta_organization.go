package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/oidc"
)

// oktaOrganization is GET /.well-known/okta-organization, unauthenticated: the org's id, its
// pipeline ("idx" for an Identity Engine org, "v1" for Classic; okapi emulates Identity Engine)
// and its URL. Clients (the Okta SDKs and Terraform provider) read pipeline to tell the two apart.
// https://developer.okta.com/docs/guides/oie-upgrade-overview/main/#identify-your-okta-solution
func (s *Server) oktaOrganization(w http.ResponseWriter, r *http.Request, srv oidc.Server) error {
	writeJSON(w, http.StatusOK, map[string]any{
		"id":       callerOf(r.Context()).OrgID,
		"pipeline": "idx",
		"_links":   map[string]any{"organization": map[string]any{"href": srv.OrgURL}},
	})
	return nil
}
