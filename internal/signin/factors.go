package signin

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Factor types and statuses of the User Factors API (developer.okta.com/docs/reference/api/factors).
const (
	FactorTOTP     = "token:software:totp"
	FactorQuestion = "question"

	FactorActive            = "ACTIVE"
	FactorPendingActivation = "PENDING_ACTIVATION"
)

// Factor id prefixes: ufs is what Okta shows for security questions; okapi uses uft for every
// TOTP factor (Okta Verify's show ostf) so all ids keep the 20-character shape.
const (
	PrefixFactorQuestion = "ufs"
	PrefixFactorTOTP     = "uft"
)

// TOTP parameters Okta enrols with: RFC 6238, SHA-1, 30-second steps, 6 digits ("Enroll Okta
// Verify TOTP factor": timeStep 30, keyLength 6, encoding base32).
const (
	TOTPPeriod = 30
	TOTPDigits = 6
)

var totpOpts = totp.ValidateOpts{Period: TOTPPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSecret returns a random 160-bit shared secret in unpadded base32.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// TOTPCode is the code of secret at t (for tests and the operator API).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

// CheckTOTP checks code against secret at now, allowing one step of clock skew either way, and
// returns the step it matched. A code of a step at or before lastStep was already used:
// ErrPasscodeReplayed. Anything else that does not match is ErrPasscode.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (int64, error) {
	step := now.Unix() / TOTPPeriod
	matched := int64(-1)
	for _, s := range []int64{step - 1, step, step + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*TOTPPeriod, 0), totpOpts)
		if err != nil {
			return 0, ErrPasscode
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && matched < 0 {
			matched = s
		}
	}
	if matched < 0 {
		return 0, ErrPasscode
	}
	if matched <= lastStep {
		return 0, ErrPasscodeReplayed
	}
	return matched, nil
}
