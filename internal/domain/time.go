package domain

import (
	"encoding/json"
	"reflect"
	"strconv"
	"sync"
	"time"
)

// TimeLayout is Okta's date format: ISO 8601 UTC with milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Time is a UTC instant with millisecond precision that marshals as Okta does. The zero value
// marshals as null; fields that Okta omits when unset use *Time with omitempty.
type Time struct{ time.Time }

// At truncates t to milliseconds in UTC.
func At(t time.Time) Time { return Time{t.UTC().Truncate(time.Millisecond)} }

// FromMillis converts Unix milliseconds, the storage form of every timestamp.
func FromMillis(ms int64) Time { return Time{time.UnixMilli(ms).UTC()} }

// Millis is the storage form.
func (t Time) Millis() int64 { return t.UnixMilli() }

// MarshalJSON writes "YYYY-MM-DDTHH:mm:ss.SSSZ", or null for the zero time.
func (t Time) MarshalJSON() ([]byte, error) { return t.AppendJSON(make([]byte, 0, 26)), nil }

// AppendJSON appends what MarshalJSON writes. It formats the fixed layout digit by digit
// rather than through time.AppendFormat's layout parsing: list pages write six dates per user.
func (t Time) AppendJSON(b []byte) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	u := t.UTC()
	year, month, day := u.Date()
	if year < 0 || year > 9999 {
		b = append(b, '"')
		b = u.AppendFormat(b, TimeLayout)
		return append(b, '"')
	}
	hour, minute, sec := u.Clock()
	b = append(b, '"')
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, u.Nanosecond()/1e6, 3)
	return append(b, 'Z', '"')
}

// appendDigits appends v zero-padded to width digits (v < 10^width).
func appendDigits(b []byte, v, width int) []byte {
	var d [4]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:width]...)
}

// UnmarshalJSON accepts null or any RFC 3339 time. Anything else is a *json.UnmarshalTypeError,
// the one error type encoding/json annotates with the field path, so a bad date is reported on
// its field instead of as a malformed body. Value is "date" for a string that is not a date.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	typeErr := func(value string) error {
		return &json.UnmarshalTypeError{Value: value, Type: reflect.TypeFor[Time]()}
	}
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return typeErr(jsonKind(b))
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return typeErr("date")
	}
	*t = At(v)
	return nil
}

// jsonKind names the kind of a raw JSON value, as encoding/json does in its errors.
func jsonKind(b []byte) string {
	if len(b) == 0 {
		return "value"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case '"':
		return "string"
	}
	return "number"
}

// String formats the time as Okta does.
func (t Time) String() string { return t.UTC().Format(TimeLayout) }

// TimePtr returns nil for the zero time, so optional dates are omitted.
func TimePtr(t Time) *Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Clock tells the time. It is injected so tests (and --clock fixed:...) control it.
type Clock interface{ Now() time.Time }

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock is a clock that only moves when told to.
type FixedClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixedClock starts a clock at t.
func NewFixedClock(t time.Time) *FixedClock { return &FixedClock{t: t} }

// Now returns the clock's time.
func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *FixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *FixedClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
