package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runnableMark precedes a README shell block that TestREADMERunnableBlocks runs.
const runnableMark = "<!-- runnable:"

// readmeBlocks returns the shell blocks of the README marked runnable, in order.
func readmeBlocks(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []string
	var cur *strings.Builder
	marked := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case cur != nil && line == "```":
			blocks, cur = append(blocks, cur.String()), nil
		case cur != nil:
			cur.WriteString(line + "\n")
		case strings.HasPrefix(line, runnableMark):
			marked = true
		case marked && line == "```sh":
			cur, marked = &strings.Builder{}, false
		default:
			marked = false
		}
	}
	return blocks
}

// TestREADMERunnableBlocks (issue 25.7): every README shell block marked runnable works when
// copied, run in order in one shell beside a fresh `okapi serve` (its data dir okapi-data in
// the working directory, as the README has it). Only the port differs: the README's 8443 is
// replaced by the free one okapi got.
func TestREADMERunnableBlocks(t *testing.T) {
	blocks := readmeBlocks(t)
	if len(blocks) < 2 {
		t.Fatalf("found %d runnable blocks in README.md", len(blocks))
	}
	dir := t.TempDir()
	p := serve(t, nil, "--data-dir", filepath.Join(dir, "okapi-data"))
	script := "set -euo pipefail\n" + strings.ReplaceAll(strings.Join(blocks, "\n"), "127.0.0.1:8443", p.url.Host)
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README blocks failed: %v\n%s\n--- script:\n%s", err, out, script)
	}
	// One answer each from the first tour and from the family tour's CORS, policy, sign-in and
	// OAuth blocks, so a block that stops printing what its comments promise is noticed. Case is
	// ignored: curl prints header names as the HTTP version has them.
	for _, want := range []string{`"name":"bootstrap"`, `"login":"ada@example.com"`, "user.lifecycle",
		"access-control-allow-origin: http://localhost:3000", `"reason":"LENGTH_MINIMUM"`,
		`"active":true`, `"id_token":`, `"status":"SUCCESS"`} {
		if !strings.Contains(strings.ToLower(string(out)), strings.ToLower(want)) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}
