package httpapi

import "net/http"

// handlerFunc is a handler that returns its error instead of writing it: decode, call the
// service, encode, and return whatever went wrong.
type handlerFunc func(http.ResponseWriter, *http.Request) error

// h adapts a handlerFunc to net/http: a returned error is written as Okta's error object by
// writeError, the one place that turns errors into responses. A handler must not have written
// anything before it returns an error.
func (s *Server) h(f handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := f(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}
