package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store/sqlite"
)

// fail runs a command of the binary in dir that must fail; it returns the combined output.
func fail(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = cleanEnv(), dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("okapi %v: err %v, want exit 1\n%s", args, err, out.String())
	}
	return out.String()
}

// TestMistypedDatabaseURLRefused (issue 25.1): a --database that looks like a URL but is not
// postgres:// or postgresql:// is refused by every command that takes it, and nothing is
// created (it used to become a SQLite file named after the URL).
func TestMistypedDatabaseURLRefused(t *testing.T) {
	urls := map[string]string{
		"postgresql//u:secret@db/okapi": "not a PostgreSQL URL",
		"postgress://db/okapi":          "not a PostgreSQL URL",
		"mysql://x":                     "looks like a URL",
		"sqlite:okapi.db":               "looks like a URL",
	}
	commands := [][]string{
		{"serve", "--http", "--addr", "127.0.0.1:0"},
		{"migrate"},
		{"token", "create", "--name", "x"},
		{"seed-bench", "--users", "1"},
	}
	for u, want := range urls {
		for _, c := range commands {
			dir := t.TempDir()
			out := fail(t, dir, append(c, "--database", u)...)
			if !strings.Contains(out, want) || !strings.Contains(out, "postgres://") {
				t.Errorf("okapi %v --database %s: %q, want %q", c, u, out, want)
			}
			if strings.Contains(out, "secret") {
				t.Errorf("the password is in the message: %q", out)
			}
			if ents, _ := os.ReadDir(dir); len(ents) > 0 {
				t.Errorf("okapi %v --database %s created %s", c, u, ents[0].Name())
			}
		}
	}
	// An environment value is checked the same way.
	cmd := exec.Command(bin, "migrate")
	cmd.Env, cmd.Dir = append(cleanEnv(), "OKAPI_DATABASE=mysql://x"), t.TempDir()
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "looks like a URL") {
		t.Errorf("OKAPI_DATABASE=mysql://x: %v %s", err, out)
	}
}

// TestTokenCreateRefusesMistakes (issue 25.4): an unknown --org is refused without creating the
// org or a token, and a stray positional argument is refused rather than ending flag parsing.
func TestTokenCreateRefusesMistakes(t *testing.T) {
	dir := t.TempDir()
	out := fail(t, dir, "token", "create", "--data-dir", dir, "--org", "nope")
	if !strings.Contains(out, `"nope": no such org`) {
		t.Errorf("--org nope: %q", out)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "okapi.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetOrgByName(context.Background(), "nope"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("org nope after a refused token create: %v", err)
	}
	db.Close()

	out = fail(t, dir, "token", "create", "--data-dir", dir, "extra", "--name", "x")
	if !strings.Contains(out, `unexpected argument "extra"`) {
		t.Errorf("trailing argument: %q", out)
	}
	for _, c := range [][]string{{"migrate", "now"}, {"seed-bench", "5"}, {"ca", "export", "out.pem"}, {"serve", "x"}} {
		if out := fail(t, dir, c...); !strings.Contains(out, "unexpected argument") {
			t.Errorf("okapi %v: %q", c, out)
		}
	}
	// The default org is still made on a fresh data dir, and the token printed.
	fresh := t.TempDir()
	tok, _ := okapi(t, nil, "token", "create", "--data-dir", fresh, "--name", "first")
	if !strings.HasPrefix(tok, "00") {
		t.Errorf("token create on a fresh data dir: %q", tok)
	}
	// --user mints for a named admin (issue 21); a user who is not an admin is refused.
	if tok, _ := okapi(t, nil, "token", "create", "--data-dir", fresh, "--user", "admin@okapi.test"); !strings.HasPrefix(tok, "00") {
		t.Errorf("token create --user of the admin: %q", tok)
	}
	if out := fail(t, fresh, "token", "create", "--data-dir", fresh, "--user", "nobody@example.com"); !strings.Contains(out, "nobody@example.com") {
		t.Errorf("token create --user of nobody: %q", out)
	}
}

// TestSubcommandHelp (issue 25.4): every subcommand's --help exits 0 and lists its own flags
// only, not the ~24 of serve.
func TestSubcommandHelp(t *testing.T) {
	cases := []struct {
		args       []string
		want, deny []string
	}{
		{[]string{"serve", "--help"}, []string{"-addr", "-rate-limit-profile", "-data-dir"}, nil},
		{[]string{"token", "--help"}, []string{"-name", "-org", "-data-dir", "-database"}, []string{"-addr", "-rate-limit"}},
		{[]string{"token", "create", "-h"}, []string{"-name", "-org"}, []string{"-addr", "-tls-cert"}},
		{[]string{"ca", "--help"}, []string{"-out", "-data-dir", "-database"}, []string{"-addr", "-rate-limit"}},
		{[]string{"ca", "export", "--help"}, []string{"-out"}, []string{"-addr"}},
		{[]string{"migrate", "--help"}, []string{"-database", "-data-dir"}, []string{"-addr", "-seed "}},
		{[]string{"seed-bench", "--help"}, []string{"-users", "-database"}, []string{"-addr", "-tls-key"}},
		{[]string{"--help"}, []string{"okapi serve"}, nil},
	}
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		cmd.Env, cmd.Dir = cleanEnv(), t.TempDir()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("okapi %v: %v\n%s", c.args, err, out)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("okapi %v lacks %s:\n%s", c.args, w, out)
			}
		}
		for _, d := range c.deny {
			if strings.Contains(string(out), d) {
				t.Errorf("okapi %v lists %s:\n%s", c.args, d, out)
			}
		}
		if strings.Contains(string(out), "help requested") {
			t.Errorf("okapi %v: %s", c.args, out)
		}
	}
}

// TestFilesAndLogsOfFirstStart (issue 25.5): the token files hold the bare token (a client that
// sends the file as is gets no "invalid header field value"), the first start logs the admin
// login beside the token file, shutdown logs what it drained and how long it took, and a data
// dir made by seed-bench says how to get a token.
func TestFilesAndLogsOfFirstStart(t *testing.T) {
	dir := t.TempDir()
	p := serve(t, nil, "--http", "--data-dir", dir)
	for _, name := range []string{"bootstrap-token", "operator-token"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 || strings.TrimSpace(string(b)) != string(b) {
			t.Errorf("%s = %q: want the token without a newline", name, b)
		}
	}
	m := p.logs.find("created the default org and its first API token")
	if m == nil || m["admin_login"] != "admin@okapi.test" || m["token_file"] != filepath.Join(dir, "bootstrap-token") {
		t.Errorf("first-start log line: %v", m)
	}
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit %d\n%s", code, p.logs)
	}
	m = p.logs.find("shut down")
	if m == nil || m["drained_requests"] == nil || m["took"] == nil {
		t.Errorf("shutdown log line: %v\n%s", m, p.logs)
	}

	bench := t.TempDir()
	out, errOut := okapi(t, nil, "seed-bench", "--data-dir", bench, "--users", "3", "--groups", "1")
	if !strings.Contains(out, "okapi token create --data-dir "+bench) {
		t.Errorf("seed-bench output has no token hint: %q", out)
	}
	// Issue 25.9: the index rebuild shows its progress and the time left.
	if !regexp.MustCompile(`index (\d+)/(\d+) rebuilt in .*, about \d+s left`).MatchString(errOut) {
		t.Errorf("seed-bench shows no index rebuild progress: %q", errOut)
	}
}

// TestSecondServerRefused (issue 25.2): a second okapi on the same SQLite data dir refuses to
// start and names the first one's pid; once the first stops, the data dir is free again.
func TestSecondServerRefused(t *testing.T) {
	dir := t.TempDir()
	p := serve(t, nil, "--http", "--data-dir", dir)
	out := fail(t, t.TempDir(), "serve", "--http", "--addr", "127.0.0.1:0", "--data-dir", dir)
	if want := fmt.Sprintf("in use by another okapi (pid %d)", p.cmd.Process.Pid); !strings.Contains(out, want) {
		t.Errorf("second serve: %q, want %q", out, want)
	}
	if out := fail(t, dir, "seed-bench", "--data-dir", dir, "--users", "1"); !strings.Contains(out, "in use") {
		t.Errorf("seed-bench on a served data dir: %q", out)
	}
	// A one-shot command that only adds a token still works beside the server.
	okapi(t, nil, "token", "create", "--data-dir", dir, "--name", "beside")
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	p.wait(t, 10*time.Second)
	p2 := serve(t, nil, "--http", "--data-dir", dir)
	_ = p2.cmd.Process.Signal(os.Interrupt)
	p2.wait(t, 10*time.Second)
}

// TestDataDirPrivate (issue 24.7): a data dir okapi creates is 0700 and its database files 0600.
func TestDataDirPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	p := serve(t, nil, "--http", "--data-dir", dir)
	for name, want := range map[string]os.FileMode{"": 0o700, "okapi.db": 0o600, "okapi.db-wal": 0o600,
		"okapi.db-shm": 0o600, "bootstrap-token": 0o600, "operator-token": 0o600} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
		} else if fi.Mode().Perm() != want {
			t.Errorf("%s/%s mode %o, want %o", dir, name, fi.Mode().Perm(), want)
		}
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	p.wait(t, 10*time.Second)
}
