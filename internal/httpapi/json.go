package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
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
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
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
// Plane (4 UTF-8 bytes, which Okta does not support) is 400 E0000001 naming the field. An empty
// body leaves v as it is and returns false.
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
	if err := checkBMP(body); err != nil {
		return true, err
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				field = "body"
			}
			return true, domain.Validation(field, field+": The value has the wrong type: expected "+jsonType(te.Type.String()))
		}
		return true, errMalformed
	}
	return true, nil
}

// jsonType names a Go type the way a JSON client thinks of it.
func jsonType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "map") || strings.HasPrefix(goType, "struct") || strings.Contains(goType, "."):
		return "object"
	case strings.HasPrefix(goType, "[]"):
		return "array"
	case goType == "string":
		return "string"
	case goType == "bool":
		return "boolean"
	}
	return "number"
}

// checkBMP walks the JSON tokens and refuses any string (key or value) with a rune above U+FFFF,
// naming the path of the field that holds it. Invalid JSON is left for json.Unmarshal to report.
func checkBMP(body []byte) error {
	if !hasSupplementary(body) {
		return nil
	}
	type frame struct {
		object    bool
		key       string
		expectKey bool
	}
	var stack []frame
	path := func() string {
		var keys []string
		for _, f := range stack {
			if f.object && f.key != "" {
				keys = append(keys, f.key)
			}
		}
		return strings.Join(keys, ".")
	}
	// valueDone marks that the enclosing object's next string is a key again.
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].expectKey = true
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
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expectKey {
				stack[n-1].key, stack[n-1].expectKey = t, false
				if hasSupplementary([]byte(t)) {
					return bmpError(path())
				}
				continue
			}
			if hasSupplementary([]byte(t)) {
				return bmpError(path())
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

func bmpError(field string) error {
	if field == "" {
		field = "body"
	}
	return domain.Validation(field, field+": Characters that need 4 bytes in UTF-8 (such as emoji) are not supported")
}

// hasSupplementary reports whether b holds a 4-byte UTF-8 sequence or a JSON surrogate escape.
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
