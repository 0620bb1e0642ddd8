package httpapi

import (
	"net/http"
	"sync"
	"time"

	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// Brute-force protection for API tokens. It is separate from Okta's rate limits on purpose:
// those can be turned off (--rate-limit-profile off) or fail open when Redis is down, and a
// token guesser must be slowed in every configuration.
const (
	// DefaultAuthFailureLimit is how many failed authentications a client IP may make per
	// AuthFailureWindow before every authentication from it is refused until the window ends.
	DefaultAuthFailureLimit = 100
	// AuthFailureWindow is the length of the failure-counting window.
	AuthFailureWindow = time.Minute
	// maxTrackedIPs bounds the limiter's memory; past it, expired windows are dropped, and if
	// every window is live the oldest half of the table is.
	maxTrackedIPs = 100_000
)

// authFailures counts failed authentications per client IP in fixed windows, in memory (each
// instance counts its own; a token has ~240 bits of entropy, so the limit is defence in depth,
// not the only thing between a guesser and a token).
type authFailures struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	ips    map[string]*failWindow
}

type failWindow struct {
	start time.Time
	n     int
}

func newAuthFailures(limit int) *authFailures {
	if limit <= 0 {
		limit = DefaultAuthFailureLimit
	}
	return &authFailures{limit: limit, window: AuthFailureWindow, ips: map[string]*failWindow{}}
}

// blocked reports whether ip has used up its failures in the current window, and when that
// window ends. A blocked IP is refused before its token is even looked at: were a right token
// still accepted, the 429s would tell a guesser which guesses were wrong.
func (a *authFailures) blocked(ip string, now time.Time) (bool, time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	w := a.ips[ip]
	if w == nil || !now.Before(w.start.Add(a.window)) {
		return false, time.Time{}
	}
	return w.n >= a.limit, w.start.Add(a.window)
}

// fail counts one failed authentication from ip.
func (a *authFailures) fail(ip string, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	w := a.ips[ip]
	if w == nil || !now.Before(w.start.Add(a.window)) {
		if len(a.ips) >= maxTrackedIPs {
			a.prune(now)
		}
		w = &failWindow{start: now}
		a.ips[ip] = w
	}
	w.n++
}

// prune drops expired windows, then, if the table is still full, the older half.
func (a *authFailures) prune(now time.Time) {
	for ip, w := range a.ips {
		if !now.Before(w.start.Add(a.window)) {
			delete(a.ips, ip)
		}
	}
	if len(a.ips) < maxTrackedIPs {
		return
	}
	cut := now.Add(-a.window / 2)
	for ip, w := range a.ips {
		if w.start.Before(cut) {
			delete(a.ips, ip)
		}
	}
	if len(a.ips) >= maxTrackedIPs { // all in the last half window: start over
		a.ips = map[string]*failWindow{}
	}
}

// authBlocked answers 429 E0000047 when the request's client IP has failed to authenticate too
// often in the current window, and reports whether it did.
func (s *Server) authBlocked(w http.ResponseWriter, r *http.Request) bool {
	now := s.svc.Clock.Now()
	blocked, reset := s.authFails.blocked(clientKey(r), now)
	if !blocked {
		return false
	}
	s.log.Warn("authentication refused: too many failures from this client", "client_ip", callerOf(r.Context()).IP,
		"request_id", requestID(r))
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	s.writeError(w, r, ratelimit.Exceeded(ratelimit.Decision{Limit: s.authFails.limit, Reset: reset}))
	return true
}

// authFailed counts a failed authentication of the request's client.
func (s *Server) authFailed(r *http.Request) { s.authFails.fail(clientKey(r), s.svc.Clock.Now()) }

// clientKey is the client IP resolved with okapi's --trusted-proxies only (an org's zones are
// not known before the token is), so a forged X-Forwarded-For cannot spread guesses over
// many keys.
func clientKey(r *http.Request) string {
	if ip := callerOf(r.Context()).IP; ip != "" {
		return ip
	}
	return "unknown"
}
