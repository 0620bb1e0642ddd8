// Package config reads okapi's settings from flags and OKAPI_* environment variables into one
// validated struct. A flag given on the command line wins over the environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Config is every setting of `okapi serve`.
type Config struct {
	Addr              string
	DataDir           string
	Database          string
	TLSCert           string
	TLSKey            string
	HTTP              bool
	InsecureAllowHTTP bool
	PublicURL         string
	// AllowedHosts are Host header values okapi answers for besides loopback, the --public-url
	// host and the base domain (comma-separated; "*.example.com" for subdomains).
	AllowedHosts string
	// MaxConnections and MaxConnectionsPerIP bound the open client connections (0: no bound);
	// see internal/connlimit.
	MaxConnections      int
	MaxConnectionsPerIP int
	TrustedProxies      string
	// TokenIdleExpiry is how long an unused API token stays valid (Okta: 30 days).
	TokenIdleExpiry time.Duration
	LogLevel        string
	// BootstrapToken comes only from OKAPI_BOOTSTRAP_TOKEN: secrets stay out of argv.
	BootstrapToken string
	AdminLogin     string
	// LogRetention is how long System Log events are kept; 0 keeps them forever.
	LogRetention time.Duration

	RateLimitProfile string
	RateLimitWindow  time.Duration
	RateLimitConfig  string
	RateLimitStore   string

	// BaseDomain turns on one org per host name: <org>.<BaseDomain> is org <org>; the base
	// domain itself, localhost and IP literals are the default org. Empty: one host, and the
	// API token picks the org.
	BaseDomain string
	// OperatorToken guards the operator API (/okapi/v1); it comes only from
	// OKAPI_OPERATOR_TOKEN, else one is generated into <data-dir>/operator-token.
	OperatorToken string
	// Clock is "" (the wall clock) or "fixed:<RFC 3339 time>".
	Clock string
	// DeterministicIDs, when non-zero, seeds the id generator so ids repeat across runs.
	DeterministicIDs uint64
	// Seed is a seed file loaded into the default org when it is first created.
	Seed string
	// envErrs are environment values FlagSet could not parse; Validate returns them.
	envErrs []error
}

// Connection limits by default: far more than a test suite or a small deployment opens, far
// fewer than the descriptors okapi raises its limit to (app.raiseFDLimit), so one client cannot
// take them all.
const (
	DefaultMaxConnections      = 8192
	DefaultMaxConnectionsPerIP = 1024
)

// FlagSet declares the serve flags on fs, with defaults taken from the environment.
func (c *Config) FlagSet(fs *flag.FlagSet, getenv func(string) string) {
	str := func(p *string, name, def, usage string) {
		if v := getenv(envName(name)); v != "" {
			def = v
		}
		fs.StringVar(p, name, def, usage+" (env "+envName(name)+")")
	}
	boolean := func(p *bool, name string, usage string) {
		def := false
		switch strings.ToLower(getenv(envName(name))) {
		case "1", "true", "yes", "on":
			def = true
		}
		fs.BoolVar(p, name, def, usage+" (env "+envName(name)+")")
	}
	c.StoreFlagSet(fs, getenv)
	str(&c.Addr, "addr", "127.0.0.1:8443", "address to listen on")
	str(&c.TLSCert, "tls-cert", "", "TLS certificate file (default: a generated self-signed one in the data dir)")
	str(&c.TLSKey, "tls-key", "", "TLS private key file")
	boolean(&c.HTTP, "http", "serve plain HTTP (loopback only unless --insecure-allow-http)")
	boolean(&c.InsecureAllowHTTP, "insecure-allow-http", "allow --http on a non-loopback address")
	str(&c.PublicURL, "public-url", "", "external base URL used in links (e.g. https://okapi.example.com)")
	str(&c.AllowedHosts, "allowed-hosts", "", "comma-separated extra Host names or IPs to answer for (*.example.com: its subdomains); loopback, the --public-url host and --base-domain always are")
	integer := func(p *int, name string, def int, usage string) {
		if v := getenv(envName(name)); v != "" {
			if n, err := strconv.Atoi(v); err == nil {
				def = n
			} else {
				c.envErrs = append(c.envErrs, fmt.Errorf("%s %q: want a whole number", envName(name), v))
			}
		}
		fs.IntVar(p, name, def, usage+" (env "+envName(name)+")")
	}
	integer(&c.MaxConnections, "max-connections", DefaultMaxConnections, "most client connections open at once; more are closed on accept (0: no limit)")
	integer(&c.MaxConnectionsPerIP, "max-connections-per-ip", DefaultMaxConnectionsPerIP, "most connections one client IP may hold open; --trusted-proxies are exempt (0: no limit)")
	str(&c.TrustedProxies, "trusted-proxies", "", "comma-separated CIDRs or IPs whose X-Forwarded-For is trusted")
	idle := 720 * time.Hour
	if v, err := time.ParseDuration(getenv(envName("token-idle-expiry"))); err == nil {
		idle = v
	}
	fs.DurationVar(&c.TokenIdleExpiry, "token-idle-expiry", idle, "how long an unused API token stays valid (env "+envName("token-idle-expiry")+")")
	str(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	retention := 90 * 24 * time.Hour
	if v := getenv(envName("log-retention")); v != "" {
		// A bad value is reported by Validate, which sees the -1 sentinel.
		if d, err := time.ParseDuration(v); err == nil {
			retention = d
		} else {
			retention = -1
		}
	}
	fs.DurationVar(&c.LogRetention, "log-retention", retention,
		"how long System Log events are kept, e.g. 2160h (90 days); 0 keeps them forever (env "+envName("log-retention")+")")
	str(&c.RateLimitProfile, "rate-limit-profile", "enterprise", "Okta plan whose rate limits apply: free, one-app, enterprise, workforce, off or test")
	str(&c.RateLimitConfig, "rate-limit-config", "", "JSON file overriding single families: {\"families\": {\"users\": 100}}")
	str(&c.RateLimitStore, "rate-limit-store", "", "redis://host:port/db to share rate-limit counters between instances (default: per instance, in memory)")
	window := 60 * time.Second
	if v := getenv(envName("rate-limit-window")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			// FlagSet cannot fail; Validate reports it rather than silently using 60 s.
			c.envErrs = append(c.envErrs, fmt.Errorf("%s %q: want a duration like 60s", envName("rate-limit-window"), v))
		} else {
			window = d
		}
	}
	fs.DurationVar(&c.RateLimitWindow, "rate-limit-window", window, "length of a rate-limit window (env OKAPI_RATE_LIMIT_WINDOW)")
	str(&c.BaseDomain, "base-domain", "", "serve one org per host: <org>.<base-domain> (e.g. okapi.localhost); empty: the API token picks the org")
	str(&c.Clock, "clock", "", "fixed:2026-01-01T00:00:00Z freezes okapi's clock (the operator API can advance it); default the wall clock")
	str(&c.Seed, "seed", "", "seed file (YAML or JSON) loaded into the default org when it is first created")
	var seed uint64
	if v := getenv(envName("deterministic-ids")); v != "" {
		fmt.Sscan(v, &seed)
	}
	fs.Uint64Var(&c.DeterministicIDs, "deterministic-ids", seed, "non-zero seed that makes generated ids repeat across runs (env "+envName("deterministic-ids")+")")
	c.BootstrapToken = getenv("OKAPI_BOOTSTRAP_TOKEN")
	c.OperatorToken = getenv("OKAPI_OPERATOR_TOKEN")
}

// StoreFlagSet declares only the flags that choose the data dir, the database and the default
// org's admin: what the one-shot commands (token, migrate, seed-bench) need, so their --help
// lists nothing else.
func (c *Config) StoreFlagSet(fs *flag.FlagSet, getenv func(string) string) {
	c.DataDirFlag(fs, getenv)
	fs.StringVar(&c.Database, "database", envDefault(getenv, "database", ""),
		"SQLite file path or postgres:// URL (default <data-dir>/okapi.db) (env "+envName("database")+")")
	fs.StringVar(&c.AdminLogin, "admin-login", envDefault(getenv, "admin-login", "admin@okapi.test"),
		"login of the super admin created with the default org (env "+envName("admin-login")+")")
}

// DataDirFlag declares --data-dir alone (okapi ca export needs nothing else).
func (c *Config) DataDirFlag(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.DataDir, "data-dir", envDefault(getenv, "data-dir", "okapi-data"),
		"directory for the SQLite database, TLS files and bootstrap token (env "+envName("data-dir")+")")
}

func envDefault(getenv func(string) string, flagName, def string) string {
	if v := getenv(envName(flagName)); v != "" {
		return v
	}
	return def
}

func envName(flagName string) string {
	return "OKAPI_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Parse reads args into a Config and validates it.
func Parse(args []string, getenv func(string) string, stderr io.Writer) (*Config, error) {
	fs := flag.NewFlagSet("okapi serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &Config{}
	c.FlagSet(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, c.Validate()
}

// Validate checks the settings once, with messages that say what to change.
func (c *Config) Validate() error {
	if err := c.ValidateStore(); err != nil {
		return err
	}
	if c.MaxConnections < 0 || c.MaxConnectionsPerIP < 0 {
		return fmt.Errorf("--max-connections %d, --max-connections-per-ip %d: use 0 (no limit) or more", c.MaxConnections, c.MaxConnectionsPerIP)
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", c.Addr, err)
	}
	if c.HTTP && !c.InsecureAllowHTTP && !isLoopback(host) {
		return fmt.Errorf("--http on %q would serve the API in clear text beyond this machine; "+
			"use a loopback address (127.0.0.1:PORT), serve HTTPS, or add --insecure-allow-http behind a TLS proxy", c.Addr)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if c.BootstrapToken != "" && !validSecret(c.BootstrapToken) {
		// Authenticate refuses such a secret, so okapi would start with a token nobody can use.
		return errors.New("OKAPI_BOOTSTRAP_TOKEN must be 10 to 200 visible ASCII characters, with no spaces or line breaks")
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		// Links are built by appending a path, so anything after the host would corrupt them.
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") ||
			u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(c.PublicURL, "?") || strings.HasSuffix(c.PublicURL, "#") {
			return fmt.Errorf("--public-url %q must be a scheme and host, like https://okapi.example.com", c.PublicURL)
		}
	}
	for _, h := range c.AllowedHostList() {
		if strings.ContainsAny(h, "/@?# ") || strings.Contains(strings.TrimPrefix(h, "*."), "*") {
			return fmt.Errorf("--allowed-hosts entry %q must be a host name or IP, like okapi.internal or *.example.com", h)
		}
	}
	if c.LogRetention < 0 {
		return errors.New("--log-retention: use a non-negative duration such as 2160h (90 days), or 0 to keep events forever")
	}
	if c.TokenIdleExpiry < 0 || (c.TokenIdleExpiry > 0 && c.TokenIdleExpiry < time.Minute) {
		return fmt.Errorf("--token-idle-expiry %s: use at least 1m (720h is Okta's 30 days)", c.TokenIdleExpiry)
	}
	// Zero is the default window (60 s), so a Config built in code needs no rate-limit fields.
	if c.RateLimitWindow != 0 && c.RateLimitWindow < time.Millisecond {
		return fmt.Errorf("--rate-limit-window %s is too short (minimum 1ms; 0 means 60s)", c.RateLimitWindow)
	}
	if _, err := c.FixedTime(); err != nil {
		return err
	}
	if c.BaseDomain != "" {
		c.BaseDomain = strings.ToLower(strings.TrimSuffix(c.BaseDomain, "."))
		for _, label := range strings.Split(c.BaseDomain, ".") {
			if !domain.ValidOrgName(label) {
				return fmt.Errorf("--base-domain %q is not a DNS name such as okapi.localhost", c.BaseDomain)
			}
		}
	}
	if c.OperatorToken != "" && len(c.OperatorToken) < 16 {
		return errors.New("OKAPI_OPERATOR_TOKEN is too short: use at least 16 characters")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level %q: use debug, info, warn or error", c.LogLevel)
	}
	return nil
}

// ValidateStore checks the settings the one-shot commands use: the environment and the
// database, which must be a postgres:// URL or a SQLite path.
func (c *Config) ValidateStore() error {
	if len(c.envErrs) > 0 {
		return errors.Join(c.envErrs...)
	}
	if c.Database == "" {
		c.Database = filepath.Join(c.DataDir, "okapi.db")
	}
	return checkDatabase(c.Database)
}

// urlScheme matches the start of anything URL-like ("mysql:", "postgresql+x:"), two letters at
// least so a Windows drive ("C:") stays a path.
var urlScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]+:`)

// checkDatabase refuses a --database that is neither a PostgreSQL URL nor a plain path. A typo
// in a URL ("postgresql//", "postgress://", "mysql://") used to become a SQLite file named after
// it: okapi then served an empty database, which in production looks like lost data.
func checkDatabase(db string) error {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return nil
	}
	lower := strings.ToLower(db)
	switch {
	case strings.HasPrefix(lower, "postgres"):
		return fmt.Errorf("--database %q is not a PostgreSQL URL: write postgres://user:password@host:5432/db "+
			"(or postgresql://...)", redact(db))
	case urlScheme.MatchString(db) || strings.Contains(db, "://"):
		return fmt.Errorf("--database %q looks like a URL, but okapi speaks only PostgreSQL (postgres://...) "+
			"and SQLite (a file path such as okapi-data/okapi.db)", redact(db))
	}
	return nil
}

// redact drops a password from a database URL before it goes into an error message.
func redact(db string) string {
	if u, err := url.Parse(db); err == nil && u.User != nil {
		return u.Redacted()
	}
	if at := strings.LastIndex(db, "@"); at >= 0 {
		return "...@" + db[at+1:]
	}
	return db
}

// validSecret accepts what an SSWS header can carry and Authenticate accepts: 10 to 200
// printable ASCII characters without spaces.
func validSecret(s string) bool {
	if len(s) < 10 || len(s) > 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// IsPostgres reports whether Database names a PostgreSQL database.
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.Database, "postgres://") || strings.HasPrefix(c.Database, "postgresql://")
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// FixedTime is the time --clock fixed:T freezes okapi at, or the zero time for the wall clock.
func (c *Config) FixedTime() (time.Time, error) {
	if c.Clock == "" || c.Clock == "system" {
		return time.Time{}, nil
	}
	v, ok := strings.CutPrefix(c.Clock, "fixed:")
	t, err := time.Parse(time.RFC3339Nano, v)
	if !ok || err != nil {
		return time.Time{}, fmt.Errorf("--clock %q: use fixed:2026-01-01T00:00:00Z (RFC 3339), or leave it empty for the wall clock", c.Clock)
	}
	return t.UTC(), nil
}

// AllowedHostList is --allowed-hosts split on commas, without empty entries.
func (c *Config) AllowedHostList() []string {
	var hosts []string
	for _, h := range strings.Split(c.AllowedHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	return hosts
}
