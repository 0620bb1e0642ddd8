package compat

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"

	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/oastest"
)

// Expectations is compat/expectations.json: for each suite, test name → "pass" or
// "n/a: <reason>" (an API okapi does not serve yet).
type Expectations map[string]map[string]string

// Suite names used in the expectations and results files.
const (
	SuiteGoSDK   = "go-sdk"
	SuiteNodeSDK = "node-sdk"
)

// LoadExpectations reads the file.
func LoadExpectations(path string) (Expectations, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var e Expectations
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for suite, tests := range e {
		for name, v := range tests {
			if v != "pass" && !strings.HasPrefix(v, "n/a: ") {
				return nil, fmt.Errorf("%s: %s %s: %q must be \"pass\" or \"n/a: <reason>\"", path, suite, name, v)
			}
		}
	}
	return e, nil
}

// Outcome of one test in one run.
const (
	ResultPass    = "pass"
	ResultFail    = "fail"
	ResultSkip    = "skip"
	ResultTimeout = "timeout"
)

// Verdict of a result judged against its expectation.
const (
	VerdictOK         = "ok"            // expected pass, passed
	VerdictNA         = "n/a"           // expected n/a, did not pass
	VerdictRegression = "REGRESSION"    // expected pass, did not pass: the run fails
	VerdictNewPass    = "NEWLY PASSING" // expected n/a, passed: flip it to "pass"
	VerdictUnlisted   = "UNLISTED"      // not in the expectations file: add it
)

// Judge compares a result with the expectation for it.
func Judge(expected, result string) string {
	switch {
	case expected == "":
		return VerdictUnlisted
	case expected == "pass" && result == ResultPass:
		return VerdictOK
	case expected == "pass":
		return VerdictRegression
	case result == ResultPass:
		return VerdictNewPass
	}
	return VerdictNA
}

// TestResult is one test of one run, with the okapi routes it exercised.
type TestResult struct {
	Name     string   `json:"name"`
	File     string   `json:"file,omitempty"`
	Expected string   `json:"expected"`
	Result   string   `json:"result"`
	Verdict  string   `json:"verdict"`
	Seconds  float64  `json:"seconds"`
	Routes   []string `json:"routes,omitempty"`   // okapi routes it called ("GET /api/v1/users/{id}")
	Unserved []string `json:"unserved,omitempty"` // spec operations it called that okapi does not serve
	Output   string   `json:"output,omitempty"`   // the end of a failing test's output
	// logged: the runner printed its Line as it finished, so Summarize does not repeat it.
	logged bool
}

// RunResults is compat/results/<suite>.json, the last run of one suite.
type RunResults struct {
	Suite  string       `json:"suite"`
	Client string       `json:"client"`
	Okapi  string       `json:"okapi"`
	Tests  []TestResult `json:"tests"`
}

// Save writes r as indented JSON.
func (r *RunResults) Save(path string) error {
	sort.Slice(r.Tests, func(i, j int) bool { return r.Tests[i].Name < r.Tests[j].Name })
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// LoadResults reads a results file; a missing file is an empty run.
func LoadResults(path string) (*RunResults, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return &RunResults{}, nil
	}
	if err != nil {
		return nil, err
	}
	var r RunResults
	return &r, json.Unmarshal(b, &r)
}

// Line is one test's verdict for a person reading CI output: an expected n/a shows as n/a
// with its reason, never as the "fail" it is underneath (the expectation says it cannot pass).
func Line(t TestResult) string {
	switch t.Verdict {
	case VerdictNA:
		return fmt.Sprintf("%-14s %s (%s)", t.Verdict, t.Name, strings.TrimPrefix(t.Expected, "n/a: "))
	case VerdictOK:
		return fmt.Sprintf("%-14s %s (%.1fs)", t.Verdict, t.Name, t.Seconds)
	case VerdictNewPass:
		return fmt.Sprintf("%-14s %s   <- marked n/a but passes: set it to \"pass\" in compat/expectations.json", t.Verdict, t.Name)
	case VerdictUnlisted:
		return fmt.Sprintf("%-14s %s (%s)   <- not in compat/expectations.json: add it", t.Verdict, t.Name, t.Result)
	}
	return fmt.Sprintf("%-14s %s (%s)", t.Verdict, t.Name, t.Result)
}

// Summarize prints each test's Line once (not again for a test the runner logged as it
// finished), the output of each regression, and a one-line summary; it returns whether the run is acceptable (no
// regression).
func Summarize(w io.Writer, r *RunResults) bool {
	counts := map[string]int{}
	ok := true
	for _, t := range r.Tests {
		counts[t.Verdict]++
		if !t.logged {
			fmt.Fprintln(w, Line(t))
		}
		if t.Verdict == VerdictRegression {
			ok = false
			fmt.Fprintln(w, indent(t.Output))
		}
	}
	fmt.Fprintf(w, "%s: %d ok, %d n/a (expected), %d regressions, %d newly passing, %d unlisted\n", r.Suite,
		counts[VerdictOK], counts[VerdictNA], counts[VerdictRegression], counts[VerdictNewPass], counts[VerdictUnlisted])
	return ok
}

// Incomplete lists what makes a run unacceptable besides regressions: tests the run reports
// that compat/expectations.json does not list and, for a full run (no -run filter), tests the
// expectations list for the suite that the run did not report (a test that disappeared). The
// compatibility run fails on any of them, so the expectations file cannot drift from the suite.
func Incomplete(exp Expectations, r *RunResults, full bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range r.Tests {
		seen[t.Name] = true
		if t.Verdict == VerdictUnlisted {
			out = append(out, t.Name+": not in compat/expectations.json")
		}
	}
	if full {
		for name := range exp[r.Suite] {
			if !seen[name] {
				out = append(out, name+": listed in compat/expectations.json but the run did not report it")
			}
		}
	}
	sort.Strings(out)
	return out
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return "      | " + strings.ReplaceAll(s, "\n", "\n      | ")
}

// routeIndex attributes access-log requests to okapi routes, or to spec operations okapi does
// not serve.
type routeIndex struct {
	mux  *http.ServeMux
	spec *oastest.Doc
}

func newRouteIndex() (*routeIndex, error) {
	spec, err := oastest.Load()
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	for _, r := range httpapi.Routes() {
		mux.HandleFunc(r.Pattern(), func(http.ResponseWriter, *http.Request) {})
	}
	return &routeIndex{mux: mux, spec: spec}, nil
}

// attribute returns the served routes and the unserved spec operations the requests hit, each
// with its count (so a baseline can be subtracted).
func (x *routeIndex) attribute(reqs []Request) (served, unserved map[string]int) {
	served, unserved = map[string]int{}, map[string]int{}
	for _, r := range reqs {
		req, err := http.NewRequest(r.Method, "http://okapi"+r.Path, nil)
		if err != nil {
			continue
		}
		if _, pattern := x.mux.Handler(req); pattern != "" {
			served[pattern]++
			continue
		}
		if tmpl, item := x.spec.Match(r.Path); item != nil {
			unserved[r.Method+" "+tmpl]++
		} else {
			unserved[r.Method+" "+r.Path+" (not in spec)"]++
		}
	}
	return served, unserved
}

// minus lists the keys of m whose count exceeds base's, sorted.
func minus(m, base map[string]int) []string {
	var out []string
	for k, n := range m {
		if n > base[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
