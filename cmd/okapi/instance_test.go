package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/build"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// buildOkapi compiles this command into a temporary directory, so the test runs the real
// binary the way an operator would.
func buildOkapi(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(build.Default.GOROOT, "bin", "go") // go test was run by absolute path
	}
	bin := filepath.Join(t.TempDir(), "okapi")
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// instance is one running okapi process.
type instance struct {
	name string
	url  string
	cmd  *exec.Cmd
	mu   sync.Mutex
	logs bytes.Buffer // its stderr, shown when the test fails
}

// startInstance runs `okapi serve` on a free loopback port and waits for its "okapi listening"
// log line, which carries the URL. The process is stopped (SIGTERM, then SIGKILL) when t ends.
func startInstance(t *testing.T, bin, name string, args []string, env []string) (*instance, error) {
	in := &instance{name: name}
	in.cmd = exec.Command(bin, append([]string{"serve", "--http", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, args...)...)
	in.cmd.Env = append(os.Environ(), env...)
	stderr, err := in.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := in.cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	t.Cleanup(func() {
		_ = in.cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = in.cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("%s stderr:\n%s", in.name, in.output())
		}
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			in.mu.Lock()
			in.logs.WriteString(line + "\n")
			in.mu.Unlock()
			var rec struct{ Msg, URL string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "okapi listening" {
				select {
				case ready <- rec.URL:
				default:
				}
			}
		}
		_ = in.cmd.Wait()
		close(exited)
	}()
	select {
	case in.url = <-ready:
		return in, nil
	case <-exited:
		return nil, fmt.Errorf("%s exited before listening:\n%s", name, in.output())
	case <-time.After(60 * time.Second):
		return nil, fmt.Errorf("%s did not start within 60s:\n%s", name, in.output())
	}
}

func (in *instance) output() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.logs.String()
}

// client is an API client of one or more instances holding an SSWS token.
type client struct {
	token string
	http  *http.Client
}

// reply is an HTTP response, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// errorCode is the Okta errorCode of an error reply ("" if none).
func (r reply) errorCode() string {
	var e struct{ ErrorCode string }
	_ = json.Unmarshal(r.body, &e)
	return e.ErrorCode
}

func (r reply) String() string {
	b := strings.TrimSpace(string(r.body))
	if len(b) > 300 {
		b = b[:300] + "..."
	}
	return fmt.Sprintf("%d %s", r.status, b)
}

// decode unmarshals the body into v.
func (r reply) decode(v any) error { return json.Unmarshal(r.body, v) }

// nextLink is the URL of the Link rel="next" header, or "".
func (r reply) nextLink() string {
	for _, l := range r.header.Values("Link") {
		if strings.HasSuffix(l, `rel="next"`) {
			return strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(l, ">", 2)[0], "<"), ">")
		}
	}
	return ""
}

func (c *client) do(ctx context.Context, method, url string, body any) (reply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "SSWS "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	if resp.StatusCode >= 500 {
		return reply{}, errors.New(method + " " + url + ": " + reply{resp.StatusCode, resp.Header, b}.String())
	}
	return reply{resp.StatusCode, resp.Header, b}, nil
}
