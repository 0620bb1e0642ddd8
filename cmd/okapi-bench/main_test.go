package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/app"
	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// TestSmoke seeds a small org, starts okapi in-process and the baseline beside it, and runs
// every scenario briefly: each must get its expected answers (no errors) and appear in the
// report. It checks the harness, not speed: nothing here is timed.
func TestSmoke(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	env := func(string) string { return "" }
	if err := app.Run(t.Context(), []string{"seed-bench", "--data-dir", dir, "--users", "2000", "--groups", "5"}, env, &out, &errs); err != nil {
		t.Fatalf("seed: %v\n%s", err, errs.String())
	}
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, HTTP: true, LogLevel: "error", BootstrapToken: benchToken, RateLimitProfile: "off"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := app.Start(t.Context(), cfg, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		s.Shutdown(ctx)
	})
	b, err := openBaseline(t.Context(), filepath.Join(dir, "okapi.db"))
	if err != nil {
		t.Fatal(err)
	}
	base := httptest.NewServer(b)
	t.Cleanup(base.Close)

	out.Reset()
	errs.Reset()
	err = run(t.Context(), []string{"--url", s.URL, "--token", benchToken, "--baseline-url", base.URL, "--data-dir", dir,
		"--conns", "2", "--duration", "150ms"}, &out, &errs)
	if err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	report := out.String()
	if strings.Contains(report, "first error of") {
		t.Fatalf("a scenario failed:\n%s", report)
	}
	for _, sc := range append(scenarios, under(mixes[0][0], mixes[0][1])) {
		if !strings.Contains(report, sc.name) {
			t.Errorf("no %s in the report:\n%s", sc.name, report)
		}
	}
	for _, want := range []string{"baseline-read", "baseline-write", "vs baseline", "p99.9", "baseline req/s", "measured just before"} {
		if !strings.Contains(report, want) {
			t.Errorf("no %q in the report:\n%s", want, report)
		}
	}
}

// TestBaselineRunsUnderOkapisSettings: the baseline's page cache and GC target are okapi's,
// so the ratios compare code, not settings.
func TestBaselineRunsUnderOkapisSettings(t *testing.T) {
	if baselineCacheKiB != sqlite.CacheKiB {
		t.Errorf("baseline cache %d KiB, okapi's %d KiB", baselineCacheKiB, sqlite.CacheKiB)
	}
	if baselineGCPercent != app.GCPercent {
		t.Errorf("baseline GC target %d, okapi's %d", baselineGCPercent, app.GCPercent)
	}
}
