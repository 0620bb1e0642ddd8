// Package httpapi is okapi's HTTP layer: one route table, one middleware chain for the Okta API
// conventions, and thin handlers that decode, call the service, and encode.
package httpapi

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/okapi-dev/okapi/internal/connlimit"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/oidc"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
)

// Config is what the HTTP layer needs from the outside.
type Config struct {
	Service *service.Service
	Logger  *slog.Logger
	// AccessLog, when set, receives the access log lines directly (the writer behind Logger,
	// in its JSON form; see accesslog.go); nil sends them through Logger.
	AccessLog io.Writer
	// PublicURL, when set, is the base of every absolute URL okapi writes (links, Link headers).
	PublicURL *url.URL
	// TrustedProxies reports whether an address is one of okapi's own proxies (--trusted-proxies),
	// whose X-Forwarded-For is honoured for every request. An org's ACTIVE zones add their
	// proxies once the request is authenticated. Nil trusts nobody.
	TrustedProxies func(netip.Addr) bool
	// Version is reported by /healthz.
	Version string
	// Limiter applies Okta's rate limits; nil disables them.
	Limiter ratelimit.Limiter
	// BaseDomain, when set, serves one org per host: <org>.<BaseDomain>.
	BaseDomain string
	// OperatorToken guards /okapi/v1; empty refuses every operator call unless
	// OperatorTokenHash is set.
	OperatorToken string
	// OperatorTokenHash is the SHA-256 of the operator token, for an instance that accepts the
	// token another instance made and does not know it (see app.operatorAuth).
	OperatorTokenHash []byte
	// AuthFailureLimit is how many failed authentications per minute a client IP may make
	// before its requests are refused with 429 until the minute ends, whatever the rate-limit
	// profile; 0 is DefaultAuthFailureLimit.
	AuthFailureLimit int
	// StrictHosts refuses (400) a Host that is not loopback, the PublicURL host, BaseDomain or
	// one of its subdomains, or in AllowedHosts (hosts.go). okapi serve always sets it; off, any
	// plain host[:port] is used in links, as in-process tests with httptest hosts need.
	StrictHosts bool
	// AllowedHosts are further host names or IPs ("*.example.com": its subdomains).
	AllowedHosts []string
}

// Server serves the API.
type Server struct {
	svc     *service.Service
	log     *slog.Logger
	access  *accessLog
	public  *url.URL
	trusted func(netip.Addr) bool
	version string
	limiter ratelimit.Limiter
	// baseDomain is Config.BaseDomain; operatorHash the SHA-256 of the operator token.
	baseDomain   string
	operatorHash []byte
	// authFails slows token guessing whatever the rate-limit profile.
	authFails *authFailures
	// hosts is the Host policy; nil accepts any plain host.
	hosts *hostPolicy
	mux   *http.ServeMux
	// families maps each route pattern to its rate-limit family (from the route table).
	families map[string]string
	handler  http.Handler
	// lastBase caches baseURL's last answer.
	lastBase atomic.Pointer[baseEntry]
	// oauth is the OAuth 2.0 / OIDC provider, built on first use (see provider).
	oauthOnce sync.Once
	oauth     *oidc.Provider
}

// New builds the server and its route table.
func New(cfg Config) *Server {
	s := &Server{svc: cfg.Service, log: cfg.Logger, public: cfg.PublicURL, trusted: cfg.TrustedProxies, version: cfg.Version,
		limiter: cfg.Limiter, authFails: newAuthFailures(cfg.AuthFailureLimit)}
	s.baseDomain = strings.ToLower(strings.TrimSuffix(cfg.BaseDomain, "."))
	if cfg.OperatorToken != "" {
		sum := sha256.Sum256([]byte(cfg.OperatorToken))
		s.operatorHash = sum[:]
	} else if len(cfg.OperatorTokenHash) == sha256.Size {
		s.operatorHash = cfg.OperatorTokenHash
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if cfg.StrictHosts {
		public := ""
		if cfg.PublicURL != nil {
			public = cfg.PublicURL.Host
		}
		s.hosts = newHostPolicy(public, s.baseDomain, cfg.AllowedHosts)
	}
	if cfg.AccessLog != nil {
		s.access = &accessLog{w: cfg.AccessLog}
	}
	s.mux = http.NewServeMux()
	s.routes()
	s.handler = s.conventions(s.checkHost(s.hostOrg(s.cors(s.media(http.HandlerFunc(s.dispatch))))))
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// dispatch finds the route; unknown paths and verbs get Okta's errors instead of the mux's text.
// A matched request goes through mux.ServeHTTP, not the handler Handler returned: only ServeHTTP
// sets the request's path values, so r.PathValue("id") would otherwise be "".
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern == "" {
		if !s.rateLimitClient(w, r) {
			return
		}
		probe := &statusProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", probe.header.Get("Allow"))
			s.writeError(w, r, errMethod)
			return
		}
		s.writeError(w, r, errPathNotFound)
		return
	}
	// The mux, not h, serves the request: only ServeMux.ServeHTTP sets r.PathValue.
	s.mux.ServeHTTP(w, r)
}

// statusProbe records what the mux's own 404/405 handler would answer.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header         { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *statusProbe) WriteHeader(code int)        { p.status = code }

// authed wraps a handler that needs an SSWS API token. It resolves the token to its org and
// owner and puts them in the request's Caller.
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.authBlocked(w, r) {
			return
		}
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "SSWS ")
		if !ok && s.bearerAuthed(w, r, h) {
			return
		}
		if !ok {
			s.authFailed(r)
			if s.rateLimitClient(w, r) {
				s.writeError(w, r, domain.ErrInvalidToken)
			}
			return
		}
		p, err := s.svc.Authenticate(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			if errors.Is(err, domain.ErrInvalidToken) {
				s.authFailed(r)
			}
			if s.rateLimitClient(w, r) {
				s.writeError(w, r, err)
			}
			return
		}
		connlimit.MarkTrusted(r.Context())
		c := domain.CallerFrom(r.Context())
		c.OrgID, c.TokenID, c.UserID = p.OrgID, p.Token.ID, p.Owner.ID
		c.Login, c.DisplayName = p.Owner.Login(), p.Owner.DisplayName()
		// Second step of client-IP resolution: now that the org is known, its zones' proxies
		// are trusted too, and the request can be placed in a zone.
		n, err := s.svc.ResolveNetwork(r.Context(), p.OrgID, peerAddr(r), r.Header.Values("X-Forwarded-For"), s.trusted)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		c.IP, c.IPChain, c.Zone = addrString(n.Client), addrStrings(n.Chain), n.Zone
		if !s.rateLimit(w, r, p.OrgID) {
			return
		}
		if err := s.svc.CheckTokenNetwork(r.Context(), p.Token, n); err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := checkPathIDs(r); err != nil {
			s.writeError(w, r, err)
			return
		}
		if !s.authorize(w, r, p.Owner.ID) {
			return
		}
		h(w, r)
	}
}

// callerOrg is a shortcut for handlers.
func callerOf(ctx context.Context) *domain.Caller { return domain.CallerFrom(ctx) }
