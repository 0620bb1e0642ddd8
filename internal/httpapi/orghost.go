package httpapi

import (
	"net"
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

// hostOrg picks the org of an API request from its host name when okapi serves one org per host
// (--base-domain): <name>.<base> is org <name>; the base domain itself, localhost, IP literals
// and hosts outside the base domain are the default org. The org goes into the Caller before
// CORS and authentication, which then check against it. An unknown org is 404 E0000007.
func (s *Server) hostOrg(next http.Handler) http.Handler {
	if s.baseDomain == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") && !strings.HasPrefix(r.URL.Path, "/oauth2/") && r.URL.Path != "/.well-known/openid-configuration" && r.URL.Path != "/.well-known/okta-organization" && r.URL.Path != logoFilePath {
			next.ServeHTTP(w, r)
			return
		}
		name, ok := orgLabel(r.Host, s.baseDomain)
		if !ok {
			s.writeError(w, r, domain.NotFound(hostOnly(r.Host), "Org"))
			return
		}
		org, err := s.svc.OrgByName(r.Context(), name)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		callerOf(r.Context()).OrgID = org.ID
		next.ServeHTTP(w, r)
	})
}

// orgLabel returns the org a host names under base. ok is false for a host that is under base
// but is not one valid label deep (a.b.base, -x.base), which no org can answer.
func orgLabel(hostport, base string) (name string, ok bool) {
	host := strings.ToLower(strings.TrimSuffix(hostOnly(hostport), "."))
	label, under := strings.CutSuffix(host, "."+base)
	if !under || host == base {
		return domain.DefaultOrgName, true
	}
	if !domain.ValidOrgName(label) {
		return "", false
	}
	return label, true
}

// hostOnly drops the port of a Host header value.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// orgURL is the base URL of the org called name, as seen by the client of r: with per-org hosts,
// the org's own host on the port r came in on; otherwise the one URL every org shares.
func (s *Server) orgURL(r *http.Request, name string) string {
	if s.baseDomain == "" {
		return s.baseURL(r)
	}
	scheme, port := "http", ""
	if r.TLS != nil {
		scheme = "https"
	}
	if _, p, err := net.SplitHostPort(r.Host); err == nil {
		port = ":" + p
	}
	if s.public != nil {
		scheme, port = s.public.Scheme, ""
		if p := s.public.Port(); p != "" {
			port = ":" + p
		}
	}
	host := s.baseDomain
	if name != domain.DefaultOrgName {
		host = name + "." + s.baseDomain
	}
	return scheme + "://" + host + port
}
