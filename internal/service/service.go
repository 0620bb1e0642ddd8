// Package service holds okapi's use cases: each method applies the domain rules and writes the
// change together with its System Log events in one store transaction.
package service

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// Service is the use cases over one store. Clock and IDs are injected so tests are repeatable.
type Service struct {
	Store  store.Store
	Clock  domain.Clock
	IDs    domain.IDs
	Logger *slog.Logger
	// refusals throttles the log events of refused API tokens.
	refusals refusalThrottle
	// TokenIdle is how long an unused API token stays valid (--token-idle-expiry).
	TokenIdle time.Duration

	defaultOrg atomic.Value // string: the default org's id, once known
	zones      zoneCache
	orgs       orgDirectory
	clocks     orgClocks
	scans      scanGate
	// AuthCacheTTL keeps verified tokens in memory that long (0: check every request against
	// the store). Only for a single instance: see authCache.
	AuthCacheTTL time.Duration
	auth         authCache
	grants       grantCache
	// SharedStore says other instances may write the store (PostgreSQL). Caches that would
	// serve another instance's change late are then off: the org directory and the zone
	// snapshots are read on each request, as tokens are (AuthCacheTTL is 0 there too), so a
	// delete, reset or restore made elsewhere is seen on the next request, as a revoke is.
	SharedStore bool
	rules       ruleCache
	// HookVerifier sends event hooks' verification requests (nil: verification is refused).
	HookVerifier HookVerifier
}

// New returns a Service with the system clock and crypto ids where none are given.
func New(s store.Store, clock domain.Clock, ids domain.IDs, logger *slog.Logger) *Service {
	if clock == nil {
		clock = domain.SystemClock{}
	}
	if ids == nil {
		ids = domain.CryptoIDs{}
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Service{Store: s, Clock: clock, IDs: ids, Logger: logger, TokenIdle: TokenIdle}
}

// now is the time in the caller's org at Okta's millisecond precision: the service clock, or
// the org's own when an operator froze or moved it.
func (s *Service) now(ctx context.Context) domain.Time { return s.nowIn(orgID(ctx)) }

// event builds a log event for the caller in ctx.
func (s *Service) event(ctx context.Context, now domain.Time, eventType, message string, targets ...domain.LogTarget) domain.LogEvent {
	return domain.NewLogEvent(domain.CallerFrom(ctx), s.IDs, now, eventType, message, targets...)
}

// update runs fn in a transaction, and retries it when a concurrent writer made it stale. Inside
// a batch (withTx: a seed load, all or nothing) fn joins the batch's transaction instead.
func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	if tx, ok := ctx.Value(txKey{}).(store.Tx); ok {
		return fn(tx)
	}
	// Whatever the outcome, the role grants cached before it may be stale now.
	defer s.grants.flush()
	// The store retries a transaction that lost a race (store.Store.Update): one retry layer.
	return s.Store.Update(ctx, fn)
}

// orgID is the org of the caller in ctx.
func orgID(ctx context.Context) string { return domain.CallerFrom(ctx).OrgID }

type txKey struct{}

// withTx makes the service's writes under ctx join tx, so several use cases (a seed file's
// users, groups, tokens...) commit together or not at all, each validated exactly as the API
// validates it.
func withTx(ctx context.Context, tx store.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// reader is what a use case reads through before its own transaction: the transaction of
// withTx when there is one, so a seed's user sees the schema and user types the same seed
// declared before it (still uncommitted), and the store otherwise.
func (s *Service) reader(ctx context.Context) store.Reader {
	if tx, ok := ctx.Value(txKey{}).(store.Tx); ok {
		return tx
	}
	return s.Store
}

// Unavailable reports whether err means the database cannot serve requests right now (busy,
// full, unreachable), why, and whether the fault may clear by itself. Writes come back from the
// store already classified; read errors are classified by the backend here. It keeps the HTTP
// layer from knowing the store's error types.
func (s *Service) Unavailable(err error) (reason string, transient bool, ok bool) {
	var ue *store.UnavailableError
	if !errors.As(err, &ue) {
		c, isClassifier := s.Store.(store.Classifier)
		if !isClassifier {
			return "", false, false
		}
		if ue, ok = c.Unavailable(err); !ok {
			return "", false, false
		}
	}
	return ue.Reason, ue.Transient, true
}
