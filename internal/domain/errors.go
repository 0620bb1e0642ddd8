// Package domain holds okapi's resource types and rules. It imports only the standard library
// and knows nothing of HTTP or SQL.
package domain

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Cause is one entry of an Okta error's errorCauses.
type Cause struct {
	Summary      string `json:"errorSummary"`
	Reason       string `json:"reason,omitempty"`
	Location     string `json:"location,omitempty"`
	LocationType string `json:"locationType,omitempty"`
	Domain       string `json:"domain,omitempty"`
}

// Error is a failure the API reports to its caller as an Okta error object. Code is the Okta
// errorCode (E0000001...), Status the HTTP status that goes with it.
type Error struct {
	Code    string
	Status  int
	Summary string
	Causes  []Cause
	// Header carries response headers some errors need (Allow on 405, rate-limit headers on 429).
	Header http.Header
}

func (e *Error) Error() string {
	if len(e.Causes) == 0 {
		return e.Code + ": " + e.Summary
	}
	parts := make([]string, len(e.Causes))
	for i, c := range e.Causes {
		parts[i] = c.Summary
	}
	return e.Code + ": " + e.Summary + " (" + strings.Join(parts, "; ") + ")"
}

// Is makes errors.Is match two domain errors with the same code, so callers can compare against
// the sentinels below.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var de *Error
	if errors.As(err, &de) {
		return de, true
	}
	return nil, false
}

// Okta error codes used across okapi, with the status and summary of Okta's catalogue.
const (
	CodeValidation         = "E0000001"
	CodeBadRequest         = "E0000002"
	CodeMalformedBody      = "E0000003"
	CodeAuthFailed         = "E0000004"
	CodeInvalidSession     = "E0000005"
	CodeForbidden          = "E0000006"
	CodeNotFound           = "E0000007"
	CodePathNotFound       = "E0000008"
	CodeInternal           = "E0000009"
	CodeInvalidToken       = "E0000011"
	CodeCredentialsFailed  = "E0000014"
	CodeAlreadyActive      = "E0000016"
	CodeResetFailed        = "E0000017"
	CodeMethodNotAllowed   = "E0000022"
	CodeMissingParameter   = "E0000028"
	CodeInvalidPaging      = "E0000029"
	CodeInvalidDate        = "E0000030"
	CodeInvalidSearch      = "E0000031"
	CodeUnlockNotAllowed   = "E0000032"
	CodeSearchAndFilter    = "E0000033"
	CodeForgotNotAllowed   = "E0000034"
	CodeChangePwNotAllowed = "E0000035"
	CodeChangeRQNotAllowed = "E0000036"
	CodeTypeMismatch       = "E0000037"
	CodeWrongStatus        = "E0000038"
	CodeRateLimited        = "E0000047"
	CodeInvalidSCIMFilter  = "E0000053"
	CodeUnsupportedOp      = "E0000060"
	CodePasswordPolicy     = "E0000080"
	CodeTargetLimit        = "E0000093"
	CodeNotAcceptable      = "E0000122"
	CodeExpireNeedsPw      = "E0000124"
	CodeExpireNeedsActive  = "E0000125"
	// CodeUnsupportedMedia and CodeLengthRequired are okapi's codes for 415 and 411, which Okta's
	// catalogue does not name; the body still has the Okta error shape.
	CodeUnsupportedMedia = "E0000012"
	CodeLengthRequired   = "E0000002"
)

// NewError builds an Error.
func NewError(status int, code, summary string, causes ...Cause) *Error {
	if causes == nil {
		causes = []Cause{}
	}
	return &Error{Code: code, Status: status, Summary: summary, Causes: causes}
}

// Validation is Okta's 400 E0000001 "Api validation failed: field" with one cause per problem.
// Each cause summary has the form "field: message".
func Validation(field string, causes ...string) *Error {
	cs := make([]Cause, len(causes))
	for i, c := range causes {
		cs[i] = Cause{Summary: c}
	}
	summary := "Api validation failed"
	if field != "" {
		summary += ": " + field
	}
	return NewError(http.StatusBadRequest, CodeValidation, summary, cs...)
}

// FieldErrors collects field validation problems and turns them into one Validation error.
type FieldErrors struct {
	fields []string
	causes []string
}

// Add records "field: message".
func (f *FieldErrors) Add(field, message string) {
	f.fields = append(f.fields, field)
	f.causes = append(f.causes, field+": "+message)
}

// AddSummary records a cause whose summary Okta writes without the "field: " prefix.
func (f *FieldErrors) AddSummary(field, summary string) {
	f.fields = append(f.fields, field)
	f.causes = append(f.causes, summary)
}

// Err returns nil when nothing was added.
func (f *FieldErrors) Err() error {
	if len(f.causes) == 0 {
		return nil
	}
	return Validation(f.fields[0], f.causes...)
}

// NotFound is 404 E0000007 in Okta's wording: "Not found: Resource not found: <id> (<Kind>)".
func NotFound(id, kind string) *Error {
	return NewError(http.StatusNotFound, CodeNotFound, fmt.Sprintf("Not found: Resource not found: %s (%s)", id, kind))
}

// InvalidSearch is 400 E0000031 with a cause that says what is wrong and where.
func InvalidSearch(cause string) *Error {
	return NewError(http.StatusBadRequest, CodeInvalidSearch, "Invalid search criteria.", Cause{Summary: cause})
}

// Sentinels for errors.Is comparisons.
var (
	ErrNotFound     = &Error{Code: CodeNotFound, Status: http.StatusNotFound, Summary: "Not found"}
	ErrInvalidToken = &Error{Code: CodeInvalidToken, Status: http.StatusUnauthorized, Summary: "Invalid token provided"}
	ErrWrongStatus  = &Error{Code: CodeWrongStatus, Status: http.StatusForbidden, Summary: "This operation is not allowed in the user's current status."}
	ErrInvalidPage  = &Error{Code: CodeInvalidPaging, Status: http.StatusBadRequest, Summary: "Invalid paging request."}
)
