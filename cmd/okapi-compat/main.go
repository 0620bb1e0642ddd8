// Command okapi-compat runs clients okapi's authors did not write against a fresh okapi and
// reports how they fare:
//
//	okapi-compat go-sdk     the official Go SDK v5's own integration tests (needs port 80: root)
//	okapi-compat node-sdk   scenarios written with the official Node SDK (compat/node)
//	okapi-compat report     regenerate COMPATIBILITY.md from the routes, the spec and the last results
//
// Run it from the repository root (go run ./cmd/okapi-compat ...). Each suite's verdicts are judged
// against compat/expectations.json and written to compat/results/<suite>.json; a test expected
// to pass that does not makes the command exit 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/okapi-dev/okapi/internal/compat"
)

const usage = `usage: okapi-compat go-sdk | node-sdk | report [flags]  (-h after a command for its flags)`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "okapi-compat:", err)
		os.Exit(1)
	}
}

var errRegression = errors.New("a test expected to pass did not (see REGRESSION above)")

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	root, err := compat.RepoRoot()
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "okapi-compat: "+format+"\n", a...) }
	fs := flag.NewFlagSet("okapi-compat "+args[0], flag.ContinueOnError)
	expectPath := fs.String("expectations", filepath.Join(root, "compat", "expectations.json"), "expectations file")
	resultsDir := fs.String("results", filepath.Join(root, "compat", "results"), "directory for the results files")
	workDir := fs.String("work", "", "keep the work files (SDK copy, okapi data, logs) in this directory")
	switch args[0] {
	case "go-sdk":
		addr := fs.String("addr", "127.0.0.1:80", "okapi's listen address (the v5 SDK drops the port of the org URL, so :80)")
		bindWait := fs.Duration("bind-wait", 3*time.Minute, "how long to retry while the address is in use")
		timeout := fs.Duration("test-timeout", 2*time.Minute, "timeout for each SDK test")
		only := fs.String("run", "", "only run the SDK tests matching this regexp")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		exp, err := compat.LoadExpectations(*expectPath)
		if err != nil {
			return err
		}
		res, err := compat.RunGoSDK(ctx, compat.GoSDKOptions{Root: root, Expectations: exp, Addr: *addr, BindWait: *bindWait,
			TestTimeout: *timeout, Only: *only, WorkDir: *workDir, Log: logf})
		if err != nil {
			return err
		}
		return finish(res, exp, *resultsDir, *only == "")
	case "node-sdk":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		exp, err := compat.LoadExpectations(*expectPath)
		if err != nil {
			return err
		}
		res, err := compat.RunNodeSDK(ctx, compat.NodeOptions{Root: root, Expectations: exp, WorkDir: *workDir, Log: logf})
		if err != nil {
			return err
		}
		return finish(res, exp, *resultsDir, true)
	case "report":
		out := fs.String("out", filepath.Join(root, "COMPATIBILITY.md"), "file to write")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		exp, err := compat.LoadExpectations(*expectPath)
		if err != nil {
			return err
		}
		md, err := compat.Report(exp, *resultsDir)
		if err != nil {
			return err
		}
		return os.WriteFile(*out, []byte(md), 0o644)
	}
	return errors.New(usage)
}

// finish prints the verdicts, saves a full run's results for the report, and fails on a
// regression, an unlisted test or (full run) a listed test the run did not report.
func finish(res *compat.RunResults, exp compat.Expectations, dir string, save bool) error {
	ok := compat.Summarize(os.Stdout, res)
	for _, p := range compat.Incomplete(exp, res, save) {
		fmt.Fprintln(os.Stdout, "incomplete:", p)
		ok = false
	}
	if save {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := res.Save(filepath.Join(dir, res.Suite+".json")); err != nil {
			return err
		}
	}
	if !ok {
		return errRegression
	}
	return nil
}
