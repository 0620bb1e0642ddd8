package testgate

import (
	"testing"
)

// fakeTB records how a gate stopped the test.
type fakeTB struct {
	testing.TB
	failed, skipped bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true }

func TestMissingFailsUnderCI(t *testing.T) {
	for _, ci := range []string{"true", ""} {
		t.Setenv("CI", ci)
		t.Setenv(EnvPostgres, "")
		t.Setenv(EnvRedis, "")
		for name, gate := range map[string]func(testing.TB){
			"postgres": func(tb testing.TB) { PostgresURL(tb) },
			"redis":    func(tb testing.TB) { RedisURL(tb) },
			"chromium": func(tb testing.TB) { Chromium(tb, func() string { return "" }) },
		} {
			f := &fakeTB{}
			gate(f)
			if ci == "true" && (!f.failed || f.skipped) {
				t.Errorf("CI=true, %s missing: failed=%v skipped=%v, want a failure", name, f.failed, f.skipped)
			}
			if ci == "" && (f.failed || !f.skipped) {
				t.Errorf("outside CI, %s missing: failed=%v skipped=%v, want a skip", name, f.failed, f.skipped)
			}
		}
	}
	t.Setenv(EnvPostgres, "postgres://x")
	if f := (&fakeTB{}); PostgresURL(f) != "postgres://x" || f.failed || f.skipped {
		t.Error("PostgresURL with the variable set")
	}
}
