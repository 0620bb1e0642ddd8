package service

import (
	"context"
	"errors"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/signin"
)

// PasswordSession signs a user in by username and password for the OAuth 2.0 resource owner
// password grant (oidc.Passwords). It is the Authn API's primary authentication, with its
// lockout, failure events, password expiry and factors: only a sign-in that ends in SUCCESS opens
// a session. Any other outcome (wrong password, locked out, PASSWORD_EXPIRED, MFA_REQUIRED...) is
// a zero Session, which the grant answers with invalid_grant; an error means the check itself
// failed.
func (s *Service) PasswordSession(ctx context.Context, username, password string) (domain.Session, error) {
	res, err := s.Authn(ctx, AuthnRequest{Username: username, Password: password})
	if err != nil {
		if errors.Is(err, signin.ErrAuthFailed) {
			return domain.Session{}, nil
		}
		var de *domain.Error
		if errors.As(err, &de) && de.Status < 500 {
			return domain.Session{}, nil
		}
		return domain.Session{}, err
	}
	if res.Status != signin.StatusSuccess {
		if res.StateToken != "" {
			// Nobody will continue this transaction: end it rather than leave it to expire.
			_, _ = s.AuthnCancel(ctx, res.StateToken)
		}
		return domain.Session{}, nil
	}
	sess, err := s.RedeemSessionToken(ctx, res.SessionToken)
	if errors.Is(err, signin.ErrAuthFailed) {
		return domain.Session{}, nil
	}
	return sess, err
}
