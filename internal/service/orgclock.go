package service

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
)

// orgClocks holds the orgs whose clock an operator froze or moved. Most servers have none, so
// the common path is one atomic load of an empty map; writers copy the map.
type orgClocks struct {
	mu sync.Mutex
	m  atomic.Pointer[map[string]orgClock]
}

// orgClock is one org's view of time: frozen at `at`, or the service clock plus offset.
type orgClock struct {
	frozen bool
	at     time.Time
	offset time.Duration
}

func (c orgClock) now(base domain.Clock) time.Time {
	if c.frozen {
		return c.at
	}
	return base.Now().Add(c.offset)
}

func (c *orgClocks) get(org string) (orgClock, bool) {
	m := c.m.Load()
	if m == nil || len(*m) == 0 {
		return orgClock{}, false
	}
	oc, ok := (*m)[org]
	return oc, ok
}

// set replaces org's clock; a zero orgClock removes it.
func (c *orgClocks) set(org string, oc orgClock) {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := map[string]orgClock{}
	if m := c.m.Load(); m != nil {
		for k, v := range *m {
			next[k] = v
		}
	}
	if oc == (orgClock{}) {
		delete(next, org)
	} else {
		next[org] = oc
	}
	c.m.Store(&next)
}

func (c *orgClocks) drop(org string) { c.set(org, orgClock{}) }

// nowIn is org's time at Okta's millisecond precision: the service clock unless an operator set
// the org's own.
func (s *Service) nowIn(org string) domain.Time {
	if oc, ok := s.clocks.get(org); ok {
		return domain.At(oc.now(s.Clock))
	}
	return domain.At(s.Clock.Now())
}

// OrgClock is what the clock operator call reports.
type OrgClock struct {
	Now    domain.Time `json:"now"`
	Frozen bool        `json:"frozen"`
}

// ClockChange is an operator's change to an org's clock, applied in field order: Reset goes
// back to the server clock, Freeze stops the clock at a time (or now, for "now"), Advance moves
// it forward (a frozen clock stays frozen).
type ClockChange struct {
	Reset   bool
	Freeze  string
	Advance time.Duration
}

// OrgClockOf reports the clock of the org called name.
func (s *Service) OrgClockOf(ctx context.Context, name string) (OrgClock, error) {
	org, err := s.OrgByName(ctx, name)
	if err != nil {
		return OrgClock{}, err
	}
	oc, _ := s.clocks.get(org.ID)
	return OrgClock{Now: s.nowIn(org.ID), Frozen: oc.frozen || s.clockFrozen()}, nil
}

// SetOrgClock changes the clock of the org called name, so expiry and retention can be tested
// without waiting. Time only moves forward through Advance; Freeze may go anywhere.
func (s *Service) SetOrgClock(ctx context.Context, name string, ch ClockChange) (OrgClock, error) {
	org, err := s.OrgByName(ctx, name)
	if err != nil {
		return OrgClock{}, err
	}
	if ch.Advance < 0 {
		return OrgClock{}, domain.Validation("advance", "advance: must not be negative: time only moves forward")
	}
	oc, _ := s.clocks.get(org.ID)
	if ch.Reset {
		oc = orgClock{}
	}
	if ch.Freeze != "" {
		at := oc.now(s.Clock)
		if ch.Freeze != "now" {
			t, err := time.Parse(time.RFC3339Nano, ch.Freeze)
			if err != nil {
				return OrgClock{}, domain.Validation("freeze", "freeze: use an RFC 3339 time such as 2026-01-01T00:00:00Z, or \"now\"")
			}
			at = t.UTC()
		}
		oc = orgClock{frozen: true, at: at}
	}
	if oc.frozen {
		oc.at = oc.at.Add(ch.Advance)
	} else {
		oc.offset += ch.Advance
	}
	s.clocks.set(org.ID, oc)
	return OrgClock{Now: s.nowIn(org.ID), Frozen: oc.frozen || s.clockFrozen()}, nil
}

// clockFrozen reports whether the service clock itself stands still (--clock fixed:...).
func (s *Service) clockFrozen() bool {
	_, ok := s.Clock.(*domain.FixedClock)
	return ok
}

// Now is the time of the caller's org: the service clock unless an operator set the org's own.
// The HTTP layer uses it for rate-limit windows, so a frozen or advanced org clock moves them too.
func (s *Service) Now(ctx context.Context) time.Time { return s.nowIn(orgID(ctx)).Time }
