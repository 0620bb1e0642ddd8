package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func createZone(t *testing.T, e *env, body string) map[string]any {
	t.Helper()
	w := e.do(req{Method: "POST", Path: "/api/v1/zones", Body: body})
	wantStatus(t, w, http.StatusOK)
	return obj(t, w)
}

func TestZoneCreateValidation(t *testing.T) {
	e := newEnv(t, "")
	createZone(t, e, `{"type":"IP","name":"Office","gateways":[{"type":"CIDR","value":"1.2.3.4/24"}]}`)
	tests := []struct {
		name, body, field, cause string
	}{
		{"bad range", `{"type":"IP","name":"z","gateways":[{"type":"RANGE","value":"1.2.3.4.5-1.2.3.6"}]}`, "gateways",
			"gateways: The IP: 1.2.3.4.5 in the RANGE: 1.2.3.4.5-1.2.3.6 is invalid. Make sure it is a valid IPV4."},
		{"bad v6 cidr", `{"type":"IP","name":"z","proxies":[{"type":"CIDR","value":"2001:db8::/129"}]}`, "proxies",
			"proxies: The CIDR: 2001:db8::/129 is invalid. Make sure the prefix length is between 0 and 128."},
		{"empty IP zone", `{"type":"IP","name":"z"}`, "gateways", "gateways: An IP zone needs at least one gateway or proxy."},
		{"no type", `{"name":"z","gateways":[{"type":"CIDR","value":"1.2.3.4/24"}]}`, "type", "type: The field cannot be left blank"},
		{"bad type", `{"type":"GEO","name":"z"}`, "type", "type: The type: GEO is invalid. Use IP, DYNAMIC or DYNAMIC_V2."},
		{"bad usage", `{"type":"IP","name":"z","usage":"ALLOW","gateways":[{"type":"CIDR","value":"1.2.3.4/24"}]}`, "usage", "usage: The usage: ALLOW is invalid. Use POLICY or BLOCKLIST."},
		{"taken name", `{"type":"IP","name":"Office","gateways":[{"type":"CIDR","value":"5.6.7.8/32"}]}`, "name", "name: An object with this field already exists in the current organization"},
		{"system name", `{"type":"IP","name":"LegacyIpZone","gateways":[{"type":"CIDR","value":"5.6.7.8/32"}]}`, "name", "already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := wantError(t, e.do(req{Method: "POST", Path: "/api/v1/zones", Body: tt.body}), 400, "E0000001")
			if m["errorSummary"] != "Api validation failed: "+tt.field || !strings.Contains(fmt.Sprint(m["errorCauses"]), tt.cause) {
				t.Errorf("got %v / %v, want %s / %q", m["errorSummary"], m["errorCauses"], tt.field, tt.cause)
			}
		})
	}
	wantError(t, e.do(req{Method: "POST", Path: "/api/v1/zones", Body: `{"type":`}), 400, "E0000003")
	// A DYNAMIC zone is stored and echoed, with its own fields.
	d := createZone(t, e, `{"type":"DYNAMIC","name":"Tor","proxyType":"Tor","locations":[{"country":"US","region":"US-CA"}],"asns":["23457"]}`)
	if d["type"] != "DYNAMIC" || d["proxyType"] != "Tor" || fmt.Sprint(d["asns"]) != "[23457]" || d["gateways"] != nil {
		t.Errorf("dynamic zone %v", d)
	}
	// The Terraform provider sends proxyType "" for a DYNAMIC zone without one; Okta treats it as
	// unset (200), and so does okapi, which then leaves it out of the answer.
	tf := createZone(t, e, `{"locations":[{"country":"US"},{"country":"AF","region":"AF-BGL"}],"name":"TF Dynamic","proxyType":"","status":"ACTIVE","type":"DYNAMIC","usage":"POLICY"}`)
	if _, ok := tf["proxyType"]; ok || tf["type"] != "DYNAMIC" {
		t.Errorf(`proxyType "" zone %v`, tf)
	}
	// A client cannot make a system zone.
	if z := createZone(t, e, `{"type":"IP","name":"Sneaky","system":true,"proxies":[{"type":"RANGE","value":"10.0.0.1-10.0.0.9"}]}`); z["system"] != false {
		t.Errorf("system = %v", z["system"])
	}
}

func TestZoneLifecycleAndSystemZones(t *testing.T) {
	e := newEnv(t, "")
	z := createZone(t, e, `{"type":"IP","name":"Office","usage":"POLICY","gateways":[{"type":"CIDR","value":"1.2.3.4/24"}],"proxies":[{"type":"RANGE","value":"2001:db8::1-2001:db8::ff"}]}`)
	id := z["id"].(string)
	if !strings.HasPrefix(id, "nzo") || z["status"] != "ACTIVE" || z["system"] != false || z["created"] != "2026-03-01T12:00:00.000Z" ||
		fmt.Sprint(z["gateways"]) != "[map[type:CIDR value:1.2.3.4/24]]" {
		t.Fatalf("created %v", z)
	}
	if e.lastEvent("zone.create")["client"].(map[string]any)["ipAddress"] != "192.0.2.10" {
		t.Error("zone.create event lacks the client IP")
	}
	steps := []struct {
		method, path, body string
		status             int
		want               string // status after the step, when 200
		event              string
	}{
		{"POST", "/lifecycle/activate", "", 200, "ACTIVE", ""}, // idempotent: Terraform calls it after every write
		{"POST", "/lifecycle/deactivate", "", 200, "INACTIVE", "zone.deactivate"},
		{"POST", "/lifecycle/deactivate", "", 200, "INACTIVE", ""},
		{"POST", "/lifecycle/activate", "", 200, "ACTIVE", "zone.activate"},
		{"PUT", "", `{"type":"IP","name":"Office 2","gateways":[{"type":"CIDR","value":"9.9.9.0/24"}]}`, 200, "ACTIVE", "zone.update"},
		{"PUT", "", `{"type":"DYNAMIC","name":"Office 2","proxyType":"Tor"}`, 400, "", ""},
		{"PUT", "", `{"type":"IP","name":"Office 2","gateways":[{"type":"CIDR","value":"9.9.9.0/33"}]}`, 400, "", ""},
		{"GET", "", "", 200, "ACTIVE", ""},
		{"DELETE", "", "", 204, "", "zone.delete"},
		{"GET", "", "", 404, "", ""},
		{"POST", "/lifecycle/activate", "", 404, "", ""},
	}
	for i, st := range steps {
		before := 0
		if st.event != "" {
			before = e.countEvents(st.event)
		}
		w := e.do(req{Method: st.method, Path: "/api/v1/zones/" + id + st.path, Body: st.body})
		if w.Code != st.status {
			t.Fatalf("step %d %s %s: status %d, want %d: %s", i, st.method, st.path, w.Code, st.status, w.Body.String())
		}
		if st.status == 200 {
			if m := obj(t, w); m["status"] != st.want || m["type"] != "IP" {
				t.Errorf("step %d: %v", i, m)
			}
		}
		if st.status == 404 {
			wantError(t, w, 404, "E0000007")
		}
		if st.event != "" && e.countEvents(st.event) != before+1 {
			t.Errorf("step %d: no %s event", i, st.event)
		}
	}

	// System zones: created with the org, listed with their type, not deletable.
	w := e.do(req{Method: "GET", Path: "/api/v1/zones"})
	wantStatus(t, w, 200)
	system := map[string]string{}
	for _, v := range decodeBody(t, w).([]any) {
		m := v.(map[string]any)
		if m["type"] == nil {
			t.Errorf("zone without type: %v", m)
		}
		if m["system"] == true {
			system[m["name"].(string)] = m["id"].(string)
		}
	}
	legacy := system["LegacyIpZone"]
	if legacy == "" || system["BlockedIpZone"] == "" {
		t.Fatalf("system zones %v", system)
	}
	wantError(t, e.do(req{Method: "DELETE", Path: "/api/v1/zones/" + legacy}), 403, "E0000006")
	w = e.do(req{Method: "PUT", Path: "/api/v1/zones/" + legacy, Body: `{"type":"IP","name":"Corporate","gateways":[{"type":"CIDR","value":"8.8.8.0/24"}]}`})
	wantStatus(t, w, 200)
	if m := obj(t, w); m["system"] != true || m["name"] != "Corporate" || m["usage"] != "POLICY" {
		t.Errorf("system zone after PUT %v", m)
	}
	wantError(t, e.do(req{Method: "PUT", Path: "/api/v1/zones/" + legacy, Body: `{"type":"IP","name":"Corporate","usage":"BLOCKLIST"}`}), 400, "E0000001")
}

func TestZoneListFilter(t *testing.T) {
	e := newEnv(t, "")
	a := createZone(t, e, `{"type":"IP","name":"A","gateways":[{"type":"CIDR","value":"1.0.0.0/8"}]}`)["id"].(string)
	b := createZone(t, e, `{"type":"IP","name":"B","usage":"BLOCKLIST","gateways":[{"type":"CIDR","value":"2.0.0.0/8"}]}`)["id"].(string)
	count := func(q string) int {
		w := e.do(req{Method: "GET", Path: "/api/v1/zones" + q})
		wantStatus(t, w, 200)
		return len(decodeBody(t, w).([]any))
	}
	tests := map[string]int{
		"":                                5, // three system zones and A, B
		"?filter=" + esc(`id eq "`+a+`"`): 1,
		"?filter=" + esc(`(id eq "`+a+`" or id eq "`+b+`")`):    2,
		"?filter=" + esc(`usage eq "BLOCKLIST"`):                2,
		"?filter=" + esc(`usage eq "POLICY" and id eq "`+b+`"`): 0,
		"?limit=3":  3,
		"?limit=-1": 5,
	}
	for q, n := range tests {
		if got := count(q); got != n {
			t.Errorf("GET /zones%s: %d zones, want %d", q, got, n)
		}
	}
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/zones?filter=" + esc(`name eq "A"`)}), 400, "E0000031")
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/zones?limit=0"}), 400, "E0000001")
}
