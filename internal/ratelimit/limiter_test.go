package ratelimit

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// clock drives a contract test: the memory counter gets a fake clock that jumps, Redis (whose
// windows expire on the server's clock) a real one that sleeps.
type clock interface {
	Now() time.Time
	Advance(time.Duration)
}

type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time          { return c.now }
func (c *fakeClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

type realClock struct{}

func (realClock) Now() time.Time          { return time.Now() }
func (realClock) Advance(d time.Duration) { time.Sleep(d) }

// backend builds counters for the contract tests. Counters from one backend share state when
// shared is true (Redis instances on one prefix), which the two-instance test needs.
type backend struct {
	newCounter func(t *testing.T) Counter
	newClock   func() clock
	window     time.Duration
	// slack is how far Reset may drift between Takes of one window (Redis derives it from a TTL).
	slack time.Duration
}

func uniformPolicy(window time.Duration, limit int, enforce bool) Policy {
	p := Policy{Window: window, Limits: map[string]int{}, Enforce: enforce}
	for _, f := range families {
		p.Limits[f] = limit
	}
	return p
}

func take(t *testing.T, l Limiter, org, family string, now time.Time) Decision {
	t.Helper()
	d, err := l.Take(context.Background(), org, family, now)
	if err != nil {
		t.Fatalf("Take(%s, %s): %v", org, family, err)
	}
	return d
}

func near(a, b, slack time.Duration) bool { return a-b <= slack && b-a <= slack }

// runContract checks the behaviour every counter must show through a WindowLimiter.
func runContract(t *testing.T, b backend) {
	t.Run("CountdownAndNewWindow", func(t *testing.T) {
		clk := b.newClock()
		l := NewLimiter(uniformPolicy(b.window, 3, true), b.newCounter(t))
		start := clk.Now()
		var first Decision
		for i, wantRemaining := range []int{2, 1, 0} {
			d := take(t, l, "org1", FamilyUsers, clk.Now())
			if !d.Allowed || d.Limit != 3 || d.Remaining != wantRemaining || d.FirstViolation {
				t.Fatalf("take %d: %+v, want allowed, limit 3, remaining %d", i+1, d, wantRemaining)
			}
			if d.FirstWarning != (i == 1) { // 60 % of 3, rounded up, is the 2nd request
				t.Fatalf("take %d: FirstWarning %v", i+1, d.FirstWarning)
			}
			if i == 0 {
				first = d
				if want := windowEnd(start, b.window); !near(d.Reset.Sub(want), 0, b.slack) {
					t.Fatalf("first Reset is %v after the first request, want %v", d.Reset.Sub(start), want.Sub(start))
				}
			} else if !near(d.Reset.Sub(first.Reset), 0, b.slack) {
				t.Fatalf("take %d: Reset moved from %v to %v within one window", i+1, first.Reset, d.Reset)
			}
		}
		d := take(t, l, "org1", FamilyUsers, clk.Now())
		if d.Allowed || d.Remaining != 0 || !d.FirstViolation || d.FirstWarning {
			t.Fatalf("take 4: %+v, want refused, remaining 0, first violation", d)
		}
		d = take(t, l, "org1", FamilyUsers, clk.Now())
		if d.Allowed || d.FirstViolation {
			t.Fatalf("take 5: %+v, want refused and not the first violation", d)
		}
		clk.Advance(first.Reset.Sub(clk.Now()) + b.slack)
		d = take(t, l, "org1", FamilyUsers, clk.Now())
		if !d.Allowed || d.Remaining != 2 || !d.Reset.After(first.Reset) {
			t.Fatalf("after Reset: %+v, want a new window with remaining 2 ending after %v", d, first.Reset)
		}
		for range 3 {
			d = take(t, l, "org1", FamilyUsers, clk.Now())
		}
		if d.Allowed || !d.FirstViolation {
			t.Fatalf("second window's first refusal: %+v, want FirstViolation again", d)
		}
	})

	t.Run("FamiliesAndOrgsAreIndependent", func(t *testing.T) {
		clk := b.newClock()
		l := NewLimiter(uniformPolicy(b.window, 2, true), b.newCounter(t))
		for range 3 {
			take(t, l, "org1", FamilyUsers, clk.Now())
		}
		if d := take(t, l, "org1", FamilyUsers, clk.Now()); d.Allowed {
			t.Fatalf("org1 users should be exhausted: %+v", d)
		}
		for _, c := range []struct{ org, family string }{
			{"org1", FamilyGroups}, {"org1", FamilyOther}, {"org2", FamilyUsers}, {"org1:users", FamilyUsers},
		} {
			if d := take(t, l, c.org, c.family, clk.Now()); !d.Allowed || d.Remaining != 1 {
				t.Errorf("%s %s: %+v, want a fresh window", c.org, c.family, d)
			}
		}
	})

	t.Run("OffNeverRefuses", func(t *testing.T) {
		clk := b.newClock()
		p, err := ProfilePolicy(ProfileOff, b.window)
		if err != nil {
			t.Fatal(err)
		}
		l := NewLimiter(p, b.newCounter(t))
		var d Decision
		// On a real clock a slow machine may cross into a new window mid-loop, so count the
		// takes of the window the last one fell in rather than assuming one window.
		inWindow := 0
		for range 60 {
			prev := d.Reset
			d = take(t, l, "org1", FamilyLogs, clk.Now())
			if !d.Allowed || d.FirstViolation || d.FirstWarning {
				t.Fatalf("off refused or reported a violation or warning: %+v", d)
			}
			if d.Reset.Equal(prev) {
				inWindow++
			} else {
				inWindow = 1
			}
		}
		if d.Limit != 50 || d.Remaining != max(0, 50-inWindow) {
			t.Fatalf("off after %d logs requests in a window: %+v, want enterprise limit 50, remaining %d", inWindow, d, max(0, 50-inWindow))
		}
	})

	t.Run("ConcurrentTakesStayWithinLimit", func(t *testing.T) {
		clk := b.newClock()
		l := NewLimiter(uniformPolicy(b.window, 50, true), b.newCounter(t))
		allowed, violations := countConcurrent(t, []Limiter{l}, 200, clk.Now())
		if allowed != 50 || violations != 1 {
			t.Fatalf("200 concurrent Takes: %d allowed, %d first violations; want 50 and 1", allowed, violations)
		}
	})

	t.Run("UnknownFamily", func(t *testing.T) {
		l := NewLimiter(uniformPolicy(b.window, 2, true), b.newCounter(t))
		if _, err := l.Take(context.Background(), "org1", "nope", time.Now()); err == nil {
			t.Fatal("Take with an unknown family succeeded")
		}
	})
}

// countConcurrent runs n Takes spread over the limiters and counts the allowed ones and the
// first violations.
func countConcurrent(t *testing.T, ls []Limiter, n int, now time.Time) (allowed, violations int) {
	t.Helper()
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for i := range n {
		wg.Go(func() {
			d, err := ls[i%len(ls)].Take(context.Background(), "org1", FamilyUsers, now)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
				return
			}
			if d.Allowed {
				allowed++
			}
			if d.FirstViolation {
				violations++
			}
		})
	}
	wg.Wait()
	return allowed, violations
}

func memoryBackend() backend {
	return backend{
		newCounter: func(*testing.T) Counter { return NewMemory() },
		newClock: func() clock {
			return &fakeClock{now: time.Date(2024, 5, 17, 12, 0, 30, 250_000_000, time.UTC)}
		},
		window: time.Minute,
	}
}

func TestMemoryContract(t *testing.T) { runContract(t, memoryBackend()) }

func TestWarningCount(t *testing.T) {
	for limit, want := range map[int]int64{1: 1, 2: 2, 3: 2, 5: 3, 50: 30, 100: 60, 600: 360, 1000: 600, 1001: 601} {
		if got := warningCount(limit); got != want {
			t.Errorf("warningCount(%d) = %d, want %d", limit, got, want)
		}
	}
}

func TestWindowEnd(t *testing.T) {
	base := time.Date(2024, 5, 17, 12, 0, 30, 0, time.UTC)
	cases := []struct {
		now    time.Time
		window time.Duration
		want   time.Time
	}{
		{base, time.Minute, base.Add(time.Minute)},
		{base.Add(250 * time.Millisecond), time.Minute, base.Add(time.Minute)},
		{base.Add(999 * time.Millisecond), 2 * time.Second, base.Add(2 * time.Second)},
		{base.Add(time.Nanosecond), time.Second, base.Add(time.Second)},
		{base.Add(300 * time.Millisecond), 1500 * time.Millisecond, base.Add(time.Second)},
		// Sub-second windows are not aligned.
		{base.Add(300 * time.Millisecond), 500 * time.Millisecond, base.Add(800 * time.Millisecond)},
	}
	for _, c := range cases {
		got := windowEnd(c.now, c.window)
		if !got.Equal(c.want) {
			t.Errorf("windowEnd(%v, %v) = %v, want %v", c.now, c.window, got, c.want)
		}
		if !got.After(c.now) {
			t.Errorf("windowEnd(%v, %v) = %v is not after now", c.now, c.window, got)
		}
	}
}

// TestHeadersAcrossWindow follows the headers a client sees through New's default limiter.
func TestHeadersAcrossWindow(t *testing.T) {
	l, err := New(Config{Profile: ProfileTest})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 5, 17, 12, 0, 30, 250_000_000, time.UTC) // not on a minute
	// The window ends on the whole second at or before start + 60 s: 12:01:30.
	end := time.Date(2024, 5, 17, 12, 1, 30, 0, time.UTC)
	wantReset := strconv.FormatInt(end.Unix(), 10)
	now := start
	for i := range 7 {
		d := take(t, l, "org1", FamilyApps, now)
		h := http.Header{}
		SetHeaders(h, d)
		wantRemaining := max(4-i, 0)
		if got := h.Get(HeaderLimit); got != "5" {
			t.Errorf("request %d: %s = %q, want 5", i+1, HeaderLimit, got)
		}
		if got := h.Get(HeaderRemaining); got != strconv.Itoa(wantRemaining) {
			t.Errorf("request %d: %s = %q, want %d", i+1, HeaderRemaining, got, wantRemaining)
		}
		if got := h.Get(HeaderReset); got != wantReset {
			t.Errorf("request %d: %s = %q, want %s", i+1, HeaderReset, got, wantReset)
		}
		if d.Allowed != (i < 5) {
			t.Errorf("request %d: allowed %v", i+1, d.Allowed)
		}
		now = now.Add(7 * time.Second)
	}
	// Just before the advertised reset the old window still holds.
	if d := take(t, l, "org1", FamilyApps, end.Add(-time.Millisecond)); d.Allowed {
		t.Errorf("1 ms before Reset: %+v, want still refused", d)
	}
	next := end.Add(400 * time.Millisecond) // a client waiting for the header's value
	d := take(t, l, "org1", FamilyApps, end)
	h := http.Header{}
	SetHeaders(h, d)
	if !d.Allowed || h.Get(HeaderRemaining) != "4" {
		t.Fatalf("at the advertised reset: %+v, want a new window with 4 remaining", d)
	}
	if got, want := h.Get(HeaderReset), strconv.FormatInt(end.Add(time.Minute).Unix(), 10); got != want {
		t.Errorf("new window %s = %s, want %s (60 s after its first request, on a second)", HeaderReset, got, want)
	}
	if d := take(t, l, "org1", FamilyApps, next); !d.Reset.Equal(end.Add(time.Minute)) || d.Remaining != 3 {
		t.Errorf("second request of the new window: %+v", d)
	}
}

func TestWindowConfigurable(t *testing.T) {
	l, err := New(Config{Profile: ProfileTest, Window: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	if d := take(t, l, "org1", FamilyLogs, now); !d.Reset.Equal(now.Add(10 * time.Second)) {
		t.Fatalf("Reset %v, want %v", d.Reset, now.Add(10*time.Second))
	}
}

func TestMemorySweepsEndedWindows(t *testing.T) {
	m := NewMemory()
	l := NewLimiter(uniformPolicy(time.Minute, 5, true), m)
	now := time.Unix(1_700_000_000, 0)
	for i := range 5000 {
		take(t, l, "org"+strconv.Itoa(i), FamilyUsers, now)
	}
	if got := m.len(); got != 5000 {
		t.Fatalf("holding %d windows, want 5000", got)
	}
	// Two windows later, enough traffic to reach every shard sweeps the old keys out.
	now = now.Add(2 * time.Minute)
	for i := range 1000 {
		take(t, l, "new"+strconv.Itoa(i), FamilyUsers, now)
	}
	if got := m.len(); got != 1000 {
		t.Fatalf("after the windows ended, holding %d windows, want the 1000 live ones", got)
	}
}

func BenchmarkTakeMemory(b *testing.B) {
	l := NewLimiter(uniformPolicy(time.Minute, 1_000_000_000, true), NewMemory())
	orgs := []string{"org1", "org2", "org3", "org4"}
	now := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := l.Take(context.Background(), orgs[i%len(orgs)], families[i%len(families)], now); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
