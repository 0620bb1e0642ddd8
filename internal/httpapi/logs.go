package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
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
	return writePage(s, w, r, page, func(e domain.LogEvent) domain.LogEvent { return e })
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
	base := s.baseURL(r) + r.URL.Path
	w.Header().Add("Link", "<"+withQuery(base, q)+`>; rel="self"`)
	q.Del("startDate")
	q.Set("after", page.Next)
	w.Header().Add("Link", "<"+withQuery(base, q)+`>; rel="next"`)
	if page.Items == nil {
		page.Items = []domain.LegacyEvent{}
	}
	writeJSON(w, http.StatusOK, page.Items)
	return nil
}
