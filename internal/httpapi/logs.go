package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/service"
)

// listLogs is GET /api/v1/logs. A polling query's Link next is always present, even on an
// empty page; a bounded query's only while more events remain.
func (s *Server) listLogs(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r, 100, 1000)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := s.svc.ListLogEvents(r.Context(), service.LogParams{ListParams: p, Since: q.Get("since"), Until: q.Get("until")})
	if err != nil {
		return err
	}
	s.setPageLinks(w, r, page.Next)
	writeJSON(w, http.StatusOK, nonNil(page.Items))
	return nil
}

// listLegacyEvents is the deprecated GET /api/v1/events. Its next link always exists and drops
// startDate, which cannot be combined with after.
func (s *Server) listLegacyEvents(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r, 1000, 1000)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := s.svc.ListLegacyEvents(r.Context(), service.EventParams{ListParams: p, StartDate: q.Get("startDate")})
	if err != nil {
		return err
	}
	s.setPageLinks(w, r, page.Next, "startDate")
	writeJSON(w, http.StatusOK, nonNil(page.Items))
	return nil
}
