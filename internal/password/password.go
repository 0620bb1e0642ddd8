// Package password hashes, verifies and checks user passwords. New passwords are stored as
// bcrypt (cost 10); passwords imported as hashes (credentials.password.hash) are stored as given
// and verified on the next password check, when the caller should replace them with bcrypt.
// Nothing here logs or returns a clear-text password.
package password

import (
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// bcrypt takes ~50 ms of one core per hash at cost 10. Unbounded, a burst of password
// requests would take every core and starve the cheap requests (reads are a fraction of a
// millisecond). slots lets at most GOMAXPROCS-1 hashes (at least one) run at once; the others
// queue here, so there is always a core left for everything else.
var slots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))

func generate(pw []byte) ([]byte, error) {
	slots <- struct{}{}
	defer func() { <-slots }()
	return bcrypt.GenerateFromPassword(pw, Cost)
}

func compare(hash, pw []byte) error {
	slots <- struct{}{}
	defer func() { <-slots }()
	return bcrypt.CompareHashAndPassword(hash, pw)
}

// Cost is the bcrypt cost of every hash okapi makes.
const Cost = 10

// MaxLength is how many bytes of a password bcrypt reads. Okta sets no maximum length: it
// "only stores and verifies the first 72 characters of the password and does not prevent saving
// a password with more than 72 characters" (Okta support, "What is the maximum length of an Okta
// password"). okapi does the same: a longer password is accepted, and only its first 72 bytes
// are hashed and compared.
const MaxLength = 72

// significant is the part of pw bcrypt hashes: its first MaxLength bytes. x/crypto's bcrypt
// refuses longer input rather than ignoring the rest as the algorithm does.
func significant(pw string) []byte {
	if len(pw) > MaxLength {
		pw = pw[:MaxLength]
	}
	return []byte(pw)
}

// Hash returns the bcrypt hash of pw. It is slow (tens of milliseconds) by design: call it
// outside store transactions.
func Hash(pw string) (string, error) {
	b, err := generate(significant(pw))
	return string(b), err
}

// Verify reports whether pw matches the stored hash, and whether the hash should be replaced
// by a fresh Hash(pw) (it was imported, or made with another cost). A hash okapi cannot read
// never matches.
func Verify(stored, pw string) (ok, rehash bool) {
	switch {
	case stored == "":
		return false, false
	case strings.HasPrefix(stored, importPrefix):
		return verifyImported(stored, pw), true
	case strings.HasPrefix(stored, "$2"):
		if compare([]byte(stored), significant(pw)) != nil {
			return false, false
		}
		cost, err := bcrypt.Cost([]byte(stored))
		return true, err != nil || cost != Cost
	}
	return false, false
}

// HashAnswer hashes a recovery question answer. Okta compares answers without regard to case
// or surrounding space; the SHA-256 step keeps answers of up to 100 characters under bcrypt's
// 72-byte limit.
func HashAnswer(answer string) (string, error) {
	b, err := generate([]byte(answerKey(answer)))
	return string(b), err
}

// VerifyAnswer reports whether answer matches a HashAnswer hash.
func VerifyAnswer(stored, answer string) bool {
	if stored == "" {
		return false
	}
	return compare([]byte(stored), []byte(answerKey(answer))) == nil
}

func answerKey(answer string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(answer))))
	return hex.EncodeToString(sum[:])
}
