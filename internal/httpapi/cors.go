package httpapi

import (
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

// CORS, as Okta does it: only the endpoints Okta marks "CORS" answer cross-origin requests, and
// only for an Origin that equals (scheme, host and effective port) an ACTIVE trusted origin with
// the CORS scope. The grant echoes that origin (never "*") with credentials allowed.
//
// The CORS endpoints are Okta's end-user ones, the APIs a single-page app calls with the user's
// session or token. Management endpoints are left out on purpose: they take SSWS tokens, which
// are admin credentials that must not live in a browser, and Okta does not mark them.
var (
	corsExact    = map[string]bool{"/api/v1/authn": true, "/api/v1/sessions/me": true, "/api/v1/users/me": true, "/idp/myaccount": true}
	corsPrefixes = []string{"/api/v1/authn/", "/api/v1/sessions/me/", "/api/v1/users/me/", "/idp/myaccount/", "/oauth2/", "/.well-known/"}
)

// corsEnabled reports whether path is one of the CORS endpoints.
func corsEnabled(path string) bool {
	if corsExact[path] {
		return true
	}
	for _, p := range corsPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// What a granted preflight allows. The headers are those browser clients of Okta send
// (okta-auth-js, the Sign-In Widget) plus Authorization for bearer (and, in tests, SSWS) tokens.
const (
	corsAllowMethods  = "GET, POST, PUT, DELETE, OPTIONS"
	corsAllowHeaders  = "Accept, Accept-Language, Authorization, Content-Type, X-Device-Fingerprint, X-Okta-User-Agent-Extended, X-Requested-With"
	corsExposeHeaders = "Link, X-Okta-Request-Id, X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset"
)

var corsMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "DELETE": true, "OPTIONS": true}

// cors answers preflights and OPTIONS, and grants CORS on actual responses. Trusted origins are
// read from the store on each cross-origin request to a CORS endpoint, so a change applies to
// the next request on every instance (one indexed query of a few rows; see BenchmarkCORSCheck).
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		enabled := corsEnabled(r.URL.Path)
		if enabled {
			w.Header().Add("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			if origin != "" && r.Header.Get("Access-Control-Request-Method") != "" {
				s.preflight(w, r, origin, enabled)
				return
			}
			s.options(w, r)
			return
		}
		if origin == "" || !enabled {
			next.ServeHTTP(w, r)
			return
		}
		cw := &corsWriter{ResponseWriter: w, s: s, r: r, origin: origin}
		next.ServeHTTP(cw, r)
		cw.grant()
	})
}

// errCORSRefused answers a preflight that gets no grant. The browser only needs the missing
// Access-Control-Allow-Origin; the body tells a developer why.
func errCORSRefused(origin string) error {
	return domain.NewError(http.StatusForbidden, domain.CodeForbidden, "You do not have permission to perform the requested action",
		domain.Cause{Summary: "Origin " + origin + " is not allowed: it must be an active trusted origin with the CORS scope, calling an endpoint that supports CORS."})
}

func (s *Server) preflight(w http.ResponseWriter, r *http.Request, origin string, enabled bool) {
	method := r.Header.Get("Access-Control-Request-Method")
	if !enabled || !corsMethods[method] || !s.corsAllowed(r, origin) {
		s.writeError(w, r, errCORSRefused(origin))
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Set("Access-Control-Allow-Methods", corsAllowMethods)
	h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// options answers a plain OPTIONS (not a preflight) with the methods the path allows.
func (s *Server) options(w http.ResponseWriter, r *http.Request) {
	probe := &statusProbe{header: http.Header{}}
	h, _ := s.mux.Handler(r)
	h.ServeHTTP(probe, r)
	allow := probe.header.Get("Allow")
	if probe.status != http.StatusMethodNotAllowed || allow == "" {
		s.writeError(w, r, errPathNotFound)
		return
	}
	w.Header().Set("Allow", allow+", OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

// corsAllowed checks origin against the trusted origins of the request's org, decided as the
// real request's org is (issue 24.4): the host's (--base-domain) or, once authenticated, the
// caller's; otherwise see unnamedCORSOrg. An org that cannot be known grants nothing.
func (s *Server) corsAllowed(r *http.Request, origin string) bool {
	org := callerOf(r.Context()).OrgID
	if org == "" {
		var err error
		if org, err = s.unnamedCORSOrg(r); err != nil {
			s.log.Warn("cors: org not resolved", "request_id", requestID(r), "err", err)
			return false
		}
		if org == "" {
			return false
		}
	}
	ok, err := s.svc.CORSAllowed(r.Context(), org, origin)
	if err != nil {
		s.log.Warn("cors: trusted origins not read", "request_id", requestID(r), "err", err)
		return false
	}
	return ok
}

// corsWriter decides the grant of an actual response when its header is written, after the
// handler authenticated the caller and so knows the org.
type corsWriter struct {
	http.ResponseWriter
	s       *Server
	r       *http.Request
	origin  string
	decided bool
}

func (w *corsWriter) grant() {
	if w.decided {
		return
	}
	w.decided = true
	if w.s.corsAllowed(w.r, w.origin) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", w.origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
	}
}

func (w *corsWriter) WriteHeader(code int) {
	w.grant()
	w.ResponseWriter.WriteHeader(code)
}

func (w *corsWriter) Write(b []byte) (int, error) {
	w.grant()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *corsWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// unnamedCORSOrg is the org of a CORS request whose host names none and that carries no
// credentials (a preflight, or a request refused before authentication). /oauth2/* and
// /.well-known/* serve the default org then, so that is their org. On the other CORS
// endpoints (/api/v1/users/me, /api/v1/sessions/me, ...) the real request's SSWS token picks
// the org, which a preflight does not carry: the org is known only while the default org is
// the only one; with several orgs it is "" and CORS is refused (serve them with --base-domain).
func (s *Server) unnamedCORSOrg(r *http.Request) (string, error) {
	if strings.HasPrefix(r.URL.Path, "/oauth2/") || strings.HasPrefix(r.URL.Path, "/.well-known/") {
		return s.svc.DefaultOrgID(r.Context())
	}
	orgs, err := s.svc.ListOrgs(r.Context())
	if err != nil || len(orgs) != 1 || orgs[0].Name != domain.DefaultOrgName {
		return "", err
	}
	return orgs[0].ID, nil
}
