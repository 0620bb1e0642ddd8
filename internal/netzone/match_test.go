package netzone

import (
	"net/netip"
	"strings"
	"testing"
)

func chainOf(s string) []netip.Addr {
	var out []netip.Addr
	for _, f := range strings.Fields(s) {
		out = append(out, netip.MustParseAddr(f))
	}
	return out
}

func TestInZone(t *testing.T) {
	zone := func(gateways, proxies string) Zone {
		z := Zone{Name: "z", Type: TypeIP}
		for _, g := range strings.Fields(gateways) {
			z.Gateways = append(z.Gateways, Address{AddressRange, g})
		}
		for _, p := range strings.Fields(proxies) {
			z.Proxies = append(z.Proxies, Address{AddressRange, p})
		}
		return z
	}
	tests := []struct {
		name              string
		gateways, proxies string
		chain             string
		want              bool
	}{
		{"single IP in gateways", "1.1.1.1", "", "1.1.1.1", true},
		{"single IP not in gateways", "1.1.1.1", "", "2.2.2.2", false},
		{"Okta: proxy alone is not inside", "", "1.1.1.1", "1.1.1.1", false},
		{"gateway behind a proxy", "2.2.2.2", "1.1.1.1", "2.2.2.2 1.1.1.1", true},
		{"rightmost is the gateway", "1.1.1.1", "", "9.9.9.9 1.1.1.1", true},
		{"rightmost is neither", "2.2.2.2", "1.1.1.1", "2.2.2.2 3.3.3.3", false},
		{"proxy then neither", "2.2.2.2", "1.1.1.1", "2.2.2.2 3.3.3.3 1.1.1.1", false},
		{"gateway left of a stranger does not count", "2.2.2.2", "", "2.2.2.2 3.3.3.3", false},
		{"two proxies then gateway", "2.2.2.2", "1.1.1.1 1.1.1.2", "2.2.2.2 1.1.1.1 1.1.1.2", true},
		{"gateway at hop 5", "2.2.2.2", "1.1.1.0-1.1.1.9", "2.2.2.2 1.1.1.4 1.1.1.3 1.1.1.2 1.1.1.1", true},
		{"gateway at hop 6 is too far", "2.2.2.2", "1.1.1.0-1.1.1.9", "2.2.2.2 1.1.1.5 1.1.1.4 1.1.1.3 1.1.1.2 1.1.1.1", false},
		{"only proxies", "2.2.2.2", "1.1.1.1 1.1.1.2", "1.1.1.2 1.1.1.1", false},
		{"IPv6 gateway", "2001:db8::/32", "", "2001:db8::5", true},
		{"mapped address matches IPv4 gateway", "1.1.1.1", "", "::ffff:1.1.1.1", true},
		{"empty chain", "1.1.1.1", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := zone(tt.gateways, tt.proxies)
			for i := range z.Gateways {
				if strings.Contains(z.Gateways[i].Value, "/") {
					z.Gateways[i].Type = AddressCIDR
				}
			}
			if got := z.InZone(chainOf(tt.chain)); got != tt.want {
				t.Errorf("InZone(%s) = %v, want %v", tt.chain, got, tt.want)
			}
		})
	}
}

func TestDynamicZoneNeverMatches(t *testing.T) {
	z := Zone{Name: "d", Type: TypeDynamic, Gateways: []Address{{AddressRange, "1.1.1.1"}}}
	if z.InZone(chainOf("1.1.1.1")) {
		t.Error("a DYNAMIC zone matched")
	}
}
