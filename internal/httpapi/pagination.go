package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
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

// setPageLinks writes the Link headers of a list page: rel="self" always, rel="next" when next is
// a cursor. Each goes on its own header line: both Go SDKs misread comma-joined links. Every
// query parameter of the request is kept; only `after` changes.
func (s *Server) setPageLinks(w http.ResponseWriter, r *http.Request, next string) {
	base := s.baseURL(r) + r.URL.Path
	q := r.URL.Query()
	w.Header().Add("Link", "<"+withQuery(base, q)+`>; rel="self"`)
	if next != "" {
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
