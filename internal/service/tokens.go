package service

import (
	"context"
	"crypto/subtle"
	"errors"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// TokenIdle is how long an unused token stays valid (Okta's default token window).
var TokenIdle = 30 * 24 * time.Hour

// touchEvery bounds how often a token's last use is written: once a minute is precise enough
// for a 30-day window and keeps reads from turning into writes.
const touchEvery = time.Minute

func (s *Service) newToken(now domain.Time, name, userID, secret string) domain.APIToken {
	if name == "" {
		name = "okapi"
	}
	return domain.APIToken{
		ID: domain.NewID(s.IDs, domain.PrefixToken), Name: name, UserID: userID, ClientName: "Okta API",
		Created: now, LastUpdated: now, LastUsed: now, ExpiresAt: domain.At(now.Add(s.idle())),
		TokenWindow: isoDuration(s.idle()), Network: &domain.TokenNetwork{Connection: ConnectionAnywhere},
		Hash: domain.HashToken(secret),
	}
}

// idle is the configured idle expiry, Okta's 30 days when unset.
func (s *Service) idle() time.Duration {
	if s.TokenIdle <= 0 {
		return TokenIdle
	}
	return s.TokenIdle
}

// Principal is an authenticated API caller: the token, its org and its owner.
type Principal struct {
	Token domain.APIToken
	OrgID string
	Owner domain.User
}

// Authenticate checks an SSWS secret. Any failure is 401 E0000011, whatever the reason, so a
// caller learns nothing about which tokens exist; the refusal is written to the System Log.
func (s *Service) Authenticate(ctx context.Context, secret string) (Principal, error) {
	p, refused, err := s.authenticate(ctx, secret)
	if errors.Is(err, domain.ErrInvalidToken) {
		s.logRefusedToken(ctx, refused.OrgID, refused.token, refused.owner)
	}
	return p, err
}

// refusal is what is known about a refused token, for its log event.
type refusal struct {
	OrgID string
	token *domain.APIToken
	owner *domain.User
}

func (s *Service) authenticate(ctx context.Context, secret string) (Principal, refusal, error) {
	// On a per-org host the request names its org before the token does; a token of any
	// other org is refused as if it did not exist, and logged in the org that was addressed.
	hostOrg := domain.CallerFrom(ctx).OrgID
	unknown := refusal{OrgID: hostOrg}
	if len(secret) < 10 || len(secret) > 200 {
		return Principal{}, unknown, domain.ErrInvalidToken
	}
	hash := domain.HashToken(secret)
	gen := s.auth.generation()
	if s.AuthCacheTTL > 0 {
		// A cached principal of another org than the host names falls through to the full
		// check, which refuses it and logs the refusal in the addressed org.
		if p, ok := s.auth.get(hash, time.Now()); ok && (hostOrg == "" || p.OrgID == hostOrg) &&
			s.nowIn(p.OrgID).Before(p.Token.LastUsed.Add(s.idle())) {
			return p, refusal{}, nil
		}
	}
	tok, org, err := s.Store.GetTokenByHash(ctx, hash)
	if err != nil {
		if errors.Is(err, domain.ErrInvalidToken) || errors.Is(err, domain.ErrNotFound) {
			return Principal{}, unknown, domain.ErrInvalidToken
		}
		return Principal{}, refusal{}, err
	}
	// The lookup used the hash as a key; compare it again in constant time anyway so timing
	// never depends on how much of a guess was right.
	if subtle.ConstantTimeCompare([]byte(tok.Hash), []byte(hash)) != 1 || (hostOrg != "" && org != hostOrg) {
		return Principal{}, unknown, domain.ErrInvalidToken
	}
	known := refusal{OrgID: org, token: &tok}
	now := s.nowIn(org)
	// Expiry counts from the last use with the window configured now, so shortening
	// --token-idle-expiry applies to existing tokens too.
	if !now.Before(tok.LastUsed.Add(s.idle())) {
		return Principal{}, known, domain.ErrInvalidToken
	}
	owner, err := s.Store.GetUser(ctx, org, tok.UserID)
	if err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			return Principal{}, known, domain.ErrInvalidToken
		}
		return Principal{}, refusal{}, err
	}
	if owner.Status != domain.StatusActive && owner.Status != domain.StatusPasswordExpired {
		known.owner = &owner
		return Principal{}, known, domain.ErrInvalidToken
	}
	if now.Sub(tok.LastUsed.Time) >= touchEvery {
		tok.LastUsed, tok.ExpiresAt = now, domain.At(now.Add(s.idle()))
		err := s.Store.Update(ctx, func(tx store.Tx) error {
			return tx.TouchToken(ctx, org, tok.ID, tok.LastUsed, tok.ExpiresAt)
		})
		if err != nil {
			s.Logger.Warn("token last-use not recorded", "token", tok.ID, "err", err)
		}
	}
	p := Principal{Token: tok, OrgID: org, Owner: owner}
	if s.AuthCacheTTL > 0 {
		s.auth.put(hash, p, time.Now().Add(s.AuthCacheTTL), gen)
	}
	return p, refusal{}, nil
}

// CreateToken makes a new token owned by the caller (or the org's first admin when the caller
// is the command line). secret may be empty for a random one. It returns the token and secret.
func (s *Service) CreateToken(ctx context.Context, name, secret string) (domain.APIToken, string, error) {
	c := domain.CallerFrom(ctx)
	if secret == "" {
		secret = domain.NewTokenSecret(s.IDs)
	}
	owner := c.UserID
	if owner == "" {
		tokens, err := s.Store.ListTokens(ctx, c.OrgID, "", 1)
		if err != nil {
			return domain.APIToken{}, "", err
		}
		if len(tokens) == 0 {
			return domain.APIToken{}, "", errors.New("the org has no token owner to own a new token")
		}
		owner = tokens[0].UserID
	}
	now := s.now(ctx)
	tok := s.newToken(now, name, owner, secret)
	err := s.update(ctx, func(tx store.Tx) error {
		if err := tx.CreateToken(ctx, c.OrgID, tok); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, c.OrgID, s.event(ctx, now, "system.api_token.create", "Create API token", tokenTarget(tok)))
	})
	return tok, secret, err
}

func tokenTarget(t domain.APIToken) domain.LogTarget {
	return domain.LogTarget{ID: t.ID, Type: "Token", AlternateID: t.Name, DisplayName: t.Name}
}

// ListTokens returns one page of the caller's org's tokens by id and the cursor of the next
// page ("" on the last one).
func (s *Service) ListTokens(ctx context.Context, p ListParams) (Page[domain.APIToken], error) {
	tokens, err := s.Store.ListTokens(ctx, orgID(ctx), p.After, p.Limit+1)
	if err != nil {
		return Page[domain.APIToken]{}, err
	}
	page := idPage(tokens, p.Limit, func(t domain.APIToken) string { return t.ID })
	for i := range page.Items {
		page.Items[i] = s.showToken(page.Items[i])
	}
	return page, nil
}

// GetToken returns one token of the caller's org.
func (s *Service) GetToken(ctx context.Context, id string) (domain.APIToken, error) {
	t, err := s.Store.GetToken(ctx, orgID(ctx), id)
	return s.showToken(t), err
}

// showToken fills what Okta shows from the stored last use: expiresAt under the window
// configured now, and tokenWindow in ISO 8601.
func (s *Service) showToken(t domain.APIToken) domain.APIToken {
	if t.ID == "" {
		return t
	}
	t.ExpiresAt, t.TokenWindow = domain.At(t.LastUsed.Add(s.idle())), isoDuration(s.idle())
	return t
}

// RevokeToken deletes a token; it is refused from the next request on.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	org := orgID(ctx)
	now := s.now(ctx)
	// Dropped once the revoke is committed; the drop also stops a lookup racing the revoke
	// from caching the token again (authCache.gen).
	defer s.auth.drop(id, "")
	return s.update(ctx, func(tx store.Tx) error {
		tok, err := tx.GetToken(ctx, org, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteToken(ctx, org, id); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.api_token.revoke", "Revoke API token", tokenTarget(tok)))
	})
}
