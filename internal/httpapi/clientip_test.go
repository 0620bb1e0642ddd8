package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// ipOf makes an authenticated request that writes a System Log event and returns the event's
// client.ipAddress, request.ipChain and client.zone.
func (e *env) ipOf(peer string, xff ...string) (ip, chain, zone string) {
	e.t.Helper()
	n := e.countEvents("security.trusted_origin.create")
	h := map[string]string{}
	if len(xff) > 0 {
		h["X-Forwarded-For"] = strings.Join(xff, ", ")
	}
	w := e.do(req{Method: "POST", Path: "/api/v1/trustedOrigins", Peer: peer, Header: h,
		Body: fmt.Sprintf(`{"name":"o%d","origin":"https://o%d.example.com","scopes":[{"type":"CORS"}]}`, n, n)})
	wantStatus(e.t, w, 200)
	ev := e.lastEvent("security.trusted_origin.create")
	client := ev["client"].(map[string]any)
	var hops []string
	for _, h := range ev["request"].(map[string]any)["ipChain"].([]any) {
		m := h.(map[string]any)
		hops = append(hops, fmt.Sprint(m["ip"], "/", m["version"]))
	}
	return fmt.Sprint(client["ipAddress"]), strings.Join(hops, " "), fmt.Sprint(client["zone"])
}

func TestClientIPFromTrustedProxies(t *testing.T) {
	e := newEnv(t, "10.0.0.0/8, fd00::/8")
	tests := []struct {
		name, peer string
		xff        []string
		ip, chain  string
	}{
		{"direct", "203.0.113.5:4000", nil, "203.0.113.5", "203.0.113.5/V4"},
		{"one trusted proxy", "10.0.0.1:4000", []string{"198.51.100.7"}, "198.51.100.7", "198.51.100.7/V4 10.0.0.1/V4"},
		{"two proxies", "10.0.0.1:4000", []string{"198.51.100.7", "10.0.0.2"}, "198.51.100.7", "198.51.100.7/V4 10.0.0.2/V4 10.0.0.1/V4"},
		{"spoofed header from an untrusted peer", "203.0.113.5:4000", []string{"1.1.1.1"}, "203.0.113.5", "203.0.113.5/V4"},
		{"spoofed entry left of the client", "10.0.0.1:4000", []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7", "6.6.6.6/V4 198.51.100.7/V4 10.0.0.1/V4"},
		{"IPv6", "[fd00::1]:4000", []string{"2001:db8::5"}, "2001:db8::5", "2001:db8::5/V6 fd00::1/V6"},
		{"IPv4-mapped peer", "[::ffff:10.0.0.1]:4000", []string{"198.51.100.7"}, "198.51.100.7", "198.51.100.7/V4 10.0.0.1/V4"},
		{"garbage left of the client", "10.0.0.1:4000", []string{"garbage", "198.51.100.7"}, "198.51.100.7", "198.51.100.7/V4 10.0.0.1/V4"},
		{"garbage right of the client", "10.0.0.1:4000", []string{"198.51.100.7", "unknown"}, "10.0.0.1", "10.0.0.1/V4"},
		{"port and brackets", "10.0.0.1:4000", []string{"[2001:db8::9]:443"}, "2001:db8::9", "2001:db8::9/V6 10.0.0.1/V4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ip, chain, zone := e.ipOf(tt.peer, tt.xff...)
			if ip != tt.ip || chain != tt.chain || zone != "null" {
				t.Errorf("ip %s chain %s zone %s; want %s, %s, null", ip, chain, zone, tt.ip, tt.chain)
			}
		})
	}
}

// An org trusts its ACTIVE zones' proxies, and the request lands in the zone it matches.
func TestClientIPFromZoneProxies(t *testing.T) {
	e := newEnv(t, "")
	z := createZone(t, e, `{"type":"IP","name":"Branch","gateways":[{"type":"CIDR","value":"198.51.100.0/24"}],"proxies":[{"type":"CIDR","value":"203.0.113.0/24"}]}`)
	if ip, chain, zone := e.ipOf("203.0.113.9:1", "198.51.100.7"); ip != "198.51.100.7" || chain != "198.51.100.7/V4 203.0.113.9/V4" || zone != "Branch" {
		t.Errorf("through the zone's proxy: %s %s %s", ip, chain, zone)
	}
	if ip, _, zone := e.ipOf("198.51.100.8:1"); ip != "198.51.100.8" || zone != "Branch" {
		t.Errorf("from a gateway: %s %s", ip, zone)
	}
	if ip, _, zone := e.ipOf("192.0.2.1:1", "198.51.100.7"); ip != "192.0.2.1" || zone != "null" {
		t.Errorf("from elsewhere: %s %s", ip, zone)
	}
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/zones/" + z["id"].(string) + "/lifecycle/deactivate"}), 200)
	if ip, chain, zone := e.ipOf("203.0.113.9:1", "198.51.100.7"); ip != "203.0.113.9" || chain != "203.0.113.9/V4" || zone != "null" {
		t.Errorf("inactive zone still trusted: %s %s %s", ip, chain, zone)
	}
}

func TestTokenNetworkCondition(t *testing.T) {
	e := newEnv(t, "")
	office := createZone(t, e, `{"type":"IP","name":"Office","gateways":[{"type":"CIDR","value":"198.51.100.0/24"}]}`)["id"].(string)
	w := e.do(req{Method: "GET", Path: "/api/v1/api-tokens"})
	wantStatus(t, w, 200)
	tok := decodeBody(t, w).([]any)[0].(map[string]any)
	id := tok["id"].(string)
	if tok["tokenWindow"] != "P30D" || tok["expiresAt"] != "2026-03-31T12:00:00.000Z" || tok["clientName"] != "Okta API" ||
		tok["userId"] == "" || tok["lastUpdated"] == nil || fmt.Sprint(tok["network"]) != "map[connection:ANYWHERE]" {
		t.Errorf("token %v", tok)
	}
	bad := []string{
		`{"network":{"connection":"SOMEWHERE"}}`,
		`{"network":{"connection":"ZONE"}}`,
		`{"network":{"connection":"ZONE","include":["nzo00000000000000000"]}}`,
		`{"network":{"connection":"ANYWHERE","include":["` + office + `"]}}`,
		`{"userId":"00u00000000000000000","network":{"connection":"ANYWHERE"}}`,
	}
	for _, b := range bad {
		wantError(t, e.do(req{Method: "PUT", Path: "/api/v1/api-tokens/" + id, Body: b}), 400, "E0000001")
	}
	wantError(t, e.do(req{Method: "PUT", Path: "/api/v1/api-tokens/00T00000000000000000", Body: `{"network":{"connection":"ANYWHERE"}}`}), 404, "E0000007")

	w = e.do(req{Method: "PUT", Path: "/api/v1/api-tokens/" + id, Body: `{"name":"renamed","network":{"connection":"ZONE","include":["` + office + `"]}}`})
	wantStatus(t, w, 200)
	if m := obj(t, w); fmt.Sprint(m["network"]) != "map[connection:ZONE include:["+office+"]]" {
		t.Errorf("after PUT %v", m)
	}
	if e.countEvents("system.api_token.update") != 1 {
		t.Error("no system.api_token.update event")
	}
	// From outside the office: refused and logged. From inside: allowed.
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/zones", Peer: "192.0.2.50:1"}), 403, "E0000006")
	ev := e.lastEvent("system.api_token.request_outside_allowed_range")
	if ev["client"].(map[string]any)["ipAddress"] != "192.0.2.50" {
		t.Errorf("event %v", ev["client"])
	}
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/zones", Peer: "198.51.100.20:1"}), 200)

	// Exclude wins; an inactive zone matches nothing, so excluding it excludes nobody.
	wantStatus(t, e.do(req{Method: "PUT", Path: "/api/v1/api-tokens/" + id, Peer: "198.51.100.20:1",
		Body: `{"network":{"connection":"ZONE","exclude":["` + office + `"]}}`}), 200)
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/zones", Peer: "198.51.100.20:1"}), 403, "E0000006")
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/zones", Peer: "192.0.2.50:1"}), 200)
	wantStatus(t, e.do(req{Method: "POST", Path: "/api/v1/zones/" + office + "/lifecycle/deactivate", Peer: "192.0.2.50:1"}), 200)
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/zones", Peer: "198.51.100.20:1"}), 200)
}

func TestTokenIdleExpiry(t *testing.T) {
	e := newEnv(t, "")
	e.svc.TokenIdle = 48 * time.Hour
	w := e.do(req{Method: "GET", Path: "/api/v1/api-tokens"})
	wantStatus(t, w, 200)
	if tok := decodeBody(t, w).([]any)[0].(map[string]any); tok["tokenWindow"] != "P2D" || tok["expiresAt"] != "2026-03-03T12:00:00.000Z" {
		t.Errorf("token %v", tok)
	}
	e.clock.Advance(47 * time.Hour) // used: the window restarts
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/zones"}), 200)
	e.clock.Advance(47 * time.Hour)
	wantStatus(t, e.do(req{Method: "GET", Path: "/api/v1/zones"}), 200)
	e.clock.Advance(48 * time.Hour) // unused for the whole window
	wantError(t, e.do(req{Method: "GET", Path: "/api/v1/zones"}), 401, "E0000011")
}
