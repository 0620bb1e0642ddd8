// Package app wires okapi together: configuration, store, service, HTTP server and their
// lifecycle. main and the end-to-end tests share it.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/okapi-dev/okapi/internal/config"
	"github.com/okapi-dev/okapi/internal/connlimit"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/hookdelivery"
	"github.com/okapi-dev/okapi/internal/httpapi"
	"github.com/okapi-dev/okapi/internal/netzone"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store/postgres"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
	"github.com/okapi-dev/okapi/internal/store/sqlstore"
)

// Version is set at build time with -ldflags "-X github.com/okapi-dev/okapi/internal/app.Version=...".
var Version = "0.1.0-dev"

const usage = `okapi: a self-hosted server for the Okta Management API v1

Usage:
  okapi serve [flags]            run the server (okapi serve -h for flags)
  okapi token create --name N    create an API token in the default org and print it
  okapi migrate [flags]          apply database migrations and exit
  okapi ca export [--out FILE]   write the CA certificate of okapi's generated TLS certificate
  okapi seed-bench --users N     fill the default org with generated users (benchmarks)
  okapi version                  print the version
`

// Run runs one okapi command. ctx is cancelled on SIGINT/SIGTERM.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, getenv, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil // -h printed the command's flags: asking for help is not a failure
	}
	return err
}

func dispatch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "token":
		return tokenCmd(ctx, args[1:], getenv, stdout, stderr)
	case "ca":
		return caCmd(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout, stderr)
	case "seed-bench":
		return seedBench(ctx, args[1:], getenv, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "okapi", Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// lockedWriter serialises Writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// openStore opens the configured backend.
func openStore(ctx context.Context, cfg *config.Config) (*sqlstore.DB, error) {
	if cfg.IsPostgres() {
		return postgres.Open(ctx, cfg.Database)
	}
	if err := os.MkdirAll(filepath.Dir(cfg.Database), 0o700); err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, cfg.Database, sqlite.Options{})
}

// Server is a running okapi, for main and for tests that start one in-process.
type Server struct {
	URL   string
	Token string
	// OperatorToken guards the operator API (/okapi/v1); empty when another instance on the
	// same database made it (this one accepts it without knowing it).
	OperatorToken string
	CAFile        string
	Service       *service.Service
	store         *sqlstore.DB
	http          *http.Server
	listener      net.Listener
	done          chan error
	log           *slog.Logger
	tokenFile     string
	// stopJobs ends the background jobs (log retention); jobsDone closes when they have.
	stopJobs context.CancelFunc
	jobsDone chan struct{}
	// cleanup closes what Start opened (lock file, store, rate limiter, listener), newest first.
	cleanup cleanupStack

	inFlight     requestCounter
	shutdownOnce sync.Once
	shutdownErr  error
}

// logPurgeEvery is how often expired System Log events are purged.
const logPurgeEvery = 10 * time.Minute

// Start opens the store, makes sure the default org exists, and starts listening. It returns
// once the server accepts connections. Whatever it opened before a failure (lock file, store,
// rate limiter, listener) is closed before it returns the error.
func Start(ctx context.Context, cfg *config.Config, logOut io.Writer) (_ *Server, err error) {
	// The logger and the API's access log write whole lines to logOut; one lock keeps a writer
	// that is not a file (a test's buffer) safe between them.
	logOut = &lockedWriter{w: logOut}
	log := newLogger(logOut, cfg.LogLevel)
	s := &Server{log: log, done: make(chan error, 1)}
	defer func() {
		if err != nil {
			err = errors.Join(err, s.cleanup.run())
		}
	}()
	sender := hookdelivery.New()
	if err := s.openService(ctx, cfg, log, sender); err != nil {
		return nil, err
	}
	if err := s.prepareDefaultOrg(ctx, cfg); err != nil {
		return nil, err
	}
	api, err := s.newAPI(ctx, cfg, logOut)
	if err != nil {
		return nil, err
	}
	s.http = &http.Server{
		Handler:           s.inFlight.wrap(api),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if err := s.listen(cfg); err != nil {
		return nil, err
	}
	s.startJobs(cfg, sender)
	log.Info("okapi listening", "url", s.URL, "database", redactDSN(cfg.Database), "version", Version)
	return s, nil
}

// openService takes the SQLite lock, opens the store and builds the service on it.
func (s *Server) openService(ctx context.Context, cfg *config.Config, log *slog.Logger, sender *hookdelivery.Sender) error {
	if !cfg.IsPostgres() {
		lock, err := lockSQLite(cfg.Database)
		if err != nil {
			return err
		}
		if lock != nil {
			s.cleanup.push(lock.Close) // pushed first, so released after the store closes
		}
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	s.store = db
	s.cleanup.push(db.Close)
	clock, ids, err := clockAndIDs(cfg)
	if err != nil {
		return err
	}
	svc := service.New(db, clock, ids, log)
	svc.HookVerifier = sender
	if cfg.TokenIdleExpiry > 0 {
		svc.TokenIdle = cfg.TokenIdleExpiry
	}
	if !cfg.IsPostgres() {
		// One instance sees every change to tokens and users: verified tokens may be kept
		// for a second (service.authCache). Never across instances on PostgreSQL.
		svc.AuthCacheTTL = time.Second
	} else {
		svc.SharedStore = true
	}
	s.Service = svc
	return nil
}

// prepareDefaultOrg makes sure the default org exists, writes its first token the first time,
// and loads the --seed file.
func (s *Server) prepareDefaultOrg(ctx context.Context, cfg *config.Config) error {
	org, secret, err := s.Service.EnsureOrg(ctx, service.OrgSetup{
		Name: domain.DefaultOrgName, AdminLogin: cfg.AdminLogin, TokenSecret: cfg.BootstrapToken, TokenName: "bootstrap",
	})
	if err == nil {
		err = s.Service.EnsureAdminGroups(ctx)
	}
	if err != nil {
		return err
	}
	s.Token = secret
	if secret == "" {
		s.Token = cfg.BootstrapToken
	}
	if secret != "" {
		s.tokenFile = filepath.Join(cfg.DataDir, "bootstrap-token")
		err := os.MkdirAll(cfg.DataDir, 0o700)
		if err == nil {
			// No trailing newline: a client that sends the file as is (os.ReadFile into a
			// header) would otherwise fail with "invalid header field value".
			err = writeSecretFile(s.tokenFile, []byte(secret))
		}
		if err != nil {
			return fmt.Errorf("write bootstrap token: %w", err)
		}
		s.log.Info("created the default org and its first API token", "org", org.ID,
			"admin_login", cfg.AdminLogin, "token_file", s.tokenFile)
	}
	if cfg.Seed != "" {
		return loadStartSeed(ctx, s.Service, cfg.Seed, s.log)
	}
	return nil
}

// newAPI builds the HTTP API with its rate limiter and operator token.
func (s *Server) newAPI(ctx context.Context, cfg *config.Config, logOut io.Writer) (http.Handler, error) {
	var public *url.URL
	if cfg.PublicURL != "" {
		public, _ = url.Parse(cfg.PublicURL)
	}
	proxies, err := netzone.TrustedCIDRs(cfg.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("--trusted-proxies: %w", err)
	}
	limiter, err := ratelimit.New(ratelimit.Config{Profile: cfg.RateLimitProfile, Window: cfg.RateLimitWindow,
		OverridesFile: cfg.RateLimitConfig, RedisURL: cfg.RateLimitStore})
	if err != nil {
		return nil, fmt.Errorf("rate limits: %w", err)
	}
	s.cleanup.pushCloser(limiter)
	var opHash []byte
	if s.OperatorToken, opHash, err = operatorAuth(ctx, cfg, s.Service, s.log); err != nil {
		return nil, err
	}
	return httpapi.New(httpapi.Config{Service: s.Service, Logger: s.log, AccessLog: logOut, PublicURL: public,
		TrustedProxies: proxies.Contains, Version: Version, Limiter: limiter, BaseDomain: cfg.BaseDomain,
		OperatorTokenHash: opHash, StrictHosts: true, AllowedHosts: cfg.AllowedHostList()}), nil
}

// listen opens the listener, sets up TLS and starts serving on it.
func (s *Server) listen(cfg *config.Config) error {
	raw, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	ln := s.limitConnections(raw, cfg)
	// Closed by http.Server on Shutdown; closing it again after that is harmless.
	s.cleanup.push(func() error { ln.Close(); return nil })
	scheme := "http"
	if !cfg.HTTP {
		certPath, keyPath := cfg.TLSCert, cfg.TLSKey
		if certPath == "" {
			certPath, keyPath, s.CAFile, err = ensureCert(cfg.DataDir, certHosts(cfg), s.sharedSetting)
			if err != nil {
				return fmt.Errorf("TLS certificate: %w", err)
			}
			fp, _ := fingerprint(certPath)
			s.log.Info("serving with a generated certificate", "cert", certPath, "ca", s.CAFile, "sha256", fp)
		}
		tc, err := tlsConfig(certPath, keyPath)
		if err != nil {
			return err
		}
		s.http.TLSConfig = tc
		scheme = "https"
	}
	s.listener = ln
	s.URL = scheme + "://" + ln.Addr().String()
	go func() {
		var err error
		if scheme == "https" {
			err = s.http.ServeTLS(ln, "", "")
		} else {
			err = s.http.Serve(ln)
		}
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	return nil
}

// sharedSetting reads or stores a setting every instance on the database shares.
func (s *Server) sharedSetting(name string, newValue func() (string, error)) (string, error) {
	return s.Service.EnsureServerSetting(context.Background(), name, newValue)
}

// untrustedIdle is how long a connection that never authenticated may stay idle (the server's
// IdleTimeout, 120 s, applies once a request on it has): probes and failed guesses do not get
// to hold descriptors for two minutes each.
const untrustedIdle = 5 * time.Second

// fdReserve is how many descriptors the connection limit leaves for everything else okapi opens:
// the database, its WAL, the log, outgoing hook deliveries.
const fdReserve = 256

// limitConnections bounds the connections okapi holds (internal/connlimit): in total, per client
// IP (trusted proxies exempt), and in how long an unauthenticated one may idle. The total is
// kept under the descriptor limit, raised first, so okapi never runs out of descriptors.
func (s *Server) limitConnections(ln net.Listener, cfg *config.Config) net.Listener {
	total := cfg.MaxConnections
	fds, err := raiseFDLimit()
	if err != nil {
		s.log.Warn("cannot read the open-file limit", "err", err)
	}
	if fds > 2*fdReserve && (total == 0 || uint64(total) > fds-fdReserve) {
		total = int(fds - fdReserve)
	}
	proxies, _ := netzone.TrustedCIDRs(cfg.TrustedProxies) // validated by newAPI
	lim := connlimit.Listen(ln, connlimit.Config{MaxTotal: total, MaxPerIP: cfg.MaxConnectionsPerIP,
		UntrustedIdle: untrustedIdle, Exempt: proxies.Contains, Log: s.log})
	s.http.ConnState = lim.ConnState
	s.http.ConnContext = connlimit.ConnContext
	s.log.Info("connection limits", "max_connections", total, "max_connections_per_ip", cfg.MaxConnectionsPerIP,
		"open_file_limit", fds, "unauthenticated_idle_timeout", untrustedIdle.String())
	return lim
}

// startJobs starts the background jobs: event hook delivery and System Log retention.
func (s *Server) startJobs(cfg *config.Config, sender *hookdelivery.Sender) {
	jobs, stop := context.WithCancel(context.Background())
	s.stopJobs, s.jobsDone = stop, make(chan struct{})
	hooks := &hookdelivery.Worker{Svc: s.Service, Sender: sender, Owner: instanceName(), Logger: s.log}
	go func() {
		defer close(s.jobsDone)
		var wg sync.WaitGroup
		wg.Go(func() { hooks.Run(jobs) })
		s.Service.RunLogRetention(jobs, cfg.LogRetention, logPurgeEvery)
		wg.Wait()
	}()
}

// Shutdown lets in-flight requests finish, then closes the store. It may be called more than
// once (a test's explicit stop and its cleanup); later calls return the first result instead of
// waiting forever for the serve loop's result, which only the first call can receive.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutdownOnce.Do(func() {
		began, draining := time.Now(), s.inFlight.n.Load()
		err := s.http.Shutdown(ctx)
		s.stopJobs()
		<-s.jobsDone
		if serveErr := <-s.done; err == nil {
			err = serveErr
		}
		// The rate limiter, the store, then the SQLite lock: the reverse of how Start opened them.
		s.shutdownErr = errors.Join(err, s.cleanup.run())
		// What an operator wants after a deploy: were requests cut off, and how long it took.
		s.log.Info("shut down", "drained_requests", draining, "cut_off_requests", s.inFlight.n.Load(),
			"stopped", "event hook delivery, log retention", "store", "closed",
			"took", time.Since(began).Round(time.Millisecond).String(), "error", errString(s.shutdownErr))
	})
	return s.shutdownErr
}

// Store exposes the store, for tests.
func (s *Server) Store() *sqlstore.DB { return s.store }

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	tuneGC(getenv)
	stopProfile, err := startCPUProfile(getenv)
	if err != nil {
		return err
	}
	defer stopProfile()
	s, err := Start(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	// The URL alone on standard output, so a harness started with --addr 127.0.0.1:0 reads one
	// line to learn the port.
	fmt.Fprintln(stdout, s.URL)
	select {
	case <-ctx.Done():
	case err := <-s.done:
		s.done <- err
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return s.Shutdown(sctx)
}

// writeSecretFile writes data readable by the owner only. os.WriteFile's mode applies only to a
// new file: a leftover file (a data dir reset by deleting the database) would keep its old,
// possibly world-readable, mode while receiving the new secret.
func writeSecretFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

// redactDSN drops a password from a database URL before it is logged.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	return u.Redacted()
}

// instanceName names this process in the event hook delivery leases: host, pid and a random
// part, so two instances (or a restarted one) never take each other's leases for their own.
func instanceName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), domain.CryptoIDs{}.Random(8))
}

// requestCounter counts the requests being served, for the shutdown log.
type requestCounter struct{ n atomic.Int64 }

func (c *requestCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.n.Add(1)
		defer c.n.Add(-1)
		h.ServeHTTP(w, r)
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
