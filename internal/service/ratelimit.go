package service

import (
	"context"
	"fmt"

	"github.com/okapi-dev/okapi/internal/store"
)

// LogRateLimitViolation records that the caller's org went over a rate limit. The limiter calls
// it once per window and bucket, as Okta logs only the first violation.
func (s *Service) LogRateLimitViolation(ctx context.Context, family string, limit int) error {
	org := orgID(ctx)
	now := s.now(ctx)
	ev := s.event(ctx, now, "system.org.rate_limit.violation",
		fmt.Sprintf("Rate limit violation: bucket %s, limit %d requests per window", family, limit))
	ev.Severity = "WARN"
	ev.DebugContext.DebugData["rateLimitBucket"] = family
	return s.Store.Update(ctx, func(tx store.Tx) error { return tx.AppendEvents(ctx, org, ev) })
}

// LogRateLimitWarning records that the caller's org used WarningPercent of a limit in the
// current window. The limiter calls it once per window and bucket.
func (s *Service) LogRateLimitWarning(ctx context.Context, family string, limit, percent int) error {
	org := orgID(ctx)
	now := s.now(ctx)
	ev := s.event(ctx, now, "system.org.rate_limit.warning",
		fmt.Sprintf("Rate limit warning: bucket %s reached %d%% of its limit of %d requests per window", family, percent, limit))
	ev.Severity = "WARN"
	ev.DebugContext.DebugData["rateLimitBucket"] = family
	return s.Store.Update(ctx, func(tx store.Tx) error { return tx.AppendEvents(ctx, org, ev) })
}
