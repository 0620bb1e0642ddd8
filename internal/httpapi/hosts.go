package httpapi

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

// hostPolicy is the set of Host header values okapi answers for (issue 24.3). Without
// --public-url every absolute URL okapi writes (Link headers, _links, activationUrl,
// resetPasswordUrl, issuers) starts with the request's Host, so a Host okapi does not know
// would let a client plant its own host in them. Like Keycloak's strict hostname
// (https://www.keycloak.org/server/hostname), any other Host is refused with 400.
type hostPolicy struct {
	exact    map[string]bool
	suffixes []string // ".example.com": any subdomain
}

// newHostPolicy accepts loopback names and addresses, the --public-url host, the base domain and
// its subdomains, and allowed: host names or IP literals, "*.example.com" for subdomains.
func newHostPolicy(public, baseDomain string, allowed []string) *hostPolicy {
	p := &hostPolicy{exact: map[string]bool{"localhost": true}, suffixes: []string{".localhost"}}
	add := func(h string) {
		h = normalHost(h)
		if rest, ok := strings.CutPrefix(h, "*."); ok {
			p.suffixes = append(p.suffixes, "."+rest)
		} else if h != "" {
			p.exact[h] = true
		}
	}
	add(public)
	if baseDomain != "" {
		add(baseDomain)
		add("*." + baseDomain)
	}
	for _, h := range allowed {
		add(h)
	}
	return p
}

// normalHost is the host of a Host value, without port, brackets or trailing dot, lower-case.
func normalHost(hostport string) string {
	h := strings.ToLower(hostOnly(strings.TrimSpace(hostport)))
	h = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"), ".")
	return h
}

// allows reports whether the Host value hostport is served. An empty Host (HTTP/1.0) is: links
// then use localhost.
func (p *hostPolicy) allows(hostport string) bool {
	if hostport == "" {
		return true
	}
	if !validHost(hostport) {
		return false
	}
	h := normalHost(hostport)
	if p.exact[h] {
		return true
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return a.IsLoopback()
	}
	for _, s := range p.suffixes {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}

// errUnknownHost is the answer to a Host okapi does not serve.
var errUnknownHost = domain.NewError(http.StatusBadRequest, domain.CodeBadRequest,
	"The request was not valid: this server does not answer for the host named in the Host header (see --allowed-hosts)")

// checkHost refuses requests whose Host is not in the policy. Health checks are exempt: they
// write no URL, and orchestrators probe them by the instance's own address.
func (s *Server) checkHost(next http.Handler) http.Handler {
	if s.hosts == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || s.hosts.allows(r.Host) {
			next.ServeHTTP(w, r)
			return
		}
		s.writeError(w, r, errUnknownHost)
	})
}
