package service

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/netzone"
	"github.com/okapi-dev/okapi/internal/store"
)

// zoneCacheTTL bounds how long a snapshot is kept. A change made through this instance
// invalidates its cache at once; on a shared store (Service.SharedStore) snapshots are not
// served from the cache at all, so another instance's change is seen on the next request.
const zoneCacheTTL = time.Second

// zoneCacheMax bounds the orgs whose zones are kept. An org's snapshot is never evicted by
// expiry alone (only replaced on its next request), so a server that sees many orgs, one per
// test run, would otherwise keep every org it ever served.
const zoneCacheMax = 1024

// zoneCache keeps each org's zones parsed for matching, because every authenticated request
// needs them (trusted proxies, client.zone, token network conditions).
type zoneCache struct {
	mu   sync.Mutex
	orgs map[string]*zoneSnapshot
}

// zoneSnapshot is an org's zones, parsed once.
type zoneSnapshot struct {
	loaded  time.Time
	zones   []zoneMatch    // by id
	byID    map[string]int // index into zones
	proxies netzone.Set    // proxies of the ACTIVE IP zones
}

type zoneMatch struct {
	zone    netzone.Zone
	matcher netzone.ZoneMatcher
}

func (c *zoneCache) invalidate(org string) {
	c.mu.Lock()
	delete(c.orgs, org)
	c.mu.Unlock()
}

// evict makes room for one more org: it drops the stale snapshots (they would be reloaded
// anyway) or, when all are fresh, any one of them. c.mu is held.
func (c *zoneCache) evict() {
	for k, v := range c.orgs {
		if time.Since(v.loaded) >= zoneCacheTTL {
			delete(c.orgs, k)
		}
	}
	for k := range c.orgs {
		if len(c.orgs) < zoneCacheMax {
			break
		}
		delete(c.orgs, k)
	}
}

// orgZones returns the org's parsed zones, from the cache when fresh.
func (s *Service) orgZones(ctx context.Context, org string) (*zoneSnapshot, error) {
	c := &s.zones
	c.mu.Lock()
	snap := c.orgs[org]
	c.mu.Unlock()
	if snap != nil && !s.SharedStore && time.Since(snap.loaded) < zoneCacheTTL {
		return snap, nil
	}
	zones, err := s.Store.ListZones(ctx, org)
	if err != nil {
		return nil, err
	}
	snap = &zoneSnapshot{loaded: time.Now(), byID: make(map[string]int, len(zones))}
	var proxies []netzone.Range
	for _, z := range zones {
		m := z.Matcher()
		snap.byID[z.ID] = len(snap.zones)
		snap.zones = append(snap.zones, zoneMatch{zone: z, matcher: m})
		if z.Status == netzone.StatusActive && z.Type == netzone.TypeIP {
			proxies = append(proxies, m.Proxies.Ranges()...)
		}
	}
	snap.proxies = netzone.NewSet(proxies...)
	c.mu.Lock()
	if c.orgs == nil {
		c.orgs = make(map[string]*zoneSnapshot)
	}
	if _, ok := c.orgs[org]; !ok && len(c.orgs) >= zoneCacheMax {
		c.evict()
	}
	c.orgs[org] = snap
	c.mu.Unlock()
	return snap, nil
}

// Network is where an authenticated request came from, by the org's own zone settings.
type Network struct {
	Client netip.Addr
	Chain  []netip.Addr
	// Zone is the name of the first ACTIVE POLICY zone (by id) the request is in, or "".
	Zone string
	// zoneChain is Chain without the hops okapi's own --trusted-proxies added on the right:
	// zones describe the client's network, not okapi's.
	zoneChain []netip.Addr
	snap      *zoneSnapshot
}

// ResolveNetwork re-resolves a request's client IP once its org is known: X-Forwarded-For is
// honoured when the peer is trusted by the --trusted-proxies set (flagTrusted) or listed in the
// proxies of one of the org's ACTIVE IP zones. It also finds the zone the request is in.
func (s *Service) ResolveNetwork(ctx context.Context, org string, peer netip.Addr, xff []string, flagTrusted func(netip.Addr) bool) (Network, error) {
	snap, err := s.orgZones(ctx, org)
	if err != nil {
		return Network{}, err
	}
	trusted := func(a netip.Addr) bool {
		return (flagTrusted != nil && flagTrusted(a)) || snap.proxies.Contains(a)
	}
	n := Network{snap: snap}
	n.Client, n.Chain = netzone.Resolve(peer, xff, trusted)
	n.zoneChain = n.Chain
	for len(n.zoneChain) > 0 && flagTrusted != nil && flagTrusted(n.zoneChain[len(n.zoneChain)-1]) {
		n.zoneChain = n.zoneChain[:len(n.zoneChain)-1]
	}
	for _, zm := range snap.zones {
		if zm.zone.Status == netzone.StatusActive && zm.zone.Usage == netzone.UsagePolicy && zm.matcher.InZone(n.zoneChain) {
			n.Zone = zm.zone.Name
			break
		}
	}
	return n, nil
}

// inZone reports whether the request is in the ACTIVE zone with this id. Unknown and inactive
// zones match nothing.
func (n Network) inZone(id string) bool {
	if n.snap == nil {
		return false
	}
	i, ok := n.snap.byID[id]
	if !ok || n.snap.zones[i].zone.Status != netzone.StatusActive {
		return false
	}
	return n.snap.zones[i].matcher.InZone(n.zoneChain)
}

// errOutsideRange is Okta's answer to a token used outside its network condition.
var errOutsideRange = domain.NewError(403, domain.CodeForbidden, "You do not have permission to perform the requested action")

// CheckTokenNetwork enforces the token's network condition: with connection ZONE the request
// must be in one of the include zones (when any are listed) and in none of the exclude zones.
// A refusal is 403 E0000006 and a system.api_token.request_outside_allowed_range event.
func (s *Service) CheckTokenNetwork(ctx context.Context, tok domain.APIToken, n Network) error {
	nw := tok.Network
	if nw == nil || nw.Connection != ConnectionZone {
		return nil
	}
	allowed := len(nw.Include) == 0
	for _, id := range nw.Include {
		if n.inZone(id) {
			allowed = true
			break
		}
	}
	for _, id := range nw.Exclude {
		if n.inZone(id) {
			allowed = false
		}
	}
	if allowed {
		return nil
	}
	org, now := orgID(ctx), s.now(ctx)
	ev := s.event(ctx, now, "system.api_token.request_outside_allowed_range",
		"Request made with API token from outside its allowed network range", tokenTarget(tok))
	ev.Outcome = domain.LogOutcome{Result: "DENY", Reason: "Request IP is outside the token's network condition"}
	ev.Severity = "WARN"
	if err := s.Store.Update(ctx, func(tx store.Tx) error { return tx.AppendEvents(ctx, org, ev) }); err != nil {
		s.Logger.Warn("token network event not recorded", "token", tok.ID, "err", err)
	}
	return errOutsideRange
}
