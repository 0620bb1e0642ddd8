package service

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
)

// Some list queries cannot use an index: a search on a custom profile attribute reads the JSON
// profile of every user, and `q` tests a prefix of three lower-cased columns. On a million
// users they take seconds. They are let through the gate a few at a time, so they can never
// hold every connection of the read pool nor every core, and each one runs under a deadline
// (the driver interrupts SQLite when the context ends), so none runs on for ever.

// ScanTimeout bounds one unindexed list query.
var ScanTimeout = 10 * time.Second

// scanGate admits unindexed list queries, at most GOMAXPROCS/2 at once (at least one).
type scanGate struct {
	once  sync.Once
	slots chan struct{}
}

func (g *scanGate) acquire(ctx context.Context) (release func(), err error) {
	g.once.Do(func() { g.slots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2)) })
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-ctx.Done():
		return nil, errScanBusy()
	}
}

// errScanBusy is Okta's answer to a request over a concurrency limit: 429 E0000047.
func errScanBusy() *domain.Error {
	e := domain.NewError(http.StatusTooManyRequests, domain.CodeRateLimited, "API call exceeded rate limit due to too many requests.")
	e.Header = http.Header{"Retry-After": {"1"}}
	return e
}

// errScanTimeout tells the caller to narrow a search that ran out of time.
func errScanTimeout() *domain.Error {
	return domain.InvalidSearch("The search took longer than " + ScanTimeout.String() +
		": narrow it with an indexed attribute (status, profile.login, profile.email, profile.firstName, profile.lastName, dates)")
}

// scans reports whether a list query has no index to use: q, or a comparison of a custom
// (JSON) profile attribute.
func scans(e filter.Expr, s *filter.Schema, q string) bool {
	if q != "" {
		return true
	}
	switch x := e.(type) {
	case *filter.Compare:
		_, known := s.Attrs[x.Attr]
		return !known
	case *filter.And:
		return scans(x.Left, s, "") || scans(x.Right, s, "")
	case *filter.Or:
		return scans(x.Left, s, "") || scans(x.Right, s, "")
	case *filter.Not:
		return scans(x.X, s, "")
	}
	return false
}

// gatedScan runs fn through the gate with ScanTimeout when the query scans, as is otherwise.
func (s *Service) gatedScan(ctx context.Context, scan bool, fn func(context.Context) error) error {
	if !scan {
		return fn(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, ScanTimeout)
	defer cancel()
	release, err := s.scans.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	err = fn(ctx)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return errScanTimeout()
	}
	return err
}
