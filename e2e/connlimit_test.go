package e2e

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSlowConnectionsDoNotStarveOthers (issue 24.1): one client that opens more connections than
// okapi has descriptors for, each trickling an unfinished request, used to exhaust the
// descriptors (accept fails with EMFILE) and stop okapi answering anyone. With the connection
// limits that client keeps only --max-connections-per-ip of them, and an ordinary client is still
// answered within a second.
func TestSlowConnectionsDoNotStarveOthers(t *testing.T) {
	const fds, perIP, attackerConns = 1024, 64, 1100
	const token = "00SlowLorisTestToken0000000000000000000000"
	// A hard limit of 1024 descriptors, which okapi cannot raise: more attacker connections than
	// that would take every one.
	p := serveVia(t, []string{"bash", "-c", `ulimit -n ` + strconv.Itoa(fds) + ` && exec "$0" "$@"`},
		[]string{"OKAPI_BOOTSTRAP_TOKEN=" + token}, "--http", "--max-connections-per-ip", strconv.Itoa(perIP),
		"--data-dir", t.TempDir())
	// The attacker connects from another loopback address, so its per-IP count is its own.
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}, Timeout: 2 * time.Second}
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range attackerConns {
		c, err := d.Dial("tcp", p.url.Host)
		if err != nil {
			continue // refused outright counts as held off too
		}
		conns = append(conns, c)
		_, _ = c.Write([]byte("GET /api/v1/users HTTP/1.1\r\nHost: " + p.url.Host + "\r\n")) // never finished
	}

	client := &http.Client{Timeout: time.Second}
	var lastErr error
	answered := false
	// A few tries, each with one second: a loaded test machine may stall one request, but an
	// exhausted okapi answers none.
	for range 3 {
		req, _ := http.NewRequest("GET", p.url.String()+"/api/v1/api-tokens", nil)
		req.Header.Set("Authorization", "SSWS "+token)
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				answered = true
				break
			}
			err = &statusError{resp.StatusCode}
		}
		lastErr = err
	}
	if !answered {
		t.Fatalf("an ordinary client was not answered within 1 s beside %d slow connections: %v\n%s", len(conns), lastErr, p.logs)
	}

	// The attacker holds at most perIP connections: the others were closed on accept. Each is
	// read at once (a Read after its deadline passed reports a timeout without looking), and one
	// still open after half a second times out.
	var open atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(500 * time.Millisecond)
	for _, c := range conns {
		wg.Go(func() {
			_ = c.SetReadDeadline(deadline)
			if _, err := c.Read(make([]byte, 1)); err != nil {
				if ne, ok := err.(net.Error); ok && ne.Timeout() {
					open.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if open := int(open.Load()); open > perIP || open == 0 {
		t.Errorf("the attacker holds %d connections, want at most %d (and its admitted ones still open)", open, perIP)
	}
	if !strings.Contains(p.logs.String(), "connection refused: limit reached") {
		t.Errorf("no operator warning about refused connections\n%s", p.logs)
	}
}

type statusError struct{ code int }

func (e *statusError) Error() string { return http.StatusText(e.code) }
