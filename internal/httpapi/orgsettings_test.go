package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
)

// TestOrgSettingsDefaults: a new org's settings are Okta's for a new org: its id and name,
// ACTIVE, no expiry, unset details null, created and lastUpdated the org's creation.
func TestOrgSettingsDefaults(t *testing.T) {
	e := newEnv(t, "")
	wellKnown := obj(t, e.do(req{Method: "GET", Path: "/.well-known/okta-organization", NoAuth: true}))
	w := e.do(req{Method: "GET", Path: "/api/v1/org"})
	wantStatus(t, w, http.StatusOK)
	m := obj(t, w)
	for k, want := range map[string]any{
		"id": wellKnown["id"], "subdomain": "default", "companyName": "default", "status": "ACTIVE",
		"created": "2026-03-01T12:00:00.000Z", "lastUpdated": "2026-03-01T12:00:00.000Z",
	} {
		if m[k] != want {
			t.Errorf("%s = %v, want %v", k, m[k], want)
		}
	}
	for _, k := range []string{"expiresAt", "website", "phoneNumber", "supportPhoneNumber", "endUserSupportHelpURL",
		"address1", "address2", "city", "state", "country", "postalCode"} {
		if v, ok := m[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
	links := fmt.Sprint(m["_links"])
	for _, want := range []string{"http://example.com/api/v1/org/preferences", "http://example.com/api/v1/org/contacts"} {
		if !strings.Contains(links, want) {
			t.Errorf("_links %s lack %s", links, want)
		}
	}
}

// TestOrgSettingsUpdate: POST changes the fields it names, PUT clears the rest (Okta deletes
// what a replace leaves out), read-only fields are ignored, and each change is logged.
func TestOrgSettingsUpdate(t *testing.T) {
	e := newEnv(t, "")
	e.clock.Advance(time.Hour)
	steps := []struct {
		name, method, body string
		want               map[string]any
	}{
		{"partial", "POST", `{"companyName":"Acme","website":"https://acme.example","id":"00oforged","subdomain":"evil","status":"INACTIVE","created":"2000-01-01T00:00:00.000Z"}`,
			map[string]any{"companyName": "Acme", "website": "https://acme.example", "subdomain": "default", "status": "ACTIVE",
				"created": "2026-03-01T12:00:00.000Z", "lastUpdated": "2026-03-01T13:00:00.000Z", "city": nil}},
		{"partial keeps the rest", "POST", `{"city":"Paris","postalCode":"75001"}`,
			map[string]any{"companyName": "Acme", "website": "https://acme.example", "city": "Paris", "postalCode": "75001"}},
		{"partial clears with an empty string", "POST", `{"website":""}`,
			map[string]any{"companyName": "Acme", "website": nil, "city": "Paris"}},
		{"replace clears what it leaves out", "PUT", `{"companyName":"Beta","phoneNumber":"+1-555-0100","expiresAt":"2030-01-01T00:00:00.000Z"}`,
			map[string]any{"companyName": "Beta", "phoneNumber": "+1-555-0100", "city": nil, "postalCode": nil, "expiresAt": nil}},
	}
	for _, st := range steps {
		w := e.do(req{Method: st.method, Path: "/api/v1/org", Body: st.body})
		wantStatus(t, w, http.StatusOK)
		m := obj(t, w)
		got := obj(t, e.do(req{Method: "GET", Path: "/api/v1/org"}))
		for k, want := range st.want {
			if m[k] != want || got[k] != want {
				t.Errorf("%s: %s = %v, read back %v, want %v", st.name, k, m[k], got[k], want)
			}
		}
	}
	if n := e.countEvents("system.org.update"); n != len(steps) {
		t.Errorf("%d system.org.update events, want %d", n, len(steps))
	}
	ev := e.lastEvent("system.org.update")
	if fmt.Sprint(ev["target"]) == "" || !strings.Contains(fmt.Sprint(ev["target"]), "Beta") {
		t.Errorf("event target %v, want the org named Beta", ev["target"])
	}
}

func TestOrgSettingsBadInput(t *testing.T) {
	e := newEnv(t, "")
	tests := []struct {
		name, method, path, body string
		status                   int
		code, cause              string
	}{
		{"wrong type", "POST", "/api/v1/org", `{"companyName":5}`, 400, "E0000001", "companyName"},
		{"object for a string", "PUT", "/api/v1/org", `{"companyName":"x","city":{"a":1}}`, 400, "E0000001", "city"},
		{"malformed", "POST", "/api/v1/org", `{"companyName":`, 400, "E0000003", ""},
		{"replace without a body", "PUT", "/api/v1/org", ``, 400, "E0000001", "body"},
		{"unknown contact type", "GET", "/api/v1/org/contacts/SALES", ``, 404, "E0000007", ""},
		{"set an unknown contact type", "PUT", "/api/v1/org/contacts/SALES", `{"userId":"00unosuchuser000000000"}`, 404, "E0000007", ""},
		{"contact without userId", "PUT", "/api/v1/org/contacts/BILLING", `{}`, 400, "E0000001", "userId"},
		{"contact userId a number", "PUT", "/api/v1/org/contacts/BILLING", `{"userId":7}`, 400, "E0000001", "userId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := wantError(t, e.do(req{Method: tt.method, Path: tt.path, Body: tt.body}), tt.status, tt.code)
			if tt.cause != "" && !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
				t.Errorf("errorCauses %v, want %q", m["errorCauses"], tt.cause)
			}
		})
	}
	m := wantError(t, e.do(req{Method: "PUT", Path: "/api/v1/org/contacts/TECHNICAL", Body: `{"userId":"00unosuchuser000000000"}`}), 404, "E0000007")
	if m["errorSummary"] != "Not found: Resource not found: 00unosuchuser000000000 (User)" {
		t.Errorf("errorSummary %v", m["errorSummary"])
	}
	if n := e.countEvents("system.org.update"); n != 0 {
		t.Errorf("%d events for refused changes, want 0", n)
	}
}

// TestOrgContacts: both contact types start as the org's first super admin; a replace names
// another user, in either spelling of the type; a deleted contact falls back to the default.
func TestOrgContacts(t *testing.T) {
	e := newEnv(t, "")
	list := decodeBody(t, e.do(req{Method: "GET", Path: "/api/v1/org/contacts"})).([]any)
	if len(list) != 2 || fmt.Sprint(list[0]) != "map[_links:map[billing:map[href:http://example.com/api/v1/org/contacts/billing]] contactType:BILLING]" ||
		list[1].(map[string]any)["contactType"] != "TECHNICAL" {
		t.Fatalf("contact types %v", list)
	}
	admin := obj(t, e.do(req{Method: "GET", Path: "/api/v1/users/admin@okapi.test"}))["id"].(string)
	contact := func(typ string) string {
		t.Helper()
		w := e.do(req{Method: "GET", Path: "/api/v1/org/contacts/" + typ})
		wantStatus(t, w, http.StatusOK)
		m := obj(t, w)
		id, _ := m["userId"].(string)
		if !strings.Contains(fmt.Sprint(m["_links"]), "/api/v1/users/"+id) {
			t.Errorf("contact links %v", m["_links"])
		}
		return id
	}
	if b, tc := contact("BILLING"), contact("technical"); b != admin || tc != admin {
		t.Fatalf("default contacts %s, %s, want the admin %s", b, tc, admin)
	}
	w := e.do(req{Method: "POST", Path: "/api/v1/users?activate=false",
		Body: `{"profile":{"login":"tech@example.com","email":"tech@example.com","firstName":"T","lastName":"C"}}`})
	wantStatus(t, w, http.StatusOK)
	tech := obj(t, w)["id"].(string)
	w = e.do(req{Method: "PUT", Path: "/api/v1/org/contacts/technical", Body: `{"userId":"` + tech + `"}`})
	wantStatus(t, w, http.StatusOK)
	if obj(t, w)["userId"] != tech {
		t.Errorf("replace answered %s", w.Body.String())
	}
	if b, tc := contact("BILLING"), contact("TECHNICAL"); b != admin || tc != tech {
		t.Errorf("contacts %s, %s, want %s, %s", b, tc, admin, tech)
	}
	if !strings.Contains(fmt.Sprint(e.lastEvent("system.org.update")["target"]), tech) {
		t.Errorf("the contact event does not name the user")
	}
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + tech}), http.StatusNoContent)
	wantStatus(t, e.do(req{Method: "DELETE", Path: "/api/v1/users/" + tech}), http.StatusNoContent)
	if tc := contact("TECHNICAL"); tc != admin {
		t.Errorf("contact after the user's deletion %s, want the admin %s", tc, admin)
	}
}

// TestOrgPreferences: the footer shows by default; hide and show flip it, with the link that
// flips it back; asking for what is already so logs nothing.
func TestOrgPreferences(t *testing.T) {
	e := newEnv(t, "")
	check := func(m map[string]any, show bool) {
		t.Helper()
		rel := "hideEndUserFooter"
		if !show {
			rel = "showEndUserFooter"
		}
		links := m["_links"].(map[string]any)
		l, ok := links[rel].(map[string]any)
		if m["showEndUserFooter"] != show || !ok || l["href"] != "http://example.com/api/v1/org/preferences/"+rel || len(links) != 1 {
			t.Errorf("preferences %v, want showEndUserFooter %v and a %s link", m, show, rel)
		}
	}
	get := func(show bool) {
		t.Helper()
		w := e.do(req{Method: "GET", Path: "/api/v1/org/preferences"})
		wantStatus(t, w, http.StatusOK)
		check(obj(t, w), show)
	}
	get(true)
	for _, st := range []struct {
		path   string
		show   bool
		events int
	}{{"hideEndUserFooter", false, 1}, {"hideEndUserFooter", false, 1}, {"showEndUserFooter", true, 2}} {
		w := e.do(req{Method: "POST", Path: "/api/v1/org/preferences/" + st.path})
		wantStatus(t, w, http.StatusOK)
		check(obj(t, w), st.show)
		get(st.show)
		if n := e.countEvents("system.org.update"); n != st.events {
			t.Errorf("after %s: %d events, want %d", st.path, n, st.events)
		}
	}
}

// TestOrgSettingsReset: a reset puts a new org's settings back.
func TestOrgSettingsReset(t *testing.T) {
	e := newEnv(t, "")
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/org", Body: `{"companyName":"Acme","city":"Oslo"}`}), http.StatusOK)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/org/preferences/hideEndUserFooter"}), http.StatusOK)
	if err := e.svc.ResetOrg(context.Background(), domain.DefaultOrgName, false); err != nil {
		t.Fatal(err)
	}
	m := obj(t, e.do(req{Method: "GET", Path: "/api/v1/org"}))
	if m["companyName"] != "default" || m["city"] != nil {
		t.Errorf("after reset: %v", m)
	}
	if p := obj(t, e.do(req{Method: "GET", Path: "/api/v1/org/preferences"})); p["showEndUserFooter"] != true {
		t.Errorf("preferences after reset: %v", p)
	}
}
