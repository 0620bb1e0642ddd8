package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func createOrigin(t *testing.T, e *env, name, origin, scopes string) map[string]any {
	t.Helper()
	w := e.do(req{Method: "POST", Path: "/api/v1/trustedOrigins",
		Body: fmt.Sprintf(`{"name":%q,"origin":%q,"scopes":[%s]}`, name, origin, scopes)})
	wantStatus(t, w, http.StatusOK)
	return obj(t, w)
}

func TestTrustedOriginCreateValidation(t *testing.T) {
	e := newEnv(t, "")
	createOrigin(t, e, "App", "https://app.example.com", `{"type":"CORS"}`)
	tests := []struct {
		name, body, field, cause string
	}{
		{"bad origin", `{"name":"x","origin":"https://app.example.com/path","scopes":[{"type":"CORS"}]}`, "origin", "origin: Origin value is not valid"},
		{"not a URL", `{"name":"x","origin":"app.example.com","scopes":[{"type":"CORS"}]}`, "origin", "origin: Origin value is not valid"},
		{"blank name", `{"name":" ","origin":"https://b.example.com","scopes":[{"type":"CORS"}]}`, "name", "name: The field cannot be left blank"},
		{"no scopes", `{"name":"x","origin":"https://b.example.com","scopes":[]}`, "scopes", "scopes: At least one scope is required."},
		{"bad scope", `{"name":"x","origin":"https://b.example.com","scopes":[{"type":"CSRF"}]}`, "scopes", "scopes: The scope type: CSRF is invalid. Use CORS, REDIRECT or IFRAME_EMBED."},
		{"same name", `{"name":"App","origin":"https://b.example.com","scopes":[{"type":"CORS"}]}`, "name", "name: An object with this field already exists in the current organization"},
		{"same origin, other spelling", `{"name":"x","origin":"HTTPS://App.Example.com:443","scopes":[{"type":"REDIRECT"}]}`, "origin", "origin: An object with this field already exists in the current organization"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := wantError(t, e.do(req{Method: "POST", Path: "/api/v1/trustedOrigins", Body: tt.body}), 400, "E0000001")
			if m["errorSummary"] != "Api validation failed: "+tt.field {
				t.Errorf("errorSummary %v", m["errorSummary"])
			}
			if !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
				t.Errorf("errorCauses %v, want %q", m["errorCauses"], tt.cause)
			}
		})
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/trustedOrigins", Body: `{"name":`}), 400, "E0000003")
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/trustedOrigins", Body: `{"name":1}`}), 400, "E0000001")
	if n := e.countEvents("security.trusted_origin.create"); n != 1 {
		t.Errorf("%d create events, want 1 (refused creates log nothing)", n)
	}
}

func TestTrustedOriginLifecycle(t *testing.T) {
	e := newEnv(t, "")
	o := createOrigin(t, e, "App", "https://app.example.com", `{"type":"REDIRECT"},{"type":"CORS"}`)
	id := o["id"].(string)
	if !strings.HasPrefix(id, "tos") || len(id) != 20 || o["status"] != "ACTIVE" || o["created"] != "2026-03-01T12:00:00.000Z" ||
		o["createdBy"] == "" || o["lastUpdatedBy"] != o["createdBy"] {
		t.Fatalf("created %v", o)
	}
	if fmt.Sprint(o["scopes"]) != "[map[type:REDIRECT] map[type:CORS]]" {
		t.Errorf("scope order not kept: %v", o["scopes"])
	}
	links := o["_links"].(map[string]any)
	if links["deactivate"] == nil || links["activate"] != nil ||
		links["self"].(map[string]any)["href"] != "http://example.com/api/v1/trustedOrigins/"+id {
		t.Errorf("links %v", links)
	}
	if e.lastEvent("security.trusted_origin.create")["target"] == nil {
		t.Error("no target on the create event")
	}

	steps := []struct {
		method, path, body string
		status             int
		check              func(m map[string]any) string
		event              string
	}{
		{"GET", "/api/v1/trustedOrigins/" + id, "", 200, func(m map[string]any) string { return fmt.Sprint(m["name"]) }, ""},
		{"POST", "/api/v1/trustedOrigins/" + id + "/lifecycle/deactivate", "", 200, func(m map[string]any) string {
			return fmt.Sprint(m["status"], m["_links"].(map[string]any)["activate"] != nil)
		}, "security.trusted_origin.deactivate"},
		{"POST", "/api/v1/trustedOrigins/" + id + "/lifecycle/activate", "", 200, func(m map[string]any) string { return fmt.Sprint(m["status"]) }, "security.trusted_origin.activate"},
		{"PUT", "/api/v1/trustedOrigins/" + id, `{"name":"Renamed","origin":"http://localhost:8080","scopes":[{"type":"CORS"}],"status":"INACTIVE"}`, 200,
			func(m map[string]any) string { return fmt.Sprint(m["name"], m["origin"], m["status"]) }, "security.trusted_origin.update"},
		{"PUT", "/api/v1/trustedOrigins/" + id, `{"name":"Renamed","origin":"nope","scopes":[{"type":"CORS"}]}`, 400, nil, ""},
		{"DELETE", "/api/v1/trustedOrigins/" + id, "", 204, nil, "security.trusted_origin.delete"},
		{"GET", "/api/v1/trustedOrigins/" + id, "", 404, nil, ""},
		{"DELETE", "/api/v1/trustedOrigins/" + id, "", 404, nil, ""},
		{"POST", "/api/v1/trustedOrigins/" + id + "/lifecycle/activate", "", 404, nil, ""},
		{"GET", "/api/v1/trustedOrigins/bogus", "", 404, nil, ""},
	}
	want := []string{"App", "INACTIVEtrue", "ACTIVE", "Renamedhttp://localhost:8080INACTIVE"}
	for i, st := range steps {
		before := 0
		if st.event != "" {
			before = e.countEvents(st.event)
		}
		w := e.do(req{Method: st.method, Path: st.path, Body: st.body})
		if w.Code != st.status {
			t.Fatalf("step %d %s %s: status %d, want %d: %s", i, st.method, st.path, w.Code, st.status, w.Body.String())
		}
		if st.check != nil {
			if got := st.check(obj(t, w)); got != want[i] {
				t.Errorf("step %d %s %s: got %q, want %q", i, st.method, st.path, got, want[i])
			}
		}
		if st.event != "" && e.countEvents(st.event) != before+1 {
			t.Errorf("step %d: no %s event", i, st.event)
		}
		if st.status == 404 {
			m := wantError(t, w, 404, "E0000007")
			if !strings.HasSuffix(m["errorSummary"].(string), "(TrustedOrigin)") {
				t.Errorf("404 summary %v", m["errorSummary"])
			}
		}
	}
}

func TestTrustedOriginList(t *testing.T) {
	e := newEnv(t, "")
	for i := 0; i < 5; i++ {
		createOrigin(t, e, fmt.Sprintf("Site %d", i), fmt.Sprintf("https://s%d.example.com", i), `{"type":"CORS"}`)
	}
	createOrigin(t, e, "Redirector", "https://r.example.org", `{"type":"REDIRECT"}`)
	count := func(q string) int {
		w := e.do(req{Method: "GET", Path: "/api/v1/trustedOrigins" + q})
		wantStatus(t, w, 200)
		return len(decodeBody(t, w).([]any))
	}
	tests := map[string]int{
		"":                                     6,
		"?q=site":                              5,
		"?q=https://r.":                        1,
		"?q=nothing":                           0,
		"?filter=" + esc(`name eq "Site 2"`):   1,
		"?filter=" + esc(`type eq "REDIRECT"`): 1,
		"?filter=" + esc(`status eq "ACTIVE"`): 6,
		"?filter=" + esc(`(type eq "CORS" and name eq "Site 1") or origin eq "https://r.example.org"`): 2,
		"?limit=2":   2,
		"?limit=500": 6,
	}
	for q, n := range tests {
		if got := count(q); got != n {
			t.Errorf("GET %s: %d origins, want %d", q, got, n)
		}
	}
	// Paging: follow rel="next" until it ends; every origin exactly once.
	seen := map[string]bool{}
	path := "/api/v1/trustedOrigins?limit=4"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		w := e.do(req{Method: "GET", Path: path})
		for _, o := range decodeBody(t, w).([]any) {
			id := o.(map[string]any)["id"].(string)
			if seen[id] {
				t.Fatalf("%s repeated", id)
			}
			seen[id] = true
		}
		path = ""
		for _, l := range w.Header().Values("Link") {
			if strings.Contains(l, `rel="next"`) {
				path = strings.TrimPrefix(l[1:strings.Index(l, ">")], "http://example.com")
			}
		}
	}
	if len(seen) != 6 {
		t.Errorf("paging saw %d origins", len(seen))
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/trustedOrigins?filter=" + esc(`name sw "S"`)}), 400, "E0000031")
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/trustedOrigins?filter=" + esc(`secret eq "x"`)}), 400, "E0000031")
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/trustedOrigins?q=a&filter=" + esc(`name eq "x"`)}), 400, "E0000033")
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/trustedOrigins?limit=abc"}), 400, "E0000001")
}

func esc(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "(", "%28", ")", "%29", ":", "%3A", "/", "%2F").Replace(s)
}
