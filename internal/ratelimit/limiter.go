// Package ratelimit implements Okta-style rate limiting: requests fall into families (Okta's
// buckets, see Family), and each (org, family) pair gets a fixed window that opens at its first
// request, not at a wall-clock minute, and allows a profile-dependent number of requests.
// Counting is done by a Counter: Memory for one instance, Redis for several sharing counters.
// The package knows nothing of routing; SetHeaders and Exceeded are the only HTTP parts.
package ratelimit

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Decision is the outcome of one Take.
type Decision struct {
	// Limit is the family's ceiling per window (X-Rate-Limit-Limit).
	Limit int
	// Remaining is how many more requests the window allows, never negative.
	Remaining int
	// Reset is when the current window ends; a request at or after Reset opens a new window.
	Reset time.Time
	// Allowed is false when the request must be refused with 429.
	Allowed bool
	// FirstViolation is true for the first refused request of a window only, so that the caller
	// logs one system.org.rate_limit.violation event per org, family and window.
	FirstViolation bool
	// FirstWarning is true for the one request of a window that reaches WarningPercent of the
	// limit, so that the caller logs one system.org.rate_limit.warning event per window.
	FirstWarning bool
}

// WarningPercent is the share of a limit at which Okta logs system.org.rate_limit.warning (60 %
// for orgs created after 2018-05-17).
const WarningPercent = 60

// warningCount is the request count that crosses WarningPercent of limit (rounded up, at least 1).
func warningCount(limit int) int64 {
	return max(int64((limit*WarningPercent+99)/100), 1)
}

// Limiter decides whether a request may proceed.
type Limiter interface {
	// Take counts one request of org in family at now and returns the decision. It fails on an
	// unknown family name or when the counter's backend fails (Redis unreachable). Take does
	// not decide what an error means: the HTTP layer is expected to fail open, serving the
	// request, rather than turn a Redis outage into an API outage.
	Take(ctx context.Context, org, family string, now time.Time) (Decision, error)
}

// Counter counts requests in fixed windows that open at a key's first request.
type Counter interface {
	// Hit adds one request to key's open window, opening a window that ends at
	// windowEnd(now, window) if none is open at now, and returns the number of requests in that window so far, this one included,
	// and when the window ends. It fails only when the backend does.
	Hit(ctx context.Context, key string, window time.Duration, now time.Time) (count int64, reset time.Time, err error)
}

// Config selects and tunes a limiter.
type Config struct {
	// Profile is one of Profiles(); "" means ProfileEnterprise.
	Profile string
	// Window is the window length; 0 means DefaultWindow.
	Window time.Duration
	// OverridesFile, if set, is a JSON file {"families": {"<family>": <limit>}}.
	OverridesFile string
	// RedisURL, if set, makes instances share counters through Redis
	// (redis://[:password@]host:port/db); otherwise counters live in memory.
	RedisURL string
}

// New builds the limiter cfg describes. It fails on an unknown profile, a bad window, an
// invalid overrides file or an unparseable Redis URL (it does not dial Redis). The returned
// limiter also implements io.Closer; close it on shutdown to release Redis connections.
func New(cfg Config) (Limiter, error) {
	p, err := ProfilePolicy(cfg.Profile, cfg.Window)
	if err != nil {
		return nil, err
	}
	if cfg.OverridesFile != "" {
		if err := p.ApplyOverrides(cfg.OverridesFile); err != nil {
			return nil, err
		}
	}
	var c Counter = NewMemory()
	if cfg.RedisURL != "" {
		if c, err = NewRedis(cfg.RedisURL); err != nil {
			return nil, err
		}
	}
	return NewLimiter(p, c), nil
}

// NewLimiter returns a Limiter enforcing p with counts from c.
func NewLimiter(p Policy, c Counter) *WindowLimiter {
	return &WindowLimiter{policy: p, counter: c}
}

// WindowLimiter applies a Policy to counts kept by a Counter.
type WindowLimiter struct {
	policy  Policy
	counter Counter
}

// Take implements Limiter.
func (l *WindowLimiter) Take(ctx context.Context, org, family string, now time.Time) (Decision, error) {
	limit, ok := l.policy.Limits[family]
	if !ok {
		return Decision{}, fmt.Errorf("ratelimit: unknown family %q", family)
	}
	// Families contain no ':', so org:family is unambiguous whatever the org name holds.
	count, reset, err := l.counter.Hit(ctx, org+":"+family, l.policy.Window, now)
	if err != nil {
		return Decision{}, fmt.Errorf("ratelimit: %s %s: %w", org, family, err)
	}
	d := Decision{Limit: limit, Reset: reset, Allowed: true}
	// Counts only grow within a window, so exactly one request sees each threshold.
	d.FirstWarning = l.policy.Enforce && count == warningCount(limit)
	if count <= int64(limit) {
		d.Remaining = limit - int(count)
	} else if l.policy.Enforce {
		d.Allowed = false
		d.FirstViolation = count == int64(limit)+1
	}
	return d, nil
}

// windowEnd returns when a window opened at now ends. A window of a second or more ends on a
// whole second, so it lasts between window-1s and window. The reason is X-Rate-Limit-Reset,
// which is in whole seconds, and the SDKs' backoff of Reset - Date + 1 seconds, with Date
// truncated to the second: with the end on a second the header states the end exactly (no
// rounding up), and that backoff is the shortest that still lands in the next window. Shorter
// windows (tests only) end exactly window after now; the header rounds them up.
func windowEnd(now time.Time, window time.Duration) time.Time {
	end := now.Add(window)
	if window >= time.Second {
		end = end.Truncate(time.Second)
	}
	return end
}

// Close releases the counter's resources, if it holds any.
func (l *WindowLimiter) Close() error {
	if c, ok := l.counter.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
