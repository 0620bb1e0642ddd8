package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestOperatorBadBodies: the operator API never answers bad bodies with a 5xx or changes the
// list of orgs; a body a route reads that is malformed, not an object, or carries NUL or a 4-byte
// character in a field it reads is a 4xx Okta error. Unknown fields are ignored, as in the Okta
// API, so huge or deep bodies of unknown fields are valid. Restore reads no body at all. (The
// /api/v1 routes have their own matrix in internal/httpapi.)
func TestOperatorBadBodies(t *testing.T) {
	k := startKit(t, nil)
	k.createOrg("acme")
	snapURL := k.hostURL("") + "/okapi/v1/orgs/acme/snapshots"
	if st := k.do("POST", snapURL, testOperator, map[string]any{"name": "s1"}, nil); st != 200 {
		t.Fatalf("snapshot: %d", st)
	}
	orgs := func() string {
		var out any
		if st := k.do("GET", k.hostURL("")+"/okapi/v1/orgs", testOperator, nil, &out); st != 200 {
			t.Fatalf("list orgs: %d", st)
		}
		b, _ := json.Marshal(out)
		return string(b)
	}
	before := orgs()
	routes := []string{
		"/okapi/v1/orgs",
		"/okapi/v1/orgs/acme/clock",
		"/okapi/v1/orgs/acme/reset",
		"/okapi/v1/orgs/acme/seed",
		"/okapi/v1/orgs/acme/snapshots",
		"/okapi/v1/orgs/acme/snapshots/s1/restore",
	}
	bodies := map[string]string{
		"malformed":    `{"name":`,
		"array":        `[]`,
		"string":       `"acme"`,
		"wrong types":  `{"name": 5, "to": [], "freeze": {}, "advance": true, "users": "x"}`,
		"nul":          `{"name": "a\u0000b", "to": "a\u0000", "advance": "1h\u0000"}`,
		"emoji":        `{"name": "😀", "to": "😀", "advance": "😀"}`,
		"huge string":  `{"name": "` + strings.Repeat("a", 300_000) + `"}`,
		"deep nesting": strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000),
		"bad values":   `{"name": "-Bad_Name-", "to": "yesterday", "advance": "-5 years", "freeze": "not a time"}`,
	}
	for _, route := range routes {
		for name, body := range bodies {
			req, _ := http.NewRequest("POST", k.hostURL("")+route, bytes.NewReader([]byte(body)))
			req.Header.Set("Authorization", "SSWS "+testOperator)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			res, err := k.client.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", route, name, err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode >= 500 {
				t.Errorf("%s with %s: %d %.200s", route, name, res.StatusCode, raw)
			}
			mustFail := name == "malformed" || name == "array" || name == "string" || name == "nul" || name == "emoji"
			if !mustFail || strings.HasSuffix(route, "/restore") {
				continue
			}
			var e struct{ ErrorCode string }
			if res.StatusCode < 400 || json.Unmarshal(raw, &e) != nil || e.ErrorCode == "" {
				t.Errorf("%s with %s: %d %.200s, want a 4xx Okta error", route, name, res.StatusCode, raw)
			}
		}
	}
	if after := orgs(); after != before {
		t.Errorf("orgs changed:\nbefore %s\nafter  %s", before, after)
	}
}
