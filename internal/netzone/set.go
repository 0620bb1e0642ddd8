package netzone

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Set is an immutable set of IP addresses: sorted, merged ranges searched by bisection, so
// Contains costs O(log n) whatever the mix of CIDRs and ranges. The zero Set is empty.
type Set struct {
	ranges []Range // sorted by From; no two overlap or touch
}

// NewSet builds a Set from ranges. Ranges that are invalid (zero addresses, mixed families, From
// after To) are dropped; IPv4-mapped addresses are unmapped.
func NewSet(rs ...Range) Set {
	out := make([]Range, 0, len(rs))
	for _, r := range rs {
		r.From, r.To = canonical(r.From), canonical(r.To)
		if !r.From.IsValid() || !r.To.IsValid() || r.From.Is4() != r.To.Is4() || r.To.Less(r.From) {
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Range) int { return a.From.Compare(b.From) })
	merged := out[:0]
	for _, r := range out {
		if n := len(merged); n > 0 && touches(merged[n-1], r) {
			if merged[n-1].To.Less(r.To) {
				merged[n-1].To = r.To
			}
			continue
		}
		merged = append(merged, r)
	}
	return Set{ranges: slices.Clip(merged)}
}

// touches reports whether b, which starts at or after a, overlaps a or begins right after it.
func touches(a, b Range) bool {
	if a.From.Is4() != b.From.Is4() {
		return false
	}
	if b.From.Compare(a.To) <= 0 {
		return true
	}
	next := a.To.Next() // zero Addr after the family's last address
	return next.IsValid() && next == b.From
}

// ParseSet parses address entries into a Set. It stops at the first invalid entry; the error
// text is Okta's cause without the field prefix.
func ParseSet(addrs []Address) (Set, error) {
	rs := make([]Range, 0, len(addrs))
	for _, a := range addrs {
		r, err := a.Parse()
		if err != nil {
			return Set{}, err
		}
		rs = append(rs, r)
	}
	return NewSet(rs...), nil
}

// Contains reports whether a is in s. IPv4-mapped IPv6 addresses match their IPv4 form; zones
// are ignored.
func (s Set) Contains(a netip.Addr) bool {
	a = canonical(a)
	if !a.IsValid() {
		return false
	}
	// i is the first range starting after a, so only i-1 can hold it.
	i, _ := slices.BinarySearchFunc(s.ranges, a, func(r Range, a netip.Addr) int {
		if r.From.Compare(a) <= 0 {
			return -1
		}
		return 1
	})
	return i > 0 && a.Compare(s.ranges[i-1].To) <= 0
}

// Ranges returns the merged ranges in order, for logging and tests.
func (s Set) Ranges() []Range {
	return slices.Clone(s.ranges)
}

// TrustedCIDRs parses a --trusted-proxies value such as "10.0.0.0/8, 192.168.1.1, ::1" into the
// Set whose Contains is the trusted function Resolve wants. Entries are CIDRs (host bits are
// ignored), single addresses, or ranges "a-b", separated by commas; spaces around entries are
// ignored. An empty or blank list trusts nobody. An empty entry ("a,,b", a trailing comma) is an
// error, so that a typo does not silently shrink the list.
func TrustedCIDRs(list string) (Set, error) {
	if strings.TrimSpace(list) == "" {
		return Set{}, nil
	}
	items := strings.Split(list, ",")
	rs := make([]Range, 0, len(items))
	for i, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			return Set{}, fmt.Errorf("trusted proxies: entry %d is empty", i+1)
		}
		t := AddressRange
		if strings.Contains(item, "/") {
			t = AddressCIDR
		}
		r, err := Address{Type: t, Value: item}.Parse()
		if err != nil {
			return Set{}, fmt.Errorf("trusted proxies: entry %d %q is not an IP address, CIDR or range: %s", i+1, item, err)
		}
		rs = append(rs, r)
	}
	return NewSet(rs...), nil
}
