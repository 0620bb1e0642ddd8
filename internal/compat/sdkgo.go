package compat

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/oastest"
)

// SDKTest is one integration test function of the Go SDK.
type SDKTest struct{ Name, File string }

// SDKDir is the pinned Go SDK module's directory in the module cache.
func SDKDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-json", oastest.SDKModule).Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %w", oastest.SDKModule, err)
	}
	var m struct{ Dir, Version string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		return "", fmt.Errorf("go list -m %s: no directory (is the module downloaded? run go mod download %s)", oastest.SDKModule, oastest.SDKModule)
	}
	return m.Dir, nil
}

// SDKVersion is the pinned module version, e.g. "github.com/okta/okta-sdk-golang/v5@v5.0.2".
func SDKVersion(dir string) string {
	return oastest.SDKModule + "@" + strings.TrimPrefix(filepath.Base(dir), "v5@")
}

// DiscoverSDKTests lists the integration tests: Test functions in okta/api_*_test.go and in
// okta/private_key_test.go (the OAuth 2.0 authorization modes, run with a service app
// privateKeyClient sets up). The other test files (cache, retry logic, configuration, proxy) are
// unit tests that use httpmock, not a server.
func DiscoverSDKTests(sdkDir string) ([]SDKTest, error) {
	files, err := filepath.Glob(filepath.Join(sdkDir, "okta", "api_*_test.go"))
	if err != nil {
		return nil, err
	}
	files = append(files, filepath.Join(sdkDir, "okta", "private_key_test.go"))
	var tests []SDKTest
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Type.Params.NumFields() != 1 {
				continue
			}
			tests = append(tests, SDKTest{Name: fn.Name.Name, File: filepath.Base(f)})
		}
	}
	sort.Slice(tests, func(i, j int) bool { return tests[i].Name < tests[j].Name })
	return tests, nil
}

// CopySDK copies the read-only module from the cache into dir (made writable) so its tests can
// be built there.
func CopySDK(sdkDir, dir string) error {
	return filepath.WalkDir(sdkDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(sdkDir, p)
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

// BuildSDKTests compiles the SDK's okta package tests into a binary. -trimpath makes the build
// cache key independent of the temp directory, so only the first run pays for compiling the
// 2.6 MB-spec SDK (minutes on two cores); later runs take seconds.
func BuildSDKTests(ctx context.Context, copyDir string) (string, error) {
	bin := filepath.Join(copyDir, "okta.test")
	cmd := exec.CommandContext(ctx, "go", "test", "-trimpath", "-c", "-o", bin, "./okta")
	cmd.Dir = copyDir
	// The copy is its own module: resolve its test dependencies from its own go.mod/go.sum.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build the SDK tests: %v\n%s", err, out)
	}
	return bin, nil
}

// SDKRun is how to run the SDK's tests against okapi.
type SDKRun struct {
	Binary      string // the compiled okta.test
	Dir         string // working directory (the copy's okta/)
	OrgURL      string
	Token       string
	TestTimeout time.Duration
	Env         []string // more environment for the tests (privateKeyClient's)
}

// test2jsonEvent is one line of `go tool test2json`.
type test2jsonEvent struct {
	Action  string
	Test    string
	Output  string
	Elapsed float64
}

// Run runs the tests named by pattern (a -test.run regexp) in one process and returns each
// test's result and output.
func (r SDKRun) Run(ctx context.Context, pattern string) (map[string]TestResult, error) {
	ctx, cancel := context.WithTimeout(ctx, r.TestTimeout+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "tool", "test2json", "-t", "-p", "okta", r.Binary,
		"-test.v=test2json", "-test.count=1", "-test.timeout", r.TestTimeout.String(), "-test.run", pattern)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(),
		"OKTA_CLIENT_ORGURL="+r.OrgURL,
		"OKTA_CLIENT_TOKEN="+r.Token,
		"OKTA_CLIENT_AUTHORIZATIONMODE=SSWS",
		"OKTA_TESTING_DISABLE_HTTPS_CHECK=true",
		"OKTA_CLIENT_CACHE_ENABLED=false",
	)
	cmd.Env = append(cmd.Env, r.Env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	results := map[string]TestResult{}
	outputs := map[string]*strings.Builder{}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 4<<20)
	for sc.Scan() {
		var ev test2jsonEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil || ev.Test == "" || strings.Contains(ev.Test, "/") {
			continue
		}
		switch ev.Action {
		case "output":
			if outputs[ev.Test] == nil {
				outputs[ev.Test] = &strings.Builder{}
			}
			outputs[ev.Test].WriteString(ev.Output)
		case "pass", "fail", "skip":
			res := TestResult{Name: ev.Test, Result: ev.Action, Seconds: ev.Elapsed}
			if ev.Action != "pass" && outputs[ev.Test] != nil {
				res.Output = lastLines(outputs[ev.Test].String(), 25)
				if strings.Contains(res.Output, "panic: test timed out") {
					res.Result = ResultTimeout
				}
			}
			results[ev.Test] = res
		}
	}
	_ = cmd.Wait() // a failing test exits 1; the events say which
	return results, ctx.Err()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
