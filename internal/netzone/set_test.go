package netzone

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

func mustSet(t *testing.T, entries ...string) Set {
	t.Helper()
	s, err := TrustedCIDRs(strings.Join(entries, ","))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSetContains(t *testing.T) {
	s := mustSet(t, "10.0.0.0/8", "192.168.1.1", "192.168.1.3-192.168.1.5", "2001:db8::/64", "::1", "255.255.255.255")
	tests := map[string]bool{
		"10.0.0.0": true, "10.255.255.255": true, "9.255.255.255": false, "11.0.0.0": false,
		"192.168.1.0": false, "192.168.1.1": true, "192.168.1.2": false, "192.168.1.3": true,
		"192.168.1.5": true, "192.168.1.6": false,
		"2001:db8::1": true, "2001:db8:0:0:ffff:ffff:ffff:ffff": true, "2001:db8:0:1::": false,
		"::1": true, "::2": false, "::": false,
		"::ffff:10.1.2.3": true,  // mapped form of a member
		"::a01:203":       false, // IPv4-compatible, not mapped: a different address
		"fe80::1%eth0":    false, // zone ignored, still not a member
		"255.255.255.255": true,  // last IPv4 address
		"0.0.0.0":         false,
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff": false,
	}
	for ip, want := range tests {
		if got := s.Contains(netip.MustParseAddr(ip)); got != want {
			t.Errorf("Contains(%s) = %v, want %v", ip, got, want)
		}
	}
	if s.Contains(netip.Addr{}) {
		t.Error("Contains(zero Addr) = true")
	}
	if (Set{}).Contains(netip.MustParseAddr("1.2.3.4")) {
		t.Error("empty Set contains 1.2.3.4")
	}
}

func TestNewSetMerges(t *testing.T) {
	s := mustSet(t, "1.0.0.5-1.0.0.9", "1.0.0.0-1.0.0.4", "1.0.0.8-1.0.0.20", "1.0.0.30", "::1-::3", "::4")
	got := fmt.Sprint(s.Ranges())
	want := "[{1.0.0.0 1.0.0.20} {1.0.0.30 1.0.0.30} {::1 ::4}]"
	if got != want {
		t.Errorf("Ranges() = %s, want %s", got, want)
	}
	// Invalid ranges are dropped, not trusted.
	bad := NewSet(Range{}, Range{netip.MustParseAddr("1.2.3.9"), netip.MustParseAddr("1.2.3.1")},
		Range{netip.MustParseAddr("1.2.3.1"), netip.MustParseAddr("::1")})
	if len(bad.Ranges()) != 0 {
		t.Errorf("invalid ranges kept: %v", bad.Ranges())
	}
}

// TestSetContainsAgainstLinearScan checks the bisection against the obvious loop.
func TestSetContainsAgainstLinearScan(t *testing.T) {
	var entries []string
	for i := 0; i < 200; i += 7 {
		entries = append(entries, fmt.Sprintf("10.0.%d.%d-10.0.%d.%d", i/50, i%50*5, i/50, i%50*5+i%4))
	}
	s := mustSet(t, entries...)
	var rs []Range
	for _, e := range entries {
		r, _ := Address{AddressRange, e}.Parse()
		rs = append(rs, r)
	}
	for a := netip.MustParseAddr("10.0.0.0"); a.Less(netip.MustParseAddr("10.0.5.0")); a = a.Next() {
		want := false
		for _, r := range rs {
			want = want || r.Contains(a)
		}
		if got := s.Contains(a); got != want {
			t.Fatalf("Contains(%s) = %v, linear scan says %v", a, got, want)
		}
	}
}

func TestTrustedCIDRs(t *testing.T) {
	tests := []struct {
		list    string
		in, out []string
		err     string
	}{
		{list: "10.0.0.0/8,192.168.1.1", in: []string{"10.9.9.9", "192.168.1.1"}, out: []string{"192.168.1.2", "11.0.0.1"}},
		{list: " 10.0.0.0/8 , ::1 ", in: []string{"10.0.0.1", "::1"}, out: []string{"::2"}},
		{list: "10.1.2.3/16", in: []string{"10.1.0.0", "10.1.255.255"}, out: []string{"10.2.0.0"}},
		{list: "", out: []string{"127.0.0.1"}},
		{list: "   ", out: []string{"127.0.0.1"}},
		{list: "10.0.0.0/8,", err: `trusted proxies: entry 2 is empty`},
		{list: "10.0.0.0/8,,1.2.3.4", err: `trusted proxies: entry 2 is empty`},
		{list: "10.0.0.0/33", err: `trusted proxies: entry 1 "10.0.0.0/33" is not an IP address, CIDR or range: The CIDR: 10.0.0.0/33 is invalid. Make sure the prefix length is between 0 and 32.`},
		{list: "1.2.3.4,proxy.local", err: `trusted proxies: entry 2 "proxy.local" is not an IP address, CIDR or range: The IP: proxy.local in the RANGE: proxy.local is invalid. Make sure it is a valid IPV4.`},
		{list: "10.0.0.1 10.0.0.2", err: `trusted proxies: entry 1 "10.0.0.1 10.0.0.2" is not an IP address, CIDR or range: The IP: 10.0.0.1 10.0.0.2 in the RANGE: 10.0.0.1 10.0.0.2 is invalid. Make sure it is a valid IPV4.`},
	}
	for _, tt := range tests {
		s, err := TrustedCIDRs(tt.list)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("TrustedCIDRs(%q) error = %v, want %s", tt.list, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("TrustedCIDRs(%q): %v", tt.list, err)
			continue
		}
		for _, ip := range tt.in {
			if !s.Contains(netip.MustParseAddr(ip)) {
				t.Errorf("TrustedCIDRs(%q) does not trust %s", tt.list, ip)
			}
		}
		for _, ip := range tt.out {
			if s.Contains(netip.MustParseAddr(ip)) {
				t.Errorf("TrustedCIDRs(%q) trusts %s", tt.list, ip)
			}
		}
	}
}
