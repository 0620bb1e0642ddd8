package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
)

func TestScans(t *testing.T) {
	cases := []struct {
		expr string
		q    string
		want bool
	}{
		{`status eq "ACTIVE"`, "", false},
		{`profile.lastName eq "smith" and created gt "2024-01-01T00:00:00.000Z"`, "", false},
		{`profile.department eq "sales"`, "", true},
		{`status eq "ACTIVE" or profile.city eq "paris"`, "", true},
		{`not (profile.city eq "paris")`, "", true},
		{"", "jen", true},
		{"", "", false},
	}
	for _, c := range cases {
		var e filter.Expr
		if c.expr != "" {
			var err error
			if e, err = filter.ParseFor(c.expr, filter.UsersSearch); err != nil {
				t.Fatal(err)
			}
		}
		if got := scans(e, filter.UsersSearch, c.q); got != c.want {
			t.Errorf("scans(%q, q=%q) = %v, want %v", c.expr, c.q, got, c.want)
		}
	}
}

// TestGatedScan: a scan that outlives ScanTimeout is cut off with 400 E0000031, and one that
// cannot get a slot in time gets 429 E0000047; an indexed query never waits for the gate.
func TestGatedScan(t *testing.T) {
	old := ScanTimeout
	ScanTimeout = 50 * time.Millisecond
	defer func() { ScanTimeout = old }()
	s := New(nil, nil, nil, nil)
	slow := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

	var de *domain.Error
	if err := s.gatedScan(t.Context(), true, slow); !errors.As(err, &de) || de.Code != domain.CodeInvalidSearch {
		t.Fatalf("timed-out scan: %v, want E0000031", err)
	}
	// Hold every slot, then ask for one more.
	var releases []func()
	for {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
		r, err := s.scans.acquire(ctx)
		cancel()
		if err != nil {
			break
		}
		releases = append(releases, r)
	}
	if err := s.gatedScan(t.Context(), true, func(context.Context) error { return nil }); !errors.As(err, &de) || de.Code != domain.CodeRateLimited || de.Status != 429 {
		t.Fatalf("scan over the gate: %v, want 429 E0000047", err)
	}
	if err := s.gatedScan(t.Context(), false, func(context.Context) error { return nil }); err != nil {
		t.Fatalf("indexed query waited for the gate: %v", err)
	}
	for _, r := range releases {
		r()
	}
}
