package domain

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestAppendJSONIsTheLayout: the digit-by-digit formatter writes exactly time.Format's
// TimeLayout, quoted, for any date (the years outside 0-9999 take Format itself), and null for
// the zero time.
func TestAppendJSONIsTheLayout(t *testing.T) {
	if got := string(Time{}.AppendJSON(nil)); got != "null" {
		t.Errorf("zero time: %s", got)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	times := []time.Time{time.UnixMilli(0), time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 2, 3, 4, 5, 6, 7e6, time.FixedZone("x", 5*3600))}
	for range 5000 {
		times = append(times, time.UnixMilli(rng.Int64N(1<<45)-(1<<44)))
	}
	for _, tm := range times {
		want := `"` + tm.UTC().Format(TimeLayout) + `"`
		if got := string(At(tm).AppendJSON(nil)); got != want {
			t.Fatalf("%v: %s, want %s", tm, got, want)
		}
	}
}
