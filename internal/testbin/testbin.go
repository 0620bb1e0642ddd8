// Package testbin builds the okapi binary once for a test package whose tests run it as a
// separate process (end-to-end, crash and soak tests).
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Main builds cmd/okapi into a temporary directory, stores its path in *bin, runs the package's
// tests and exits with their code. Call it from TestMain.
func Main(m *testing.M, bin *string) {
	dir, err := os.MkdirTemp("", "okapi-test-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*bin = filepath.Join(dir, "okapi")
	build := exec.Command("go", "build", "-o", *bin, "github.com/okapi-dev/okapi/cmd/okapi")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "go build:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
