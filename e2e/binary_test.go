// Package e2e builds the okapi binary and drives it the way an operator and the official Okta
// SDK do: real process, real port, real signals.
package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/testbin"
)

var bin string // the okapi binary, built once by TestMain

func TestMain(m *testing.M) { testbin.Main(m, &bin) }

// process is a running `okapi serve`.
type process struct {
	cmd  *exec.Cmd
	url  *url.URL
	logs *logSink
	done chan error // receives Wait's result once
}

// serve starts the binary with args on a free loopback port and waits until it listens. The URL
// comes from its "okapi listening" log line, so there is no port race.
func serve(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	return serveVia(t, nil, env, args...)
}

// serveVia is serve with the binary started through a wrapper command (wrapper, then the
// binary's path and its arguments), e.g. a shell that lowers a resource limit and execs it.
func serveVia(t *testing.T, wrapper []string, env []string, args ...string) *process {
	t.Helper()
	args = append([]string{bin, "serve", "--addr", "127.0.0.1:0", "--log-level", "info"}, args...)
	args = append(wrapper, args...)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(cleanEnv(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, logs: &logSink{}, done: make(chan error, 1)}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.logs.add(line)
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "okapi listening" {
				listening <- m["url"].(string)
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	select {
	case u := <-listening:
		p.url, _ = url.Parse(u)
	case err := <-p.done:
		t.Fatalf("okapi exited before listening: %v\n%s", err, p.logs)
	case <-time.After(20 * time.Second):
		t.Fatalf("okapi did not listen within 20s\n%s", p.logs)
	}
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *process) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(within):
		t.Fatalf("okapi still running %s after the signal\n%s", within, p.logs)
		return -1
	}
}

// okapi runs a one-shot command of the binary.
func okapi(t *testing.T, env []string, args ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(cleanEnv(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("okapi %v: %v\n%s", args, err, errOut.String())
	}
	return out.String(), errOut.String()
}

// cleanEnv is the test's environment without OKAPI_ and OKTA_ settings that would change what
// the binary or the SDK does.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OKAPI_") && !strings.HasPrefix(kv, "OKTA_") {
			env = append(env, kv)
		}
	}
	return env
}

// logSink collects the log lines of a process.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) add(s string) {
	l.mu.Lock()
	l.lines = append(l.lines, s)
	l.mu.Unlock()
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// find returns the first log line whose msg is msg.
func (l *logSink) find(msg string) map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.lines {
		var m map[string]any
		if json.Unmarshal([]byte(s), &m) == nil && m["msg"] == msg {
			return m
		}
	}
	return nil
}
