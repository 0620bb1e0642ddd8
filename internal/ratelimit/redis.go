package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultRedisPrefix starts every key Redis writes: <prefix><org>:<family>.
const DefaultRedisPrefix = "okapi:ratelimit:"

// hitScript counts one request and returns {count, remaining TTL in ms}. It runs atomically, so
// concurrent instances never lose an increment or open two windows for one key. The window
// opens with the first INCR; the TTL < 0 branch also repairs a key that lost its expiry, which
// would otherwise lock that org and family out for good.
var hitScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`)

// Redis is a Counter shared by every okapi instance using the same Redis database and prefix.
// Windows expire on the Redis server's clock: Hit uses its now argument only to turn the
// remaining TTL into a Reset time, so Reset agrees with the Date header the caller's clock
// writes, and may drift within a window by the Redis round-trip time.
type Redis struct {
	client *redis.Client
	prefix string
}

// RedisOption tunes NewRedis.
type RedisOption func(*Redis)

// WithKeyPrefix replaces DefaultRedisPrefix, e.g. to keep tests or deployments apart.
func WithKeyPrefix(prefix string) RedisOption {
	return func(r *Redis) { r.prefix = prefix }
}

// NewRedis returns a Counter backed by the Redis server at url
// (redis://[[user]:password@]host[:port][/db]). It fails only on an unparseable URL; it does not
// dial, so an unreachable server shows up as errors from Hit.
func NewRedis(url string, opts ...RedisOption) (*Redis, error) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("ratelimit: redis url: %w", err)
	}
	r := &Redis{client: redis.NewClient(o), prefix: DefaultRedisPrefix}
	for _, opt := range opts {
		opt(r)
	}
	return r, nil
}

// Hit implements Counter. It fails when Redis does (unreachable, timeout, ctx done, closed);
// callers of Limiter.Take get that error and decide to fail open.
func (r *Redis) Hit(ctx context.Context, key string, window time.Duration, now time.Time) (int64, time.Time, error) {
	ms := window.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	start := time.Now()
	res, err := hitScript.Run(ctx, r.client, []string{r.prefix + key}, ms).Int64Slice()
	rtt := time.Since(start)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("redis: %w", err)
	}
	if len(res) != 2 {
		return 0, time.Time{}, fmt.Errorf("redis: hit script returned %d values, want 2", len(res))
	}
	// The TTL was read somewhere inside the round trip, so now+rtt+TTL is at or after the real
	// expiry, by at most rtt: a client that waits until Reset finds a new window.
	return res[0], now.Add(rtt + time.Duration(res[1])*time.Millisecond), nil
}

// Close closes the Redis connections.
func (r *Redis) Close() error {
	return r.client.Close()
}
