package service

import (
	"hash/maphash"
	"slices"
	"sync"
	"time"

	"github.com/okapi-dev/okapi/internal/authz"
)

// grantCache keeps admins' role grants (with their group targets) in memory for AuthCacheTTL,
// so a targeted admin's request does not read its roles and targets again each time. Every
// write the service commits may change them (a role, a target, a membership of a group that
// holds a role, a restored snapshot), so every commit empties it: an entry is only used while
// no write has happened since it was read. Like the token cache it is only on where one process
// sees every write (SQLite); AuthCacheTTL is 0 on PostgreSQL.
type grantCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]grantEntry
	// member caches membership answers (org/user/targets key) the same way.
	member map[uint64]memberEntry
}

type memberEntry struct {
	in     bool
	groups []string // the targets asked about: the key is only a hash of them
	gen    uint64
	until  time.Time
}

// memberKey identifies a membership question without building a string of every target.
func memberKey(org, user string, groups []string) uint64 {
	var h maphash.Hash
	h.SetSeed(memberSeed)
	h.WriteString(org)
	h.WriteByte(0)
	h.WriteString(user)
	for _, g := range groups {
		h.WriteByte(0)
		h.WriteString(g)
	}
	return h.Sum64()
}

var memberSeed = maphash.MakeSeed()

type grantEntry struct {
	grants []authz.Grant
	gen    uint64
	until  time.Time
}

// generation is read before loading grants; put stores them only if nothing was written since.
func (c *grantCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *grantCache) get(key string, now time.Time) ([]authz.Grant, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || e.gen != c.gen || !now.Before(e.until) {
		return nil, false
	}
	return e.grants, true
}

func (c *grantCache) put(key string, gen uint64, grants []authz.Grant, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) > 10000 {
		c.m = map[string]grantEntry{}
	}
	c.m[key] = grantEntry{grants: grants, gen: gen, until: until}
}

func (c *grantCache) getMember(key uint64, groups []string, now time.Time) (in, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.member[key]
	if !ok || e.gen != c.gen || !now.Before(e.until) || !slices.Equal(e.groups, groups) {
		return false, false
	}
	return e.in, true
}

func (c *grantCache) putMember(key uint64, groups []string, gen uint64, in bool, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.member == nil || len(c.member) > 10000 {
		c.member = map[uint64]memberEntry{}
	}
	c.member[key] = memberEntry{in: in, groups: groups, gen: gen, until: until}
}

// flush forgets every entry: called after each commit.
func (c *grantCache) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.m)
	clear(c.member)
}
