package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultRedisPrefix starts every key Redis writes: <prefix><org>:<family>.
const DefaultRedisPrefix = "okapi:ratelimit:"

// hitScript counts one request and returns {count, window end in Unix ms}. A key is a hash:
// n counts, end is the window's end as the instance that opened the window computed it
// (windowEnd), so every instance reports the same Reset, on the same whole second. The key
// expires on the Redis server's clock after ARGV[1] ms, the time from the opener's now to end.
// The script runs atomically, so concurrent instances never lose an increment or open two
// windows for one key. The TTL < 0 branch also repairs a key that lost its expiry, which would
// otherwise lock that org and family out for good.
var hitScript = redis.NewScript(`
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('HSET', KEYS[1], 'end', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {n, tonumber(redis.call('HGET', KEYS[1], 'end'))}
`)

// Redis is a Counter shared by every okapi instance using the same Redis database and prefix.
// A window's end comes from the clock of the instance that opened it and its expiry from the
// Redis server's clock; with instance clocks in sync (NTP) the two agree to within the
// round-trip time, and the key never expires before the advertised end.
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
	// Round both up to the millisecond: the key must not expire before the end it reports.
	endMs := (windowEnd(now, window).UnixNano() + 999_999) / 1_000_000
	ttlMs := max(endMs-(now.UnixNano()/1_000_000), 1)
	res, err := hitScript.Run(ctx, r.client, []string{r.prefix + key}, ttlMs, endMs).Int64Slice()
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("redis: %w", err)
	}
	if len(res) != 2 {
		return 0, time.Time{}, fmt.Errorf("redis: hit script returned %d values, want 2", len(res))
	}
	return res[0], time.UnixMilli(res[1]), nil
}

// Close closes the Redis connections.
func (r *Redis) Close() error {
	return r.client.Close()
}
