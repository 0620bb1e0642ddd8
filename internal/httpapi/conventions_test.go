package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// convCase is one request and what Okta's conventions say the answer must be. Every case also
// goes through checkConventions (request id, content type, error object shape, dates, links).
type convCase struct {
	name    string
	method  string
	path    string
	headers map[string]string // "" deletes a default header (Authorization, Accept)
	body    string
	chunked bool   // send the body without a Content-Length
	raw     string // a hand-written request; {token} is replaced
	status  int
	code    string // expected errorCode when status >= 400
	summary string // substring of errorSummary
	cause   string // substring of the first errorCauses summary
	check   func(t *testing.T, r response)
}

var (
	oktaDate      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)
	looksDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T`)
	requestIDForm = regexp.MustCompile(`^req[0-9A-Za-z]{23}$`)
)

func conventionCases() []convCase {
	json := map[string]string{"Content-Type": "application/json"}
	noAuth := map[string]string{"Authorization": ""}
	echo := "/api/v1/test/echo"
	big := `{"name":"` + strings.Repeat("a", 1<<20) + `"}`
	return []convCase{
		// Authentication: every token failure is 401 E0000011, whatever the reason.
		{name: "no Authorization header", method: "GET", path: "/api/v1/api-tokens", headers: noAuth, status: 401, code: "E0000011", summary: "Invalid token provided"},
		{name: "Bearer scheme", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Authorization": "Bearer 00abcdefghijklmnopqrstuvwxyz"}, status: 401, code: "E0000011"},
		{name: "SSWS with no token", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Authorization": "SSWS"}, status: 401, code: "E0000011"},
		{name: "SSWS too short", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Authorization": "SSWS 00abc"}, status: 401, code: "E0000011"},
		{name: "SSWS unknown token", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Authorization": "SSWS 00ThisTokenWasNeverIssuedByOkapiAtAll0000"}, status: 401, code: "E0000011"},
		{name: "SSWS token of absurd length", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Authorization": "SSWS " + strings.Repeat("0", 500)}, status: 401, code: "E0000011"},
		{name: "valid token lists tokens", method: "GET", path: "/api/v1/api-tokens", status: 200, check: checkTokenList},

		// Unknown resources and paths.
		{name: "unknown token id", method: "GET", path: "/api/v1/api-tokens/00Tnonexistent00000", status: 404, code: "E0000007", summary: "Not found: Resource not found: 00Tnonexistent00000 (ApiToken)"},
		{name: "delete unknown token", method: "DELETE", path: "/api/v1/api-tokens/00Tnonexistent00000", status: 404, code: "E0000007"},
		{name: "unknown path under v1", method: "GET", path: "/api/v1/no-such-thing", status: 404, code: "E0000008", summary: "The requested path was not found"},
		{name: "unknown path under v1 without token", method: "GET", path: "/api/v1/no-such-thing", headers: noAuth, status: 404, code: "E0000008"},
		{name: "other API version", method: "GET", path: "/api/v2/api-tokens", status: 404, code: "E0000008"},
		{name: "api root", method: "GET", path: "/api/v1", status: 404, code: "E0000008"},
		{name: "path outside the API", method: "GET", path: "/no-such-page", headers: noAuth, status: 404, code: "E0000008"},
		{name: "deeper unknown path", method: "GET", path: "/api/v1/api-tokens/x/y", status: 404, code: "E0000008"},

		// Verbs a path does not support.
		{name: "POST on a GET-only collection", method: "POST", path: "/api/v1/api-tokens", status: 405, code: "E0000022",
			summary: "The endpoint does not support the provided HTTP method", check: wantAllow("GET")},
		{name: "PATCH on a token", method: "PATCH", path: "/api/v1/api-tokens/00Tnonexistent00000", headers: json, body: `{}`, status: 405, code: "E0000022", check: wantAllow("DELETE")},
		{name: "DELETE on healthz", method: "DELETE", path: "/healthz", headers: noAuth, status: 405, code: "E0000022"},

		// Media types.
		{name: "Accept text/html", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Accept": "text/html"}, status: 406, code: "E0000122",
			summary: "Accept Header did not contain supported media type 'application/json'"},
		{name: "Accept application/xml", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Accept": "application/xml"}, status: 406, code: "E0000122"},
		{name: "Accept JSON with q=0", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Accept": "application/json;q=0, text/html"}, status: 406, code: "E0000122"},
		{name: "Accept */*", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Accept": "*/*"}, status: 200},
		{name: "Accept application/*", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Accept": "application/*"}, status: 200},
		{name: "Accept list with JSON", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Accept": "text/html, application/json;q=0.9"}, status: 200},
		{name: "Accept JSON with charset", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Accept": "application/json; charset=UTF-8"}, status: 200},
		{name: "no Accept header", method: "GET", path: "/api/v1/api-tokens", headers: map[string]string{"Accept": ""}, status: 200},
		{name: "body as text/plain", method: "POST", path: echo, headers: map[string]string{"Content-Type": "text/plain"}, body: `{"name":"a"}`, status: 415},
		{name: "body as form", method: "POST", path: echo, headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: `name=a`, status: 415},
		{name: "body with no Content-Type", method: "POST", path: echo, body: `{"name":"a"}`, status: 415},
		{name: "Content-Type with charset", method: "POST", path: echo, headers: map[string]string{"Content-Type": "application/json; charset=UTF-8"}, body: `{"name":"a"}`, status: 200},
		{name: "Content-Type in capitals with okta-response", method: "POST", path: echo, headers: map[string]string{"Content-Type": "Application/JSON;okta-response=omitCredentials"}, body: `{"name":"a"}`, status: 200},
		{name: "lifecycle POST: Content-Length 0, no Content-Type", method: "POST", path: echo, status: 200},
		{name: "PUT with Content-Length 0", method: "PUT", path: echo, status: 200},
		{name: "POST with neither body nor Content-Length", status: 411,
			raw: "POST /api/v1/test/echo HTTP/1.1\r\nHost: okapi\r\nAuthorization: SSWS {token}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"},
		{name: "PUT with neither body nor Content-Length", status: 411,
			raw: "PUT /api/v1/test/echo HTTP/1.1\r\nHost: okapi\r\nAuthorization: SSWS {token}\r\nConnection: close\r\n\r\n"},
		{name: "body over 1 MiB with Content-Length", method: "POST", path: echo, headers: json, body: big, status: 413},
		{name: "body over 1 MiB chunked", method: "POST", path: echo, headers: json, body: big, chunked: true, status: 413},
		{name: "chunked body within the limit", method: "POST", path: echo, headers: json, body: `{"name":"chunked"}`, chunked: true, status: 200, check: wantJSON("name", "chunked")},

		// JSON decoding.
		{name: "malformed JSON", method: "POST", path: echo, headers: json, body: `{"name":`, status: 400, code: "E0000003", summary: "The request body was not well-formed."},
		{name: "two JSON values", method: "POST", path: echo, headers: json, body: `{"name":"a"} {"name":"b"}`, status: 400, code: "E0000003"},
		{name: "JSON array instead of object", method: "POST", path: echo, headers: json, body: `["name"]`, status: 400, code: "E0000001", cause: "body:"},
		{name: "string where a number goes", method: "POST", path: echo, headers: json, body: `{"count":"seven"}`, status: 400, code: "E0000001", summary: "count", cause: "count: "},
		{name: "number where a string goes", method: "POST", path: echo, headers: json, body: `{"name":7}`, status: 400, code: "E0000001", cause: "name: The value has the wrong type: expected string"},
		{name: "number where an enum string goes", method: "POST", path: echo, headers: json, body: `{"status":7}`, status: 400, code: "E0000001", cause: "status: The value has the wrong type: expected string"},
		{name: "string where an array goes", method: "POST", path: echo, headers: json, body: `{"tags":"a"}`, status: 400, code: "E0000001", cause: "tags: The value has the wrong type: expected array"},
		{name: "string where an object goes", method: "POST", path: echo, headers: json, body: `{"profile":"a"}`, status: 400, code: "E0000001", cause: "profile: The value has the wrong type: expected object"},
		{name: "nested wrong type", method: "POST", path: echo, headers: json, body: `{"nested":{"flag":"yes"}}`, status: 400, code: "E0000001", cause: "nested.flag: The value has the wrong type: expected boolean"},
		{name: "number where a date goes", method: "POST", path: echo, headers: json, body: `{"when":17}`, status: 400, code: "E0000001", cause: "when: "},
		{name: "text where a date goes", method: "POST", path: echo, headers: json, body: `{"when":"yesterday"}`, status: 400, code: "E0000001", cause: "when: The value is not a date"},
		{name: "4-byte UTF-8 in a string", method: "POST", path: echo, headers: json, body: `{"name":"okapi 😀"}`, status: 400, code: "E0000001", summary: "name", cause: "name: "},
		{name: "4-byte UTF-8 as escaped surrogates", method: "POST", path: echo, headers: json, body: `{"name":"\ud83d\ude00"}`, status: 400, code: "E0000001", cause: "name: "},
		{name: "4-byte UTF-8 in a nested profile", method: "POST", path: echo, headers: json, body: `{"profile":{"firstName":"𝒜da"}}`, status: 400, code: "E0000001", cause: "profile.firstName: "},
		{name: "4-byte UTF-8 in an array", method: "POST", path: echo, headers: json, body: `{"tags":["ok","🦒"]}`, status: 400, code: "E0000001", cause: "tags[1]: "},
		{name: "4-byte UTF-8 in a query parameter", method: "GET", path: "/api/v1/api-tokens?limit=5&after=%F0%9F%98%80", status: 400, code: "E0000001", summary: "after", cause: "after: Characters that need 4 bytes"},
		{name: "3-byte UTF-8 in a query parameter is fine", method: "GET", path: "/api/v1/api-tokens?q=%E2%82%AC", status: 200},
		{name: "3-byte UTF-8 is fine", method: "POST", path: echo, headers: json, body: `{"name":"日本語 € ﬀ"}`, status: 200, check: wantJSON("name", "日本語 € ﬀ")},
		{name: "escaped backslash-u text is not a surrogate", method: "POST", path: echo, headers: json, body: `{"name":"C:\\ud83d"}`, status: 200, check: wantJSON("name", `C:\ud83d`)},

		// JSON compatibility.
		{name: "unknown properties are ignored", method: "POST", path: echo, headers: json, body: `{"name":"a","futureProperty":{"x":[1,2]},"other":null}`, status: 200, check: wantJSON("name", "a")},
		{name: "property order does not matter", method: "POST", path: echo, headers: json, body: `{"active":true,"count":2,"name":"b"}`, status: 200,
			check: func(t *testing.T, r response) {
				m := r.json(t)
				if m["name"] != "b" || m["count"] != float64(2) || m["active"] != true {
					t.Errorf("echo = %v", m)
				}
			}},
		{name: "dates come back in Okta's format", method: "POST", path: echo, headers: json, body: `{"when":"2024-03-01T10:20:30.123456+02:00"}`, status: 200, check: wantJSON("when", "2024-03-01T08:20:30.123Z")},
		{name: "query parameter order does not matter", method: "GET", path: "/api/v1/api-tokens?after=&limit=5", status: 200, check: checkTokenList},
		{name: "bad limit", method: "GET", path: "/api/v1/api-tokens?limit=abc", status: 400, code: "E0000001", cause: "limit: "},

		// Health, without a token.
		{name: "healthz", method: "GET", path: "/healthz", headers: noAuth, status: 200, check: wantJSON("status", "ok")},
		{name: "readyz", method: "GET", path: "/readyz", headers: noAuth, status: 200, check: wantJSON("status", "ready")},

		// Internal faults never describe themselves to the client.
		{name: "internal error", method: "GET", path: "/api/v1/test/fail", status: 500, code: "E0000009", summary: "Internal Server Error", check: noInternals},
		{name: "panic", method: "GET", path: "/api/v1/test/panic", status: 500, code: "E0000009", check: noInternals},
	}
}

func TestConventions(t *testing.T) {
	e := newTestEnv(t)
	cases := conventionCases()
	if len(cases) < 40 {
		t.Fatalf("only %d convention cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			var r response
			if tc.raw != "" {
				r = e.raw(strings.ReplaceAll(tc.raw, "{token}", e.token))
			} else {
				var body io.Reader
				if tc.body != "" {
					body = strings.NewReader(tc.body)
					if tc.chunked {
						body = io.MultiReader(body) // hides the length: sent chunked
					}
				}
				r = e.do(tc.method, tc.path, tc.headers, body)
			}
			if r.status != tc.status {
				t.Fatalf("status = %d, want %d\n%s", r.status, tc.status, r.body)
			}
			checkConventions(t, r)
			if tc.status >= 400 {
				m := r.json(t)
				if tc.code != "" && m["errorCode"] != tc.code {
					t.Errorf("errorCode = %v, want %s", m["errorCode"], tc.code)
				}
				if s, _ := m["errorSummary"].(string); !strings.Contains(s, tc.summary) {
					t.Errorf("errorSummary = %q, want it to contain %q", s, tc.summary)
				}
				if tc.cause != "" {
					causes, _ := m["errorCauses"].([]any)
					if len(causes) == 0 {
						t.Fatalf("no errorCauses, want one containing %q", tc.cause)
					}
					s, _ := causes[0].(map[string]any)["errorSummary"].(string)
					if !strings.Contains(s, tc.cause) {
						t.Errorf("errorCauses[0] = %q, want it to contain %q", s, tc.cause)
					}
				}
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

// checkConventions asserts what holds for every response: the request id header, JSON content
// type (empty 204), the full Okta error object, Okta dates, and one Link per header line.
func checkConventions(t *testing.T, r response) {
	t.Helper()
	id := r.header.Get("X-Okta-Request-Id")
	if !requestIDForm.MatchString(id) {
		t.Errorf("X-Okta-Request-Id = %q", id)
	}
	if r.status == http.StatusNoContent {
		if len(r.body) != 0 {
			t.Errorf("204 with a body: %q", r.body)
		}
		return
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	for _, l := range r.header.Values("Link") {
		if strings.Count(l, "rel=") != 1 {
			t.Errorf("Link header line holds more than one link: %q", l)
		}
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.body)
	}
	walkJSON(t, "", v, r.status < 400)
	if r.status < 400 {
		return
	}
	m, _ := v.(map[string]any)
	for _, k := range []string{"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"} {
		if _, ok := m[k]; !ok {
			t.Errorf("error object has no %s: %s", k, r.body)
		}
	}
	if len(m) != 5 {
		t.Errorf("error object has extra properties: %s", r.body)
	}
	if m["errorId"] != id {
		t.Errorf("errorId = %v, X-Okta-Request-Id = %s", m["errorId"], id)
	}
	if m["errorLink"] != m["errorCode"] {
		t.Errorf("errorLink %v != errorCode %v", m["errorLink"], m["errorCode"])
	}
	if _, ok := m["errorCauses"].([]any); !ok {
		t.Errorf("errorCauses is %v, want an array", m["errorCauses"])
	}
}

// walkJSON checks every string that looks like a date is in Okta's format and, in success
// bodies, that no property is null (Okta omits them).
func walkJSON(t *testing.T, path string, v any, noNulls bool) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if val == nil && noNulls {
				t.Errorf("%s.%s is null; null properties are omitted", path, k)
			}
			walkJSON(t, path+"."+k, val, noNulls)
		}
	case []any:
		for _, val := range x {
			walkJSON(t, path+"[]", val, noNulls)
		}
	case string:
		if looksDate.MatchString(x) && !oktaDate.MatchString(x) {
			t.Errorf("%s = %q is not YYYY-MM-DDTHH:mm:ss.SSSZ", path, x)
		}
	}
}

func checkTokenList(t *testing.T, r response) {
	var list []map[string]any
	if err := json.Unmarshal(r.body, &list); err != nil || len(list) == 0 {
		t.Fatalf("token list: %v %s", err, r.body)
	}
	for _, k := range []string{"id", "name", "userId", "created", "lastUpdated", "expiresAt", "tokenWindow", "_link"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("token has no %s: %v", k, list[0])
		}
	}
	for _, k := range []string{"created", "lastUpdated", "expiresAt"} {
		if s, _ := list[0][k].(string); !oktaDate.MatchString(s) {
			t.Errorf("%s = %q", k, s)
		}
	}
	if strings.Contains(string(r.body), "hash") {
		t.Errorf("token list leaks the hash: %s", r.body)
	}
}

func wantJSON(key string, want any) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		if got := r.json(t)[key]; got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
}

func wantAllow(method string) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		if !strings.Contains(r.header.Get("Allow"), method) {
			t.Errorf("Allow = %q, want it to list %s", r.header.Get("Allow"), method)
		}
	}
}

func noInternals(t *testing.T, r response) {
	for _, leak := range []string{"sqlite", "/var/secret", "boom", "goroutine", ".go:"} {
		if strings.Contains(string(r.body), leak) {
			t.Errorf("500 body describes the fault (%q): %s", leak, r.body)
		}
	}
}

// TestStoreFailureIs500 closes the store under a running server: the next request fails in the
// backend and must come back as a bare 500 E0000009, logged with its request id.
func TestStoreFailureIs500(t *testing.T) {
	e := newTestEnv(t)
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	r := e.do("GET", "/api/v1/api-tokens", nil, nil)
	if r.status != 500 {
		t.Fatalf("status = %d\n%s", r.status, r.body)
	}
	checkConventions(t, r)
	if m := r.json(t); m["errorCode"] != "E0000009" || m["errorSummary"] != "Internal Server Error" {
		t.Errorf("body = %s", r.body)
	}
	if strings.Contains(string(r.body), "closed") || strings.Contains(string(r.body), "sql") {
		t.Errorf("500 body describes the fault: %s", r.body)
	}
	id := r.header.Get("X-Okta-Request-Id")
	logged := false
	for _, l := range e.logs.lines(t) {
		if l["msg"] == "internal error" && l["request_id"] == id && strings.Contains(l["err"].(string), "closed") {
			logged = true
		}
	}
	if !logged {
		t.Errorf("the fault is not logged with request id %s:\n%s", id, e.logs.String())
	}
	if r := e.do("GET", "/readyz", map[string]string{"Authorization": ""}, nil); r.status != 503 {
		t.Errorf("readyz on a closed store = %d", r.status)
	}
}
