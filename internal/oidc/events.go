package oidc

import (
	"context"
	"sync"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// System Log events of the token and revocation endpoints. The type names are those of Okta's
// event types catalogue (developer.okta.com/docs/reference/api/event-types/): custom servers
// log app.oauth2.as.token.*, the org server app.oauth2.token.*; a grant logs one
// grant.<token> event per token it issues, and a refused grant logs the bare token.grant type
// with outcome FAILURE.

// tokenEventType is app.oauth2.as.token.<suffix> on a custom server, app.oauth2.token.<suffix>
// on the org server.
func tokenEventType(s Server, suffix string) string {
	if s.Custom {
		return "app.oauth2.as.token." + suffix
	}
	return "app.oauth2.token." + suffix
}

// clientTarget names the OAuth client, as Okta names it in its OAuth events (PublicClientApp,
// the client id).
func clientTarget(clientID string) domain.LogTarget {
	return domain.LogTarget{ID: clientID, Type: "PublicClientApp", AlternateID: clientID, DisplayName: clientID}
}

// clientEvent builds an event of the token endpoint. Its caller is the client, not a user, so
// the actor is the client (PublicClientApp) rather than an unknown one; targets are the client
// and the user the tokens are for, when there is one.
func (p *Provider) clientEvent(ctx context.Context, now domain.Time, clientID, typ, msg string, user *domain.User) domain.LogEvent {
	targets := []domain.LogTarget{clientTarget(clientID)}
	if user != nil {
		targets = append(targets, user.LogTarget())
	}
	ev := p.event(ctx, now, typ, msg, targets...)
	if domain.CallerFrom(ctx).UserID == "" {
		ev.Actor = domain.LogActor{ID: clientID, Type: "PublicClientApp", AlternateID: clientID, DisplayName: clientID}
	}
	return ev
}

// userOf is the user id names, for an event's target; nil when there is none or it is gone.
func (p *Provider) userOf(ctx context.Context, id string) *domain.User {
	if id == "" {
		return nil
	}
	u, err := p.Store.GetUser(ctx, orgOf(ctx), id)
	if err != nil {
		return nil
	}
	return &u
}

// grantEvents are the events of a successful grant: access token always, ID token and refresh
// token when the response carries them. The displayMessages of the ID and refresh token events
// follow the access token's wording; Okta's exact text for them is unverified.
func (p *Provider) grantEvents(ctx context.Context, s Server, c domain.OAuthClient, user *domain.User, grant string, idToken, refresh bool) []domain.LogEvent {
	now := p.now(ctx)
	evs := []domain.LogEvent{p.clientEvent(ctx, now, c.ClientID, tokenEventType(s, "grant.access_token"), "OAuth2 access token is granted ("+grant+")", user)}
	if idToken {
		evs = append(evs, p.clientEvent(ctx, now, c.ClientID, tokenEventType(s, "grant.id_token"), "OAuth2 id token is granted ("+grant+")", user))
	}
	if refresh {
		evs = append(evs, p.clientEvent(ctx, now, c.ClientID, tokenEventType(s, "grant.refresh_token"), "OAuth2 refresh token is granted ("+grant+")", user))
	}
	return evs
}

// clientIDOf is the client id a token request claims, for the log of a refused one: the
// Basic user, the client_id field, or the id the client lookup found (a client_assertion's
// issuer). A claimed id is cut to maxLoggedClientID bytes: it is the caller's input.
func clientIDOf(a ClientAuth, c domain.OAuthClient) string {
	id := a.Form.Get("client_id")
	switch {
	case c.ClientID != "":
		return c.ClientID
	case a.Basic:
		id = a.BasicID
	}
	if len(id) > maxLoggedClientID {
		id = id[:maxLoggedClientID]
	}
	return id
}

// maxLoggedClientID is longer than any client id Okta issues (20 characters) or accepts.
const maxLoggedClientID = 100

// logClientFailure records a token request refused because its client did not authenticate
// (invalid_client) as app.oauth2[.as].token.grant with outcome FAILURE and reason
// invalid_client. Okta's catalogue also lists app.oauth2.invalid_client_credentials; which of
// the two Okta writes for a wrong secret at /token, and its displayMessage, are unverified.
// Throttled per client and IP (failureThrottle) so that a guesser cannot flood the log; in a
// transaction of its own, as nothing else is written: the request fails, the audit stays.
func (p *Provider) logClientFailure(ctx context.Context, s Server, clientID string) {
	c := domain.CallerFrom(ctx)
	now := p.now(ctx)
	if c.OrgID == "" || !p.failures.allow(clientID+"\x00"+c.IP, now.Time) {
		return
	}
	ev := p.clientEvent(ctx, now, clientID, tokenEventType(s, "grant"), "OAuth2 token grant request", nil)
	if clientID == "" {
		ev.Target = []domain.LogTarget{}
		ev.Actor = domain.LogActor{ID: "unknown", Type: "PublicClientApp", AlternateID: "unknown", DisplayName: "unknown"}
	}
	ev.Fail("invalid_client")
	_ = p.Store.Update(ctx, func(tx store.Tx) error { return tx.AppendEvents(ctx, c.OrgID, ev) })
}

const (
	// failurePerKey is the least time between two failure events of one client and IP.
	failurePerKey = 5 * time.Second
	// failurePerSecond caps failure events from all clients together, against many keys.
	failurePerSecond = 20
	// failureTracked bounds the keys remembered; beyond it, failures are not logged until
	// entries age out.
	failureTracked = 10000
)

// failureThrottle decides which refused client authentications get an event, as okapi
// throttles the events of refused API tokens. The zero value is ready; each instance counts
// its own.
type failureThrottle struct {
	mu       sync.Mutex
	last     map[string]time.Time
	second   time.Time
	inSecond int
}

// allow reports whether a failure of key at now may be logged, and records it if so.
func (t *failureThrottle) allow(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = map[string]time.Time{}
	}
	if last, ok := t.last[key]; ok && now.Sub(last) < failurePerKey && !now.Before(last) {
		return false
	}
	if sec := now.Truncate(time.Second); !sec.Equal(t.second) {
		t.second, t.inSecond = sec, 0
	}
	if t.inSecond >= failurePerSecond {
		return false
	}
	if len(t.last) >= failureTracked {
		for k, v := range t.last {
			if now.Sub(v) >= failurePerKey {
				delete(t.last, k)
			}
		}
		if len(t.last) >= failureTracked {
			return false
		}
	}
	t.last[key] = now
	t.inSecond++
	return true
}
