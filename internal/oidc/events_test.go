package oidc

import (
	"testing"
	"time"
)

func TestFailureThrottle(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var th failureThrottle
	for _, c := range []struct {
		name string
		key  string
		at   time.Duration
		want bool
	}{
		{"first failure", "web\x001.2.3.4", 0, true},
		{"same key within the window", "web\x001.2.3.4", time.Second, false},
		{"another IP", "web\x005.6.7.8", time.Second, true},
		{"another client", "spa\x001.2.3.4", time.Second, true},
		{"same key after the window", "web\x001.2.3.4", failurePerKey, true},
	} {
		if got := th.allow(c.key, t0.Add(c.at)); got != c.want {
			t.Errorf("%s: allow = %v, want %v", c.name, got, c.want)
		}
	}
	// Many keys in one second: only failurePerSecond of them are logged.
	var th2 failureThrottle
	n := 0
	for i := range 100 {
		if th2.allow(string(rune('a'+i%26))+string(rune('A'+i/26)), t0) {
			n++
		}
	}
	if n != failurePerSecond {
		t.Fatalf("%d events in one second, want %d", n, failurePerSecond)
	}
}
