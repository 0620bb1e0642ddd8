package ratelimit

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
)

func TestSetHeadersRoundsResetUp(t *testing.T) {
	cases := []struct {
		reset time.Time
		want  string
	}{
		{time.Unix(1_700_000_000, 0), "1700000000"},
		{time.Unix(1_700_000_000, 1), "1700000001"},
		{time.Unix(1_700_000_000, 999_999_999), "1700000001"},
		{time.Unix(1_700_000_000, 0).In(time.FixedZone("X", 5*3600)), "1700000000"},
	}
	for _, c := range cases {
		h := http.Header{}
		SetHeaders(h, Decision{Limit: 600, Remaining: 599, Reset: c.reset})
		if h.Get(HeaderReset) != c.want || h.Get(HeaderLimit) != "600" || h.Get(HeaderRemaining) != "599" {
			t.Errorf("reset %v: headers %v, want reset %s", c.reset, h, c.want)
		}
	}
}

func TestExceeded(t *testing.T) {
	d := Decision{Limit: 50, Remaining: 0, Reset: time.Unix(1_700_000_060, 500), Allowed: false}
	e := Exceeded(d)
	if e.Status != http.StatusTooManyRequests || e.Code != "E0000047" ||
		e.Summary != "API call exceeded rate limit due to too many requests." || len(e.Causes) != 0 {
		t.Errorf("Exceeded = %+v", e)
	}
	if !errors.Is(e, &domain.Error{Code: domain.CodeRateLimited}) {
		t.Error("Exceeded does not match CodeRateLimited with errors.Is")
	}
	want := map[string]string{HeaderLimit: "50", HeaderRemaining: "0", HeaderReset: "1700000061"}
	for k, v := range want {
		if got := e.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}
