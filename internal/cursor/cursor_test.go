package cursor

import (
	"encoding/base64"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

func TestRoundTrip(t *testing.T) {
	tests := []Cursor{
		{ID: "00u1"},
		{Field: "profile.lastName", Key: "Smith", ID: "00u2"},
		{Field: "created", Desc: true, Key: int64(1704164645000), ID: "00u3"},
		{Field: "profile.age", Key: float64(-1.5), ID: "x"},
		{Field: "n", Key: int64(math.MinInt64), ID: "y"},
		{Field: "n", Key: math.Inf(1), ID: "y"},
		{Field: "name", Key: "", ID: ""},
		{Field: "name", Key: "émoji 🙂", ID: "ü"},
		{Field: "lastLogin", Desc: true, Key: nil, ID: "00u9"},
	}
	for _, c := range tests {
		s := Encode(c)
		if strings.ContainsAny(s, "+/=") {
			t.Errorf("Encode(%+v) = %q, not base64url without padding", c, s)
		}
		got, err := Decode(s)
		if err != nil {
			t.Fatalf("Decode(Encode(%+v)): %v", c, err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("Decode(Encode(%+v)) = %+v", c, got)
		}
	}
}

func TestDecodeInvalid(t *testing.T) {
	valid := Encode(Cursor{Field: "created", Key: int64(5), ID: "00u1"})
	raw := func(b ...byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	tests := map[string]string{
		"empty":              "",
		"not base64":         "!!!",
		"padded":             valid + "==",
		"std alphabet":       "ab+/",
		"embedded newline":   valid[:3] + "\n" + valid[3:],
		"too long":           strings.Repeat("A", MaxLen+1),
		"truncated":          valid[:len(valid)-2],
		"trailing bytes":     raw(append(mustRaw(valid), 0)...),
		"wrong version":      raw(2, 0, 0, 0),
		"unknown flags":      raw(1, 8, 0, 0),
		"string past end":    raw(1, 0, 5, 'a'),
		"overlong varint":    raw(1, 0, 0x80, 0x00, 0),
		"NaN float":          raw(append([]byte{1, kindFloat << 1, 0}, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1, 0)...),
		"short float":        raw(1, kindFloat<<1, 0, 1, 2),
		"invalid UTF-8 id":   raw(1, 0, 0, 1, 0xff),
		"bad int varint":     raw(1, kindInt<<1, 0, 0xff),
		"non-canonical bits": valid[:len(valid)-1] + "_",
	}
	for name, s := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(s)
			var de *domain.Error
			if !errors.As(err, &de) || de.Status != 400 || de.Code != "E0000001" ||
				de.Summary != "Api validation failed: after" || de.Causes[0].Summary != "after: The cursor is not valid" {
				t.Fatalf("Decode(%q) = %v, want 400 E0000001 after", s, err)
			}
		})
	}
}

func TestDecodeForRefusesOtherSort(t *testing.T) {
	s := Encode(Cursor{Field: "created", Desc: true, Key: int64(5), ID: "00u1"})
	if _, err := DecodeFor(s, "created", true); err != nil {
		t.Fatalf("same sort: %v", err)
	}
	for _, tc := range []struct {
		field string
		desc  bool
	}{{"created", false}, {"lastUpdated", true}, {"", false}} {
		if _, err := DecodeFor(s, tc.field, tc.desc); err == nil {
			t.Errorf("DecodeFor(%q, %v) accepted a cursor for created desc", tc.field, tc.desc)
		}
	}
}

func mustRaw(s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode(Cursor{ID: "00u1"}))
	f.Add(Encode(Cursor{Field: "created", Desc: true, Key: int64(-7), ID: "a"}))
	f.Add(Encode(Cursor{Field: "name", Key: "x", ID: "b"}))
	f.Add(Encode(Cursor{Field: "n", Key: 2.5, ID: "c"}))
	f.Add("")
	f.Add("AQA")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Decode(s)
		if err != nil {
			if _, ok := domain.AsError(err); !ok {
				t.Fatalf("Decode(%q) error %v is not a *domain.Error", s, err)
			}
			return
		}
		if again := Encode(c); again != s {
			t.Fatalf("Encode(Decode(%q)) = %q", s, again)
		}
	})
}

// BenchmarkCursor is a next-page cursor's round trip: encoded into the Link header of one
// page, decoded from the `after` of the next request.
func BenchmarkCursor(b *testing.B) {
	c := Cursor{Field: "profile.lastName", Key: "smith", ID: "00u1234567890abcdefg"}
	b.ReportAllocs()
	for b.Loop() {
		s := Encode(c)
		if _, err := DecodeFor(s, c.Field, c.Desc); err != nil {
			b.Fatal(err)
		}
	}
}
