// Package testgate is the one place a test decides that a service it needs (PostgreSQL, Redis,
// a headless Chromium) is missing. Outside CI the test is skipped with a message saying how to
// enable it; under CI=true it fails: a CI run that silently skipped a backend would prove
// nothing about it. Tests never read the services' variables or skip on their own.
package testgate

import (
	"os"
	"testing"
)

// The variables that name the test services.
const (
	EnvPostgres = "OKAPI_TEST_POSTGRES_URL"
	EnvRedis    = "OKAPI_TEST_REDIS_URL"
)

// InCI reports whether the tests run under CI (CI=true, as CI systems set it).
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing stops the test because service is unavailable: a failure under CI, a skip elsewhere.
// how says how to provide it.
func Missing(t testing.TB, service, how string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s required in CI: %s", service, how)
		return
	}
	t.Skipf("%s skipped: %s", service, how)
}

// PostgresURL returns OKAPI_TEST_POSTGRES_URL, the database tests create their schemas in
// (scripts/test.sh and scripts/pg-test-db.sh set it up), or stops the test through Missing.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvPostgres)
	if u == "" {
		Missing(t, "PostgreSQL", "set "+EnvPostgres+" (scripts/pg-test-db.sh prints it)")
	}
	return u
}

// RedisURL returns OKAPI_TEST_REDIS_URL or stops the test through Missing.
func RedisURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvRedis)
	if u == "" {
		Missing(t, "Redis", "set "+EnvRedis+" (e.g. redis://127.0.0.1:6379/0)")
	}
	return u
}

// Chromium returns the headless browser's path as find reports it ("" when not installed), or
// stops the test through Missing.
func Chromium(t testing.TB, find func() string) string {
	t.Helper()
	p := find()
	if p == "" {
		Missing(t, "headless Chromium", "install it (apt-get update && apt-get install -y chromium)")
	}
	return p
}
