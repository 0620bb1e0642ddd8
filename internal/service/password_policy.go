package service

import (
	"context"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/password"
	"github.com/okapi-dev/okapi/internal/policy"
	"github.com/okapi-dev/okapi/internal/store"
)

// maxPolicyGroups bounds how many of a user's groups the policy match reads; Okta's own limit
// on groups in a policy condition is far below it.
const maxPolicyGroups = 10000

// passwordRules returns the rules of the PASSWORD policy that governs a user in groups (a set
// of group ids), read through r; DefaultRules when no ACTIVE policy applies (Okta always has
// its undeletable default policy, so that only happens when an admin deactivated all of them).
func passwordRules(ctx context.Context, r store.Reader, org, userID string, groups map[string]bool) (password.Rules, error) {
	objs, err := r.ListPolicyObjects(ctx, org, policyKind, "", "PASSWORD")
	if err != nil {
		return password.Rules{}, err
	}
	ps, err := decodePolicies(objs)
	if err != nil {
		return password.Rules{}, err
	}
	p, ok := policy.ForUser(ps, "PASSWORD", userID, groups)
	if !ok {
		return password.DefaultRules(), nil
	}
	return policy.PasswordRules(p), nil
}

// userPasswordRules is passwordRules for an existing user, whose groups it reads.
func userPasswordRules(ctx context.Context, r store.Reader, org, userID string) (password.Rules, error) {
	gs, err := r.ListUserGroups(ctx, org, userID, "", maxPolicyGroups)
	if err != nil {
		return password.Rules{}, err
	}
	set := make(map[string]bool, len(gs))
	for _, g := range gs {
		set[g.ID] = true
	}
	return passwordRules(ctx, r, org, userID, set)
}

// subject is whose password a rule set checks.
func subject(u domain.User) password.Subject {
	return password.Subject{Login: u.Login(), Profile: u.Profile}
}

// reusedPassword reports whether pw is one of the user's last n passwords. It runs bcrypt up
// to n times, so callers run it outside transactions, like every other secret check.
func reusedPassword(ctx context.Context, r store.Reader, org, userID, pw string, n int) (bool, error) {
	hashes, err := r.PasswordHistory(ctx, org, userID, n)
	if err != nil {
		return false, err
	}
	for _, h := range hashes {
		if ok, _ := password.Verify(h, pw); ok {
			return true, nil
		}
	}
	return false, nil
}

// checkNewPassword applies the user's password policy to a new password pw: complexity, then
// history; with minAge, the policy's minimum age too (a user's own strict change). It returns
// the violations, empty when pw may be set.
func (s *Service) checkNewPassword(ctx context.Context, u domain.User, pw string, minAge bool) (password.Rules, []password.Violation, error) {
	org := orgID(ctx)
	rules, err := userPasswordRules(ctx, s.Store, org, u.ID)
	if err != nil {
		return rules, nil, err
	}
	vs := password.CheckRules(rules, pw, subject(u))
	if len(vs) > 0 {
		return rules, vs, nil
	}
	if minAge && rules.MinAge > 0 && !u.PasswordChanged.IsZero() &&
		s.now(ctx).Sub(u.PasswordChanged.Time) < rules.MinAge {
		return rules, []password.Violation{rules.MinAgeViolation()}, nil
	}
	if rules.HistoryCount > 0 {
		reused, err := reusedPassword(ctx, s.Store, org, u.ID, pw, rules.HistoryCount)
		if err != nil {
			return rules, nil, err
		}
		if reused {
			return rules, []password.Violation{rules.HistoryViolation()}, nil
		}
	}
	return rules, nil, nil
}

// remember records the password hash just set on u in its history.
func remember(ctx context.Context, tx store.Tx, org string, u domain.User, now domain.Time) error {
	return tx.AddPasswordHistory(ctx, org, u.ID, u.Secrets.PasswordHash, now, maxHistoryKept)
}

// maxHistoryKept is how many passwords okapi remembers per user whatever the policy says, so
// raising historyCount later (Okta allows up to 30) still finds recent ones.
const maxHistoryKept = 30

// passwordWarning reports whether u's password expires within the policy's expireWarnDays,
// and in how many days (rounded up, as Okta counts them).
func passwordWarning(r password.Rules, u domain.User, now time.Time) (int, bool) {
	if r.MaxAge <= 0 || r.ExpireWarn <= 0 || u.PasswordChanged.IsZero() || u.Status != domain.StatusActive {
		return 0, false
	}
	left := u.PasswordChanged.Add(r.MaxAge).Sub(now)
	if left <= 0 || left > r.ExpireWarn {
		return 0, false
	}
	return int((left + 24*time.Hour - 1) / (24 * time.Hour)), true
}

// passwordExpired reports whether u's password is past the policy's maximum age at now.
func passwordExpired(r password.Rules, u domain.User, now time.Time) bool {
	return r.MaxAge > 0 && !u.PasswordChanged.IsZero() && now.Sub(u.PasswordChanged.Time) >= r.MaxAge
}

// newUserRules are the password rules for a user being created into groupIDs (and Everyone).
func (s *Service) newUserRules(ctx context.Context, groupIDs []string) (password.Rules, error) {
	org := orgID(ctx)
	everyone, err := s.Store.GetBuiltInGroup(ctx, org, domain.EveryoneGroupName)
	if err != nil {
		return password.Rules{}, err
	}
	set := map[string]bool{everyone.ID: true}
	for _, id := range groupIDs {
		set[id] = true
	}
	return passwordRules(ctx, s.Store, org, "", set)
}

// prepareUpdateCreds validates the credentials of an update of cur whose profile becomes
// profile: a new password value must follow the user's policy, history included.
func (s *Service) prepareUpdateCreds(ctx context.Context, cur domain.User, profile map[string]any, c *CredentialsInput) (preparedCreds, error) {
	rules := password.DefaultRules()
	setsValue := c != nil && c.Password != nil && c.Password.Value != nil
	if setsValue {
		var err error
		if rules, err = userPasswordRules(ctx, s.Store, orgID(ctx), cur.ID); err != nil {
			return preparedCreds{}, err
		}
	}
	login, _ := profile["login"].(string)
	pc, err := prepareCreds(c, rules, password.Subject{Login: login, Profile: profile}, cur.RecoveryQuestion)
	if err != nil || !setsValue || rules.HistoryCount == 0 {
		return pc, err
	}
	reused, err := reusedPassword(ctx, s.Store, orgID(ctx), cur.ID, *c.Password.Value, rules.HistoryCount)
	if err != nil {
		return pc, err
	}
	if reused {
		return pc, policyError([]password.Violation{rules.HistoryViolation()}, false)
	}
	return pc, nil
}
