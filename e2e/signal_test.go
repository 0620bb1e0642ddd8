package e2e

import (
	"context"
	"net/http"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// TestSIGTERMGraceful: a request in flight when SIGTERM arrives is answered, then the store
// closes cleanly and the process exits 0; the database passes an integrity check.
//
// The request is held in flight inside the store: the test takes SQLite's write lock, so the
// revoke waits in the busy timeout until the test lets go, after the signal.
func TestSIGTERMGraceful(t *testing.T) {
	dir := t.TempDir()
	p := serve(t, []string{"OKAPI_BOOTSTRAP_TOKEN=" + bootstrap}, "--http", "--data-dir", dir)

	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lock, err := db.WritePool().BeginTx(ctx, nil) // BEGIN IMMEDIATE: holds the write lock
	if err != nil {
		t.Fatal(err)
	}

	type result struct {
		status int
		err    error
	}
	inFlight := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest("DELETE", p.url.String()+"/api/v1/api-tokens/current", nil)
		req.Header.Set("Authorization", "SSWS "+bootstrap)
		resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
		if err != nil {
			inFlight <- result{err: err}
			return
		}
		resp.Body.Close()
		inFlight <- result{status: resp.StatusCode}
	}()
	time.Sleep(500 * time.Millisecond) // the request reaches the store and waits for the lock
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	select {
	case <-p.done:
		t.Fatalf("okapi exited with a request in flight\n%s", p.logs)
	case r := <-inFlight:
		t.Fatalf("the request finished before the lock was released: %+v", r)
	default:
	}
	// New connections are refused once shutdown began.
	if resp, err := (&http.Client{Timeout: 2 * time.Second}).Get(p.url.String() + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("a new request was served during shutdown: %d", resp.StatusCode)
	}

	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	r := <-inFlight
	if r.err != nil || r.status != http.StatusNoContent {
		t.Fatalf("in-flight revoke: %+v\n%s", r, p.logs)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d\n%s", code, p.logs)
	}
	if p.logs.find("shutting down") == nil {
		t.Errorf("no shutdown log line\n%s", p.logs)
	}
	if m := p.logs.find("shut down"); m == nil || m["drained_requests"] != 1.0 || m["cut_off_requests"] != 0.0 {
		t.Errorf("shutdown summary: %v", m)
	}
	db.Close()
	checkDatabase(t, dir)
}

// TestSIGINTExitsZero: Ctrl-C on an idle server exits 0 within a few seconds.
func TestSIGINTExitsZero(t *testing.T) {
	dir := t.TempDir()
	p := serve(t, nil, "--http", "--data-dir", dir)
	// The first start wrote the bootstrap token and logged where, without the token.
	b, err := os.ReadFile(filepath.Join(dir, "bootstrap-token"))
	if err != nil {
		t.Fatal(err)
	}
	if m := p.logs.find("created the default org and its first API token"); m == nil || m["token_file"] != filepath.Join(dir, "bootstrap-token") {
		t.Errorf("token file not logged: %v", m)
	}
	if strings.Contains(p.logs.String(), strings.TrimSpace(string(b))) {
		t.Error("the log holds the bootstrap token")
	}
	start := time.Now()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 5*time.Second); code != 0 {
		t.Fatalf("exit code %d\n%s", code, p.logs)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("idle shutdown took %s", d)
	}
	checkDatabase(t, dir)
}

// TestCommands: version, migrate, and --http refused beyond loopback, from the binary.
func TestCommands(t *testing.T) {
	out, _ := okapi(t, nil, "version")
	if !strings.HasPrefix(out, "okapi ") {
		t.Errorf("version: %q", out)
	}
	dir := t.TempDir()
	out, _ = okapi(t, nil, "migrate", "--data-dir", dir)
	if !strings.Contains(out, "migrations applied") {
		t.Errorf("migrate: %q", out)
	}
	checkDatabase(t, dir)

	cmd := osexec.Command(bin, "serve", "--http", "--addr", "0.0.0.0:0", "--data-dir", t.TempDir())
	outb, err := cmd.CombinedOutput()
	if err == nil || cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(outb), "--insecure-allow-http") {
		t.Errorf("--http on 0.0.0.0: err %v, output %s", err, outb)
	}
}

// checkDatabase opens the data dir's database after okapi exited: integrity ok, and no WAL
// left behind (a clean close checkpoints and removes it).
func checkDatabase(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, "okapi.db")
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("okapi.db-wal left with %d bytes: the store was not closed cleanly", fi.Size())
	}
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.ReadPool().QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check = %q %v", res, err)
	}
}
