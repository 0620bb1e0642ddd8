package compat

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// GoSDKOptions configure RunGoSDK.
type GoSDKOptions struct {
	Root         string // okapi repo root
	Expectations Expectations
	Addr         string        // okapi's listen address; the v5 SDK drops the port, so 127.0.0.1:80
	BindWait     time.Duration // how long to wait for Addr to be free
	TestTimeout  time.Duration // per test
	Only         string        // when set, a -test.run regexp restricting which tests run
	WorkDir      string        // kept for inspection when set; else a temp dir, removed after
	Log          func(format string, args ...any)
}

// RunGoSDK builds okapi and the Go SDK's integration tests, starts okapi, runs every listed test
// in its own process (so the requests okapi logs during it belong to it), and judges each
// result against the expectations.
func RunGoSDK(ctx context.Context, o GoSDKOptions) (*RunResults, error) {
	work := o.WorkDir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "okapi-compat-go-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(work)
	}
	sdkDir, err := SDKDir()
	if err != nil {
		return nil, err
	}
	tests, err := DiscoverSDKTests(sdkDir)
	if err != nil {
		return nil, err
	}
	expect := o.Expectations[SuiteGoSDK]
	copyDir := filepath.Join(work, "sdk")
	if err := CopySDK(sdkDir, copyDir); err != nil {
		return nil, fmt.Errorf("copy the SDK: %w", err)
	}
	o.Log("building okapi and the SDK's tests (the first SDK build takes minutes; later ones hit the build cache)")
	okapiBin, err := BuildOkapi(ctx, o.Root, work)
	if err != nil {
		return nil, err
	}
	testBin, err := BuildSDKTests(ctx, copyDir)
	if err != nil {
		return nil, err
	}
	index, err := newRouteIndex()
	if err != nil {
		return nil, err
	}
	dataDir := filepath.Join(work, "data")
	k, err := Start(ctx, StartOptions{Binary: okapiBin, Addr: o.Addr, HTTP: true, DataDir: dataDir, BindWait: o.BindWait})
	if err != nil {
		return nil, err
	}
	defer k.Stop()
	o.Log("okapi is up at %s", k.URL)
	pkEnv, err := privateKeyClient(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("set up the SDK's OAuth 2.0 service app: %w", err)
	}
	run := SDKRun{Binary: testBin, Dir: filepath.Join(copyDir, "okta"), OrgURL: orgURL(o.Addr), Token: k.Token,
		TestTimeout: o.TestTimeout, Env: pkEnv}

	// The SDK's TestMain sweeps leftover SDK_TEST users, groups, rules and IdPs before and
	// after the tests; a run with no tests measures those requests so they can be subtracted.
	mark := k.Mark()
	if _, err := run.Run(ctx, "^$"); err != nil {
		return nil, fmt.Errorf("run the SDK's TestMain: %w", err)
	}
	baseServed, baseUnserved := index.attribute(k.Since(mark))

	res := &RunResults{Suite: SuiteGoSDK, Client: SDKVersion(sdkDir), Okapi: okapiVersion(o.Root)}
	for _, t := range tests {
		if o.Only != "" && !matches(o.Only, t.Name) {
			continue
		}
		mark := k.Mark()
		start := time.Now()
		got, err := run.Run(ctx, "^"+t.Name+"$")
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r, ok := got[t.Name]
		if !ok {
			r = TestResult{Name: t.Name, Result: ResultFail, Seconds: time.Since(start).Seconds(), Output: fmt.Sprint("no result from the test binary: ", err)}
		}
		r.File, r.Expected = t.File, expect[t.Name]
		r.Verdict = Judge(r.Expected, r.Result)
		served, unserved := index.attribute(k.Since(mark))
		r.Routes, r.Unserved = minus(served, baseServed), minus(unserved, baseUnserved)
		o.Log("%s", Line(r))
		r.logged = true // already on the console: Summarize does not repeat it
		res.Tests = append(res.Tests, r)
	}
	// Listed tests the SDK no longer has are reported so the file is kept in step.
	for name, want := range expect {
		if !hasTest(tests, name) {
			res.Tests = append(res.Tests, TestResult{Name: name, Expected: want, Result: ResultSkip, Verdict: VerdictUnlisted,
				Output: "listed in compat/expectations.json but not a test of " + res.Client})
		}
	}
	return res, nil
}

// orgURL is the org URL to give the SDK for okapi's address: the v5 SDK keeps only the host, so
// anything but port 80 cannot work and is passed on as is for the failure to be visible.
func orgURL(addr string) string {
	host, port, _ := strings.Cut(addr, ":")
	if port == "80" {
		return "http://" + host
	}
	return "http://" + addr
}

func hasTest(tests []SDKTest, name string) bool {
	for _, t := range tests {
		if t.Name == name {
			return true
		}
	}
	return false
}
