// Package compat is okapi's conformance harness: it runs clients okapi's authors did not write
// (the official Okta Go SDK's own integration tests, the official Node SDK) against a freshly
// started okapi, judges each test against the checked-in expectations, and generates
// COMPATIBILITY.md from the route table, the spec and the last results.
package compat

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// RepoRoot is the directory of okapi's go.mod, found from the working directory.
func RepoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run okapi-compat inside the okapi module")
	}
	return filepath.Dir(mod), nil
}

// BuildOkapi compiles cmd/okapi into dir and returns the binary's path.
func BuildOkapi(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "okapi")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/okapi")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build okapi: %v\n%s", err, out)
	}
	return bin, nil
}

// NewToken makes a bootstrap token shaped like Okta's (00 and 40 letters and digits).
func NewToken() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 40)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "00" + string(b)
}

// Okapi is a running okapi process with its access log captured.
type Okapi struct {
	URL     string
	Token   string
	DataDir string
	CAFile  string // set when serving HTTPS
	cmd     *exec.Cmd
	log     *accessLog
	exited  chan struct{}
	hc      *http.Client // trusts CAFile when serving HTTPS
}

// client is an HTTP client that trusts this okapi.
func (k *Okapi) client() *http.Client {
	if k.hc != nil {
		return k.hc
	}
	return http.DefaultClient
}

// StartOptions say how to run okapi.
type StartOptions struct {
	Binary  string
	Addr    string // 127.0.0.1:80, or 127.0.0.1:0 for any free port
	HTTP    bool   // plain HTTP instead of the generated-CA HTTPS
	DataDir string
	// BindWait is how long to keep retrying when the address is in use (another engineer's
	// manual run may hold :80 for a while).
	BindWait time.Duration
	Stderr   io.Writer // okapi's own log, copied here too when set
}

// Start runs okapi and returns once /readyz answers.
func Start(ctx context.Context, o StartOptions) (*Okapi, error) {
	deadline := time.Now().Add(o.BindWait)
	for attempt := 1; ; attempt++ {
		ok, err := startOnce(ctx, o)
		if err == nil {
			return ok, nil
		}
		if !errors.Is(err, errAddrInUse) || time.Now().After(deadline) {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "okapi-compat: %s is in use; retrying (attempt %d, until %s)\n", o.Addr, attempt, deadline.Format(time.TimeOnly))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(3 * time.Second):
		}
	}
}

var errAddrInUse = errors.New("address already in use")

func startOnce(ctx context.Context, o StartOptions) (*Okapi, error) {
	token := NewToken()
	args := []string{"serve", "--addr", o.Addr, "--data-dir", o.DataDir, "--log-level", "info"}
	if o.HTTP {
		args = append(args, "--http")
	}
	cmd := exec.Command(o.Binary, args...)
	cmd.Env = append(os.Environ(), "OKAPI_BOOTSTRAP_TOKEN="+token)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start okapi: %w", err)
	}
	k := &Okapi{Token: token, DataDir: o.DataDir, cmd: cmd, log: &accessLog{}, exited: make(chan struct{})}
	listening := make(chan string, 1)
	go k.log.read(stderr, o.Stderr, listening)
	go func() { _ = cmd.Wait(); close(k.exited) }()
	select {
	case u := <-listening:
		k.URL = u
	case <-k.exited:
		tail := k.log.tail()
		if strings.Contains(tail, "address already in use") {
			return nil, fmt.Errorf("%w: %s", errAddrInUse, o.Addr)
		}
		return nil, fmt.Errorf("okapi exited at start:\n%s", tail)
	case <-time.After(30 * time.Second):
		k.Stop()
		return nil, fmt.Errorf("okapi did not start listening in 30s:\n%s", k.log.tail())
	case <-ctx.Done():
		k.Stop()
		return nil, ctx.Err()
	}
	client := http.DefaultClient
	if strings.HasPrefix(k.URL, "https://") {
		k.CAFile = filepath.Join(o.DataDir, "okapi-ca.pem")
		pem, err := os.ReadFile(k.CAFile)
		if err != nil {
			k.Stop()
			return nil, fmt.Errorf("okapi serves HTTPS but its CA is unreadable: %w", err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	}
	k.hc = client
	answered := 0
	for i := 0; ; i++ {
		resp, err := client.Get(k.URL + "/readyz")
		if err == nil {
			answered++
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				k.awaitLogged("/readyz", answered)
				return k, nil
			}
		}
		if i == 100 {
			k.Stop()
			return nil, fmt.Errorf("okapi at %s never became ready: %v", k.URL, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// awaitLogged waits (up to 2 s) until the access log holds n requests for path. okapi writes the
// access line just after the response, so without this a Mark taken right after Start could
// still see a readiness probe arrive.
func (k *Okapi) awaitLogged(path string, n int) {
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		seen := 0
		for _, r := range k.log.since(0) {
			if r.Path == path {
				seen++
			}
		}
		if seen >= n {
			return
		}
	}
}

// Stop ends okapi (SIGTERM, then SIGKILL after 10 s).
func (k *Okapi) Stop() {
	if k.cmd.Process == nil {
		return
	}
	_ = k.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-k.exited:
	case <-time.After(10 * time.Second):
		_ = k.cmd.Process.Kill()
		<-k.exited
	}
}

// Mark is a position in the access log; Since returns the requests logged after it.
func (k *Okapi) Mark() int { return k.log.len() }

// Since returns the requests okapi logged after mark, waiting briefly for the log to settle
// (okapi writes the access line just after the response).
func (k *Okapi) Since(mark int) []Request {
	time.Sleep(150 * time.Millisecond)
	return k.log.since(mark)
}

// Request is one access-log line.
type Request struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Status int    `json:"status"`
}

// accessLog keeps okapi's "request" log lines and the last lines of everything else.
type accessLog struct {
	mu       sync.Mutex
	requests []Request
	lines    []string
}

func (a *accessLog) read(r io.Reader, copyTo io.Writer, listening chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if copyTo != nil {
			_, _ = copyTo.Write(append(bytes.Clone(line), '\n'))
		}
		var entry struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
			Request
		}
		_ = json.Unmarshal(line, &entry)
		a.mu.Lock()
		a.lines = append(a.lines, string(line))
		if len(a.lines) > 50 {
			a.lines = a.lines[1:]
		}
		if entry.Msg == "request" {
			a.requests = append(a.requests, entry.Request)
		}
		a.mu.Unlock()
		if entry.Msg == "okapi listening" && entry.URL != "" {
			select {
			case listening <- entry.URL:
			default:
			}
		}
	}
}

func (a *accessLog) len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.requests)
}

func (a *accessLog) since(mark int) []Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	if mark > len(a.requests) {
		return nil
	}
	return append([]Request(nil), a.requests[mark:]...)
}

func (a *accessLog) tail() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return strings.Join(a.lines, "\n")
}
