// Package netzone holds Okta's Network Zone rules: IP address entries, zone validation, zone
// matching and the client-IP resolution that feeds it. It imports only the standard library and
// internal/domain.
package netzone

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// AddressType says how an Address value is written.
type AddressType string

// Address entry types, as Okta spells them.
const (
	AddressCIDR  AddressType = "CIDR"
	AddressRange AddressType = "RANGE"
)

// Address is one gateways or proxies entry of an IP zone, for example {CIDR, "10.0.0.0/8"} or
// {RANGE, "1.2.3.4-1.2.3.6"}. The value is stored and echoed exactly as the client wrote it (Okta
// echoes "1.2.3.4/24" unchanged, and the Terraform provider diffs against it); only matching
// uses the parsed form.
type Address struct {
	Type  AddressType `json:"type"`
	Value string      `json:"value"`
}

// Range is an inclusive span of addresses of one family. IPv4 ranges hold 4-byte addresses,
// never IPv4-mapped IPv6 ones.
type Range struct {
	From, To netip.Addr
}

// Contains reports whether a lies in r.
func (r Range) Contains(a netip.Addr) bool {
	a = canonical(a)
	return a.IsValid() && r.From.Compare(a) <= 0 && a.Compare(r.To) <= 0
}

// Parse returns the addresses an entry covers. The error's text is Okta's cause without the
// "field: " prefix, e.g. "The IP: 1.2.3.4.5 in the RANGE: 1.2.3.4.5-1.2.3.6 is invalid. Make sure
// it is a valid IPV4.".
//
// Accepted forms, decided where Okta's documentation is silent:
//   - RANGE "a-b" or a single address "a" (the Terraform provider sends single IPs as RANGE).
//     Spaces around either address are ignored. a > b and mixed families are rejected.
//   - CIDR "a/n"; host bits are allowed and ignored for matching (10.1.2.3/8 covers 10.0.0.0/8),
//     because Okta accepts and echoes such values. A CIDR value without "/n" is taken as a
//     single address.
//   - IPv4-mapped IPv6 (::ffff:1.2.3.4) is treated as the IPv4 address; ::ffff:0:0/96 and longer
//     prefixes become the matching IPv4 prefix.
//   - Addresses with a zone (fe80::1%eth0) and leading zeros in IPv4 octets are rejected.
func (a Address) Parse() (Range, error) {
	v := strings.TrimSpace(a.Value)
	if v == "" {
		return Range{}, errors.New("The IP value cannot be left blank.")
	}
	switch a.Type {
	case AddressRange:
		return parseRange(v)
	case AddressCIDR:
		return parseCIDR(v)
	default:
		return Range{}, errors.New("The type: " + string(a.Type) + " of the IP: " + v + " is invalid. Use CIDR or RANGE.")
	}
}

func parseRange(v string) (Range, error) {
	fromS, toS, isSpan := strings.Cut(v, "-")
	fromS, toS = strings.TrimSpace(fromS), strings.TrimSpace(toS)
	from, ok := parseIP(fromS)
	if !ok {
		return Range{}, invalidIP(fromS, AddressRange, v)
	}
	if !isSpan {
		return Range{From: from, To: from}, nil
	}
	to, ok := parseIP(toS)
	if !ok {
		return Range{}, invalidIP(toS, AddressRange, v)
	}
	if from.Is4() != to.Is4() {
		return Range{}, errors.New("The RANGE: " + v + " is invalid. The start and end IPs must both be IPV4 or both be IPV6.")
	}
	if to.Less(from) {
		return Range{}, errors.New("The RANGE: " + v + " is invalid. The start IP must not be greater than the end IP.")
	}
	return Range{From: from, To: to}, nil
}

func parseCIDR(v string) (Range, error) {
	addrS, bitsS, hasBits := strings.Cut(v, "/")
	addrS = strings.TrimSpace(addrS)
	addr, err := netip.ParseAddr(addrS)
	if err != nil || addr.Zone() != "" {
		return Range{}, invalidIP(addrS, AddressCIDR, v)
	}
	if !hasBits {
		addr = addr.Unmap()
		return Range{From: addr, To: addr}, nil
	}
	bits, ok := parseBits(strings.TrimSpace(bitsS))
	if !ok || bits > addr.BitLen() {
		return Range{}, badPrefixLen(v, addr.Is4())
	}
	if addr.Is4In6() {
		if bits < 96 {
			// A prefix shorter than /96 reaches outside the mapped block: no IPv4 meaning.
			return Range{}, badPrefixLen(v, false)
		}
		addr, bits = addr.Unmap(), bits-96
	}
	p := netip.PrefixFrom(addr, bits).Masked()
	return Range{From: p.Addr(), To: lastAddr(p)}, nil
}

// parseBits accepts 0..128 written without sign or leading zeros.
func parseBits(s string) (int, bool) {
	if s == "" || len(s) > 3 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func badPrefixLen(v string, v4 bool) error {
	if v4 {
		return errors.New("The CIDR: " + v + " is invalid. Make sure the prefix length is between 0 and 32.")
	}
	return errors.New("The CIDR: " + v + " is invalid. Make sure the prefix length is between 0 and 128.")
}

// invalidIP is Okta's message; it names the family the bad text looks like.
func invalidIP(ip string, t AddressType, value string) error {
	family := "IPV4"
	if strings.Contains(ip, ":") {
		family = "IPV6"
	}
	return errors.New("The IP: " + ip + " in the " + string(t) + ": " + value + " is invalid. Make sure it is a valid " + family + ".")
}

// parseIP parses one plain address: no zone, no port, IPv4-mapped IPv6 unmapped.
func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// lastAddr is the highest address of a masked prefix.
func lastAddr(p netip.Prefix) netip.Addr {
	if p.Addr().Is4() {
		b := p.Addr().As4()
		setHostBits(b[:], p.Bits())
		return netip.AddrFrom4(b)
	}
	b := p.Addr().As16()
	setHostBits(b[:], p.Bits())
	return netip.AddrFrom16(b)
}

func setHostBits(b []byte, bits int) {
	for i := range b {
		switch {
		case bits >= 8:
			bits -= 8
		case bits > 0:
			b[i] |= 0xff >> bits
			bits = 0
		default:
			b[i] = 0xff
		}
	}
}

// canonical strips a zone and unmaps IPv4-mapped IPv6 so that comparisons see one spelling.
func canonical(a netip.Addr) netip.Addr {
	return a.WithZone("").Unmap()
}
