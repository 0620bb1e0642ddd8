package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// decodeTarget has one field of every shape handlers decode into.
type decodeTarget struct {
	Name    string            `json:"name"`
	Count   int               `json:"count"`
	Ratio   float64           `json:"ratio"`
	Active  bool              `json:"active"`
	Status  domain.UserStatus `json:"status"`
	Label   *string           `json:"label"`
	Tags    []string          `json:"tags"`
	Groups  []domain.Group    `json:"groups"`
	Profile map[string]any    `json:"profile"`
	Created domain.Time       `json:"created"`
	Expires *domain.Time      `json:"expires"`
	Inner   struct {
		Deep struct {
			Level int `json:"level"`
		} `json:"deep"`
		List []struct {
			Value string `json:"value"`
		} `json:"list"`
	} `json:"inner"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		status int    // 0 means decoded fine
		code   string // errorCode
		field  string // the summary names it: "Api validation failed: <field>"
		cause  string // the first cause, exactly
	}{
		{name: "empty body", body: ""},
		{name: "whitespace body", body: " \n\t"},
		{name: "all fields", body: `{"name":"n","count":1,"ratio":0.5,"active":true,"status":"ACTIVE","label":"l","tags":["a"],` +
			`"profile":{"k":[1,{"x":"y"}]},"created":"2024-01-02T03:04:05.006Z","expires":null,"inner":{"deep":{"level":3}}}`},
		{name: "unknown fields ignored", body: `{"name":"n","unknown":{"deep":[1,2,3]},"x":null}`},
		{name: "3-byte characters", body: `{"name":"€ 日本 \uffff"}`},
		{name: "lone high surrogate escape refused (encoding/json would store U+FFFD)", body: `{"name":"\ud83d"}`,
			status: 400, code: "E0000001", field: "body"},
		{name: "lone low surrogate escape refused", body: `{"name":"x\uDE00y"}`, status: 400, code: "E0000001", field: "body"},
		{name: "high surrogate then a non-surrogate escape", body: `{"name":"\ud83d\u0041"}`, status: 400, code: "E0000001", field: "body"},
		{name: "escaped backslash then ud83d", body: `{"name":"\\ud83d\\ude00"}`},
		{name: "escaped quote and other escapes pass", body: `{"name":"a\"b\\\n\u00e9"}`},
		{name: "duplicate key refused", body: `{"name":"a","name":"b"}`, status: 400, code: "E0000003"},
		{name: "duplicate nested key refused", body: `{"profile":{"login":"a","login":"b"}}`, status: 400, code: "E0000003"},
		{name: "same key in sibling objects is fine", body: `{"inner":{"list":[{"value":"a"},{"value":"b"}]},"profile":{"value":1}}`},
		{name: "4-byte character outside the target", body: `{"unknown":"😀"}`,
			status: 400, code: "E0000001", field: "unknown", cause: "unknown: Characters that need 4 bytes in UTF-8 (such as emoji) are not supported"},

		{name: "malformed", body: `{"name":"n"`, status: 400, code: "E0000003"},
		{name: "not JSON", body: `name=n`, status: 400, code: "E0000003"},
		{name: "trailing garbage", body: `{"name":"n"}x`, status: 400, code: "E0000003"},
		{name: "invalid UTF-8", body: "{\"name\":\"\xff\xfe\"}", status: 400, code: "E0000001", field: "body"},

		{name: "4-byte top level", body: `{"name":"a😀"}`, status: 400, code: "E0000001", field: "name",
			cause: "name: Characters that need 4 bytes in UTF-8 (such as emoji) are not supported"},
		{name: "4-byte escaped pair", body: `{"name":"\uD83D\uDE00"}`, status: 400, code: "E0000001", field: "name"},
		{name: "4-byte nested object", body: `{"inner":{"deep":{"note":"𝄞"}}}`, status: 400, code: "E0000001", field: "inner.deep.note"},
		{name: "4-byte in array", body: `{"tags":["a","b","🦒"]}`, status: 400, code: "E0000001", field: "tags[2]"},
		{name: "4-byte in object in array", body: `{"inner":{"list":[{"value":"ok"},{"value":"🦒"}]}}`, status: 400, code: "E0000001", field: "inner.list[1].value"},
		{name: "4-byte in array in array", body: `{"profile":{"m":[[1,2],["x","🦒"]]}}`, status: 400, code: "E0000001", field: "profile.m[1][1]"},
		{name: "4-byte after earlier containers", body: `{"tags":["a"],"inner":{"deep":{}},"name":"🦒"}`, status: 400, code: "E0000001", field: "name"},
		{name: "4-byte in a key", body: `{"profile":{"🦒":"x"}}`, status: 400, code: "E0000001", field: "profile.🦒"},
		{name: "4-byte in top-level array", body: `["🦒"]`, status: 400, code: "E0000001", field: "[0]"},

		{name: "string for int", body: `{"count":"1"}`, status: 400, code: "E0000001", field: "count", cause: "count: The value has the wrong type: expected number"},
		{name: "bool for float", body: `{"ratio":true}`, status: 400, code: "E0000001", field: "ratio", cause: "ratio: The value has the wrong type: expected number"},
		{name: "number for bool", body: `{"active":1}`, status: 400, code: "E0000001", field: "active", cause: "active: The value has the wrong type: expected boolean"},
		{name: "number for named string", body: `{"status":1}`, status: 400, code: "E0000001", field: "status", cause: "status: The value has the wrong type: expected string"},
		{name: "number for *string", body: `{"label":1}`, status: 400, code: "E0000001", field: "label", cause: "label: The value has the wrong type: expected string"},
		{name: "object for []string", body: `{"tags":{}}`, status: 400, code: "E0000001", field: "tags", cause: "tags: The value has the wrong type: expected array"},
		{name: "string for []domain.Group", body: `{"groups":"g"}`, status: 400, code: "E0000001", field: "groups", cause: "groups: The value has the wrong type: expected array"},
		{name: "array for map", body: `{"profile":[]}`, status: 400, code: "E0000001", field: "profile", cause: "profile: The value has the wrong type: expected object"},
		{name: "number for a date", body: `{"created":5}`, status: 400, code: "E0000001", field: "created", cause: "created: The value has the wrong type: expected string"},
		{name: "text for a date", body: `{"expires":"tomorrow"}`, status: 400, code: "E0000001", field: "expires",
			cause: "expires: The value is not a date in the format YYYY-MM-DDTHH:mm:ss.SSSZ"},
		{name: "nested wrong type", body: `{"inner":{"deep":{"level":"3"}}}`, status: 400, code: "E0000001", field: "inner.deep.level"},
		{name: "wrong type in array element", body: `{"tags":["a",2]}`, status: 400, code: "E0000001", field: "tags"},
		{name: "array for the body", body: `[]`, status: 400, code: "E0000001", field: "body"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/api/v1/x", strings.NewReader(tc.body))
			var v decodeTarget
			present, err := decode(r, &v)
			if tc.status == 0 {
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				if present != (strings.TrimSpace(tc.body) != "") {
					t.Errorf("present = %v", present)
				}
				return
			}
			de, ok := domain.AsError(err)
			if !ok {
				t.Fatalf("err = %v, want a domain error", err)
			}
			if de.Status != tc.status || de.Code != tc.code {
				t.Errorf("got %d %s, want %d %s (%v)", de.Status, de.Code, tc.status, tc.code, de)
			}
			if tc.field != "" && de.Summary != "Api validation failed: "+tc.field {
				t.Errorf("summary = %q, want it to name %q", de.Summary, tc.field)
			}
			if tc.field != "" && (len(de.Causes) != 1 || !strings.HasPrefix(de.Causes[0].Summary, tc.field+": ")) {
				t.Errorf("causes = %+v, want one on %q", de.Causes, tc.field)
			}
			if tc.cause != "" && de.Causes[0].Summary != tc.cause {
				t.Errorf("cause = %q, want %q", de.Causes[0].Summary, tc.cause)
			}
		})
	}
}

// TestDecodeDateValue: dates are accepted in any RFC 3339 form and kept at Okta's precision.
func TestDecodeDateValue(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"created":"2024-05-06T07:08:09.987654-05:00"}`))
	var v decodeTarget
	if _, err := decode(r, &v); err != nil {
		t.Fatal(err)
	}
	if got := v.Created.String(); got != "2024-05-06T12:08:09.987Z" {
		t.Errorf("created = %s", got)
	}
}

func TestDecodeTooLarge(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"name":"`+strings.Repeat("a", maxBody)+`"}`))
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var v decodeTarget
	_, err := decode(r, &v)
	if de, ok := domain.AsError(err); !ok || de.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("err = %v, want 413", err)
	}
}
