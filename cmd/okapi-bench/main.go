// Command okapi-bench drives a running okapi over loopback with a fixed number of connections
// for a fixed time per scenario, and reports req/s, p50, p99, p99.9 and errors, each as a
// ratio to a minimal baseline server on the same database file (same driver, pragmas and pool
// sizes), so that the figures hold on a noisy machine. Given --okapi, it starts okapi itself
// and reports its start-up time and peak RSS too. See BENCHMARKS.md.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "baseline" {
		fs := flag.NewFlagSet("okapi-bench baseline", flag.ExitOnError)
		db := fs.String("db", "", "SQLite file")
		_ = fs.Parse(os.Args[2:])
		err = serveBaseline(ctx, *db, os.Stdout)
	} else {
		err = run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "okapi-bench:", err)
		os.Exit(1)
	}
}

type options struct {
	okapiBin, dataDir, url, token, baseURL string
	conns                                  int
	duration                               time.Duration
	only                                   string
	mixes                                  bool
	adjacent                               bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("okapi-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.okapiBin, "okapi", "", "okapi binary to start on --data-dir (reports start-up time and peak RSS)")
	fs.StringVar(&o.dataDir, "data-dir", "", "okapi data dir holding okapi.db (seeded with okapi seed-bench)")
	fs.StringVar(&o.url, "url", "", "drive this running okapi instead of starting one (needs --token)")
	fs.StringVar(&o.token, "token", "", "API token for --url")
	fs.StringVar(&o.baseURL, "baseline-url", "", "a running baseline (default: start one on --data-dir)")
	fs.IntVar(&o.conns, "conns", 8, "concurrent connections")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "time per scenario")
	fs.StringVar(&o.only, "scenarios", "", "comma-separated scenario names (default: all)")
	fs.BoolVar(&o.mixes, "mixes", true, "also run the interference scenarios (reads under unindexed searches and creates)")
	fs.BoolVar(&o.adjacent, "adjacent-baseline", true, "measure the baseline again just before each scenario and compare to that (steadier ratios on a noisy machine; twice the run time)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.dataDir == "" && (o.url == "" || o.baseURL == "") {
		return errors.New("--data-dir is required (or both --url and --baseline-url)")
	}
	rep := &report{}
	okapiURL, token := o.url, o.token
	if okapiURL == "" {
		if o.okapiBin == "" {
			return errors.New("give --okapi (a binary to start) or --url and --token")
		}
		p, err := startOkapi(ctx, o.okapiBin, o.dataDir)
		if err != nil {
			return err
		}
		defer p.stop()
		okapiURL, token, rep.startup, rep.proc = p.url, benchToken, p.startup, p
	}
	baseURL := o.baseURL
	if baseURL == "" {
		b, err := startBaseline(ctx, filepath.Join(o.dataDir, "okapi.db"))
		if err != nil {
			return err
		}
		defer b.stop()
		baseURL = b.url
	}
	okapi := newClient(okapiURL, token, o.conns)
	base := newClient(baseURL, "", o.conns)
	smp, err := loadSample(ctx, okapi, 1000)
	if err != nil {
		return err
	}
	measureBase := func(kind string) *result {
		method, path := "GET", "/users/"
		if kind == "write" {
			method, path = "POST", "/users"
		}
		fmt.Fprintf(stderr, "okapi-bench: baseline %s...\n", kind)
		return drive(ctx, "baseline-"+kind, base, o.conns, o.duration, func(ctx context.Context, c *client, _, _ int) error {
			p := path
			var body io.Reader
			if method == "GET" {
				p += smp.user().ID
			} else {
				body = strings.NewReader("{}")
			}
			_, err := c.do(ctx, method, p, body, 200)
			return err
		})
	}
	bases := map[string]*result{"read": measureBase("read"), "write": measureBase("write")}
	rep.baselines = bases
	run := scenarios
	if o.mixes {
		for _, m := range mixes {
			run = append(run, under(m[0], m[1]))
		}
	}
	for _, sc := range run {
		if o.only != "" && !contains(strings.Split(o.only, ","), sc.name) {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b := bases[sc.base]
		if o.adjacent {
			// The machine's speed drifts (other tenants, caches, the database growing): a
			// baseline taken right before the scenario is what the ratio should compare to.
			b = measureBase(sc.base)
		}
		fmt.Fprintf(stderr, "okapi-bench: %s...\n", sc.name)
		r := drive(ctx, sc.name, okapi, o.conns, o.duration, sc.op(smp))
		rep.rows = append(rep.rows, row{r, b})
	}
	if rep.proc != nil {
		rep.rss, rep.peakRSS = rep.proc.rss()
	}
	rep.print(stdout, o)
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.TrimSpace(v) == s {
			return true
		}
	}
	return false
}

type row struct {
	r    *result
	base *result
}

type report struct {
	startup      time.Duration
	proc         *okapiProc
	rss, peakRSS int64
	baselines    map[string]*result
	rows         []row
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

func (rep *report) print(w io.Writer, o options) {
	fmt.Fprintf(w, "\nokapi-bench: %d connections, %s per scenario", o.conns, o.duration)
	if o.adjacent {
		fmt.Fprint(w, "; each ratio is to a baseline measured just before its scenario (its req/s in the last column)")
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\treq/s\tvs baseline\tp50 ms\tp99 ms\tp99.9 ms\terrors\tbaseline req/s\t")
	for _, b := range []*result{rep.baselines["read"], rep.baselines["write"]} {
		fmt.Fprintf(tw, "%s\t%.0f\t\t%s\t%s\t%s\t%d\t\t\n", b.Name, b.RPS(), ms(b.Pct(50)), ms(b.Pct(99)), ms(b.Pct(99.9)), b.Errors)
	}
	var errs []string
	for _, x := range rep.rows {
		ratio, baseRPS := "", ""
		if x.base != nil && x.base.RPS() > 0 {
			ratio = fmt.Sprintf("%.0f %%", 100*x.r.RPS()/x.base.RPS())
			baseRPS = fmt.Sprintf("%.0f", x.base.RPS())
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%s\t%d\t%s\t\n", x.r.Name, x.r.RPS(), ratio, ms(x.r.Pct(50)), ms(x.r.Pct(99)), ms(x.r.Pct(99.9)), x.r.Errors, baseRPS)
		if x.r.FirstErr != "" {
			errs = append(errs, x.r.Name+": "+x.r.FirstErr)
		}
	}
	tw.Flush()
	if rep.proc != nil {
		fmt.Fprintf(w, "\nokapi start-up (exec to /readyz 200): %s; RSS now %d MB, peak %d MB\n",
			rep.startup.Round(time.Millisecond), rep.rss>>20, rep.peakRSS>>20)
	}
	for _, e := range errs {
		fmt.Fprintln(w, "first error of", e)
	}
}

// benchToken is the bootstrap token okapi-bench gives the okapi it starts.
const benchToken = "00okapi-bench-token-not-a-secret-0123456789"

type okapiProc struct {
	cmd     *exec.Cmd
	url     string
	startup time.Duration
	logFile *os.File
}

// startOkapi runs okapi serve on a free loopback port with the access log on (its cost is
// part of what is measured) and rate limits off, and waits for /readyz.
func startOkapi(ctx context.Context, bin, dataDir string) (*okapiProc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logf, err := os.CreateTemp("", "okapi-bench-*.log")
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(bin, "serve", "--http", "--addr", addr, "--data-dir", dataDir, "--rate-limit-profile", "off")
	cmd.Env = append(os.Environ(), "OKAPI_BOOTSTRAP_TOKEN="+benchToken)
	cmd.Stdout, cmd.Stderr = logf, logf
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &okapiProc{cmd: cmd, url: "http://" + addr, logFile: logf}
	c := newClient(p.url, "", 1)
	for {
		if _, err := c.do(ctx, "GET", "/readyz", nil, 200); err == nil {
			break
		}
		if time.Since(start) > 60*time.Second || ctx.Err() != nil {
			p.stop()
			return nil, fmt.Errorf("okapi did not become ready; its log: %s", logf.Name())
		}
		time.Sleep(2 * time.Millisecond)
	}
	p.startup = time.Since(start)
	return p, nil
}

// rss reads the current and peak resident set size of okapi from /proc (Linux).
func (p *okapiProc) rss() (now, peak int64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		if n, _ := fmt.Sscanf(sc.Text(), "VmRSS: %d kB", &kb); n == 1 {
			now = kb << 10
		}
		if n, _ := fmt.Sscanf(sc.Text(), "VmHWM: %d kB", &kb); n == 1 {
			peak = kb << 10
		}
	}
	return now, peak
}

func (p *okapiProc) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
	}
	p.logFile.Close()
	os.Remove(p.logFile.Name())
}

type baselineProc struct {
	cmd *exec.Cmd
	url string
}

// startBaseline runs the baseline in a process of its own, as okapi is, so neither shares the
// load generator's runtime.
func startBaseline(ctx context.Context, db string) (*baselineProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "baseline", "--db", db)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("baseline did not start: %w", err)
	}
	return &baselineProc{cmd: cmd, url: strings.TrimSpace(line)}, nil
}

func (b *baselineProc) stop() {
	_ = b.cmd.Process.Signal(os.Interrupt)
	_ = b.cmd.Wait()
}
