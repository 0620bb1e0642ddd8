package reliability

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/testbin"
)

const token = "00reliabilitytokenreliabilitytoken0001"

var bin string // the okapi binary, built once by TestMain

func TestMain(m *testing.M) { testbin.Main(m, &bin) }

// proc is one running `okapi serve`.
type proc struct {
	cmd  *exec.Cmd
	url  string
	logs *tail
	done chan struct{} // closed once Wait returned
}

// start runs okapi serve over plain HTTP on a free loopback port with rate limits off (these
// tests measure okapi, not its limiter) and waits for its "okapi listening" line, which carries
// the URL. database is a SQLite path or a postgres:// URL.
func start(t *testing.T, dataDir, database string) *proc {
	t.Helper()
	args := []string{"serve", "--http", "--addr", "127.0.0.1:0", "--data-dir", dataDir,
		"--log-level", "info", "--rate-limit-profile", "off"}
	if database != "" {
		args = append(args, "--database", database)
	}
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OKAPI_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "OKAPI_BOOTSTRAP_TOKEN="+token)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, logs: &tail{max: 200}, done: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			// The access log is one line per request; parse only the line we wait for.
			if bytes.Contains(line, []byte(`"okapi listening"`)) {
				var m struct{ URL string }
				if json.Unmarshal(line, &m) == nil {
					select {
					case listening <- m.URL:
					default:
					}
				}
			}
			p.logs.add(string(line))
		}
		_, _ = io.Copy(io.Discard, stderr)
		_ = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill(t) })
	select {
	case p.url = <-listening:
	case <-p.done:
		t.Fatalf("okapi exited before listening:\n%s", p.logs)
	case <-time.After(60 * time.Second):
		t.Fatalf("okapi did not listen within 60s:\n%s", p.logs)
	}
	return p
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would, and waits for it.
func (p *proc) kill(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Errorf("okapi pid %d still running 30s after SIGKILL", p.cmd.Process.Pid)
	}
}

// exited reports whether the process has ended (it must not, except when killed).
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// rssKiB reads VmRSS of the process from /proc.
func (p *proc) rssKiB() (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", p.cmd.Process.Pid)
}

// tail keeps the last max log lines, shown when a test fails.
type tail struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (l *tail) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) == l.max {
		copy(l.lines, l.lines[1:])
		l.lines = l.lines[:len(l.lines)-1]
	}
	l.lines = append(l.lines, s)
}

func (l *tail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}
