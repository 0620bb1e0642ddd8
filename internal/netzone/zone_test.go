package netzone

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

func ipZone(gateways ...string) Zone {
	z := Zone{Name: "office", Type: TypeIP}
	for _, g := range gateways {
		t := AddressRange
		if strings.Contains(g, "/") {
			t = AddressCIDR
		}
		z.Gateways = append(z.Gateways, Address{t, g})
	}
	return z
}

func entries(n int) []Address {
	out := make([]Address, n)
	for i := range out {
		out[i] = Address{AddressRange, fmt.Sprintf("10.%d.%d.1", i/256, i%256)}
	}
	return out
}

// causes returns the error's summary and cause summaries, or nil when err is nil.
func causes(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	de, ok := domain.AsError(err)
	if !ok || de.Status != http.StatusBadRequest || de.Code != domain.CodeValidation {
		t.Fatalf("error %v is not a 400 E0000001", err)
	}
	out := []string{de.Summary}
	for _, c := range de.Causes {
		out = append(out, c.Summary)
	}
	return out
}

func TestZoneValidate(t *testing.T) {
	tests := []struct {
		name string
		zone func() Zone
		want []string // summary then causes; nil means valid
	}{
		{"IP zone with a gateway", func() Zone { return ipZone("1.2.3.4/24") }, nil},
		{"IP zone with proxies only", func() Zone {
			z := ipZone()
			z.Proxies = []Address{{AddressRange, "10.0.0.1"}}
			return z
		}, nil},
		{"Okta's documented bad gateway", func() Zone { return ipZone("1.2.3.4.5-1.2.3.6") }, []string{
			"Api validation failed: gateways",
			"gateways: The IP: 1.2.3.4.5 in the RANGE: 1.2.3.4.5-1.2.3.6 is invalid. Make sure it is a valid IPV4.",
		}},
		{"bad proxy and bad gateway each reported", func() Zone {
			z := ipZone("1.2.3.9-1.2.3.1")
			z.Proxies = []Address{{"HOST", "x"}}
			return z
		}, []string{
			"Api validation failed: gateways",
			"gateways: The RANGE: 1.2.3.9-1.2.3.1 is invalid. The start IP must not be greater than the end IP.",
			"proxies: The type: HOST of the IP: x is invalid. Use CIDR or RANGE.",
		}},
		{"IP zone without addresses", func() Zone { return ipZone() }, []string{
			"Api validation failed: gateways", "gateways: An IP zone needs at least one gateway or proxy.",
		}},
		{"name missing", func() Zone { z := ipZone("1.2.3.4"); z.Name = " "; return z }, []string{
			"Api validation failed: name", "name: The field cannot be left blank",
		}},
		{"name 128 runes", func() Zone { z := ipZone("1.2.3.4"); z.Name = strings.Repeat("é", 128); return z }, nil},
		{"name 129", func() Zone { z := ipZone("1.2.3.4"); z.Name = strings.Repeat("n", 129); return z }, []string{
			"Api validation failed: name", "name: The field cannot exceed 128 characters",
		}},
		{"type missing", func() Zone { z := ipZone("1.2.3.4"); z.Type = ""; return z }, []string{
			"Api validation failed: type", "type: The field cannot be left blank",
		}},
		{"type unknown", func() Zone { z := ipZone("1.2.3.4"); z.Type = "ip"; return z }, []string{
			"Api validation failed: type", "type: The type: ip is invalid. Use IP, DYNAMIC or DYNAMIC_V2.",
		}},
		{"usage and status unknown", func() Zone {
			z := ipZone("1.2.3.4")
			z.Usage, z.Status = "ALLOW", "DELETED"
			return z
		}, []string{
			"Api validation failed: usage",
			"usage: The usage: ALLOW is invalid. Use POLICY or BLOCKLIST.",
			"status: The status: DELETED is invalid. Use ACTIVE or INACTIVE.",
		}},
		{"150 gateways", func() Zone { z := ipZone(); z.Gateways = entries(150); return z }, nil},
		{"151 gateways", func() Zone { z := ipZone(); z.Gateways = entries(151); return z }, []string{
			"Api validation failed: gateways", "gateways: The number of IPs, IP ranges and CIDRs cannot exceed 150.",
		}},
		{"151 proxies", func() Zone { z := ipZone("1.2.3.4"); z.Proxies = entries(151); return z }, []string{
			"Api validation failed: proxies", "proxies: The number of IPs, IP ranges and CIDRs cannot exceed 150.",
		}},
		{"blocklist with 1000", func() Zone {
			z := ipZone()
			z.Usage, z.Gateways = UsageBlocklist, entries(1000)
			return z
		}, nil},
		{"blocklist with 1001", func() Zone {
			z := ipZone()
			z.Usage, z.Gateways = UsageBlocklist, entries(1001)
			return z
		}, []string{
			"Api validation failed: gateways", "gateways: The number of IPs, IP ranges and CIDRs cannot exceed 1000.",
		}},
		{"system zone with 5000", func() Zone { z := ipZone(); z.System, z.Gateways = true, entries(5000); return z }, nil},
		{"dynamic fields on an IP zone", func() Zone {
			z := ipZone("1.2.3.4")
			z.ASNs, z.ProxyType = json.RawMessage(`["123"]`), "Tor"
			return z
		}, []string{
			"Api validation failed: asns",
			"asns: The field is only valid for DYNAMIC zones.",
			"proxyType: The field is only valid for DYNAMIC zones.",
		}},
		{"DYNAMIC zone", func() Zone {
			return Zone{Name: "tor", Type: TypeDynamic, ProxyType: "Tor",
				Locations: json.RawMessage(`[{"country":"US","region":"US-CA"},{"country":"DE"}]`),
				ASNs:      json.RawMessage(`["23457"]`)}
		}, nil},
		{"DYNAMIC zone with nulls", func() Zone {
			return Zone{Name: "any", Type: TypeDynamic, Locations: json.RawMessage(`null`), ASNs: json.RawMessage(`null`)}
		}, nil},
		{"DYNAMIC zone with gateways and bad fields", func() Zone {
			return Zone{Name: "x", Type: TypeDynamic, ProxyType: "VPN",
				Gateways:  []Address{{AddressRange, "1.2.3.4"}},
				Locations: json.RawMessage(`[{"country":"usa"},{"country":"US","region":"CA-ON"}]`),
				ASNs:      json.RawMessage(`{"include":["1"]}`)}
		}, []string{
			"Api validation failed: gateways",
			"gateways: The field is only valid for IP zones.",
			"asns: The field must be a list of ASN strings.",
			"proxyType: The proxyType: VPN is invalid. Use Any, Tor or NotTorAnonymizer.",
			"locations: The location: usa is invalid. Use an ISO 3166-1 country code and an optional ISO 3166-2 region.",
			"locations: The location: US CA-ON is invalid. Use an ISO 3166-1 country code and an optional ISO 3166-2 region.",
		}},
		{"DYNAMIC_V2 zone", func() Zone {
			return Zone{Name: "v2", Type: TypeDynamicV2,
				Locations:           json.RawMessage(`{"include":[{"country":"US"}],"exclude":[{"country":"US","region":"US-NY"}]}`),
				ASNs:                json.RawMessage(`{"include":["13335"]}`),
				IPServiceCategories: json.RawMessage(`{"include":["ALL_ANONYMIZERS"]}`)}
		}, nil},
		{"DYNAMIC_V2 zone with DYNAMIC shapes", func() Zone {
			return Zone{Name: "v2", Type: TypeDynamicV2, ProxyType: "Tor",
				Locations: json.RawMessage(`[{"country":"US"}]`), ASNs: json.RawMessage(`{"include":["AS1"]}`)}
		}, []string{
			"Api validation failed: locations",
			"locations: The field must be an object with include and exclude lists of {country, region}.",
			"proxyType: The field is only valid for DYNAMIC zones.",
			"asns: The ASN: AS1 is invalid.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := causes(t, tt.zone().Validate())
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate() =\n  %q\nwant\n  %q", got, tt.want)
			}
		})
	}
}

func TestZoneValidateReplace(t *testing.T) {
	old := ipZone("1.2.3.4")
	next := Zone{Name: "office", Type: TypeDynamic}
	got := causes(t, next.ValidateReplace(old))
	want := []string{"Api validation failed: type", "type: The zone type cannot be changed from IP to DYNAMIC."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ValidateReplace() = %q, want %q", got, want)
	}
	same := ipZone("5.6.7.8")
	if err := same.ValidateReplace(old); err != nil {
		t.Errorf("replace keeping the type: %v", err)
	}
	blank := ipZone("5.6.7.8")
	blank.Type = ""
	if got := causes(t, blank.ValidateReplace(old)); !reflect.DeepEqual(got, []string{"Api validation failed: type", "type: The field cannot be left blank"}) {
		t.Errorf("replace without type = %q", got)
	}
}

func TestZoneSetDefaultsAndJSON(t *testing.T) {
	var z Zone
	body := `{"name":"n","type":"IP","gateways":[{"type":"CIDR","value":"1.2.3.4/24"}],"proxies":null,"locations":null}`
	if err := json.Unmarshal([]byte(body), &z); err != nil {
		t.Fatal(err)
	}
	z.SetDefaults()
	if z.Usage != UsagePolicy || z.Status != StatusActive || z.Locations != nil {
		t.Errorf("SetDefaults: usage %q status %q locations %s", z.Usage, z.Status, z.Locations)
	}
	if err := z.Validate(); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(z)
	for _, want := range []string{`"type":"IP"`, `"usage":"POLICY"`, `"status":"ACTIVE"`, `"system":false`,
		`"gateways":[{"type":"CIDR","value":"1.2.3.4/24"}]`, `"lastUpdated":`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("JSON %s lacks %s", out, want)
		}
	}
	if strings.Contains(string(out), "locations") || strings.Contains(string(out), "proxyType") {
		t.Errorf("IP zone JSON carries dynamic fields: %s", out)
	}
}

func TestIsID(t *testing.T) {
	for id, want := range map[string]bool{
		"nzowc1U5Jh5xuAK0o0g3": true,
		"nzowc1U5Jh5xuAK0o0g":  false,
		"tosue7JvguwJ7U6kz0g3": false,
		"nzowc1U5Jh5xuAK0o0g-": false,
		"":                     false,
	} {
		if got := IsID(id); got != want {
			t.Errorf("IsID(%q) = %v, want %v", id, got, want)
		}
	}
}
