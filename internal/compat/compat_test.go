package compat

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestJudge(t *testing.T) {
	for _, tt := range []struct{ expected, result, want string }{
		{"pass", ResultPass, VerdictOK},
		{"pass", ResultFail, VerdictRegression},
		{"pass", ResultTimeout, VerdictRegression},
		{"pass", ResultSkip, VerdictRegression},
		{"n/a: no users yet", ResultFail, VerdictNA},
		{"n/a: no users yet", ResultSkip, VerdictNA},
		{"n/a: no users yet", ResultPass, VerdictNewPass},
		{"", ResultPass, VerdictUnlisted},
	} {
		if got := Judge(tt.expected, tt.result); got != tt.want {
			t.Errorf("Judge(%q, %q) = %q, want %q", tt.expected, tt.result, got, tt.want)
		}
	}
}

func TestLoadExpectationsRefusesUnknownValues(t *testing.T) {
	dir := t.TempDir()
	for body, wantErr := range map[string]string{
		`{"go-sdk":{"Test_A":"pass","Test_B":"n/a: not served"}}`: "",
		`{"go-sdk":{"Test_A":"passes"}}`:                          "must be",
		`{"go-sdk":{"Test_A":"n/a"}}`:                             "must be",
		`{"go-sdk":`:                                              "unexpected end",
	} {
		p := filepath.Join(dir, "e.json")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadExpectations(p)
		if (wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), wantErr)) {
			t.Errorf("LoadExpectations(%s) = %v, want error containing %q", body, err, wantErr)
		}
	}
}

func TestAttributeSplitsServedAndUnserved(t *testing.T) {
	x, err := newRouteIndex()
	if err != nil {
		t.Fatal(err)
	}
	served, unserved := x.attribute([]Request{
		{Method: "GET", Path: "/api/v1/api-tokens/00T1"},
		{Method: "GET", Path: "/api/v1/api-tokens/00T2"},
		{Method: "DELETE", Path: "/api/v1/api-tokens/current"},
		{Method: "POST", Path: "/api/v1/brands"},
		{Method: "GET", Path: "/nowhere/at/all"},
	})
	if want := map[string]int{"GET /api/v1/api-tokens/{id}": 2, "DELETE /api/v1/api-tokens/current": 1}; !reflect.DeepEqual(served, want) {
		t.Errorf("served = %v, want %v", served, want)
	}
	if want := map[string]int{"POST /api/v1/brands": 1, "GET /nowhere/at/all (not in spec)": 1}; !reflect.DeepEqual(unserved, want) {
		t.Errorf("unserved = %v, want %v", unserved, want)
	}
	// The baseline (the SDK's TestMain sweep) is subtracted by count.
	if got := minus(served, map[string]int{"GET /api/v1/api-tokens/{id}": 2}); !reflect.DeepEqual(got, []string{"DELETE /api/v1/api-tokens/current"}) {
		t.Errorf("minus = %v", got)
	}
	if got := minus(served, map[string]int{"GET /api/v1/api-tokens/{id}": 1}); len(got) != 2 {
		t.Errorf("a route called more often than in the baseline is the test's: %v", got)
	}
}

func TestOrgURLDropsOnlyPort80(t *testing.T) {
	for addr, want := range map[string]string{"127.0.0.1:80": "http://127.0.0.1", "127.0.0.3:80": "http://127.0.0.3", "127.0.0.1:8080": "http://127.0.0.1:8080"} {
		if got := orgURL(addr); got != want {
			t.Errorf("orgURL(%s) = %s, want %s", addr, got, want)
		}
	}
}

// TestExpectationsListEveryTest keeps compat/expectations.json in step with the pinned SDK's
// integration tests and the Node scenario files, so nothing runs unjudged.
func TestExpectationsListEveryTest(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	exp, err := LoadExpectations(filepath.Join(root, "compat", "expectations.json"))
	if err != nil {
		t.Fatal(err)
	}
	sdkDir, err := SDKDir()
	if err != nil {
		t.Fatal(err)
	}
	tests, err := DiscoverSDKTests(sdkDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) < 40 {
		t.Fatalf("found %d SDK integration tests, want the ~48 of v5.0.2", len(tests))
	}
	want := map[string]bool{}
	for _, tt := range tests {
		want[tt.Name] = true
		if strings.HasPrefix(tt.Name, "Test_429") || tt.Name == "Test_Create_Cache_Key" {
			t.Errorf("%s is a unit test (httpmock), not an integration test", tt.Name)
		}
	}
	checkSame(t, SuiteGoSDK, want, exp[SuiteGoSDK])
	files, _ := filepath.Glob(filepath.Join(root, NodeScenarioDir, "*.test.mjs"))
	want = map[string]bool{}
	for _, f := range files {
		want[strings.TrimSuffix(filepath.Base(f), ".test.mjs")] = true
	}
	checkSame(t, SuiteNodeSDK, want, exp[SuiteNodeSDK])
}

func checkSame(t *testing.T, suite string, want map[string]bool, listed map[string]string) {
	t.Helper()
	for name := range want {
		if _, ok := listed[name]; !ok {
			t.Errorf("%s: %s is not in compat/expectations.json", suite, name)
		}
	}
	for name := range listed {
		if !want[name] {
			t.Errorf("%s: compat/expectations.json lists %s, which does not exist", suite, name)
		}
	}
}

func TestReportShowsRoutesTestsAndDeviations(t *testing.T) {
	dir := t.TempDir()
	run := &RunResults{Suite: SuiteGoSDK, Client: "sdk@v", Okapi: "abc", Tests: []TestResult{
		{Name: "Test_Tokens", Expected: "pass", Result: ResultPass, Verdict: VerdictOK, Routes: []string{"GET /api/v1/api-tokens/{id}"}},
		{Name: "Test_Get_User", Expected: "n/a: users", Result: ResultFail, Verdict: VerdictNA, Unserved: []string{"POST /api/v1/users"}},
	}}
	if err := run.Save(filepath.Join(dir, SuiteGoSDK+".json")); err != nil {
		t.Fatal(err)
	}
	exp := Expectations{SuiteGoSDK: {"Test_Tokens": "pass", "Test_Get_User": "n/a: users", "Test_Never": "n/a: x"}, SuiteNodeSDK: {"a": "n/a: y"}}
	md, err := Report(exp, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| GET | `/api/v1/api-tokens/{id}` | ApiToken | `getApiToken` | Test_Tokens (pass) | - |",
		"| GET | `/healthz` | (okapi, not in the spec) | - |",
		"| ApiToken | 5 | ",
		" | 1/1 | - |",
		"| User | ",
		"| `Test_Get_User` | n/a: users | fail | n/a | POST /api/v1/users |",
		"| `Test_Never` | n/a: x | not run |",
		"| node-sdk | not run yet |",
		"tokenWindow",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	again, _ := Report(exp, dir)
	if again != md {
		t.Error("the report is not deterministic")
	}
	// A new run of the same results at another commit, slower, must not change the report: CI
	// fails when the regenerated file differs from the committed one (issue 24.10).
	run.Okapi = "def"
	for i := range run.Tests {
		run.Tests[i].Seconds += 3
	}
	if err := run.Save(filepath.Join(dir, SuiteGoSDK+".json")); err != nil {
		t.Fatal(err)
	}
	if rerun, _ := Report(exp, dir); rerun != md {
		t.Error("the report changes with the okapi commit or the timings of a run")
	}
	if t.Failed() {
		t.Log(md)
	}
}

// TestSummarizeOnce (issue 25.8): an expected n/a prints as n/a (not "fail"), every test once
// even when the runner logged it live, and one summary line ends the output.
func TestSummarizeOnce(t *testing.T) {
	r := &RunResults{Suite: "go-sdk", Tests: []TestResult{
		{Name: "Test_A", Expected: "pass", Result: ResultPass, Verdict: VerdictOK, logged: true},
		{Name: "Test_B", Expected: "n/a: no factors", Result: ResultFail, Verdict: VerdictNA},
		{Name: "Test_C", Expected: "pass", Result: ResultFail, Verdict: VerdictRegression, Output: "boom"},
	}}
	var b strings.Builder
	if Summarize(&b, r) {
		t.Error("a regression was acceptable")
	}
	out := b.String()
	for _, want := range []string{"n/a            Test_B (no factors)", "REGRESSION     Test_C (fail)", "boom",
		"go-sdk: 1 ok, 1 n/a (expected), 1 regressions, 0 newly passing, 0 unlisted\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Test_A") || strings.Count(out, "Test_C") != 1 || strings.Contains(out, "fail    ") {
		t.Errorf("a test printed twice, or n/a as fail:\n%s", out)
	}
}
