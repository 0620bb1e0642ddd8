// Package store defines okapi's storage contract: one Store interface that every backend
// (SQLite, PostgreSQL) implements and the conformance suite in storetest checks.
//
// Error contract, for every method: a missing row is an error matching domain.ErrNotFound (never
// (nil, nil)); a unique-constraint clash is ErrConflict wrapped with the field; a write that lost
// a race (the row changed since it was read) is ErrStale; anything else is a backend fault that
// the HTTP layer reports as 500.
package store

import (
	"context"
	"errors"
)

// Store is a backend. Reads outside a transaction see committed data; every write happens in
// Update, so a change and its System Log events commit together or not at all.
type Store interface {
	Reader
	// Update runs fn in one read-write transaction. If fn returns an error (or panics) the
	// transaction rolls back and Update returns that error unchanged (or re-panics). A write that
	// failed inside fn, a *ConflictError included, ends the transaction on every backend (as
	// PostgreSQL does): if fn returns nil after one, Update rolls back and returns that error.
	// Update is the one retry layer: when fn fails with ErrStale, or the backend reports a
	// transient conflict before COMMIT, it runs fn again in a fresh transaction (a few times).
	Update(ctx context.Context, fn func(Tx) error) error
	// Ping reports whether the backend is reachable (readiness).
	Ping(ctx context.Context) error
	// Close releases the backend.
	Close() error
}

// Reader is every read a request may need.
type Reader interface {
	OrgReader
	TokenReader
	UserReader
	GroupReader
	LogReader
	OriginReader
	ZoneReader
	SnapshotReader
	SchemaReader
	GroupRuleReader
	LinkedObjectReader
	LinkValueReader
	UserTypeReader
	OAuthReader
	EventHookReader
	IdPReader
	PolicyReader
	AppReader
	RoleReader
	SigninReader
	PasswordHistoryReader
	ServerSettingReader
	OrgSettingsReader
	FeatureReader
}

// Tx is a read-write transaction.
type Tx interface {
	Reader
	OrgWriter
	TokenWriter
	UserWriter
	GroupWriter
	LogWriter
	OriginWriter
	ZoneWriter
	SnapshotWriter
	SchemaWriter
	GroupRuleWriter
	LinkedObjectWriter
	LinkValueWriter
	UserTypeWriter
	OAuthWriter
	EventHookWriter
	IdPWriter
	PolicyWriter
	AppWriter
	RoleWriter
	PasswordHistoryWriter
	SigninWriter
	ServerSettingWriter
	OrgSettingsWriter
	FeatureWriter
}

// ErrConflict is a unique-constraint violation; errors.As gives the *ConflictError with the field.
var ErrConflict = errors.New("store: unique constraint violated")

// ErrStale means the row changed after it was read; the caller may retry its transaction.
var ErrStale = errors.New("store: row changed concurrently")

// ConflictError names the field whose uniqueness was violated.
type ConflictError struct{ Field string }

func (e *ConflictError) Error() string { return "store: " + e.Field + " already exists" }

// Unwrap lets errors.Is(err, ErrConflict) match.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// ErrUnavailable means the backend could not serve the request right now: the database is busy
// or locked past the busy timeout, full, or the connection to it was lost. errors.As gives the
// *UnavailableError. The HTTP layer answers 503 instead of a bare 500, so clients and operators
// can tell a fault of the database from a bug.
var ErrUnavailable = errors.New("store: database unavailable")

// UnavailableError says why the backend is unavailable.
type UnavailableError struct {
	// Reason is for the client: "the database is busy", "the database is full"...
	Reason string
	// Transient is set when the same request may succeed on its own a moment later (busy,
	// connection lost); a full database needs an operator.
	Transient bool
	// Err is the driver's error, for the log.
	Err error
}

func (e *UnavailableError) Error() string { return "store: " + e.Reason + ": " + e.Err.Error() }

// Unwrap lets errors.Is match ErrUnavailable and the driver's error.
func (e *UnavailableError) Unwrap() []error { return []error{ErrUnavailable, e.Err} }

// Classifier is implemented by backends that can tell which of their errors mean the database is
// unavailable (see ErrUnavailable). The HTTP layer asks it about errors of reads, which the
// backend does not wrap.
type Classifier interface {
	Unavailable(err error) (*UnavailableError, bool)
}
