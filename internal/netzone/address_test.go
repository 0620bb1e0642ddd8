package netzone

import (
	"net/netip"
	"testing"
)

func TestAddressParse(t *testing.T) {
	tests := []struct {
		name     string
		addr     Address
		from, to string // want, when err is ""
		err      string
	}{
		{"single IPv4 as RANGE", Address{AddressRange, "1.2.3.4"}, "1.2.3.4", "1.2.3.4", ""},
		{"IPv4 range", Address{AddressRange, "1.2.3.4-1.2.3.6"}, "1.2.3.4", "1.2.3.6", ""},
		{"range with spaces", Address{AddressRange, " 1.2.3.4 - 1.2.3.6 "}, "1.2.3.4", "1.2.3.6", ""},
		{"range of one", Address{AddressRange, "1.2.3.4-1.2.3.4"}, "1.2.3.4", "1.2.3.4", ""},
		{"IPv6 range", Address{AddressRange, "2001:db8::1-2001:db8::ff"}, "2001:db8::1", "2001:db8::ff", ""},
		{"mapped IPv6 is IPv4", Address{AddressRange, "::ffff:1.2.3.4-1.2.3.9"}, "1.2.3.4", "1.2.3.9", ""},
		{"CIDR", Address{AddressCIDR, "10.0.0.0/8"}, "10.0.0.0", "10.255.255.255", ""},
		{"CIDR host bits kept in value, masked for matching", Address{AddressCIDR, "1.2.3.4/24"}, "1.2.3.0", "1.2.3.255", ""},
		{"CIDR /32", Address{AddressCIDR, "1.2.3.4/32"}, "1.2.3.4", "1.2.3.4", ""},
		{"CIDR /0", Address{AddressCIDR, "0.0.0.0/0"}, "0.0.0.0", "255.255.255.255", ""},
		{"CIDR /31 odd bits", Address{AddressCIDR, "1.2.3.5/31"}, "1.2.3.4", "1.2.3.5", ""},
		{"CIDR /20", Address{AddressCIDR, "172.16.77.1/20"}, "172.16.64.0", "172.16.79.255", ""},
		{"CIDR without bits is one address", Address{AddressCIDR, "1.2.3.4"}, "1.2.3.4", "1.2.3.4", ""},
		{"IPv6 CIDR", Address{AddressCIDR, "2001:db8::/32"}, "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", ""},
		{"IPv6 CIDR /128", Address{AddressCIDR, "::1/128"}, "::1", "::1", ""},
		{"mapped CIDR becomes IPv4", Address{AddressCIDR, "::ffff:10.0.0.0/104"}, "10.0.0.0", "10.255.255.255", ""},

		{"Okta's documented example", Address{AddressRange, "1.2.3.4.5-1.2.3.6"}, "", "",
			"The IP: 1.2.3.4.5 in the RANGE: 1.2.3.4.5-1.2.3.6 is invalid. Make sure it is a valid IPV4."},
		{"bad range end", Address{AddressRange, "1.2.3.4-1.2.3.256"}, "", "",
			"The IP: 1.2.3.256 in the RANGE: 1.2.3.4-1.2.3.256 is invalid. Make sure it is a valid IPV4."},
		{"bad IPv6", Address{AddressRange, "2001:db8::g"}, "", "",
			"The IP: 2001:db8::g in the RANGE: 2001:db8::g is invalid. Make sure it is a valid IPV6."},
		{"range start after end", Address{AddressRange, "1.2.3.6-1.2.3.4"}, "", "",
			"The RANGE: 1.2.3.6-1.2.3.4 is invalid. The start IP must not be greater than the end IP."},
		{"mixed families", Address{AddressRange, "1.2.3.4-::1"}, "", "",
			"The RANGE: 1.2.3.4-::1 is invalid. The start and end IPs must both be IPV4 or both be IPV6."},
		{"three-part range", Address{AddressRange, "1.1.1.1-2.2.2.2-3.3.3.3"}, "", "",
			"The IP: 2.2.2.2-3.3.3.3 in the RANGE: 1.1.1.1-2.2.2.2-3.3.3.3 is invalid. Make sure it is a valid IPV4."},
		{"open range", Address{AddressRange, "1.2.3.4-"}, "", "",
			"The IP:  in the RANGE: 1.2.3.4- is invalid. Make sure it is a valid IPV4."},
		{"leading zeros", Address{AddressRange, "01.2.3.4"}, "", "",
			"The IP: 01.2.3.4 in the RANGE: 01.2.3.4 is invalid. Make sure it is a valid IPV4."},
		{"zone", Address{AddressRange, "fe80::1%eth0"}, "", "",
			"The IP: fe80::1%eth0 in the RANGE: fe80::1%eth0 is invalid. Make sure it is a valid IPV6."},
		{"CIDR given as RANGE", Address{AddressRange, "10.0.0.0/8"}, "", "",
			"The IP: 10.0.0.0/8 in the RANGE: 10.0.0.0/8 is invalid. Make sure it is a valid IPV4."},
		{"hostname", Address{AddressRange, "example.com"}, "", "",
			"The IP: example.com in the RANGE: example.com is invalid. Make sure it is a valid IPV4."},
		{"empty value", Address{AddressRange, ""}, "", "", "The IP value cannot be left blank."},
		{"blank value", Address{AddressCIDR, "  "}, "", "", "The IP value cannot be left blank."},
		{"unknown type", Address{"IP", "1.2.3.4"}, "", "", "The type: IP of the IP: 1.2.3.4 is invalid. Use CIDR or RANGE."},
		{"lower-case type", Address{"cidr", "1.2.3.4/8"}, "", "", "The type: cidr of the IP: 1.2.3.4/8 is invalid. Use CIDR or RANGE."},
		{"CIDR bad address", Address{AddressCIDR, "1.2.3/8"}, "", "",
			"The IP: 1.2.3 in the CIDR: 1.2.3/8 is invalid. Make sure it is a valid IPV4."},
		{"CIDR /33", Address{AddressCIDR, "1.2.3.4/33"}, "", "",
			"The CIDR: 1.2.3.4/33 is invalid. Make sure the prefix length is between 0 and 32."},
		{"CIDR /129", Address{AddressCIDR, "::/129"}, "", "",
			"The CIDR: ::/129 is invalid. Make sure the prefix length is between 0 and 128."},
		{"CIDR negative", Address{AddressCIDR, "1.2.3.4/-1"}, "", "",
			"The CIDR: 1.2.3.4/-1 is invalid. Make sure the prefix length is between 0 and 32."},
		{"CIDR leading zero bits", Address{AddressCIDR, "1.2.3.4/08"}, "", "",
			"The CIDR: 1.2.3.4/08 is invalid. Make sure the prefix length is between 0 and 32."},
		{"CIDR empty bits", Address{AddressCIDR, "1.2.3.4/"}, "", "",
			"The CIDR: 1.2.3.4/ is invalid. Make sure the prefix length is between 0 and 32."},
		{"mapped CIDR too short", Address{AddressCIDR, "::ffff:1.2.3.4/64"}, "", "",
			"The CIDR: ::ffff:1.2.3.4/64 is invalid. Make sure the prefix length is between 0 and 128."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.addr.Parse()
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("Parse(%v) error = %v, want %q", tt.addr, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%v): %v", tt.addr, err)
			}
			want := Range{netip.MustParseAddr(tt.from), netip.MustParseAddr(tt.to)}
			if r != want {
				t.Errorf("Parse(%v) = %v, want %v", tt.addr, r, want)
			}
		})
	}
}

func TestRangeContains(t *testing.T) {
	r, err := Address{AddressRange, "1.2.3.4-1.2.3.6"}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	for ip, want := range map[string]bool{
		"1.2.3.3": false, "1.2.3.4": true, "1.2.3.6": true, "1.2.3.7": false,
		"::ffff:1.2.3.5": true, "::1.2.3.5": false,
	} {
		if got := r.Contains(netip.MustParseAddr(ip)); got != want {
			t.Errorf("Contains(%s) = %v, want %v", ip, got, want)
		}
	}
}
