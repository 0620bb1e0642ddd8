package netzone

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// proxies trusted in the Resolve tests: the load balancer 10.0.0.1, the CDN 10.0.1.0/24 and
// the IPv6 proxy 2001:db8::1.
func testTrusted(t testing.TB) func(netip.Addr) bool {
	s, err := TrustedCIDRs("10.0.0.1, 10.0.1.0/24, 2001:db8::1")
	if err != nil {
		t.Fatal(err)
	}
	return s.Contains
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name   string
		peer   string
		xff    []string
		client string
		chain  string
	}{
		{"direct, no header", "203.0.113.7", nil, "203.0.113.7", "203.0.113.7"},
		{"direct peer's header is ignored (spoof)", "203.0.113.7", []string{"10.0.0.1, 1.1.1.1"}, "203.0.113.7", "203.0.113.7"},
		{"trusted peer, no header", "10.0.0.1", nil, "10.0.0.1", "10.0.0.1"},
		{"one trusted proxy", "10.0.0.1", []string{"198.51.100.9"}, "198.51.100.9", "198.51.100.9 10.0.0.1"},
		{"two trusted proxies", "10.0.0.1", []string{"198.51.100.9, 10.0.1.5"}, "198.51.100.9", "198.51.100.9 10.0.1.5 10.0.0.1"},
		{"spoofed entries left of the client stay in the chain but are not the client", "10.0.0.1",
			[]string{"6.6.6.6, 10.0.1.5, 198.51.100.9"}, "198.51.100.9", "6.6.6.6 10.0.1.5 198.51.100.9 10.0.0.1"},
		{"several header lines are one list", "10.0.0.1", []string{"6.6.6.6", "198.51.100.9,10.0.1.7"},
			"198.51.100.9", "6.6.6.6 198.51.100.9 10.0.1.7 10.0.0.1"},
		{"all trusted: the left-most", "10.0.0.1", []string{"10.0.1.1, 10.0.1.2"}, "10.0.1.1", "10.0.1.1 10.0.1.2 10.0.0.1"},
		{"IPv6 client and proxy", "2001:db8::1", []string{"2001:db8:beef::7"}, "2001:db8:beef::7", "2001:db8:beef::7 2001:db8::1"},
		{"mapped IPv6 peer is trusted as IPv4", "::ffff:10.0.0.1", []string{"::ffff:198.51.100.9"}, "198.51.100.9", "198.51.100.9 10.0.0.1"},
		{"IPv4 with port", "10.0.0.1", []string{"198.51.100.9:4711"}, "198.51.100.9", "198.51.100.9 10.0.0.1"},
		{"IPv6 with port", "10.0.0.1", []string{"[2001:db8:beef::7]:443"}, "2001:db8:beef::7", "2001:db8:beef::7 10.0.0.1"},
		{"IPv6 in brackets", "10.0.0.1", []string{"[::1]"}, "::1", "::1 10.0.0.1"},
		{"bare IPv6 ending in digits is an address, not a port", "10.0.0.1", []string{"::1:80"}, "::1:80", "::1:80 10.0.0.1"},
		{"garbage right of the proxies: the last valid address is the client", "10.0.0.1",
			[]string{"198.51.100.9, unknown, 10.0.1.5"}, "10.0.1.5", "10.0.1.5 10.0.0.1"},
		{"garbage directly behind the peer", "10.0.0.1", []string{"1.1.1.1, not-an-ip"}, "10.0.0.1", "10.0.0.1"},
		{"garbage left of the client only truncates the chain", "10.0.0.1",
			[]string{"junk, 6.6.6.6, 198.51.100.9"}, "198.51.100.9", "6.6.6.6 198.51.100.9 10.0.0.1"},
		{"zone is garbage", "10.0.0.1", []string{"1.1.1.1, fe80::1%eth0"}, "10.0.0.1", "10.0.0.1"},
		{"empty element is garbage", "10.0.0.1", []string{"1.1.1.1,,10.0.1.5"}, "10.0.1.5", "10.0.1.5 10.0.0.1"},
		{"blank header line is skipped", "10.0.0.1", []string{"198.51.100.9", "  "}, "198.51.100.9", "198.51.100.9 10.0.0.1"},
		{"bracketed IPv4 is garbage", "10.0.0.1", []string{"[1.2.3.4]"}, "10.0.0.1", "10.0.0.1"},
		{"bad port is garbage", "10.0.0.1", []string{"1.2.3.4:99999"}, "10.0.0.1", "10.0.0.1"},
		{"quoted is garbage", "10.0.0.1", []string{`"1.2.3.4"`}, "10.0.0.1", "10.0.0.1"},
		{"peer with zone loses it", "fe80::1%eth0", nil, "fe80::1", "fe80::1"},
	}
	trusted := testTrusted(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, chain := Resolve(netip.MustParseAddr(tt.peer), tt.xff, trusted)
			if client.String() != tt.client {
				t.Errorf("client = %s, want %s", client, tt.client)
			}
			if got := joinAddrs(chain); got != tt.chain {
				t.Errorf("chain = %s, want %s", got, tt.chain)
			}
		})
	}
}

func TestResolveEdges(t *testing.T) {
	if c, chain := Resolve(netip.Addr{}, []string{"1.2.3.4"}, testTrusted(t)); c.IsValid() || chain != nil {
		t.Errorf("invalid peer: %v %v", c, chain)
	}
	c, chain := Resolve(netip.MustParseAddr("10.0.0.1"), []string{"1.2.3.4"}, nil)
	if c.String() != "10.0.0.1" || joinAddrs(chain) != "10.0.0.1" {
		t.Errorf("nil trusted: %v %v", c, chain)
	}
}

// TestResolveHugeHeader: only the right-most MaxForwardedEntries entries are read, however long
// the header, and a header of all-trusted entries ends at the cap, never at what a spoofer put
// further left.
func TestResolveHugeHeader(t *testing.T) {
	spoof := strings.Repeat("6.6.6.6, ", 200_000) // ~1.8 MB
	proxies := strings.TrimSuffix(strings.Repeat("10.0.1.9, ", MaxForwardedEntries), ", ")
	peer := netip.MustParseAddr("10.0.0.1")
	trusted := testTrusted(t)

	client, chain := Resolve(peer, []string{spoof + proxies}, trusted)
	if client.String() != "10.0.1.9" || len(chain) != MaxForwardedEntries+1 {
		t.Errorf("all-trusted tail: client %s, chain length %d", client, len(chain))
	}
	client, chain = Resolve(peer, []string{spoof + "198.51.100.9, 10.0.1.9"}, trusted)
	if client.String() != "198.51.100.9" || len(chain) != MaxForwardedEntries+1 {
		t.Errorf("real client: %s, chain length %d", client, len(chain))
	}
	lines := make([]string, 100_000)
	for i := range lines {
		lines[i] = "6.6.6.6"
	}
	lines = append(lines, "198.51.100.9")
	if client, chain = Resolve(peer, lines, trusted); client.String() != "198.51.100.9" || len(chain) != MaxForwardedEntries+1 {
		t.Errorf("many lines: client %s, chain length %d", client, len(chain))
	}
	long := strings.Repeat("1", 1<<20)
	if client, _ = Resolve(peer, []string{long}, trusted); client != peer {
		t.Errorf("one huge entry: client %s", client)
	}
	allocs := testing.AllocsPerRun(20, func() { Resolve(peer, []string{spoof + proxies}, trusted) })
	if allocs > 10 {
		t.Errorf("Resolve on a huge header made %v allocations", allocs)
	}
}

func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, " ")
}

func FuzzResolve(f *testing.F) {
	f.Add("10.0.0.1", "198.51.100.9, 10.0.1.5")
	f.Add("10.0.0.1", "unknown, 1.2.3.4:80, [::1]:80")
	f.Add("203.0.113.7", "10.0.0.1")
	f.Add("2001:db8::1", "2001:db8:beef::7,fe80::1%eth0")
	f.Add("::ffff:10.0.0.1", "::ffff:1.2.3.4,,")
	f.Add("10.0.0.1", "10.0.1.1,10.0.1.2")
	f.Add("10.0.0.1", "\n , [1.2.3.4]")
	trusted := testTrusted(f)
	f.Fuzz(func(t *testing.T, peerS, xff string) {
		peer, err := netip.ParseAddr(peerS)
		if err != nil {
			peer = netip.Addr{}
		}
		headers := strings.Split(xff, "\n")
		client, chain := Resolve(peer, headers, trusted)
		if !peer.IsValid() {
			if client.IsValid() || chain != nil {
				t.Fatalf("invalid peer gave %v %v", client, chain)
			}
			return
		}
		if !slices.Contains(chain, client) {
			t.Fatalf("client %v not in chain %v", client, chain)
		}
		if chain[len(chain)-1] != canonical(peer) {
			t.Fatalf("chain %v does not end with peer %v", chain, peer)
		}
		if len(chain) > MaxForwardedEntries+1 {
			t.Fatalf("chain of %d", len(chain))
		}
		if !trusted(peer) && len(chain) != 1 {
			t.Fatalf("untrusted peer %v gave chain %v", peer, chain)
		}
		for _, a := range chain {
			if a.Zone() != "" || a.Is4In6() {
				t.Fatalf("chain holds %v", a)
			}
		}
		// The client is the right-most untrusted address, or the left-most when all are trusted.
		want := chain[0]
		for j := len(chain) - 1; j >= 0; j-- {
			if !trusted(chain[j]) {
				want = chain[j]
				break
			}
		}
		if client != want {
			t.Fatalf("client %v, want %v in %v", client, want, chain)
		}
	})
}
