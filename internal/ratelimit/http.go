package ratelimit

import (
	"net/http"
	"strconv"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Okta's rate-limit response headers.
const (
	HeaderLimit     = "X-Rate-Limit-Limit"
	HeaderRemaining = "X-Rate-Limit-Remaining"
	HeaderReset     = "X-Rate-Limit-Reset"
)

// SetHeaders writes the three X-Rate-Limit headers of d. The reset is in epoch seconds, rounded
// up: the SDKs wait Reset - Date + 1 seconds, and rounding down could send them back while the
// old window is still open.
func SetHeaders(h http.Header, d Decision) {
	h.Set(HeaderLimit, strconv.Itoa(d.Limit))
	h.Set(HeaderRemaining, strconv.Itoa(d.Remaining))
	h.Set(HeaderReset, strconv.FormatInt(ResetSeconds(d), 10))
}

// ResetSeconds returns d.Reset as epoch seconds, rounded up.
func ResetSeconds(d Decision) int64 {
	s := d.Reset.Unix()
	if d.Reset.Nanosecond() > 0 {
		s++
	}
	return s
}

// Exceeded returns Okta's 429 E0000047 for a refused request, carrying the rate-limit headers in
// Header. The SDKs compute their backoff from X-Rate-Limit-Reset and Date, so the HTTP layer must
// copy Header to the response (it always sets Date).
func Exceeded(d Decision) *domain.Error {
	e := domain.NewError(http.StatusTooManyRequests, domain.CodeRateLimited, "API call exceeded rate limit due to too many requests.")
	e.Header = make(http.Header, 3)
	SetHeaders(e.Header, d)
	return e
}
