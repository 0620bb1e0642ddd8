package ratelimit

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/testgate"
)

// redisTestURL returns OKAPI_TEST_REDIS_URL, or skips the test (fails it under CI=true).
func redisTestURL(t *testing.T) string {
	t.Helper()
	return testgate.RedisURL(t)
}

// redisTestPrefix returns a key prefix no other test uses, and deletes its keys when t ends.
func redisTestPrefix(t *testing.T, url string) string {
	t.Helper()
	name := strings.NewReplacer("/", ".", " ", "_").Replace(t.Name())
	prefix := "okapi:test:ratelimit:" + name + ":" + rand.Text()[:10] + ":"
	t.Cleanup(func() {
		r, err := NewRedis(url)
		if err != nil {
			t.Error(err)
			return
		}
		defer r.Close()
		ctx := context.Background()
		keys, err := r.client.Keys(ctx, prefix+"*").Result()
		if err == nil && len(keys) > 0 {
			err = r.client.Del(ctx, keys...).Err()
		}
		if err != nil {
			t.Errorf("cleaning up %s*: %v", prefix, err)
		}
	})
	return prefix
}

func newTestRedis(t *testing.T, url, prefix string) *Redis {
	t.Helper()
	r, err := NewRedis(url, WithKeyPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	// Dial now, so that the first Take's Reset does not include connection set-up.
	if err := r.client.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRedisContract(t *testing.T) {
	url := redisTestURL(t)
	runContract(t, backend{
		newCounter: func(t *testing.T) Counter { return newTestRedis(t, url, redisTestPrefix(t, url)) },
		newClock:   func() clock { return realClock{} },
		// Redis keeps real time, and CI machines are busy: a 3 s window with 300 ms of slack
		// keeps a slow round trip from looking like a wrong window.
		window: 3 * time.Second,
		slack:  300 * time.Millisecond,
	})
}

func TestRedisInstancesShareCounters(t *testing.T) {
	url := redisTestURL(t)
	prefix := redisTestPrefix(t, url)
	p := uniformPolicy(time.Minute, 40, true)
	a := NewLimiter(p, newTestRedis(t, url, prefix))
	b := NewLimiter(p, newTestRedis(t, url, prefix))
	allowed, violations := countConcurrent(t, []Limiter{a, b}, 300, time.Now())
	if allowed != 40 || violations != 1 {
		t.Fatalf("300 Takes over two instances: %d allowed, %d first violations; want 40 and 1", allowed, violations)
	}
	// The key carries the window's expiry.
	ttl, err := newTestRedis(t, url, prefix).client.PTTL(context.Background(), prefix+"org1:"+FamilyUsers).Result()
	if err != nil || ttl <= 0 || ttl > time.Minute {
		t.Fatalf("key TTL %v, %v; want within the window", ttl, err)
	}
}

func TestRedisThroughNew(t *testing.T) {
	url := redisTestURL(t)
	l, err := New(Config{Profile: ProfileTest, RedisURL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer l.(interface{ Close() error }).Close()
	org := "org-" + rand.Text() // New uses DefaultRedisPrefix; a unique org keeps the key apart
	key := DefaultRedisPrefix + org + ":" + FamilyEvents
	t.Cleanup(func() { newTestRedis(t, url, "").client.Del(context.Background(), key) })
	var d Decision
	for range 6 {
		d = take(t, l, org, FamilyEvents, time.Now())
	}
	if d.Allowed || !d.FirstViolation || d.Limit != 5 {
		t.Fatalf("sixth Take under the test profile: %+v, want the first violation of limit 5", d)
	}
}

// TestRedisErrorReachesCaller needs no server: nothing listens on port 1.
func TestRedisErrorReachesCaller(t *testing.T) {
	r, err := NewRedis("redis://127.0.0.1:1/0?max_retries=-1&dial_timeout=1s")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	l := NewLimiter(uniformPolicy(time.Minute, 5, true), r)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := l.Take(ctx, "org1", FamilyUsers, time.Now()); err == nil {
		t.Fatal("Take succeeded with Redis unreachable")
	}
}

// TestRedisResetOnWholeSecond: a window of a second or more ends on a whole second, and every
// instance reports that same end, not one derived from its own view of the TTL.
func TestRedisResetOnWholeSecond(t *testing.T) {
	url := redisTestURL(t)
	prefix := redisTestPrefix(t, url)
	p := uniformPolicy(2*time.Second, 10, true)
	a := NewLimiter(p, newTestRedis(t, url, prefix))
	b := NewLimiter(p, newTestRedis(t, url, prefix))
	start := time.Now()
	first := take(t, a, "org1", FamilyLogs, start)
	if first.Reset.Nanosecond() != 0 || !first.Reset.Equal(windowEnd(start, 2*time.Second)) {
		t.Fatalf("Reset %v, want %v", first.Reset, windowEnd(start, 2*time.Second))
	}
	time.Sleep(20 * time.Millisecond)
	if d := take(t, b, "org1", FamilyLogs, time.Now()); !d.Reset.Equal(first.Reset) || d.Remaining != 8 {
		t.Fatalf("other instance: %+v, want Reset %v and 8 remaining", d, first.Reset)
	}
	ttl, err := newTestRedis(t, url, prefix).client.PTTL(context.Background(), prefix+"org1:"+FamilyLogs).Result()
	if err != nil || ttl <= 0 || time.Now().Add(ttl).Before(first.Reset.Add(-10*time.Millisecond)) {
		t.Fatalf("key TTL %v (%v): the key would expire before the advertised Reset %v", ttl, err, first.Reset)
	}
}
