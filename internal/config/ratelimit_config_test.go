package config

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestRateLimitWindow(t *testing.T) {
	cases := []struct {
		name string
		env  string
		args []string
		want time.Duration
		err  string
	}{
		{name: "default", want: 60 * time.Second},
		{name: "flag", args: []string{"--rate-limit-window", "2s"}, want: 2 * time.Second},
		{name: "env", env: "10s", want: 10 * time.Second},
		{name: "flag beats env", env: "10s", args: []string{"--rate-limit-window=3s"}, want: 3 * time.Second},
		{name: "bad env", env: "ten seconds", err: `OKAPI_RATE_LIMIT_WINDOW "ten seconds"`},
		{name: "too short", args: []string{"--rate-limit-window", "500us"}, err: "too short"},
		{name: "negative", args: []string{"--rate-limit-window", "-1s"}, err: "too short"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var cfg Config
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			cfg.FlagSet(fs, func(k string) string {
				if k == "OKAPI_RATE_LIMIT_WINDOW" {
					return c.env
				}
				return ""
			})
			if err := fs.Parse(c.args); err != nil {
				t.Fatal(err)
			}
			err := cfg.Validate()
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("Validate() = %v, want an error mentioning %s", err, c.err)
				}
				return
			}
			if err != nil || cfg.RateLimitWindow != c.want || cfg.RateLimitProfile != "enterprise" {
				t.Fatalf("window %v profile %q err %v; want %v enterprise", cfg.RateLimitWindow, cfg.RateLimitProfile, err, c.want)
			}
		})
	}
}

// TestZeroConfigValidates: a Config built in code (tests starting okapi in-process) needs no
// rate-limit fields; zero means the defaults.
func TestZeroConfigValidates(t *testing.T) {
	cfg := &Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), HTTP: true, LogLevel: "error"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}
