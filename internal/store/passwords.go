package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// PasswordHistoryReader reads the hashes of the passwords a user had, for the password
// policy's historyCount.
type PasswordHistoryReader interface {
	// PasswordHistory returns the hashes of a user's last n passwords, newest first (the current
	// one included when it was set through okapi).
	PasswordHistory(ctx context.Context, org, userID string, n int) ([]string, error)
}

// PasswordHistoryWriter records the passwords a user sets.
type PasswordHistoryWriter interface {
	// AddPasswordHistory records hash as a user's newest password and forgets all but the
	// newest keep entries.
	AddPasswordHistory(ctx context.Context, org, userID, hash string, at domain.Time, keep int) error
}
