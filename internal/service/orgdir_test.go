package service_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// BenchmarkNewOrg measures what POST /okapi/v1/orgs costs on SQLite: the org, its Everyone
// group, admin, first token, system zones and log event in one transaction.
func BenchmarkNewOrg(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := service.New(db, nil, nil, nil)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, _, err := svc.NewOrg(context.Background(), fmt.Sprintf("org-%d", i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOrgByName is the per-request cost of resolving a host's org (a cache hit).
func BenchmarkOrgByName(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := service.New(db, nil, nil, nil)
	if _, _, err := svc.NewOrg(context.Background(), "acme"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := svc.OrgByName(context.Background(), "acme"); err != nil {
			b.Fatal(err)
		}
	}
}
