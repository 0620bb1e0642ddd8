package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// probe limits a health probe per client IP (ratelimit.FamilyHealth): probes carry no token,
// so they have no org bucket.
func (s *Server) probe(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ip := callerOf(r.Context()).IP
		if ip == "" {
			ip = "unknown"
		}
		if s.limit(w, r, clientBucketPrefix+"health:"+ip, ratelimit.FamilyHealth, false) {
			h(w, r)
		}
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// readyz answers 200 only when the store answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Store.Ping(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
