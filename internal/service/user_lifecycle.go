package service

import (
	"context"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/password"
	"github.com/okapi-dev/okapi/internal/store"
)

// lifecycleEvents is the System Log event of each operation that records one on its own
// (set_password and the credential operations record theirs where they change the password).
var lifecycleEvents = map[domain.UserOp][2]string{
	domain.OpActivate:       {"user.lifecycle.activate", "Activate okta user"},
	domain.OpReactivate:     {"user.lifecycle.reactivate", "Reactivate okta user"},
	domain.OpDeactivate:     {"user.lifecycle.deactivate", "Deactivate okta user"},
	domain.OpSuspend:        {"user.lifecycle.suspend", "Suspend okta user"},
	domain.OpUnsuspend:      {"user.lifecycle.unsuspend", "Unsuspend okta user"},
	domain.OpUnlock:         {"user.account.unlock_by_admin", "Unlock user account by admin"},
	domain.OpResetPassword:  {"user.account.reset_password", "Reset password for okta user"},
	domain.OpExpirePassword: {"user.account.expire_password", "Expire password for okta user"},
	domain.OpResetFactors:   {"user.mfa.factor.reset_all", "Reset all factors for user"},
}

// transit applies op to u through the lifecycle table and appends the operation's event.
// The caller stores u.
func (s *Service) transit(ctx context.Context, tx store.Tx, u *domain.User, op domain.UserOp, now domain.Time) error {
	next, err := domain.Transit(u.Status, op, domain.CredsOf(*u))
	if err != nil {
		return err
	}
	u.SetStatus(next, now)
	u.LastUpdated = now
	if ev, ok := lifecycleEvents[op]; ok {
		return tx.AppendEvents(ctx, orgID(ctx), s.event(ctx, now, ev[0], ev[1], u.LogTarget()))
	}
	return nil
}

// LifecycleResult is what a lifecycle operation hands back besides the user: a one-time
// token (activation, password reset) or a temporary password.
type LifecycleResult struct {
	User         domain.User
	Token        string
	TempPassword string
}

// UserLifecycle runs one lifecycle operation: activate, reactivate, deactivate, suspend,
// unsuspend, unlock, reset_password, expire_password, reset_factors or forgot_password. A
// status the operation is not allowed from gets Okta's error and leaves the user unchanged.
func (s *Service) UserLifecycle(ctx context.Context, idOrLogin string, op domain.UserOp) (LifecycleResult, error) {
	var res LifecycleResult
	switch op {
	case domain.OpActivate, domain.OpReactivate, domain.OpResetPassword, domain.OpForgotPassword:
		// Tokens are handed out once; okapi has no sign-in flow that redeems them yet.
		res.Token = s.IDs.Random(20)
	}
	now := s.now(ctx)
	u, err := s.mutateUser(ctx, idOrLogin, func(tx store.Tx, u *domain.User) error {
		if err := s.transit(ctx, tx, u, op, now); err != nil {
			return err
		}
		if op == domain.OpResetFactors {
			return resetFactors(ctx, tx, orgID(ctx), u.ID)
		}
		return nil
	})
	res.User = u
	return res, err
}

// resetFactors unenrolls every factor of a user (reset_factors).
func resetFactors(ctx context.Context, tx store.Tx, org, userID string) error {
	fs, err := tx.ListFactors(ctx, org, userID)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if err := tx.DeleteFactor(ctx, org, userID, f.ID); err != nil {
			return err
		}
	}
	return nil
}

// ExpirePasswordWithTemp expires the password and replaces it with a temporary one, which it
// returns (the only time it is ever shown).
func (s *Service) ExpirePasswordWithTemp(ctx context.Context, idOrLogin string) (LifecycleResult, error) {
	temp := s.tempPassword()
	hash, err := password.Hash(temp)
	if err != nil {
		return LifecycleResult{}, err
	}
	now := s.now(ctx)
	u, err := s.mutateUser(ctx, idOrLogin, func(tx store.Tx, u *domain.User) error {
		if err := s.transit(ctx, tx, u, domain.OpExpirePassword, now); err != nil {
			return err
		}
		applyCreds(u, preparedCreds{setPassword: true, passwordHash: hash}, now)
		return nil
	})
	if err != nil {
		return LifecycleResult{}, err
	}
	return LifecycleResult{User: u, TempPassword: temp}, nil
}

// tempPassword makes an 8-character password like Okta's ("HR076gb6") with a lower case
// letter, an upper case letter and a digit.
func (s *Service) tempPassword() string {
	for {
		p := s.IDs.Random(8)
		if strings.ContainsAny(p, "0123456789") && strings.ToLower(p) != p && strings.ToUpper(p) != p {
			return p
		}
	}
}
