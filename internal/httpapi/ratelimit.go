package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// rateLimit counts the request against its org's bucket and writes Okta's X-Rate-Limit headers.
// It reports false (after answering 429 E0000047) when the bucket is empty. A limiter that fails
// (Redis down) lets the request through: an outage of the counter must not become an outage of
// the API.
func (s *Server) rateLimit(w http.ResponseWriter, r *http.Request, org string) bool {
	if s.limiter == nil {
		return true
	}
	family := ratelimit.Family(r.Method, r.URL.EscapedPath())
	d, err := s.limiter.Take(r.Context(), org, family, s.svc.Clock.Now())
	if err != nil {
		s.log.Warn("rate limiter unavailable; request allowed", "err", err, "request_id", requestID(r))
		return true
	}
	ratelimit.SetHeaders(w.Header(), d)
	if d.Allowed {
		return true
	}
	if d.FirstViolation {
		if err := s.svc.LogRateLimitViolation(r.Context(), family, d.Limit); err != nil {
			s.log.Warn("rate-limit violation not logged", "err", err)
		}
	}
	s.writeError(w, r, ratelimit.Exceeded(d))
	return false
}
