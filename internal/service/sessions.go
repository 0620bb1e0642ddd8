package service

import (
	"context"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/signin"
	"github.com/okapi-dev/okapi/internal/store"
)

// RedeemSessionToken exchanges a sessionToken for a new session (POST /api/v1/sessions, and the
// seam the OAuth/OIDC provider uses for /authorize?sessionToken=). The token works once, within
// its 5 minutes; an unknown, used or expired one is 401 E0000004 (Sessions API "Create Session
// with session token"). The redeeming transaction deletes the token, so of two instances
// racing for it only one creates a session.
func (s *Service) RedeemSessionToken(ctx context.Context, token string) (domain.Session, error) {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return domain.Session{}, err
	}
	org := orgID(ctx)
	var sess domain.Session
	err = s.update(ctx, func(tx store.Tx) error {
		if token == "" {
			return signin.ErrAuthFailed
		}
		tok, err := tx.GetSigninToken(ctx, org, domain.HashToken(token))
		if errors.Is(err, domain.ErrNotFound) {
			return signin.ErrAuthFailed
		}
		if err != nil {
			return err
		}
		now := s.now(ctx)
		if tok.Kind != signin.KindSession || tok.Expired(now) {
			return signin.ErrAuthFailed
		}
		if err := tx.DeleteSigninToken(ctx, org, tok.Hash); err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				return signin.ErrAuthFailed
			}
			return err
		}
		u, err := tx.GetUser(ctx, org, tok.UserID)
		if errors.Is(err, domain.ErrNotFound) {
			return signin.ErrAuthFailed
		}
		if err != nil {
			return err
		}
		sess = domain.Session{ID: signin.NewSessionID(s.IDs), OrgID: org, UserID: u.ID, Login: u.Login(),
			Status: signin.SessionActive, CreatedAt: now, ExpiresAt: domain.At(now.Add(signin.SessionLifetime)),
			LastPasswordVerification: tok.LastPasswordVerification, LastFactorVerification: tok.LastFactorVerification,
			AMR: tok.AMR}
		return tx.CreateSession(ctx, org, sess)
	})
	return sess, err
}

// SessionByID returns a live session of the caller's org; an expired or unknown one is 404
// E0000007 (getSession).
func (s *Service) SessionByID(ctx context.Context, id string) (domain.Session, error) {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return domain.Session{}, err
	}
	sess, err := s.Store.GetSession(ctx, orgID(ctx), id)
	if err != nil {
		return sess, err
	}
	if !s.now(ctx).Before(sess.ExpiresAt.Time) {
		return domain.Session{}, domain.NotFound(id, "Session")
	}
	return sess, nil
}

// RefreshSession extends a live session by the session lifetime (refreshSession).
func (s *Service) RefreshSession(ctx context.Context, id string) (domain.Session, error) {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return domain.Session{}, err
	}
	org := orgID(ctx)
	var sess domain.Session
	err = s.update(ctx, func(tx store.Tx) error {
		cur, err := tx.GetSession(ctx, org, id)
		if err != nil {
			return err
		}
		now := s.now(ctx)
		if !now.Before(cur.ExpiresAt.Time) {
			return domain.NotFound(id, "Session")
		}
		cur.ExpiresAt = domain.At(now.Add(signin.SessionLifetime))
		sess = cur
		return tx.RefreshSession(ctx, org, id, cur.ExpiresAt)
	})
	return sess, err
}

// CloseSession ends a session (revokeSession, closeCurrentSession) and logs user.session.end.
func (s *Service) CloseSession(ctx context.Context, id string) error {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return err
	}
	org := orgID(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		cur, err := tx.GetSession(ctx, org, id)
		if err != nil {
			return err
		}
		now := s.now(ctx)
		if !now.Before(cur.ExpiresAt.Time) {
			return domain.NotFound(id, "Session")
		}
		if err := tx.DeleteSession(ctx, org, id); err != nil {
			return err
		}
		ev := s.event(ctx, now, "user.session.end", "User logout from Okta",
			domain.LogTarget{ID: cur.UserID, Type: "User", AlternateID: cur.Login, DisplayName: cur.Login})
		return tx.AppendEvents(ctx, org, ev)
	})
}

// ClearUserSessions ends every session of a user (DELETE /api/v1/users/{id}/sessions).
func (s *Service) ClearUserSessions(ctx context.Context, idOrLogin string) error {
	org := orgID(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		u, err := findUser(ctx, tx, org, idOrLogin)
		if err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, org, u.ID); err != nil {
			return err
		}
		now := s.now(ctx)
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "user.session.clear", "Clear user session", u.LogTarget()))
	})
}
