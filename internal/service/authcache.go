package service

import (
	"sync"
	"time"
)

// Every API request checks its token: a token lookup and an owner lookup, two SQLite reads,
// as much work as the simplest request itself. authCache keeps a verified principal, keyed by
// the token's hash, for AuthCacheTTL. It is only safe where this process sees every change to
// tokens and users, so the app enables it on SQLite (one instance) and never on PostgreSQL,
// where another instance may revoke a token. Every local change that could turn a token away
// (revoke, a network condition, any change to a user: status, deletion) drops the entries it
// touches before the change is acknowledged, so a revoked token is refused on the very next
// request; the TTL only bounds how stale the cached owner's profile can be in log events.
type authCache struct {
	mu sync.Mutex
	m  map[string]authEntry
	// gen counts drops. A principal read from the store is cached only if no drop happened
	// since the read began: a read racing a revoke cannot put the revoked token back.
	gen uint64
}

type authEntry struct {
	p   Principal
	exp time.Time
}

// authCacheMax bounds the entries: one per live token, so it is only a guard.
const authCacheMax = 10000

func (c *authCache) get(hash string, now time.Time) (Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || !now.Before(e.exp) {
		return Principal{}, false
	}
	return e.p, true
}

func (c *authCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *authCache) put(hash string, p Principal, exp time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= authCacheMax {
		c.m = map[string]authEntry{}
	}
	c.m[hash] = authEntry{p: p, exp: exp}
}

// drop forgets the entries of a token id or of an owner's tokens ("" matches nothing).
func (c *authCache) drop(tokenID, ownerID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for h, e := range c.m {
		if tokenID != "" && e.p.Token.ID == tokenID || ownerID != "" && e.p.Owner.ID == ownerID {
			delete(c.m, h)
		}
	}
}

// dropOrg forgets every entry of an org: deleting, resetting or restoring it may remove any of
// its tokens and users, and the change must refuse them on the next request as revoke does.
func (c *authCache) dropOrg(orgID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for h, e := range c.m {
		if e.p.OrgID == orgID {
			delete(c.m, h)
		}
	}
}
