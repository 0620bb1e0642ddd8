package service

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/password"
	"github.com/okapi-dev/okapi/internal/signin"
	"github.com/okapi-dev/okapi/internal/store"
)

// AuthnRequest is the body of POST /api/v1/authn (primary authentication, Okta's Authn API).
type AuthnRequest struct {
	Username   string `json:"username"`
	Password   string `json:"password"`
	RelayState string `json:"relayState"`
	Options    struct {
		MultiOptionalFactorEnroll bool `json:"multiOptionalFactorEnroll"`
		WarnBeforePasswordExpired bool `json:"warnBeforePasswordExpired"`
	} `json:"options"`
}

// AuthnResult is an Authn transaction as the API shows it: its state, the token the client
// sends next (stateToken) or the sessionToken it finished with, and the user.
type AuthnResult struct {
	Status       string
	StateToken   string
	SessionToken string
	ExpiresAt    domain.Time
	RelayState   string
	FactorResult string
	User         domain.User
	// Factors are the user's active factors (MFA_REQUIRED) or the one being verified (MFA_CHALLENGE).
	Factors []signin.Factor
	// Policy is the user's password policy, shown while a new password is asked for
	// (PASSWORD_EXPIRED, PASSWORD_WARN); ExpireDays is how many days the password has left
	// (PASSWORD_WARN).
	Policy     *password.Rules
	ExpireDays int
}

// dummyHash is a bcrypt hash that no password okapi hands out matches; an unknown login is
// checked against it so it costs as much as a wrong password (no enumeration by timing).
var dummyHash = sync.OnceValue(func() string {
	h, err := password.Hash("okapi: no such user, only here to spend the time of a bcrypt check")
	if err != nil {
		panic(err)
	}
	return h
})

// signinCtx makes sure the caller has an org: an Authn or session request without an API token
// on the shared host belongs to the default org.
func (s *Service) signinCtx(ctx context.Context) (context.Context, error) {
	c := domain.CallerFrom(ctx)
	if c.OrgID != "" {
		return ctx, nil
	}
	org, err := s.defaultOrgID(ctx)
	if err != nil {
		return ctx, err
	}
	cc := *c
	cc.OrgID = org
	return domain.WithCaller(ctx, &cc), nil
}

// Authn is primary authentication with a username and password (POST /api/v1/authn). A wrong
// password, an unknown login, a locked account and a user who may not sign in all get the same
// 401 E0000004 after the same bcrypt check, and a user.session.start FAILURE event. A valid
// password of a user whose password expired starts a PASSWORD_EXPIRED transaction; a user with
// an active factor gets MFA_REQUIRED; anyone else SUCCESS with a one-time sessionToken.
func (s *Service) Authn(ctx context.Context, in AuthnRequest) (AuthnResult, error) {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return AuthnResult{}, err
	}
	org := orgID(ctx)
	if in.Username == "" || in.Password == "" {
		// Okta answers a missing credential as a failed one.
		s.logSigninFailure(ctx, nil, in.Username, "INVALID_CREDENTIALS")
		return AuthnResult{}, signin.ErrAuthFailed
	}
	u, err := s.Store.GetUserByLogin(ctx, org, in.Username)
	found := err == nil
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return AuthnResult{}, err
	}
	hash := dummyHash()
	if found && u.HasPassword() {
		hash = u.Secrets.PasswordHash
	}
	ok, _ := password.Verify(hash, in.Password)
	ok = ok && found && u.HasPassword()
	if found && u.Status == domain.StatusLockedOut {
		if u, err = s.autoUnlock(ctx, u); err != nil {
			return AuthnResult{}, err
		}
	}
	if ok && found {
		if u, err = s.expireIfDue(ctx, u); err != nil {
			return AuthnResult{}, err
		}
	}
	canSignIn := found && (u.Status == domain.StatusActive || u.Status == domain.StatusPasswordExpired)
	if !ok && canSignIn {
		return AuthnResult{}, s.countFailure(ctx, u)
	}
	if !ok || !canSignIn {
		reason := "INVALID_CREDENTIALS"
		if ok && u.Status == domain.StatusLockedOut {
			reason = "LOCKED_OUT"
			if lo, err := s.lockoutSettings(ctx, u); err == nil && lo.showFailures {
				s.logSigninFailure(ctx, &u, in.Username, reason)
				return AuthnResult{Status: signin.StatusLockedOut}, nil
			}
		}
		var actor *domain.User
		if found {
			actor = &u
		}
		s.logSigninFailure(ctx, actor, in.Username, reason)
		return AuthnResult{}, signin.ErrAuthFailed
	}
	now := s.now(ctx)
	tok := signin.Token{Kind: signin.KindState, UserID: u.ID, Created: now, RelayState: in.RelayState,
		AMR: []string{"pwd"}, LastPasswordVerification: now}
	rules, err := userPasswordRules(ctx, s.Store, org, u.ID)
	if err != nil {
		return AuthnResult{}, err
	}
	warnDays, warn := passwordWarning(rules, u, now.Time)
	// Okta answers PASSWORD_WARN only to a client that asked for it with
	// options.warnBeforePasswordExpired (Authn API, "Primary authentication"); others sign in.
	warn = warn && in.Options.WarnBeforePasswordExpired
	switch {
	case u.Status == domain.StatusPasswordExpired:
		tok.Status = signin.StatusPasswordExpired
		res, err := s.putTransaction(ctx, u, tok, nil)
		res.Policy = &rules
		return res, err
	case warn:
		// PASSWORD_WARN: the user may change the password now or skip (POST /api/v1/authn/skip).
		tok.Status = signin.StatusPasswordWarn
		res, err := s.putTransaction(ctx, u, tok, nil)
		res.Policy, res.ExpireDays = &rules, warnDays
		return res, err
	default:
		factors, err := s.activeFactors(ctx, org, u.ID)
		if err != nil {
			return AuthnResult{}, err
		}
		if len(factors) > 0 {
			tok.Status = signin.StatusMFARequired
			res, err := s.putTransaction(ctx, u, tok, nil)
			res.Factors = factors
			return res, err
		}
		tok.Kind, tok.Status = signin.KindSession, signin.StatusSuccess
	}
	return s.putTransaction(ctx, u, tok, func(tx store.Tx) error {
		if tok.Status != signin.StatusSuccess {
			return nil
		}
		return s.signedIn(ctx, tx, u, now, "pwd")
	})
}

// signedIn records a finished sign-in in tx: the user's lastLogin and user.session.start.
func (s *Service) signedIn(ctx context.Context, tx store.Tx, u domain.User, now domain.Time, method string) error {
	org := orgID(ctx)
	cur, err := tx.GetUser(ctx, org, u.ID)
	if err != nil {
		return err
	}
	cur.LastLogin = now
	if err := tx.UpdateUser(ctx, org, cur); err != nil {
		return err
	}
	ev := s.userEvent(ctx, now, u, "user.session.start", "User login to Okta")
	ev.DebugContext.DebugData["authnRequestId"] = domain.CallerFrom(ctx).RequestID
	ev.DebugContext.DebugData["factor"] = method
	return tx.AppendEvents(ctx, org, ev)
}

// userEvent is an event whose actor is u (a user acting for themselves, without an API token).
func (s *Service) userEvent(ctx context.Context, now domain.Time, u domain.User, eventType, message string) domain.LogEvent {
	c := *domain.CallerFrom(ctx)
	c.UserID, c.Login, c.DisplayName = u.ID, u.Login(), u.DisplayName()
	return domain.NewLogEvent(&c, s.IDs, now, eventType, message, u.LogTarget())
}

// putTransaction stores tok under a new secret (with extra writes in the same transaction) and
// returns the transaction as the API shows it.
func (s *Service) putTransaction(ctx context.Context, u domain.User, tok signin.Token, extra func(store.Tx) error) (AuthnResult, error) {
	secret := signin.NewSecret(s.IDs)
	tok.Hash = domain.HashToken(secret)
	now := s.now(ctx)
	if tok.Created.IsZero() {
		tok.Created = now
	}
	if tok.Kind == signin.KindSession {
		tok.ExpiresAt = domain.At(now.Add(signin.SessionTokenLifetime))
	} else {
		tok.ExpiresAt = domain.At(now.Add(signin.StateTokenLifetime))
	}
	err := s.update(ctx, func(tx store.Tx) error {
		if err := tx.PutSigninToken(ctx, orgID(ctx), tok); err != nil {
			return err
		}
		// A right password ends the run of failures the lockout counts.
		if err := tx.ResetSigninFailures(ctx, orgID(ctx), u.ID); err != nil {
			return err
		}
		if extra != nil {
			return extra(tx)
		}
		return nil
	})
	if err != nil {
		return AuthnResult{}, err
	}
	res := AuthnResult{Status: tok.Status, ExpiresAt: tok.ExpiresAt, RelayState: tok.RelayState, User: u}
	if tok.Kind == signin.KindSession {
		res.SessionToken = secret
	} else {
		res.StateToken = secret
	}
	return res, nil
}

// logSigninFailure writes user.session.start with outcome FAILURE. An unknown login is logged
// with the username it tried as the actor's alternateId, as Okta does.
func (s *Service) logSigninFailure(ctx context.Context, u *domain.User, username, reason string) {
	now := s.now(ctx)
	var ev domain.LogEvent
	if u != nil {
		ev = s.userEvent(ctx, now, *u, "user.session.start", "User login to Okta")
	} else {
		ev = s.event(ctx, now, "user.session.start", "User login to Okta")
		ev.Actor = domain.LogActor{ID: "unknown", Type: "User", AlternateID: username, DisplayName: "unknown"}
	}
	ev.Fail(reason)
	err := s.Store.Update(ctx, func(tx store.Tx) error { return tx.AppendEvents(ctx, orgID(ctx), ev) })
	if err != nil {
		s.Logger.Warn("failed sign-in not logged", "err", err)
	}
}

// transaction finds the live stateToken secret names, slides its expiry, and returns it with
// its user. Unknown, expired and already finished tokens are 401 E0000011.
func (s *Service) transaction(ctx context.Context, tx store.Tx, secret string) (signin.Token, domain.User, error) {
	org := orgID(ctx)
	if secret == "" {
		return signin.Token{}, domain.User{}, signin.ErrInvalidToken
	}
	tok, err := tx.GetSigninToken(ctx, org, domain.HashToken(secret))
	if errors.Is(err, domain.ErrNotFound) || (err == nil && (tok.Kind != signin.KindState || tok.Expired(s.now(ctx)))) {
		return signin.Token{}, domain.User{}, signin.ErrInvalidToken
	}
	if err != nil {
		return signin.Token{}, domain.User{}, err
	}
	u, err := tx.GetUser(ctx, org, tok.UserID)
	if errors.Is(err, domain.ErrNotFound) {
		return signin.Token{}, domain.User{}, signin.ErrInvalidToken
	}
	return tok, u, err
}

// finish turns the transaction tok into SUCCESS in tx: the stateToken is spent and a
// sessionToken takes its place.
func (s *Service) finish(ctx context.Context, tx store.Tx, tok signin.Token, u domain.User, method string) (AuthnResult, error) {
	org := orgID(ctx)
	now := s.now(ctx)
	if err := tx.DeleteSigninToken(ctx, org, tok.Hash); err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			return AuthnResult{}, signin.ErrInvalidToken
		}
		return AuthnResult{}, err
	}
	secret := signin.NewSecret(s.IDs)
	tok.Hash, tok.Kind, tok.Status = domain.HashToken(secret), signin.KindSession, signin.StatusSuccess
	tok.ExpiresAt, tok.FactorID = domain.At(now.Add(signin.SessionTokenLifetime)), ""
	if err := tx.PutSigninToken(ctx, org, tok); err != nil {
		return AuthnResult{}, err
	}
	if err := s.signedIn(ctx, tx, u, now, method); err != nil {
		return AuthnResult{}, err
	}
	return AuthnResult{Status: signin.StatusSuccess, SessionToken: secret, ExpiresAt: tok.ExpiresAt,
		RelayState: tok.RelayState, User: u}, nil
}

// AuthnChangePassword is POST /api/v1/authn/credentials/change_password in PASSWORD_EXPIRED
// (or PASSWORD_WARN): the user sets a new password and the transaction ends in SUCCESS.
func (s *Service) AuthnChangePassword(ctx context.Context, stateToken, oldPw, newPw string) (AuthnResult, error) {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return AuthnResult{}, err
	}
	var tok signin.Token
	var u domain.User
	err = s.Store.Update(ctx, func(tx store.Tx) (err error) {
		tok, u, err = s.transaction(ctx, tx, stateToken)
		return err
	})
	if err != nil {
		return AuthnResult{}, err
	}
	if tok.Status != signin.StatusPasswordExpired && tok.Status != signin.StatusPasswordWarn {
		return AuthnResult{}, signin.ErrWrongState
	}
	if _, err := s.ChangePassword(ctx, u.ID, oldPw, newPw, false); err != nil {
		return AuthnResult{}, err
	}
	var res AuthnResult
	err = s.update(ctx, func(tx store.Tx) error {
		tok, u, err := s.transaction(ctx, tx, stateToken)
		if err != nil {
			return err
		}
		res, err = s.finish(ctx, tx, tok, u, "pwd")
		return err
	})
	return res, err
}

// AuthnSkip is POST /api/v1/authn/skip in PASSWORD_WARN: the user keeps the password for now
// and the sign-in goes on (MFA_REQUIRED with an active factor, else SUCCESS).
func (s *Service) AuthnSkip(ctx context.Context, stateToken string) (AuthnResult, error) {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return AuthnResult{}, err
	}
	var res AuthnResult
	err = s.update(ctx, func(tx store.Tx) error {
		tok, u, err := s.transaction(ctx, tx, stateToken)
		if err != nil {
			return err
		}
		if tok.Status != signin.StatusPasswordWarn {
			return signin.ErrWrongState
		}
		factors, err := s.activeFactors(ctx, orgID(ctx), u.ID)
		if err != nil {
			return err
		}
		if len(factors) > 0 {
			tok.Status = signin.StatusMFARequired
			if err := tx.PutSigninToken(ctx, orgID(ctx), tok); err != nil {
				return err
			}
			res = AuthnResult{Status: tok.Status, StateToken: stateToken, ExpiresAt: tok.ExpiresAt,
				RelayState: tok.RelayState, User: u, Factors: factors}
			return nil
		}
		res, err = s.finish(ctx, tx, tok, u, "pwd")
		return err
	})
	return res, err
}

// AuthnCancel ends a transaction (POST /api/v1/authn/cancel).
func (s *Service) AuthnCancel(ctx context.Context, stateToken string) (AuthnResult, error) {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return AuthnResult{}, err
	}
	var res AuthnResult
	err = s.update(ctx, func(tx store.Tx) error {
		tok, _, err := s.transaction(ctx, tx, stateToken)
		if err != nil {
			return err
		}
		res = AuthnResult{Status: "UNAUTHENTICATED", RelayState: tok.RelayState}
		return tx.DeleteSigninToken(ctx, orgID(ctx), tok.Hash)
	})
	return res, err
}

// AuthnIntrospect returns the current state of a transaction (POST /api/v1/authn/introspect,
// which okta-auth-js uses to resume one) and slides its expiry.
func (s *Service) AuthnIntrospect(ctx context.Context, stateToken string) (AuthnResult, error) {
	ctx, err := s.signinCtx(ctx)
	if err != nil {
		return AuthnResult{}, err
	}
	var res AuthnResult
	err = s.update(ctx, func(tx store.Tx) error {
		tok, u, err := s.transaction(ctx, tx, stateToken)
		if err != nil {
			return err
		}
		tok.ExpiresAt = domain.At(s.now(ctx).Add(signin.StateTokenLifetime))
		if err := tx.PutSigninToken(ctx, orgID(ctx), tok); err != nil {
			return err
		}
		res = AuthnResult{Status: tok.Status, StateToken: stateToken, ExpiresAt: tok.ExpiresAt, RelayState: tok.RelayState, User: u}
		return nil
	})
	if err == nil && res.Status == signin.StatusMFARequired {
		res.Factors, err = s.activeFactors(ctx, orgID(ctx), res.User.ID)
	}
	return res, err
}

// lockout is the password policy's settings.password.lockout.
type lockout struct {
	maxAttempts  int
	showFailures bool
	autoUnlock   time.Duration
}

// lockoutSettings reads the lockout of the password policy that governs u (policy.ForUser:
// the first ACTIVE policy by priority whose people condition includes u).
func (s *Service) lockoutSettings(ctx context.Context, u domain.User) (lockout, error) {
	r, err := userPasswordRules(ctx, s.Store, orgID(ctx), u.ID)
	return lockout{maxAttempts: r.MaxAttempts, showFailures: r.ShowLockoutFailures, autoUnlock: r.AutoUnlock}, err
}

// autoUnlock unlocks u when the policy's autoUnlockMinutes have passed since the lockout
// (user.account.unlock), and returns the user as it now is. Okta unlocks on its own clock;
// okapi does it when the user next signs in, which no client can tell apart.
func (s *Service) autoUnlock(ctx context.Context, u domain.User) (domain.User, error) {
	lo, err := s.lockoutSettings(ctx, u)
	if err != nil || lo.autoUnlock <= 0 {
		return u, err
	}
	now := s.now(ctx)
	if now.Sub(u.StatusChanged.Time) < lo.autoUnlock {
		return u, nil
	}
	return s.moveStatus(ctx, u, domain.StatusLockedOut, domain.StatusActive, "user.account.unlock", "Unlock user account")
}

// expireIfDue moves an ACTIVE user whose password is older than the policy's maxAgeDays to
// PASSWORD_EXPIRED (user.account.expire_password), so the sign-in asks for a new one.
func (s *Service) expireIfDue(ctx context.Context, u domain.User) (domain.User, error) {
	r, err := userPasswordRules(ctx, s.Store, orgID(ctx), u.ID)
	now := s.now(ctx)
	if err != nil || u.Status != domain.StatusActive || !passwordExpired(r, u, now.Time) {
		return u, err
	}
	return s.moveStatus(ctx, u, domain.StatusActive, domain.StatusPasswordExpired, "user.account.expire_password", "Expire password for okta user")
}

// moveStatus changes u from status from to status to with one event of u's own, unless another
// request changed the status first; it returns the user as it now is.
func (s *Service) moveStatus(ctx context.Context, u domain.User, from, to domain.UserStatus, eventType, message string) (domain.User, error) {
	org, now := orgID(ctx), s.now(ctx)
	err := s.update(ctx, func(tx store.Tx) error {
		cur, err := tx.GetUser(ctx, org, u.ID)
		if err != nil || cur.Status != from {
			return err
		}
		cur.Status, cur.StatusChanged, cur.LastUpdated = to, now, now
		if err := tx.UpdateUser(ctx, org, cur); err != nil {
			return err
		}
		u = cur
		return tx.AppendEvents(ctx, org, s.userEvent(ctx, now, cur, eventType, message))
	})
	return u, err
}

// countFailure records a wrong password of a user who may sign in: the failure event, one more
// failed attempt, and at the policy's maxAttempts the user's lockout (status LOCKED_OUT,
// user.account.lock), all in one transaction. The answer is always 401 E0000004.
func (s *Service) countFailure(ctx context.Context, u domain.User) error {
	lo, err := s.lockoutSettings(ctx, u)
	if err != nil {
		return err
	}
	org := orgID(ctx)
	now := s.now(ctx)
	ev := s.userEvent(ctx, now, u, "user.session.start", "User login to Okta")
	ev.Fail("INVALID_CREDENTIALS")
	err = s.update(ctx, func(tx store.Tx) error {
		if err := tx.AppendEvents(ctx, org, ev); err != nil {
			return err
		}
		n, err := tx.AddSigninFailure(ctx, org, u.ID, now)
		if err != nil || lo.maxAttempts <= 0 || n < lo.maxAttempts {
			return err
		}
		cur, err := tx.GetUser(ctx, org, u.ID)
		if err != nil {
			return err
		}
		cur.Status, cur.StatusChanged, cur.LastUpdated = domain.StatusLockedOut, now, now
		if err := tx.UpdateUser(ctx, org, cur); err != nil {
			return err
		}
		if err := tx.ResetSigninFailures(ctx, org, u.ID); err != nil {
			return err
		}
		lock := s.userEvent(ctx, now, u, "user.account.lock", "Max sign in attempts exceeded")
		return tx.AppendEvents(ctx, org, lock)
	})
	if err != nil {
		return err
	}
	s.auth.drop("", u.ID)
	return signin.ErrAuthFailed
}
