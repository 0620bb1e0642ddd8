package oastest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const token = `{"id":"00T1","name":"ci","userId":"00u1","clientName":"Okta API","created":"2024-01-02T03:04:05.000Z",
"lastUpdated":"2024-01-02T03:04:05.000Z","expiresAt":"2024-02-01T03:04:05.000Z","tokenWindow":"PT720H",
"network":{"connection":"ANYWHERE"},"_link":{"self":{"href":"https://o.example/api/v1/api-tokens/00T1"}}}`

const oktaError = `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae1","errorCauses":[]}`

func TestCheck(t *testing.T) {
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
		wantErr            string // "" means it must conform
	}{
		{"token conforms, tokenWindow duration accepted", "GET", "/api/v1/api-tokens/00T1", 200, jsonCT, token, ""},
		{"token list conforms", "GET", "/api/v1/api-tokens", 200, jsonCT, "[" + token + "]", ""},
		{"token without its required name", "GET", "/api/v1/api-tokens/00T1", 200, jsonCT, strings.Replace(token, `"name":"ci",`, "", 1), "name"},
		{"token with a number for a string", "GET", "/api/v1/api-tokens/00T1", 200, jsonCT, strings.Replace(token, `"userId":"00u1"`, `"userId":7`, 1), "userId"},
		{"list answered with an object", "GET", "/api/v1/api-tokens", 200, jsonCT, token, "array"},
		{"undeclared success status", "GET", "/api/v1/api-tokens", 201, jsonCT, "[]", "status is not supported"},
		{"declared 204", "DELETE", "/api/v1/api-tokens/current", 204, http.Header{}, "", ""},
		{"204 with a body", "DELETE", "/api/v1/api-tokens/00T1", 204, http.Header{}, "{}", "204 with"},
		{"declared 404 error", "DELETE", "/api/v1/api-tokens/00T1", 404, jsonCT, oktaError, ""},
		{"undeclared 401 with an Error body (convention)", "GET", "/api/v1/api-tokens", 401, jsonCT, oktaError, ""},
		{"undeclared 401 as text", "GET", "/api/v1/api-tokens", 401, http.Header{"Content-Type": {"text/plain"}}, "nope", "Content-Type"},
		{"undeclared 500 without errorCode", "GET", "/api/v1/api-tokens", 500, jsonCT, `{"errorSummary":"x"}`, "errorCode"},
		{"error with a wrong field type", "GET", "/api/v1/api-tokens", 403, jsonCT, `{"errorCode":"E0000006","errorCauses":"x"}`, "errorCauses"},
		{"wrong content type on success", "GET", "/api/v1/api-tokens", 200, http.Header{"Content-Type": {"text/html"}}, "[]", "Content-Type"},
		{"verb the spec lacks, answered 405", "PATCH", "/api/v1/api-tokens", 405, jsonCT, oktaError, ""},
		{"verb the spec lacks, answered 200", "PATCH", "/api/v1/api-tokens", 200, jsonCT, "[]", "spec has no PATCH"},
		{"unknown path answered 404", "GET", "/api/v1/nothing/here", 404, jsonCT, oktaError, ""},
		{"unknown path answered 200", "GET", "/api/v1/nothing/here", 200, jsonCT, "{}", "Unspecified"},
		{"okapi-only path skipped", "GET", "/healthz", 200, jsonCT, `{"status":"ok"}`, ""},
		{"okapi-only prefix skipped", "GET", "/api/v1/test/echo", 200, jsonCT, `{}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "http://okapi.test"+tt.path, nil)
			err := Check(req, tt.status, tt.header, []byte(tt.body))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("want conforming, got %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("want an error mentioning %q, got none", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("want an error mentioning %q, got %v", tt.wantErr, err)
			}
		})
	}
}

func TestMatchPrefersLiteralSegments(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/api/v1/api-tokens/current":            "/api/v1/api-tokens/current",
		"/api/v1/api-tokens/00T1":               "/api/v1/api-tokens/{apiTokenId}",
		"/api/v1/users/00u1/lifecycle/activate": "/api/v1/users/{userId}/lifecycle/activate",
		"/api/v1/groups/00g1/users/00u1":        "/api/v1/groups/{groupId}/users/{userId}",
		"/api/v1/logs":                          "/api/v1/logs",
		"/api/v1/no/such/thing/at/all":          "",
	} {
		if got, _ := d.Match(path); got != want {
			t.Errorf("Match(%s) = %q, want %q", path, got, want)
		}
	}
}

// recordingTB collects what the helpers report, so the test can see a failure happen.
type recordingTB struct{ errs []string }

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}
func (r *recordingTB) Fatalf(format string, a ...any) { r.Errorf(format, a...) }

func TestHandlerAndTransportReportNonConformingAnswers(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v1/api-tokens/bad" {
			fmt.Fprint(w, `{"id":"00T1"}`) // no name
			return
		}
		fmt.Fprint(w, token)
	})
	for _, tc := range []struct {
		name string
		do   func(tb TB, srvURL string, path string) (*http.Response, error)
		wrap bool
	}{
		{"Handler", func(tb TB, u, p string) (*http.Response, error) { return http.Get(u + p) }, true},
		{"Transport", func(tb TB, u, p string) (*http.Response, error) {
			return (&http.Client{Transport: Transport(tb, nil)}).Get(u + p)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := &recordingTB{}
			var handler http.Handler = h
			if tc.wrap {
				handler = Handler(tb, h)
			}
			srv := httptest.NewServer(handler)
			defer srv.Close()
			resp, err := tc.do(tb, srv.URL, "/api/v1/api-tokens/00T1")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if len(tb.errs) != 0 {
				t.Fatalf("conforming answer reported: %v", tb.errs)
			}
			resp, err = tc.do(tb, srv.URL, "/api/v1/api-tokens/bad")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("the wrapped answer's status changed to %d", resp.StatusCode)
			}
			if len(tb.errs) != 1 || !strings.Contains(tb.errs[0], "name") {
				t.Fatalf("want one report about the missing name, got %v", tb.errs)
			}
		})
	}
}

func TestMarkdownListsEveryRule(t *testing.T) {
	md := Markdown()
	for _, want := range []string{"tokenWindow", "/healthz", "/api/v1/events", "405"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown() lacks %q", want)
		}
	}
}
