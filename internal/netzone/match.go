package netzone

import "net/netip"

// MaxZoneHops is how many addresses of an IP chain zone matching looks at, from the right.
const MaxZoneHops = 5

// ZoneMatcher is an IP zone's gateways and proxies, parsed once for repeated matching.
type ZoneMatcher struct {
	Gateways Set
	Proxies  Set
}

// Matcher parses the zone's gateways and proxies. Entries that do not parse are skipped (stored
// zones have passed Validate). Non-IP zones get an empty matcher, which matches nothing: okapi has
// no geo-IP data to evaluate dynamic zones.
func (z Zone) Matcher() ZoneMatcher {
	if z.Type != TypeIP {
		return ZoneMatcher{}
	}
	return ZoneMatcher{Gateways: lenientSet(z.Gateways), Proxies: lenientSet(z.Proxies)}
}

func lenientSet(addrs []Address) Set {
	rs := make([]Range, 0, len(addrs))
	for _, a := range addrs {
		if r, err := a.Parse(); err == nil {
			rs = append(rs, r)
		}
	}
	return NewSet(rs...)
}

// InZone reports whether a request with this IP chain (left to right, the direct peer last, as
// Resolve returns it) is inside the zone, by Okta's rule: walk from the right; an address in the
// gateways means inside; an address in the proxies means look at the next one to the left; any
// other address, the end of the chain, or MaxZoneHops addresses without a gateway mean outside.
// Gateway and proxy must come from the same zone, so a chain of proxies alone is outside.
//
// InZone ignores the zone's status and usage; callers decide what an INACTIVE or BLOCKLIST zone
// means.
func (m ZoneMatcher) InZone(chain []netip.Addr) bool {
	for hops, i := 0, len(chain)-1; i >= 0 && hops < MaxZoneHops; i, hops = i-1, hops+1 {
		switch a := chain[i]; {
		case m.Gateways.Contains(a):
			return true
		case !m.Proxies.Contains(a):
			return false
		}
	}
	return false
}

// InZone is Matcher().InZone(chain). It parses the zone on every call; build a ZoneMatcher to
// match many requests.
func (z Zone) InZone(chain []netip.Addr) bool {
	return z.Matcher().InZone(chain)
}
