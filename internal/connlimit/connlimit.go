// Package connlimit bounds the connections okapi holds, so that one client cannot exhaust the
// process's file descriptors and stop okapi answering everyone else (issue 24.1).
//
//   - A total limit and a per-IP limit: a connection over either is closed as soon as it is
//     accepted (it costs one accept, and the kernel's backlog keeps draining, where blocking
//     Accept as golang.org/x/net/netutil does would leave every later client waiting). Addresses
//     the operator trusts as proxies count only against the total: every client behind a proxy
//     shares its address.
//   - A short idle timeout for connections that never carried an authenticated request: a
//     client that opens keep-alive connections with /healthz or a wrong token and leaves them
//     open loses them after UntrustedIdle instead of the server's IdleTimeout. The HTTP layer
//     calls MarkTrusted once a request on the connection has authenticated.
//
// Headers trickled byte by byte are bounded by http.Server's ReadHeaderTimeout, not here.
package connlimit

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Config sets the limits. A zero limit means no limit of that kind.
type Config struct {
	MaxTotal int
	MaxPerIP int
	// UntrustedIdle is how long a connection that never authenticated may stay idle.
	UntrustedIdle time.Duration
	// Exempt reports the addresses (trusted proxies) that count only against MaxTotal.
	Exempt func(netip.Addr) bool
	Log    *slog.Logger
}

// Listener enforces Config on the connections it accepts.
type Listener struct {
	net.Listener
	cfg   Config
	mu    sync.Mutex
	total int
	perIP map[netip.Addr]int
	// lastWarn rate-limits the operator warning about refused connections to one a second.
	lastWarn atomic.Int64
	refused  atomic.Int64
}

// Listen wraps ln.
func Listen(ln net.Listener, cfg Config) *Listener {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Listener{Listener: ln, cfg: cfg, perIP: map[netip.Addr]int{}}
}

// Accept returns the next connection within the limits, closing those over them.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := remoteIP(c)
		if why := l.admit(ip); why != "" {
			c.Close()
			l.warn(ip, why)
			continue
		}
		return &Conn{Conn: c, l: l, ip: ip}, nil
	}
}

// admit counts a new connection from ip, or says which limit refuses it.
func (l *Listener) admit(ip netip.Addr) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cfg.MaxTotal > 0 && l.total >= l.cfg.MaxTotal {
		return "total"
	}
	perIP := l.cfg.MaxPerIP > 0 && !(l.cfg.Exempt != nil && l.cfg.Exempt(ip))
	if perIP && l.perIP[ip] >= l.cfg.MaxPerIP {
		return "per-ip"
	}
	l.total++
	l.perIP[ip]++
	return ""
}

func (l *Listener) release(ip netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.perIP[ip]--; l.perIP[ip] <= 0 {
		delete(l.perIP, ip)
	}
}

// Open returns how many connections are open, in total and from ip.
func (l *Listener) Open(ip netip.Addr) (total, fromIP int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total, l.perIP[ip]
}

func (l *Listener) warn(ip netip.Addr, limit string) {
	n := l.refused.Add(1)
	now := time.Now().UnixNano()
	last := l.lastWarn.Load()
	if now-last < int64(time.Second) || !l.lastWarn.CompareAndSwap(last, now) {
		return
	}
	l.cfg.Log.Warn("connection refused: limit reached", "limit", limit, "client_ip", ip.String(),
		"max_total", l.cfg.MaxTotal, "max_per_ip", l.cfg.MaxPerIP, "refused_so_far", n)
}

// remoteIP is the connection's peer address without the port (IPv4-in-IPv6 unmapped, so one
// client counts once).
func remoteIP(c net.Conn) netip.Addr {
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// Conn is an accepted connection; closing it frees its place in the limits.
type Conn struct {
	net.Conn
	l       *Listener
	ip      netip.Addr
	closed  sync.Once
	trusted atomic.Bool
	mu      sync.Mutex
	idle    *time.Timer
}

// Close closes the connection and releases its place once.
func (c *Conn) Close() error {
	err := c.Conn.Close()
	c.closed.Do(func() {
		c.stopIdle()
		c.l.release(c.ip)
	})
	return err
}

// ConnState is http.Server's ConnState hook: an untrusted connection that turns idle is closed
// after UntrustedIdle unless a request arrives first. It works for HTTP/1.1 and HTTP/2, both of
// which report StateIdle when no request is in flight.
func (l *Listener) ConnState(nc net.Conn, st http.ConnState) {
	c := unwrap(nc)
	if c == nil || l.cfg.UntrustedIdle <= 0 {
		return
	}
	switch st {
	case http.StateIdle:
		if !c.trusted.Load() {
			c.startIdle(l.cfg.UntrustedIdle)
		}
	case http.StateActive:
		c.stopIdle()
	}
}

func (c *Conn) startIdle(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idle != nil {
		c.idle.Stop()
	}
	c.idle = time.AfterFunc(d, func() { c.Close() })
}

func (c *Conn) stopIdle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idle != nil {
		c.idle.Stop()
		c.idle = nil
	}
}

// unwrap finds the *Conn under a TLS connection.
func unwrap(nc net.Conn) *Conn {
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	c, _ := nc.(*Conn)
	return c
}

type connKey struct{}

// ConnContext is http.Server's ConnContext hook: it lets MarkTrusted find the connection.
func ConnContext(ctx context.Context, nc net.Conn) context.Context {
	if c := unwrap(nc); c != nil {
		return context.WithValue(ctx, connKey{}, c)
	}
	return ctx
}

// MarkTrusted records that a request on ctx's connection authenticated: from then on the
// connection keeps the server's normal idle timeout. It does nothing outside a limited listener.
func MarkTrusted(ctx context.Context) {
	if c, ok := ctx.Value(connKey{}).(*Conn); ok {
		c.trusted.Store(true)
	}
}
