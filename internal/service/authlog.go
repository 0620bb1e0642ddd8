package service

import (
	"context"
	"sync"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// Refused API calls are logged as Okta logs failed sign-ins: user.authentication.authenticate
// with outcome FAILURE. Okta's catalogue has no API-token-specific authentication event, and
// SIEM rules look for failed logins under this type. Logging is throttled so a brute-force
// attempt cannot flood the log or turn every guess into a write.
const (
	refusalEventType = "user.authentication.authenticate"
	// refusalPerIP is the least time between two refusal events of one client IP.
	refusalPerIP = 5 * time.Second
	// refusalPerSecond caps refusal events from all clients together, against many IPs.
	refusalPerSecond = 20
	// refusalTracked bounds the IPs remembered; beyond it, refusals are not logged until the
	// window passes.
	refusalTracked = 10000
)

// refusalThrottle decides which refused requests get an event. The zero value is ready.
type refusalThrottle struct {
	mu         sync.Mutex
	last       map[string]time.Time
	second     time.Time
	inSecond   int
	defaultOrg string
}

// allow reports whether a refusal from ip at now may be logged, and records it if so.
func (t *refusalThrottle) allow(ip string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = map[string]time.Time{}
	}
	if last, ok := t.last[ip]; ok && now.Sub(last) < refusalPerIP && !now.Before(last) {
		return false
	}
	if sec := now.Truncate(time.Second); !sec.Equal(t.second) {
		t.second, t.inSecond = sec, 0
	}
	if t.inSecond >= refusalPerSecond {
		return false
	}
	if len(t.last) >= refusalTracked {
		for k, v := range t.last {
			if now.Sub(v) >= refusalPerIP {
				delete(t.last, k)
			}
		}
		if len(t.last) >= refusalTracked {
			return false
		}
	}
	t.last[ip] = now
	t.inSecond++
	return true
}

// logRefusedToken records a request refused for its API token. A token okapi knows (expired,
// owner not active) is logged in its org with its owner as actor; an unknown one in the
// default org with an unknown actor. Failures to log are only reported to the server log: the
// caller gets its 401 either way.
func (s *Service) logRefusedToken(ctx context.Context, orgID string, tok *domain.APIToken, owner *domain.User) {
	c := *domain.CallerFrom(ctx)
	now := s.now(ctx)
	if !s.refusals.allow(c.IP, now.Time) {
		return
	}
	if orgID == "" {
		var err error
		if orgID, err = s.defaultOrgID(ctx); err != nil {
			s.Logger.Warn("refused request not logged", "err", err)
			return
		}
	}
	c.OrgID, c.UserID, c.Login, c.DisplayName = orgID, "", "", ""
	var targets []domain.LogTarget
	if tok != nil {
		c.TokenID = tok.ID
		targets = append(targets, tokenTarget(*tok))
	}
	if owner != nil {
		c.UserID, c.Login, c.DisplayName = owner.ID, owner.Login(), owner.DisplayName()
	}
	ev := domain.NewLogEvent(&c, s.IDs, now, refusalEventType, "User attempted to call the API with an invalid API token", targets...)
	if owner == nil {
		ev.Actor = domain.LogActor{ID: "unknown", Type: "User", AlternateID: "unknown", DisplayName: "unknown"}
	}
	ev.Fail("INVALID_CREDENTIALS")
	err := s.Store.Update(ctx, func(tx store.Tx) error { return tx.AppendEvents(ctx, orgID, ev) })
	if err != nil {
		s.Logger.Warn("refused request not logged", "err", err)
	}
}

// defaultOrgID is the id of the default org, looked up once.
func (s *Service) defaultOrgID(ctx context.Context) (string, error) {
	s.refusals.mu.Lock()
	id := s.refusals.defaultOrg
	s.refusals.mu.Unlock()
	if id != "" {
		return id, nil
	}
	org, err := s.Store.GetOrgByName(ctx, domain.DefaultOrgName)
	if err != nil {
		return "", err
	}
	s.refusals.mu.Lock()
	s.refusals.defaultOrg = org.ID
	s.refusals.mu.Unlock()
	return org.ID, nil
}
