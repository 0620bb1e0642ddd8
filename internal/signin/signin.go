// Package signin holds the types and rules of Okta's Classic Authentication API (/api/v1/authn),
// its Sessions API (/api/v1/sessions) and user factors: the transaction states, the one-time
// tokens that carry a sign-in from one request to the next, and Okta's errors for them. It works
// on domain types only; the service runs the state machine and the store keeps every token and
// session, so several okapi instances on one database answer as one.
//
// Sources: developer.okta.com/docs/reference/api/authn ("Transaction state", "Tokens"),
// developer.okta.com/docs/reference/api/sessions, and the Management API's getSession,
// refreshSession and revokeSession operations.
package signin

import (
	"net/http"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Transaction statuses of the Authn API ("Transaction state").
const (
	StatusSuccess           = "SUCCESS"
	StatusPasswordExpired   = "PASSWORD_EXPIRED"
	StatusPasswordWarn      = "PASSWORD_WARN"
	StatusLockedOut         = "LOCKED_OUT"
	StatusMFAEnroll         = "MFA_ENROLL"
	StatusMFAEnrollActivate = "MFA_ENROLL_ACTIVATE"
	StatusMFARequired       = "MFA_REQUIRED"
	StatusMFAChallenge      = "MFA_CHALLENGE"
)

// Token kinds kept in the store.
const (
	// KindState is a stateToken: it names an Authn transaction between requests.
	KindState = "state"
	// KindSession is a sessionToken: one-time, exchanged for a session.
	KindSession = "session"
)

// Lifetimes ("Tokens" in the Authn API reference; the org's default sign-on policy).
const (
	// SessionTokenLifetime: "The sessionToken ... is valid for 5 minutes" and used once.
	SessionTokenLifetime = 5 * time.Minute
	// StateTokenLifetime is how long a transaction lives without a request; each request slides it.
	StateTokenLifetime = 5 * time.Minute
	// SessionLifetime is the default sign-on policy's maximum idle time of a session (2 hours);
	// a refresh extends a session by as much.
	SessionLifetime = 2 * time.Hour
)

// Token is a stateToken or sessionToken as stored: only the hash of its secret is kept.
type Token struct {
	Hash      string
	Kind      string
	UserID    string
	Created   domain.Time
	ExpiresAt domain.Time
	// Status is the transaction's state (stateTokens) or SUCCESS (sessionTokens).
	Status string
	// FactorID is the factor a transaction is verifying (MFA_CHALLENGE), if any.
	FactorID   string
	RelayState string
	// AMR and the verification times carry over into the session the token creates.
	AMR                      []string
	LastPasswordVerification domain.Time
	LastFactorVerification   domain.Time
}

// Expired reports whether the token is past its expiry at now.
func (t Token) Expired(now domain.Time) bool { return !now.Before(t.ExpiresAt.Time) }

// Session statuses (Sessions API "Session properties").
const (
	SessionActive      = "ACTIVE"
	SessionMFARequired = "MFA_REQUIRED"
)

// PrefixSession starts session ids; the ids Okta shows start with 102.
const PrefixSession = "102"

// NewSessionID returns a session id of Okta's length (25 characters).
func NewSessionID(ids domain.IDs) string { return PrefixSession + ids.Random(22) }

// NewSecret returns a token secret: 40 random base62 characters after the 00 Okta's
// sessionTokens and stateTokens start with.
func NewSecret(ids domain.IDs) string { return "00" + ids.Random(40) }

// Okta's errors for the Authn and Sessions APIs.
var (
	// ErrAuthFailed is the only answer to a wrong password, an unknown login, a user who may not
	// sign in, or a locked account (showLockoutFailures false): 401 E0000004, no causes, so a
	// caller learns nothing about which logins exist.
	ErrAuthFailed = domain.NewError(http.StatusUnauthorized, "E0000004", "Authentication failed")
	// ErrInvalidToken is an unknown, expired or used stateToken or sessionToken.
	ErrInvalidToken = domain.NewError(http.StatusUnauthorized, "E0000011", "Invalid token provided")
	// ErrWrongState is an Authn operation the transaction's state does not allow.
	ErrWrongState = domain.NewError(http.StatusForbidden, "E0000079",
		"This operation is not allowed in the current authentication state.",
		domain.Cause{Summary: "This operation is not allowed in the current authentication state."})
	// ErrPasscode is a wrong TOTP code or security answer.
	ErrPasscode = domain.NewError(http.StatusForbidden, "E0000068", "Invalid Passcode/Answer",
		domain.Cause{Summary: "Your passcode doesn't match our records. Please try again."})
	// ErrPasscodeReplayed is a TOTP code used a second time within its window.
	ErrPasscodeReplayed = domain.NewError(http.StatusForbidden, "E0000082",
		"Each code can only be used once. Please wait for a new code and try again.")
)

// Factor is a user's enrolled MFA factor (Okta's UserFactor).
type Factor struct {
	ID          string
	UserID      string
	FactorType  string
	Provider    string
	Status      string
	Created     domain.Time
	LastUpdated domain.Time
	// Profile is what the API shows: credentialId for TOTP, question and questionText.
	Profile map[string]string
	// Secret is the TOTP shared secret (base32) or the hash of the security answer; never shown.
	Secret string
	// LastStep is the TOTP time step of the last accepted code, so a code is used only once.
	LastStep int64
}
