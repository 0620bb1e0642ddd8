// Package cursor encodes keyset pagination positions as opaque `after` tokens.
//
// A token is base64url (no padding) of a compact binary form:
//
//	version(1) flags(1) uvarint(len) field  key  uvarint(len) id
//
// flags holds the direction (bit 0) and the key's type (bits 1-2); key is absent for nil,
// uvarint(len)+bytes for a string, a zigzag varint for int64, 8 big-endian bytes for float64.
// Decoding is strict: a token decodes only if re-encoding it gives the same text, so every
// position has exactly one token.
package cursor

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"net/http"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// MaxLen is the longest token Decode accepts; longer input is refused before any decoding.
const MaxLen = 1024

const version = 1

// Cursor is the position after the last row of a page: its sort key and its id (the
// tie-breaker), and the sort it belongs to so that a token is not reused with another sort.
type Cursor struct {
	Field string // sort field name; "" for the default order (by id)
	Desc  bool   // descending order
	Key   any    // nil, string, int64 or float64
	ID    string // row id
}

const (
	kindNil = iota
	kindString
	kindInt
	kindFloat
)

var enc = base64.RawURLEncoding.Strict()

// Encode returns the opaque token for c. It panics if Key has a type other than nil, string,
// int64 or float64, which is a programming error in the store.
func Encode(c Cursor) string {
	b, ok := appendCursor(make([]byte, 0, 16+len(c.Field)+len(c.ID)), c)
	if !ok {
		panic("cursor: unsupported key type")
	}
	return enc.EncodeToString(b)
}

func appendCursor(b []byte, c Cursor) ([]byte, bool) {
	flags := byte(0)
	if c.Desc {
		flags = 1
	}
	var kind byte
	switch c.Key.(type) {
	case nil:
		kind = kindNil
	case string:
		kind = kindString
	case int64:
		kind = kindInt
	case float64:
		kind = kindFloat
	default:
		return nil, false
	}
	b = append(b, version, flags|kind<<1)
	b = appendString(b, c.Field)
	switch k := c.Key.(type) {
	case string:
		b = appendString(b, k)
	case int64:
		b = binary.AppendVarint(b, k)
	case float64:
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(k))
	}
	return appendString(b, c.ID), true
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Invalid is the error for a token that is not one of ours, or not for this sort.
func Invalid() *domain.Error {
	return domain.NewError(http.StatusBadRequest, domain.CodeValidation, "Api validation failed: after",
		domain.Cause{Summary: "after: The cursor is not valid"})
}

// Decode parses a token made by Encode. Any other input is a 400 E0000001 *domain.Error.
func Decode(s string) (Cursor, error) {
	if len(s) == 0 || len(s) > MaxLen {
		return Cursor{}, Invalid()
	}
	// The decoder skips \r and \n; a token with them is not one we issued.
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return Cursor{}, Invalid()
		}
	}
	b, err := enc.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != version || b[1]>>3 != 0 {
		return Cursor{}, Invalid()
	}
	var c Cursor
	c.Desc = b[1]&1 == 1
	kind := b[1] >> 1
	r := reader{b: b[2:]}
	c.Field = r.string()
	switch kind {
	case kindString:
		c.Key = r.string()
	case kindInt:
		v, n := binary.Varint(r.b)
		if n <= 0 {
			r.bad = true
		} else {
			r.b = r.b[n:]
		}
		c.Key = v
	case kindFloat:
		if len(r.b) < 8 {
			r.bad = true
			break
		}
		f := math.Float64frombits(binary.BigEndian.Uint64(r.b))
		r.b = r.b[8:]
		if math.IsNaN(f) {
			r.bad = true // NaN orders nothing and is never a stored key
		}
		c.Key = f
	}
	c.ID = r.string()
	if r.bad || len(r.b) != 0 {
		return Cursor{}, Invalid()
	}
	// Refuse non-canonical forms (overlong varints and the like), so that the token space maps
	// one-to-one onto positions.
	if again, _ := appendCursor(nil, c); string(again) != string(b) {
		return Cursor{}, Invalid()
	}
	return c, nil
}

// DecodeFor decodes s and refuses it unless it was made for the given sort.
func DecodeFor(s, field string, desc bool) (Cursor, error) {
	c, err := Decode(s)
	if err != nil {
		return Cursor{}, err
	}
	if c.Field != field || c.Desc != desc {
		return Cursor{}, Invalid()
	}
	return c, nil
}

type reader struct {
	b   []byte
	bad bool
}

func (r *reader) string() string {
	if r.bad {
		return ""
	}
	n, k := binary.Uvarint(r.b)
	if k <= 0 || n > uint64(len(r.b)-k) {
		r.bad = true
		return ""
	}
	s := string(r.b[k : k+int(n)])
	r.b = r.b[k+int(n):]
	if !utf8.ValidString(s) {
		r.bad = true
	}
	return s
}
