package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// pageLimit reads `limit`: absent (or -1) means def; above max is capped at max, as Okta does;
// anything else that is not a positive integer is 400 E0000001 on limit.
func pageLimit(r *http.Request, def, max int) (int, error) {
	v := r.URL.Query()["limit"]
	if len(v) == 0 || v[0] == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v[0])
	if err == nil && n == -1 {
		return def, nil
	}
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v[0], "-") {
		// A positive integer too large for an int is still a positive integer: the cap.
		n, err = max, nil
	}
	if err != nil || n < 1 {
		return 0, domain.Validation("limit", "limit: The limit must be a positive integer")
	}
	if n > max {
		n = max
	}
	return n, nil
}

// listParams reads the list parameters every resource shares (service.ListParams): limit (def
// when absent or -1, capped at max, see pageLimit), after, before, q, filter, search, sortBy and
// sortOrder. A new family's list handler is listParams, one service call and writePage.
func listParams(r *http.Request, def, max int) (service.ListParams, error) {
	limit, err := pageLimit(r, def, max)
	if err != nil {
		return service.ListParams{}, err
	}
	q := r.URL.Query()
	return service.ListParams{
		Limit: limit, After: q.Get("after"), Before: q.Get("before"),
		Q: q.Get("q"), Filter: q.Get("filter"), Search: q.Get("search"),
		SortBy: q.Get("sortBy"), SortOrder: q.Get("sortOrder"),
	}, nil
}

// writePage answers a list request with one page: the Link headers (setPageLinks) and the items
// as a JSON array (never null), each converted by out.
func writePage[T, J any](s *Server, w http.ResponseWriter, r *http.Request, p service.Page[T], out func(T) J) error {
	items := make([]J, len(p.Items))
	for i, it := range p.Items {
		items[i] = out(it)
	}
	s.setPageLinks(w, r, p.Next)
	writeJSON(w, http.StatusOK, items)
	return nil
}

// nonNil returns items, or an empty slice for nil, so a page encodes as [] rather than null.
func nonNil[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}

// setPageLinks writes the Link headers of a list page, the one place they are written:
// rel="self" always, rel="next" when next is a cursor. Each goes on its own header line: both
// Go SDKs misread comma-joined links. Every query parameter of the request is kept in both
// except that next changes `after` and leaves out dropFromNext (parameters that cannot be
// combined with after, such as the Events API's startDate).
func (s *Server) setPageLinks(w http.ResponseWriter, r *http.Request, next string, dropFromNext ...string) {
	base := s.baseURL(r) + r.URL.Path
	q := r.URL.Query()
	w.Header().Add("Link", "<"+withQuery(base, q)+`>; rel="self"`)
	if next != "" {
		for _, p := range dropFromNext {
			q.Del(p)
		}
		q.Set("after", next)
		w.Header().Add("Link", "<"+withQuery(base, q)+`>; rel="next"`)
	}
}

func withQuery(base string, q url.Values) string {
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}
