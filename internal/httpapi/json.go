package httpapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// maxBody is the largest request body okapi reads.
const maxBody = 1 << 20

// writeJSON encodes v with the status. HTML-significant characters are escaped (the encoder's
// default), since responses may hold user input that ends up in a browser.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"errorCode":"E0000009","errorSummary":"Internal Server Error","errorLink":"E0000009","errorId":"","errorCauses":[]}`)
	}
	writeRawJSON(w, status, buf.Bytes())
}

// writeRawJSON answers body, already encoded JSON, with the status.
func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// noContent answers 204 with an empty body.
func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// readBody reads the request body (bounded by the middleware) and reports an empty one.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge
		}
		return nil, errMalformed
	}
	return body, nil
}

// decode reads a JSON object into v. Malformed JSON is 400 E0000003; a value of the wrong type
// is 400 E0000001 naming the field; a string with a character outside the Basic Multilingual
// Plane (4 UTF-8 bytes, which Okta does not support) or with U+0000 (which PostgreSQL cannot
// store in TEXT or JSONB, so refusing it keeps both backends alike) is 400 E0000001 naming the
// field. An empty body leaves v as it is and returns false.
func decode(r *http.Request, v any) (bool, error) {
	body, err := readBody(r)
	if err != nil {
		return false, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return false, nil
	}
	if !utf8.Valid(body) {
		return true, domain.Validation("body", "body: The request body is not valid UTF-8")
	}
	if err := checkStrings(body); err != nil {
		return true, err
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				field = "body"
			}
			msg := "The value has the wrong type: expected " + jsonType(te.Type)
			if te.Value == "date" {
				msg = "The value is not a date in the format YYYY-MM-DDTHH:mm:ss.SSSZ"
			}
			return true, domain.Validation(field, field+": "+msg)
		}
		return true, errMalformed
	}
	return true, nil
}

// jsonType names a Go type the way a JSON client thinks of it. It goes by Kind, not by the
// type's name: a named string (domain.UserStatus) is a string, []domain.X an array, and a type
// that decodes itself from a JSON string (domain.Time) a string.
func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) || t == reflect.TypeFor[domain.Time]() {
		return "string"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct, reflect.Interface:
		return "object"
	}
	return "number"
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// checkStrings walks the JSON tokens and refuses any string (key or value) with a rune above
// U+FFFF or a NUL, naming the path of the field that holds it: "profile.firstName",
// "groupIds[1]". Invalid JSON is left for json.Unmarshal to report.
//
// It also refuses what encoding/json would silently rewrite: an object with the same key twice
// (json.Unmarshal keeps the last) and an unpaired UTF-16 surrogate escape such as "\ud83d"
// (json.Unmarshal stores U+FFFD). Both would store something the client did not send.
func checkStrings(body []byte) error {
	if loneSurrogate(body) {
		return domain.Validation("body", "body: The request body has an unpaired UTF-16 surrogate escape (\\uD800-\\uDFFF without its pair)")
	}
	if bytes.IndexByte(body, '{') < 0 && !hasSupplementary(body) && !bytes.Contains(body, []byte(`\u0000`)) {
		return nil // no object (so no key to repeat) and no string to refuse
	}
	type frame struct {
		object    bool
		key       string // objects: the key whose value is being read
		expectKey bool   // objects: the next string is a key
		index     int    // arrays: the index of the element being read
		seen      map[string]bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if !f.object {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
		return b.String()
	}
	// valueDone moves the enclosing container past the value just read.
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].expectKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, expectKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
				valueDone()
			}
		case string:
			// t is decoded, so escaped surrogate pairs are real runes here and an escaped
			// backslash followed by "ud83d" is just text.
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expectKey {
				f := &stack[n-1]
				f.key, f.expectKey = t, false
				if err := checkString(path(), t); err != nil {
					return err
				}
				if f.seen[t] {
					return domain.NewError(http.StatusBadRequest, domain.CodeMalformedBody, "The request body was not well-formed.",
						domain.Cause{Summary: path() + ": The key appears more than once in its object"})
				}
				if f.seen == nil {
					f.seen = map[string]bool{}
				}
				f.seen[t] = true
				continue
			}
			if err := checkString(path(), t); err != nil {
				return err
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// checkString refuses a decoded string okapi cannot store: a character outside the BMP or NUL.
func checkString(field, s string) error {
	if outsideBMP(s) {
		return bmpError(field)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return nulError(field)
	}
	return nil
}

// nulError names the field holding U+0000.
func nulError(field string) error {
	if field == "" {
		field = "body"
	}
	return domain.Validation(field, field+": The NUL character (U+0000) is not supported")
}

// outsideBMP reports whether s has a character that takes 4 bytes in UTF-8.
func outsideBMP(s string) bool {
	for _, r := range s {
		if r > 0xFFFF {
			return true
		}
	}
	return false
}

func bmpError(field string) error {
	if field == "" {
		field = "body"
	}
	return domain.Validation(field, field+": Characters that need 4 bytes in UTF-8 (such as emoji) are not supported")
}

// hasSupplementary reports whether raw JSON may hold a 4-byte character: a 4-byte UTF-8 sequence
// or something that looks like a surrogate escape. It is a cheap filter; checkStrings decides.
// loneSurrogate reports whether b holds a \u escape of a UTF-16 surrogate that is not a high
// surrogate directly followed by the escape of a low one. Backslashes only occur inside JSON
// strings, and an escaped backslash is skipped whole, so "\\ud83d" (text) is not one.
func loneSurrogate(b []byte) bool {
	hex4 := func(i int) (rune, bool) {
		if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16)
		return rune(v), err == nil
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		r, ok := hex4(i)
		if !ok {
			i++ // an escaped character: skip it (it may itself be a backslash)
			continue
		}
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			if lo, ok := hex4(i + 6); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				i += 11
				continue
			}
			return true
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		}
		i += 5
	}
	return false
}

func hasSupplementary(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] >= 0xF0 {
			return true
		}
		if b[i] == '\\' && i+2 < len(b) && b[i+1] == 'u' && (b[i+2] == 'd' || b[i+2] == 'D') && i+3 < len(b) {
			switch b[i+3] {
			case '8', '9', 'a', 'b', 'A', 'B':
				return true
			}
		}
	}
	return false
}
