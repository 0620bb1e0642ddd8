package app

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesDocumented: every direct requirement in go.mod has its reason in
// DEPENDENCIES.md, and the okapi binary links only the modules that file says it does.
func TestDependenciesDocumented(t *testing.T) {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../DEPENDENCIES.md")
	if err != nil {
		t.Fatal(err)
	}
	binary, _, _ := strings.Cut(string(doc), "## Tests and tooling only")
	var direct []string
	inBlock := false
	for _, line := range strings.Split(string(gomod), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			inBlock = true
			continue
		case line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inBlock:
			continue
		}
		if f := strings.Fields(line); len(f) >= 2 && !strings.Contains(line, "// indirect") {
			direct = append(direct, f[0])
		}
	}
	if len(direct) == 0 {
		t.Fatal("no direct requirement found in go.mod")
	}
	for _, m := range direct {
		if !strings.Contains(string(doc), "`"+m+"`") {
			t.Errorf("%s is required by go.mod but DEPENDENCIES.md does not say why", m)
		}
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", "../../cmd/okapi").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	seen := map[string]bool{}
	for _, m := range strings.Fields(string(out)) {
		if m == "github.com/okapi-dev/okapi" || seen[m] {
			continue
		}
		seen[m] = true
		for _, d := range direct {
			if m == d && !strings.Contains(binary, "`"+m+"`") {
				t.Errorf("the okapi binary links %s, which DEPENDENCIES.md lists as test-only", m)
			}
		}
	}
}
