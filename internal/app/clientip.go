package app

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// resolveClientIP is a stand-in until the netzone package lands: walk X-Forwarded-For from the
// right while hops are trusted.
func resolveClientIP(r *http.Request, trusted func(netip.Addr) bool) (netip.Addr, []netip.Addr) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, nil
	}
	peer = peer.Unmap()
	if !trusted(peer) {
		return peer, []netip.Addr{peer}
	}
	var chain []netip.Addr
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for _, p := range strings.Split(v, ",") {
			a, err := netip.ParseAddr(strings.TrimSpace(p))
			if err != nil {
				chain = nil
				continue
			}
			chain = append(chain, a.Unmap())
		}
	}
	chain = append(chain, peer)
	for i := len(chain) - 1; i >= 0; i-- {
		if !trusted(chain[i]) {
			return chain[i], chain
		}
	}
	return chain[0], chain
}
