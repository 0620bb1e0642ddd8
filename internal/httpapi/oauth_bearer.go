package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/connlimit"
	"github.com/okapi-dev/okapi/internal/domain"
)

// managementScopes maps the first segment under /api/v1/ to the okta.* scope family that
// grants it (https://developer.okta.com/docs/api/oauth2/ "OAuth 2.0 scopes for Okta APIs").
var managementScopes = map[string]string{
	"users": "okta.users", "groups": "okta.groups", "logs": "okta.logs", "events": "okta.logs",
	"trustedOrigins": "okta.trustedOrigins", "zones": "okta.networkZones", "authorizationServers": "okta.authorizationServers",
	"idps": "okta.idps", "eventHooks": "okta.eventHooks", "api-tokens": "okta.apiTokens", "apps": "okta.apps",
	"meta": "okta.schemas", "policies": "okta.policies", "sessions": "okta.sessions", "authenticators": "okta.authenticators",
	"org": "okta.orgs",
}

// requiredScope is the scope a Management API request needs: okta.<family>.read for reads
// (which .manage also grants), okta.<family>.manage for writes.
func requiredScope(method, path string) (read, manage string) {
	rest, _ := strings.CutPrefix(path, "/api/v1/")
	seg, _, _ := strings.Cut(rest, "/")
	fam, ok := managementScopes[seg]
	if !ok {
		return "", ""
	}
	if method == http.MethodGet || method == http.MethodHead {
		return fam + ".read", fam + ".manage"
	}
	return fam + ".manage", fam + ".manage"
}

var errInsufficientScope = domain.NewError(http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action")

// bearerAuthed authenticates a Management API request carrying an OAuth 2.0 access token from
// the org authorization server (Authorization: Bearer), as Okta accepts for service apps, and
// limits it to the granted okta.* scopes. It reports false, doing nothing, when the request has
// no Bearer token.
func (s *Server) bearerAuthed(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	c := callerOf(r.Context())
	if c.OrgID == "" {
		// No default org (okapi serves named orgs only): no token can be valid.
		c.OrgID, _ = s.svc.DefaultOrgID(r.Context())
	}
	cid, scopes, valid := "", []string(nil), false
	if c.OrgID != "" {
		cid, scopes, valid = s.provider().ManagementToken(r.Context(), s.baseURL(r), strings.TrimSpace(tok))
	}
	if !valid {
		s.authFailed(r)
		if s.rateLimitClient(w, r) {
			s.writeError(w, r, domain.ErrInvalidToken)
		}
		return true
	}
	connlimit.MarkTrusted(r.Context())
	c.Login, c.DisplayName = cid, cid
	n, err := s.svc.ResolveNetwork(r.Context(), c.OrgID, peerAddr(r), r.Header.Values("X-Forwarded-For"), s.trusted)
	if err != nil {
		s.writeError(w, r, err)
		return true
	}
	c.IP, c.IPChain, c.Zone = addrString(n.Client), addrStrings(n.Chain), n.Zone
	if !s.rateLimit(w, r, c.OrgID) {
		return true
	}
	read, manage := requiredScope(r.Method, r.URL.Path)
	if read == "" || !(slices.Contains(scopes, read) || slices.Contains(scopes, manage)) {
		w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="`+s.baseURL(r)+`/oauth2/v1/authorize", realm="`+s.baseURL(r)+`", scope="`+manage+`", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="`+r.URL.Path+`"`)
		s.writeError(w, r, errInsufficientScope)
		return true
	}
	if err := checkPathIDs(r); err != nil {
		s.writeError(w, r, err)
		return true
	}
	h(w, r)
	return true
}
