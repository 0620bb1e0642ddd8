package service

import (
	"strconv"
	"testing"
	"time"
)

// TestZoneCacheEvict checks that making room drops stale snapshots first and, when every
// snapshot is fresh, just enough of them to stay under zoneCacheMax.
func TestZoneCacheEvict(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name        string
		stale, live int
		want        int
	}{
		{"all stale", zoneCacheMax, 0, 0},
		{"half stale", zoneCacheMax / 2, zoneCacheMax / 2, zoneCacheMax / 2},
		{"all fresh", 0, zoneCacheMax, zoneCacheMax - 1},
		{"over the bound", 0, zoneCacheMax + 5, zoneCacheMax - 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := zoneCache{orgs: map[string]*zoneSnapshot{}}
			for i := range tc.stale {
				c.orgs["stale"+strconv.Itoa(i)] = &zoneSnapshot{loaded: now.Add(-2 * zoneCacheTTL)}
			}
			for i := range tc.live {
				c.orgs["live"+strconv.Itoa(i)] = &zoneSnapshot{loaded: now}
			}
			c.evict()
			if len(c.orgs) != tc.want {
				t.Fatalf("after evict: %d orgs, want %d", len(c.orgs), tc.want)
			}
			if tc.live > 0 && tc.stale > 0 {
				for k := range c.orgs {
					if k[:5] == "stale" {
						t.Fatalf("stale snapshot %s kept while fresh ones fit", k)
					}
				}
			}
		})
	}
}
