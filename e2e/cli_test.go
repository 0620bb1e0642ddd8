package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
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
