// Package storetest is the storage conformance suite: every backend runs the same checks of the
// store contract (results, error contract, transactions, org isolation, concurrency) through
// Run. Each resource's checks live in their own file and register themselves, so adding store
// methods on one branch and checks on another merge without touching a shared list.
package storetest

import (
	"errors"
	"sort"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// check is one conformance check. The checks of a resource share one store, so a check works
// only in orgs it creates and never assumes the store is empty; that also makes every check a
// test of org isolation.
type check struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// suites maps a resource ("Users", "Tx"...) to its checks; filled by each file's init.
var suites = map[string][]check{}

// register adds checks for a resource. Called from init in the resource's file.
func register(resource string, checks ...check) {
	suites[resource] = append(suites[resource], checks...)
}

// Run runs every conformance check against the backend that open creates. open must return a
// new, migrated store for each call and close it when t ends. Resources run in parallel, each
// on a store of its own (opening a PostgreSQL schema costs a few hundred milliseconds, so not
// one per check); the checks of a resource run in order on its store.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	resources := make([]string, 0, len(suites))
	for r := range suites {
		resources = append(resources, r)
	}
	sort.Strings(resources)
	for _, r := range resources {
		t.Run(r, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			for _, c := range suites[r] {
				t.Run(c.name, func(t *testing.T) { c.run(t, s) })
			}
		})
	}
}

// update runs fn in a transaction and fails the test on error.
func update(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// wantNotFound checks the not-found contract: an error matching domain.ErrNotFound whose
// summary names the id and kind the way Okta does.
func wantNotFound(t *testing.T, err error, id, kind string) {
	t.Helper()
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("error = %v, want domain.ErrNotFound", err)
	}
	var de *domain.Error
	want := "Not found: Resource not found: " + id + " (" + kind + ")"
	if !errors.As(err, &de) || de.Summary != want {
		t.Fatalf("error = %v, want summary %q", err, want)
	}
}

// wantConflict checks the unique-violation contract: a *store.ConflictError naming field that
// also matches store.ErrConflict.
func wantConflict(t *testing.T, err error, field string) {
	t.Helper()
	var ce *store.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, store.ErrConflict) {
		t.Fatalf("error = %v, want *store.ConflictError{%q}", err, field)
	}
	if ce.Field != field {
		t.Fatalf("conflict on %q, want %q", ce.Field, field)
	}
}

// retryStale runs fn in transactions until it does not fail with store.ErrStale, as the
// service does. It gives up after many attempts so a livelock fails the test.
func retryStale(t *testing.T, s store.Store, fn func(tx store.Tx) error) error {
	var err error
	for range 200 {
		if err = s.Update(t.Context(), fn); !errors.Is(err, store.ErrStale) {
			return err
		}
	}
	return err
}
