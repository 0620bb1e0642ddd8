package netzone

import (
	"net/netip"
	"strings"
)

// MaxForwardedEntries caps how many X-Forwarded-For entries Resolve reads, counted from the
// right. Entries further left are never parsed, so a huge header costs one backwards scan.
const MaxForwardedEntries = 30

// maxEntryLen is longer than any address with a port ("[v6 with embedded v4]:65535" is 53 bytes);
// longer entries are garbage without parsing.
const maxEntryLen = 64

// Resolve finds the client IP of a request and its IP chain, by Okta's rule.
//
// X-Forwarded-For is honoured only when the direct peer is trusted. Then the chain is the
// forwarded entries (all header lines in order, each split on commas, left to right) followed by
// the peer. Walking from the right, trusted addresses are skipped and the first untrusted one is
// the client; if every address is trusted the left-most one is. From an untrusted peer the header
// is ignored: client = peer, chain = [peer].
//
// Entries are parsed like this, because proxies write them differently:
//   - surrounding spaces are trimmed; "1.2.3.4:80", "[::1]:80" and "[::1]" lose port and brackets;
//   - IPv4-mapped IPv6 becomes IPv4 (::ffff:1.2.3.4 is 1.2.3.4), on the peer too;
//   - anything else ("unknown", "", "fe80::1%eth0" with a zone, hostnames, obfuscated RFC 7239
//     names) is garbage.
//
// Garbage ends the chain: Resolve reads no further left, and the chain holds only the valid
// addresses to the right of the garbage. So if every address right of it is trusted, the client
// is the last valid address before it, never something a spoofer wrote further left. Reading
// stops the same way after MaxForwardedEntries entries. Blank header lines are skipped.
//
// The client is always an element of the chain, and the chain always ends with the peer. Entries
// left of the client stay in the chain (Okta logs them as request.ipChain, and zone matching with a
// zone's own proxies may look at them). An invalid peer (a Unix socket) gives a zero client and a
// nil chain. A nil trusted function trusts nobody.
func Resolve(peer netip.Addr, xffHeaders []string, trusted func(netip.Addr) bool) (client netip.Addr, chain []netip.Addr) {
	peer = canonical(peer)
	if !peer.IsValid() {
		return netip.Addr{}, nil
	}
	if trusted == nil || !trusted(peer) {
		return peer, []netip.Addr{peer}
	}
	rev := forwardedRightToLeft(peer, xffHeaders) // rev[0] is the peer
	client = rev[len(rev)-1]                      // all trusted: the left-most
	for _, a := range rev[1:] {
		if !trusted(a) {
			client = a
			break
		}
	}
	chain = make([]netip.Addr, len(rev))
	for i, a := range rev {
		chain[len(rev)-1-i] = a
	}
	return client, chain
}

// forwardedRightToLeft returns the peer and then the valid forwarded addresses, right to left,
// stopping at the first garbage entry or after MaxForwardedEntries entries.
func forwardedRightToLeft(peer netip.Addr, headers []string) []netip.Addr {
	rev := []netip.Addr{peer}
	seen := 0
	for i := len(headers) - 1; i >= 0; i-- {
		line := headers[i]
		if strings.TrimSpace(line) == "" {
			continue
		}
		for {
			if seen == MaxForwardedEntries {
				return rev
			}
			seen++
			j := strings.LastIndexByte(line, ',')
			a, ok := parseForwarded(line[j+1:])
			if !ok {
				return rev
			}
			rev = append(rev, a)
			if j < 0 {
				break
			}
			line = line[:j]
		}
	}
	return rev
}

// parseForwarded parses one X-Forwarded-For entry; see Resolve for the accepted forms.
func parseForwarded(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxEntryLen {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		if ap, perr := netip.ParseAddrPort(s); perr == nil {
			a, err = ap.Addr(), nil
		} else if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
			a, err = netip.ParseAddr(s[1 : len(s)-1])
			if err == nil && !a.Is6() {
				err = perr // "[1.2.3.4]" is not a way anyone writes IPv4
			}
		}
	}
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}
