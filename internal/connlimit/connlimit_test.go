package connlimit

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// serve runs an HTTP server on a limited listener; "/auth" marks its connection trusted.
func serve(t *testing.T, cfg Config) (*Listener, string) {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := Listen(raw, cfg)
	srv := &httptest.Server{Listener: l, Config: &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/auth" {
				MarkTrusted(r.Context())
			}
			io.WriteString(w, "ok")
		}),
		ConnState: l.ConnState, ConnContext: ConnContext, IdleTimeout: time.Minute,
	}}
	srv.Start()
	t.Cleanup(srv.Close)
	return l, raw.Addr().String()
}

// dialFrom connects from a loopback source address, so tests can be several clients.
func dialFrom(t *testing.T, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// get sends one keep-alive request on c and reads its answer; it fails when c was closed.
func get(c net.Conn, path string) error {
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return err
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	return err
}

// waitOpen waits until the listener counts want connections from ip (accepting is asynchronous).
func waitOpen(t *testing.T, l *Listener, ip string, want int) {
	t.Helper()
	a := netip.MustParseAddr(ip)
	for range 500 {
		if _, n := l.Open(a); n == want {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	_, n := l.Open(a)
	t.Fatalf("%s holds %d connections, want %d", ip, n, want)
}

func TestPerIPLimitClosesTheExcessAndExemptsProxies(t *testing.T) {
	l, addr := serve(t, Config{MaxPerIP: 2, Exempt: func(a netip.Addr) bool { return a == netip.MustParseAddr("127.0.0.9") }})
	a1, a2, a3 := dialFrom(t, "127.0.0.2", addr), dialFrom(t, "127.0.0.2", addr), dialFrom(t, "127.0.0.2", addr)
	if err := get(a3, "/"); err == nil {
		t.Error("a third connection from one IP was served")
	}
	for _, c := range []net.Conn{a1, a2} {
		if err := get(c, "/"); err != nil {
			t.Errorf("a connection within the limit: %v", err)
		}
	}
	// Another client is counted on its own; a trusted proxy is not counted per IP at all.
	if err := get(dialFrom(t, "127.0.0.3", addr), "/"); err != nil {
		t.Errorf("another client refused: %v", err)
	}
	for range 3 {
		if err := get(dialFrom(t, "127.0.0.9", addr), "/"); err != nil {
			t.Errorf("a trusted proxy's connection refused: %v", err)
		}
	}
	// Closing a connection frees its place.
	a1.Close()
	waitOpen(t, l, "127.0.0.2", 1)
	if err := get(dialFrom(t, "127.0.0.2", addr), "/"); err != nil {
		t.Errorf("a connection after one closed: %v", err)
	}
}

func TestTotalLimit(t *testing.T) {
	l, addr := serve(t, Config{MaxTotal: 2})
	dialFrom(t, "127.0.0.2", addr)
	dialFrom(t, "127.0.0.3", addr)
	waitOpen(t, l, "127.0.0.3", 1)
	if err := get(dialFrom(t, "127.0.0.4", addr), "/"); err == nil {
		t.Error("a connection over the total was served")
	}
	if total, _ := l.Open(netip.Addr{}); total != 2 {
		t.Errorf("total = %d, want 2", total)
	}
}

func TestUntrustedIdleConnectionsAreClosedSooner(t *testing.T) {
	_, addr := serve(t, Config{UntrustedIdle: 100 * time.Millisecond})
	probe, admin := dialFrom(t, "127.0.0.2", addr), dialFrom(t, "127.0.0.2", addr)
	if err := get(probe, "/healthz"); err != nil {
		t.Fatal(err)
	}
	if err := get(admin, "/auth"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	if err := get(probe, "/healthz"); err == nil {
		t.Error("an unauthenticated connection stayed open past UntrustedIdle")
	}
	if err := get(admin, "/"); err != nil {
		t.Errorf("an authenticated connection was closed while idle: %v", err)
	}
}

func TestWarningIsRateLimited(t *testing.T) {
	var logs strings.Builder
	l := Listen(nil, Config{Log: slog.New(slog.NewTextHandler(&logs, nil))})
	for range 5 {
		l.warn(netip.MustParseAddr("127.0.0.2"), "per-ip")
	}
	if n := strings.Count(logs.String(), "limit reached"); n != 1 {
		t.Errorf("%d warnings for 5 refusals within a second, want 1", n)
	}
}
