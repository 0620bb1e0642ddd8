package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/okapi-dev/okapi"

// Package paths below are relative to the module; "x/..." means x and every package under it.
var (
	backends = []string{"internal/store/sqlite/...", "internal/store/postgres/...", "internal/store/sqlstore"}
	// leaves are the packages between domain and store: pure logic over domain types.
	leaves = []string{"internal/filter", "internal/cursor", "internal/password", "internal/netzone",
		"internal/origin", "internal/ratelimit", "internal/eventhook", "internal/idp", "internal/policy", "internal/application", "internal/role"}
)

// rule says that the packages matching from must not depend on any package matching deny.
// Dependencies are transitive unless direct is set.
type rule struct {
	from   []string
	deny   []string
	direct bool
	why    string
}

var rules = []rule{
	{
		from: leaves,
		deny: []string{"internal/store/...", "internal/service", "internal/httpapi", "internal/app"},
		why:  "filter, cursor, password, netzone, origin and ratelimit sit below the store: they work on domain types only",
	},
	{
		from: []string{"internal/store/..."},
		deny: []string{"internal/service", "internal/httpapi", "internal/app"},
		why:  "storage knows nothing of use cases, HTTP or wiring",
	},
	{
		from: []string{"internal/service"},
		deny: append([]string{"internal/httpapi", "internal/app", "internal/store/storetest"}, backends...),
		why:  "the service reaches storage only through the store interfaces, and knows nothing of HTTP; app wires the backends",
	},
	{
		from: []string{"internal/httpapi"},
		deny: append([]string{"internal/app", "internal/store/storetest"}, backends...),
		why:  "handlers call the service; only app (and tests) pick a storage backend",
	},
	{
		from:   []string{"internal/httpapi"},
		deny:   []string{"internal/store"},
		direct: true,
		why:    "handlers call the service, never the store interfaces themselves",
	},
}

// backendImporters are the only packages whose (non-test) code may import a backend: the wiring,
// the commands, the backends themselves (sqlite and postgres share sqlstore), and the benchmark
// loader, which writes through sqlstore's bulk path on purpose (okapi seed-bench).
var backendImporters = append([]string{"internal/app", "cmd/...", "bench/seed"}, backends...)

// stdlibOnly are the packages that may import nothing but the standard library.
var stdlibOnly = []string{"internal/domain"}

// pkg is what the test reads of `go list -json` output.
type pkg struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Deps       []string
	Error      *struct{ Err string }
}

// TestImportRules fails when a package of okapi imports, directly or through another package,
// one it must not. Test files are exempt: tests may wire a real backend.
func TestImportRules(t *testing.T) {
	pkgs := listPackages(t)
	for _, p := range pkgs {
		if p.Error != nil && strings.HasPrefix(p.ImportPath, module) {
			t.Errorf("go list: %s: %s", p.ImportPath, p.Error.Err)
		}
	}
	for _, v := range check(pkgs) {
		t.Error(v)
	}
}

// TestCheckFindsViolations proves the checker is not vacuous: a graph that breaks each rule
// yields one violation per broken rule, naming the import chain.
func TestCheckFindsViolations(t *testing.T) {
	m := func(p string) string { return module + "/" + p }
	graph := map[string][]string{
		"internal/domain":         {"net/http", "golang.org/x/text"},
		"internal/filter":         {"internal/domain", "internal/store"},
		"internal/store":          {"internal/domain"},
		"internal/store/sqlstore": {"internal/store", "internal/service"},
		"internal/store/sqlite":   {"internal/store/sqlstore"},
		"internal/store/postgres": {"internal/store/sqlstore"},
		"internal/service":        {"internal/store", "internal/helper"},
		"internal/helper":         {"internal/store/sqlite"},
		"internal/httpapi":        {"internal/service", "internal/store"},
		"internal/app":            {"internal/httpapi", "internal/store/sqlite"},
		"cmd/okapi":               {"internal/app"},
		"internal/cursor":         {}, "internal/password": {}, "internal/netzone": {},
		"internal/origin": {}, "internal/ratelimit": {},
	}
	var pkgs []pkg
	for from, to := range graph {
		p := pkg{ImportPath: m(from)}
		for _, imp := range to {
			if strings.HasPrefix(imp, "internal/") || strings.HasPrefix(imp, "cmd/") {
				imp = m(imp)
			}
			p.Imports = append(p.Imports, imp)
		}
		pkgs = append(pkgs, p)
	}
	pkgs = append(pkgs, pkg{ImportPath: "net/http", Standard: true}, pkg{ImportPath: "golang.org/x/text"})
	pkgs = withDeps(pkgs)

	got := strings.Join(check(pkgs), "\n")
	for _, want := range []string{
		"internal/domain imports golang.org/x/text",
		"internal/filter imports internal/store",
		"internal/store/sqlstore imports internal/service",
		// The sqlstore → service edge also puts sqlite and postgres above the service.
		"internal/store/sqlite imports internal/service (via internal/store/sqlstore)",
		"internal/service imports internal/store/sqlite (via internal/helper)",
		"internal/helper imports internal/store/sqlite",
		"internal/httpapi imports internal/store:",
		"internal/httpapi imports internal/store/sqlite (via internal/service → internal/helper)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("violations do not include %q; got:\n%s", want, got)
		}
	}
	for _, clean := range []string{"internal/app imports", "cmd/okapi imports", "internal/cursor imports"} {
		if strings.Contains(got, clean) {
			t.Errorf("violations include an allowed import %q:\n%s", clean, got)
		}
	}
}

// check returns one message per forbidden dependency.
func check(pkgs []pkg) []string {
	byPath := map[string]pkg{}
	var ours []string
	for _, p := range pkgs {
		byPath[p.ImportPath] = p
		if rel, ok := relative(p.ImportPath); ok {
			ours = append(ours, rel)
		}
	}
	slices.Sort(ours)
	var out []string
	for _, r := range rules {
		for _, pat := range r.from {
			if !slices.ContainsFunc(ours, func(p string) bool { return matches(p, pat) }) {
				out = append(out, "rule for "+pat+" matches no package: update internal/archtest after a move or rename")
			}
		}
	}
	for _, from := range ours {
		p := byPath[module+"/"+from]
		if slices.ContainsFunc(stdlibOnly, func(pat string) bool { return matches(from, pat) }) {
			for _, d := range p.Deps {
				if !byPath[d].Standard {
					out = append(out, violation(byPath, from, d, "domain imports only the standard library"))
				}
			}
		}
		for _, r := range rules {
			if !matchesAny(from, r.from) {
				continue
			}
			deps := p.Deps
			if r.direct {
				deps = p.Imports
			}
			for _, d := range deps {
				if rel, ok := relative(d); ok && matchesAny(rel, r.deny) {
					out = append(out, violation(byPath, from, d, r.why))
				}
			}
		}
		if !matchesAny(from, backendImporters) {
			for _, d := range p.Imports {
				if rel, ok := relative(d); ok && matchesAny(rel, backends) {
					out = append(out, violation(byPath, from, d,
						"only internal/app (and cmd, and tests) may import a storage backend"))
				}
			}
		}
	}
	return out
}

// violation says which package imports which, through which others, and why it must not.
func violation(byPath map[string]pkg, from, dep, why string) string {
	chain := importChain(byPath, module+"/"+from, dep)
	msg := from + " imports " + short(dep)
	if len(chain) > 2 {
		via := make([]string, 0, len(chain)-2)
		for _, c := range chain[1 : len(chain)-1] {
			via = append(via, short(c))
		}
		msg += " (via " + strings.Join(via, " → ") + ")"
	}
	return msg + ": " + why
}

// importChain is a shortest import path from → … → to, both ends included.
func importChain(byPath map[string]pkg, from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var chain []string
			for c := to; c != ""; c = prev[c] {
				chain = append(chain, c)
			}
			slices.Reverse(chain)
			return chain
		}
		for _, next := range byPath[cur].Imports {
			if _, seen := prev[next]; !seen {
				prev[next] = cur
				queue = append(queue, next)
			}
		}
	}
	return []string{from, to}
}

func relative(path string) (string, bool) {
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

func short(path string) string {
	if rel, ok := relative(path); ok {
		return rel
	}
	return path
}

// matches reports whether a module-relative package path matches pat ("x" or "x/...").
func matches(path, pat string) bool {
	if base, ok := strings.CutSuffix(pat, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pat
}

func matchesAny(path string, pats []string) bool {
	return slices.ContainsFunc(pats, func(pat string) bool { return matches(path, pat) })
}

// listPackages runs `go list -deps -json` over the whole module.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	cmd := exec.Command(goTool, "list", "-e", "-deps", "-json=ImportPath,Standard,Imports,Deps,Error", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list returned no packages")
	}
	return pkgs
}

// withDeps fills Deps (the transitive imports) from Imports, as go list does; for the fake
// graphs of TestCheckFindsViolations.
func withDeps(pkgs []pkg) []pkg {
	byPath := map[string][]string{}
	for _, p := range pkgs {
		byPath[p.ImportPath] = p.Imports
	}
	for i, p := range pkgs {
		seen := map[string]bool{}
		stack := slices.Clone(p.Imports)
		for len(stack) > 0 {
			d := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !seen[d] {
				seen[d] = true
				stack = append(stack, byPath[d]...)
			}
		}
		for d := range seen {
			pkgs[i].Deps = append(pkgs[i].Deps, d)
		}
		slices.Sort(pkgs[i].Deps)
	}
	return pkgs
}
