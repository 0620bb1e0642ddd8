package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
)

// errorBody is Okta's error object.
type errorBody struct {
	ErrorCode    string         `json:"errorCode"`
	ErrorSummary string         `json:"errorSummary"`
	ErrorLink    string         `json:"errorLink"`
	ErrorID      string         `json:"errorId"`
	ErrorCauses  []domain.Cause `json:"errorCauses"`
}

// writeError is the one place an error becomes a response. Domain errors carry their status
// and code; a database that is busy, full or unreachable is 503 E0000009 (see unavailableError);
// anything else is an internal fault: 500 E0000009, logged with the request id, and never
// described to the client.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	de, ok := domain.AsError(err)
	if !ok {
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			// The client went away; there is nobody to answer.
			return
		}
		if reason, transient, ok := s.svc.Unavailable(err); ok {
			s.log.LogAttrs(r.Context(), slog.LevelWarn, "database unavailable",
				slog.String("request_id", requestID(r)), slog.String("err", err.Error()))
			de = unavailableError(reason, transient)
		}
	}
	if de == nil {
		s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("request_id", requestID(r)), slog.String("err", err.Error()))
		de = domain.NewError(http.StatusInternalServerError, domain.CodeInternal, "Internal Server Error")
	}
	for k, vs := range de.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	causes := de.Causes
	if causes == nil {
		causes = []domain.Cause{}
	}
	writeJSON(w, de.Status, errorBody{
		ErrorCode: de.Code, ErrorSummary: de.Summary, ErrorLink: de.Code,
		ErrorID: requestID(r), ErrorCauses: causes,
	})
}

// unavailableError is the answer when the database is busy, full or unreachable: 503 (the
// service, not the request, is at fault, and nothing was written) with Okta's code for a server
// fault, E0000009, so clients that switch on errorCode keep working. A transient fault carries
// Retry-After; a full database needs an operator, so it does not.
func unavailableError(reason string, transient bool) *domain.Error {
	de := domain.NewError(http.StatusServiceUnavailable, domain.CodeInternal,
		"Service Unavailable: "+reason+". Retry the request later.")
	if transient {
		de.Header = http.Header{"Retry-After": {"1"}}
	}
	return de
}

// Errors the HTTP layer itself raises.
var (
	errPathNotFound  = domain.NewError(http.StatusNotFound, domain.CodePathNotFound, "The requested path was not found")
	errMethod        = domain.NewError(http.StatusMethodNotAllowed, domain.CodeMethodNotAllowed, "The endpoint does not support the provided HTTP method")
	errNotAcceptable = domain.NewError(http.StatusNotAcceptable, domain.CodeNotAcceptable,
		"Accept Header did not contain supported media type 'application/json'")
	errUnsupportedMedia = domain.NewError(http.StatusUnsupportedMediaType, domain.CodeUnsupportedMedia,
		"Unsupported media type: the request body must be application/json")
	errLengthRequired = domain.NewError(http.StatusLengthRequired, domain.CodeLengthRequired,
		"The request was not valid: a POST or PUT without a body needs the header Content-Length: 0")
	errTooLarge = domain.NewError(http.StatusRequestEntityTooLarge, domain.CodeBadRequest,
		"The request was not valid: the request body is larger than 1 MiB")
	errMalformed = domain.NewError(http.StatusBadRequest, domain.CodeMalformedBody, "The request body was not well-formed.")
)
