package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// listLogs is GET /api/v1/logs. A polling query's Link next is always present, even on an
// empty page; a bounded query's only while more events remain.
func (s *Server) listLogs(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r, 100, 1000)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := s.svc.ListLogEvents(r.Context(), service.LogParams{
		Since: q.Get("since"), Until: q.Get("until"), Filter: q.Get("filter"), Q: q.Get("q"),
		SortOrder: q.Get("sortOrder"), After: q.Get("after"), Limit: limit,
	})
	if err != nil {
		return err
	}
	s.setPageLinks(w, r, page.Next)
	if page.Events == nil {
		page.Events = []domain.LogEvent{}
	}
	writeJSON(w, http.StatusOK, page.Events)
	return nil
}

// listLegacyEvents is the deprecated GET /api/v1/events. Its next link always exists and drops
// startDate, which cannot be combined with after.
func (s *Server) listLegacyEvents(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r, 1000, 1000)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := s.svc.ListLegacyEvents(r.Context(), service.EventParams{
		StartDate: q.Get("startDate"), Filter: q.Get("filter"), After: q.Get("after"), Limit: limit,
	})
	if err != nil {
		return err
	}
	base := s.baseURL(r) + r.URL.Path
	w.Header().Add("Link", "<"+withQuery(base, q)+`>; rel="self"`)
	q.Del("startDate")
	q.Set("after", page.Next)
	w.Header().Add("Link", "<"+withQuery(base, q)+`>; rel="next"`)
	if page.Events == nil {
		page.Events = []domain.LegacyEvent{}
	}
	writeJSON(w, http.StatusOK, page.Events)
	return nil
}
