package compat

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// NodeOptions configure RunNodeSDK.
type NodeOptions struct {
	Root         string
	Expectations Expectations
	TestTimeout  time.Duration
	WorkDir      string
	Log          func(format string, args ...any)
}

// NodeScenarioDir holds one file per scenario; each is a separate test.
const NodeScenarioDir = "compat/node/scenarios"

// RunNodeSDK starts okapi over HTTPS (its generated CA trusted through NODE_EXTRA_CA_CERTS, as a
// Node user would) and runs each scenario file of compat/node with `node --test` in its own
// process, judging the results against the expectations.
func RunNodeSDK(ctx context.Context, o NodeOptions) (*RunResults, error) {
	if o.TestTimeout == 0 {
		o.TestTimeout = 2 * time.Minute
	}
	nodeDir := filepath.Join(o.Root, "compat", "node")
	if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", "@okta", "okta-sdk-nodejs")); err != nil {
		return nil, fmt.Errorf("the Node SDK is not installed: run `npm ci` in %s (scripts/node-sdk-tests.sh does)", nodeDir)
	}
	files, err := filepath.Glob(filepath.Join(o.Root, NodeScenarioDir, "*.test.mjs"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no scenarios in %s", NodeScenarioDir)
	}
	sort.Strings(files)
	work := o.WorkDir
	if work == "" {
		if work, err = os.MkdirTemp("", "okapi-compat-node-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(work)
	}
	okapiBin, err := BuildOkapi(ctx, o.Root, work)
	if err != nil {
		return nil, err
	}
	index, err := newRouteIndex()
	if err != nil {
		return nil, err
	}
	k, err := Start(ctx, StartOptions{Binary: okapiBin, Addr: "127.0.0.1:0", DataDir: filepath.Join(work, "data")})
	if err != nil {
		return nil, err
	}
	defer k.Stop()
	o.Log("okapi is up at %s (CA %s)", k.URL, k.CAFile)
	expect := o.Expectations[SuiteNodeSDK]
	res := &RunResults{Suite: SuiteNodeSDK, Client: nodeSDKVersion(nodeDir), Okapi: okapiVersion(o.Root)}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".test.mjs")
		mark := k.Mark()
		start := time.Now()
		tctx, cancel := context.WithTimeout(ctx, o.TestTimeout)
		cmd := exec.CommandContext(tctx, "node", "--test", "--test-reporter=spec", f)
		cmd.Dir = nodeDir
		cmd.Env = append(os.Environ(), "OKTA_ORG_URL="+k.URL, "OKTA_TOKEN="+k.Token, "NODE_EXTRA_CA_CERTS="+k.CAFile)
		out, err := cmd.CombinedOutput()
		timedOut := errors.Is(tctx.Err(), context.DeadlineExceeded)
		cancel()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r := TestResult{Name: name, File: filepath.Base(f), Result: ResultPass, Seconds: time.Since(start).Seconds()}
		if err != nil {
			r.Result, r.Output = ResultFail, lastLines(string(out), 30)
			if timedOut {
				r.Result = ResultTimeout
			}
		}
		r.Expected = expect[name]
		r.Verdict = Judge(r.Expected, r.Result)
		served, unserved := index.attribute(k.Since(mark))
		r.Routes, r.Unserved = minus(served, nil), minus(unserved, nil)
		o.Log("%-14s %-8s %s (%.1fs)", r.Verdict, r.Result, name, r.Seconds)
		res.Tests = append(res.Tests, r)
	}
	for name, want := range expect {
		if _, err := os.Stat(filepath.Join(o.Root, NodeScenarioDir, name+".test.mjs")); err != nil {
			res.Tests = append(res.Tests, TestResult{Name: name, Expected: want, Result: ResultSkip, Verdict: VerdictUnlisted,
				Output: "listed in compat/expectations.json but there is no " + NodeScenarioDir + "/" + name + ".test.mjs"})
		}
	}
	return res, nil
}

// nodeSDKVersion reads the installed SDK's version.
func nodeSDKVersion(nodeDir string) string {
	b, err := os.ReadFile(filepath.Join(nodeDir, "node_modules", "@okta", "okta-sdk-nodejs", "package.json"))
	if err != nil {
		return "@okta/okta-sdk-nodejs"
	}
	var v string
	if i := strings.Index(string(b), `"version": "`); i >= 0 {
		rest := string(b)[i+len(`"version": "`):]
		v, _, _ = strings.Cut(rest, `"`)
	}
	return "@okta/okta-sdk-nodejs@" + v
}
