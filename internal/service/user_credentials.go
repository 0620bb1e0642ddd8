package service

import (
	"context"
	"errors"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/password"
	"github.com/okapi-dev/okapi/internal/store"
)

var (
	errOldPassword = domain.NewError(http.StatusForbidden, domain.CodeCredentialsFailed, "Update of credentials failed",
		domain.Cause{Summary: "oldPassword: Old Password is not correct"})
	errPassword = domain.NewError(http.StatusForbidden, domain.CodeCredentialsFailed, "Update of credentials failed",
		domain.Cause{Summary: "password: Password is incorrect"})
	errAnswer = domain.NewError(http.StatusForbidden, "E0000087", "The recovery question answer did not match our records.")
	// errSecretMoved means the credential checked outside the transaction changed before it
	// committed; the check runs again.
	errSecretMoved = errors.New("credential changed during the operation")
)

// ChangePassword is the user changing their password: the old one must match, the new one
// must follow the user's password policy (403 E0000080: complexity, history) and differ from
// the old one. strict also applies the policy's minimum age, as Okta's strict parameter does.
// RECOVERY and PASSWORD_EXPIRED users become ACTIVE.
func (s *Service) ChangePassword(ctx context.Context, idOrLogin, oldPw, newPw string, strict bool) (domain.User, error) {
	if err := blanks(blank{"oldPassword", oldPw}, blank{"newPassword", newPw}); err != nil {
		return domain.User{}, err
	}
	return s.withSecret(ctx, idOrLogin, domain.OpChangePassword, func(cur domain.User) (func(store.Tx, *domain.User) error, error) {
		if ok, _ := password.Verify(cur.Secrets.PasswordHash, oldPw); !ok {
			return nil, errOldPassword
		}
		if newPw == oldPw {
			return nil, policyError([]password.Violation{{Reason: "HISTORY", Message: "Password cannot be your current password"}}, true)
		}
		_, vs, err := s.checkNewPassword(ctx, cur, newPw, strict)
		if err != nil {
			return nil, err
		}
		if len(vs) > 0 {
			return nil, policyError(vs, true)
		}
		return s.setPassword(ctx, cur, newPw, domain.OpChangePassword)
	})
}

// ChangeRecoveryQuestion replaces the recovery question after checking the password. A password
// that was imported as a hash is rehashed with bcrypt now that its value is known.
func (s *Service) ChangeRecoveryQuestion(ctx context.Context, idOrLogin, pw string, q RecoveryQuestionInput) (domain.User, error) {
	if err := blanks(blank{"password", pw}); err != nil {
		return domain.User{}, err
	}
	return s.withSecret(ctx, idOrLogin, domain.OpChangeRecoveryQuestion, func(cur domain.User) (func(store.Tx, *domain.User) error, error) {
		ok, rehash := password.Verify(cur.Secrets.PasswordHash, pw)
		if !ok {
			return nil, errPassword
		}
		question, answerHash, err := prepareQuestion(&q)
		if err != nil {
			return nil, err
		}
		var pc preparedCreds
		if rehash {
			h, err := password.Hash(pw)
			if err != nil {
				return nil, err
			}
			pc = preparedCreds{setPassword: true, passwordHash: h}
		}
		now := s.now(ctx)
		return func(tx store.Tx, u *domain.User) error {
			if err := s.transit(ctx, tx, u, domain.OpChangeRecoveryQuestion, now); err != nil {
				return err
			}
			changed := u.PasswordChanged
			applyCreds(u, pc, now)
			u.PasswordChanged = changed // the password itself did not change
			u.RecoveryQuestion, u.Secrets.RecoveryAnswerHash = question, answerHash
			return nil
		}, nil
	})
}

// RecoveryQuestionReset sets a new password for a user who answers the recovery question
// (forgot_password_recovery_question).
func (s *Service) RecoveryQuestionReset(ctx context.Context, idOrLogin, answer, newPw string) (domain.User, error) {
	if err := blanks(blank{"recovery_question.answer", answer}, blank{"password.value", newPw}); err != nil {
		return domain.User{}, err
	}
	return s.withSecret(ctx, idOrLogin, domain.OpRecoveryQuestionReset, func(cur domain.User) (func(store.Tx, *domain.User) error, error) {
		if !password.VerifyAnswer(cur.Secrets.RecoveryAnswerHash, answer) {
			return nil, errAnswer
		}
		_, vs, err := s.checkNewPassword(ctx, cur, newPw, false)
		if err != nil {
			return nil, err
		}
		if len(vs) > 0 {
			return nil, policyError(vs, true)
		}
		return s.setPassword(ctx, cur, newPw, domain.OpRecoveryQuestionReset)
	})
}

// setPassword hashes pw and returns the transaction step that stores it through op.
func (s *Service) setPassword(ctx context.Context, cur domain.User, pw string, op domain.UserOp) (func(store.Tx, *domain.User) error, error) {
	h, err := password.Hash(pw)
	if err != nil {
		return nil, err
	}
	now := s.now(ctx)
	return func(tx store.Tx, u *domain.User) error {
		if err := s.transit(ctx, tx, u, op, now); err != nil {
			return err
		}
		applyCreds(u, preparedCreds{setPassword: true, passwordHash: h}, now)
		if err := remember(ctx, tx, orgID(ctx), *u, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, orgID(ctx),
			s.event(ctx, now, "user.account.update_password", "User update password for Okta", u.LogTarget()))
	}, nil
}

// withSecret runs an operation that checks a secret (password or answer) with slow hashing:
// check is called outside any transaction on the current user and returns the step to commit;
// the step runs only if the user's secrets are still the ones checked, otherwise it all runs
// again. The operation's status rules are checked first, so a refused status never reveals
// whether a secret was right.
func (s *Service) withSecret(ctx context.Context, idOrLogin string, op domain.UserOp,
	check func(cur domain.User) (func(store.Tx, *domain.User) error, error)) (domain.User, error) {
	for attempt := 0; ; attempt++ {
		cur, err := findUser(ctx, s.Store, orgID(ctx), idOrLogin)
		if err != nil {
			return domain.User{}, err
		}
		if _, err := domain.Transit(cur.Status, op, domain.CredsOf(cur)); err != nil {
			return domain.User{}, err
		}
		step, err := check(cur)
		if err != nil {
			s.logSecretFailure(ctx, cur, op, err)
			return domain.User{}, err
		}
		u, err := s.mutateUser(ctx, cur.ID, func(tx store.Tx, u *domain.User) error {
			if u.Secrets != cur.Secrets {
				return errSecretMoved
			}
			return step(tx, u)
		})
		if errors.Is(err, errSecretMoved) && attempt < 3 {
			continue
		}
		return u, err
	}
}

// secretFailures are the events of a wrong secret per operation, as Okta logs the operation
// with outcome FAILURE: the event type and message of the operation that failed.
var secretFailures = map[domain.UserOp][2]string{
	domain.OpChangePassword:         {"user.account.update_password", "User update password for Okta"},
	domain.OpChangeRecoveryQuestion: {"user.account.update_profile", "User update profile for Okta"},
	domain.OpRecoveryQuestionReset:  {"user.account.reset_password", "Reset password for Okta user"},
}

// logSecretFailure records a wrong old password, password or recovery answer (err) as a FAILURE
// event of the operation, in a transaction of its own: the request fails, the audit stays.
func (s *Service) logSecretFailure(ctx context.Context, u domain.User, op domain.UserOp, err error) {
	reason := ""
	switch {
	case errors.Is(err, errOldPassword), errors.Is(err, errPassword):
		reason = "INVALID_CREDENTIALS"
	case errors.Is(err, errAnswer):
		reason = "INVALID_RECOVERY_ANSWER"
	default:
		return // a policy or input error, not a wrong secret
	}
	what, ok := secretFailures[op]
	if !ok {
		return
	}
	ev := s.event(ctx, s.now(ctx), what[0], what[1], u.LogTarget())
	ev.Fail(reason)
	if err := s.Store.Update(ctx, func(tx store.Tx) error { return tx.AppendEvents(ctx, orgID(ctx), ev) }); err != nil {
		s.Logger.Warn("failed credential check not logged", "err", err)
	}
}

// blank names a required credential field and its value.
type blank struct{ field, value string }

// blanks is Okta's 400 E0000001 with one cause per empty field ("<field>: The field cannot be
// left blank"), checked before the user is looked up, as Okta does.
func blanks(fields ...blank) error {
	var fe domain.FieldErrors
	for _, f := range fields {
		if f.value == "" {
			fe.Add(f.field, "The field cannot be left blank")
		}
	}
	return fe.Err()
}
