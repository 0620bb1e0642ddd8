package httpapi

import (
	"net/http"
	"net/url"
	"strings"
)

// Link is a HAL link object.
type Link struct {
	Href  string     `json:"href"`
	Name  string     `json:"name,omitempty"`
	Type  string     `json:"type,omitempty"`
	Hints *LinkHints `json:"hints,omitempty"`
}

// LinkHints lists the verbs a link allows.
type LinkHints struct {
	Allow []string `json:"allow"`
}

// Links is a resource's _links.
type Links map[string]any

// baseURL is the scheme and host every absolute URL starts with: --public-url when set,
// otherwise the request's own, with a Host header that is not a plain host[:port] ignored so a
// forged Host cannot inject anything into links.
func (s *Server) baseURL(r *http.Request) string {
	if s.public != nil {
		return strings.TrimSuffix(s.public.String(), "/")
	}
	tls := r.TLS != nil
	// Every link of a response needs the base, up to a dozen per user in a page of 200; the
	// host check is the cost. Nearly every request names the same host, so the last answer is
	// kept (one entry: a client varying Host cannot grow it).
	if b := s.lastBase.Load(); b != nil && b.host == r.Host && b.tls == tls {
		return b.url
	}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	host := r.Host
	if !validHost(host) {
		host = "localhost"
	}
	url := scheme + "://" + host
	s.lastBase.Store(&baseEntry{host: r.Host, tls: tls, url: url})
	return url
}

// baseEntry is the base URL computed for a Host header and scheme.
type baseEntry struct {
	host string
	tls  bool
	url  string
}

// validHost accepts host names, IPv4 and bracketed IPv6 literals with an optional port.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	u, err := url.Parse("http://" + h)
	if err != nil || u.Host != h || u.User != nil || u.Path != "" {
		return false
	}
	for _, c := range h {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-:[]", c)
		if !ok {
			return false
		}
	}
	return true
}

// link builds a link to an API path.
func (s *Server) link(r *http.Request, path string) Link { return Link{Href: s.baseURL(r) + path} }

// postLink is a link to a POST operation, in the hints style the v5 spec uses.
func (s *Server) postLink(r *http.Request, path string) Link {
	return Link{Href: s.baseURL(r) + path, Hints: &LinkHints{Allow: []string{"POST"}}}
}
