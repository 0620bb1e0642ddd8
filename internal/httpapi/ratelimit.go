package httpapi

import (
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// clientBucketPrefix starts the limiter key of requests that name no org (see rateLimitClient).
// Org ids never contain ':', so "client:<ip>" can never be an org's key.
const clientBucketPrefix = "client:"

// rateLimit counts an authenticated request against its org's bucket for the request's family
// and writes Okta's X-Rate-Limit headers. It reports false, after answering 429 E0000047, when
// the bucket is empty. The org's System Log gets system.org.rate_limit.warning when a window
// reaches 60 % of the limit and system.org.rate_limit.violation at its first refusal.
func (s *Server) rateLimit(w http.ResponseWriter, r *http.Request, org string) bool {
	return s.limit(w, r, org, s.familyOf(r), true)
}

// familyOf returns the rate-limit family of the route table row the mux matched (r.Pattern).
// A request served outside the mux falls to Okta's "everything else" bucket.
func (s *Server) familyOf(r *http.Request) string {
	if f := s.families[r.Pattern]; f != "" && f != notLimited {
		return f
	}
	return ratelimit.FamilyOther
}

// rateLimitClient counts an /api/ request that is answered before it is tied to an org: no or
// an invalid token (401), an unknown path or method (404/405), a refused media type or length
// (406/411/413/415). Okta sends the rate-limit headers on every response, and such requests
// have no org bucket, so they share one bucket per client IP with the limit of the "other"
// family. A client guessing tokens, or hammering a wrong URL, is then answered 429 after that
// many failures per window, while the orgs' buckets are untouched. It costs one Take, and only
// on those failing requests. There is no org to log a violation to, so the first refusal of a
// window is an operator warning instead.
func (s *Server) rateLimitClient(w http.ResponseWriter, r *http.Request) bool {
	if s.limiter == nil || !strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	ip := callerOf(r.Context()).IP
	if ip == "" {
		ip = "unknown"
	}
	return s.limit(w, r, clientBucketPrefix+ip, ratelimit.FamilyOther, false)
}

// limit takes one request from the key's bucket of family. A limiter that fails (Redis down)
// lets the request through without headers: an outage of the counter must not become an outage
// of the API.
func (s *Server) limit(w http.ResponseWriter, r *http.Request, key, family string, logToOrg bool) bool {
	if s.limiter == nil {
		return true
	}
	now := s.svc.Clock.Now()
	if logToOrg {
		// An org's bucket follows the org's clock, so tests that freeze or advance it move the
		// rate-limit windows too.
		now = s.svc.Now(r.Context())
	}
	d, err := s.limiter.Take(r.Context(), key, family, now)
	if err != nil {
		s.log.Warn("rate limiter unavailable; request allowed", "err", err, "request_id", requestID(r))
		return true
	}
	if d.Allowed {
		if d.FirstWarning && logToOrg {
			if err := s.svc.LogRateLimitWarning(r.Context(), family, d.Limit, ratelimit.WarningPercent); err != nil {
				s.log.Warn("rate-limit warning not logged", "err", err, "request_id", requestID(r))
			}
		}
		ratelimit.SetHeaders(w.Header(), d)
		return true
	}
	if d.FirstViolation {
		if logToOrg {
			if err := s.svc.LogRateLimitViolation(r.Context(), family, d.Limit); err != nil {
				s.log.Warn("rate-limit violation not logged", "err", err, "request_id", requestID(r))
			}
		} else {
			s.log.Warn("rate limit exceeded by unauthenticated client", "client_ip", callerOf(r.Context()).IP,
				"limit", d.Limit, "request_id", requestID(r))
		}
	}
	// The SDKs wait X-Rate-Limit-Reset - Date + 1 seconds, so Date must come from the clock that
	// set Reset. net/http would write the wall clock; with the service clock both agree even when
	// it is not the wall clock. Exceeded carries the X-Rate-Limit headers; writeError adds them.
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	s.writeError(w, r, ratelimit.Exceeded(d))
	return false
}
