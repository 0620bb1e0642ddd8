// Package oastest checks okapi's HTTP responses against the official Okta Management API
// OpenAPI spec that ships with the Go SDK (okta/api/openapi.yaml in
// github.com/okta/okta-sdk-golang/v5, pinned in go.mod). A test wraps its handler or client in
// one line and every response it receives is validated: the status is declared for the
// operation (error statuses: see Conventions) and the body matches the declared schema.
// Documented, deliberate differences are in deviations.go.
package oastest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// SDKModule is the module whose spec okapi is checked against.
const SDKModule = "github.com/okta/okta-sdk-golang/v5"

// SpecEnv overrides where the spec is read from (a path to openapi.yaml).
const SpecEnv = "OKAPI_OKTA_OPENAPI"

// Doc is the loaded spec with okapi's lookup structures.
type Doc struct {
	T     *openapi3.T
	Path  string // file the spec was read from
	paths []specPath
	// byShape indexes the templates by their shape (parameter names blanked), for Route.
	byShape map[string]int
	error   *openapi3.SchemaRef
}

type specPath struct {
	template string
	segs     []string
	literals int
	item     *openapi3.PathItem
}

var (
	loadOnce sync.Once
	loaded   *Doc
	loadErr  error
)

// Load reads and prepares the spec once per process; the file is 2.6 MB and takes about a
// second and a half to parse, so every test in a binary shares it.
func Load() (*Doc, error) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

func load() (*Doc, error) {
	path, err := SpecPath()
	if err != nil {
		return nil, err
	}
	l := openapi3.NewLoader()
	t, err := l.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	for _, fix := range SpecFixes {
		if err := fix.Apply(t); err != nil {
			return nil, fmt.Errorf("spec fix %q: %w", fix.What, err)
		}
	}
	d := &Doc{T: t, Path: path}
	if d.error = t.Components.Schemas["Error"]; d.error == nil {
		return nil, errors.New("the spec has no Error schema")
	}
	for template, item := range t.Paths.Map() {
		segs := strings.Split(strings.Trim(template, "/"), "/")
		sp := specPath{template: template, segs: segs, item: item}
		for _, s := range segs {
			if !isParam(s) {
				sp.literals++
			}
		}
		d.paths = append(d.paths, sp)
	}
	sort.Slice(d.paths, func(i, j int) bool { return d.paths[i].template < d.paths[j].template })
	d.byShape = make(map[string]int, len(d.paths))
	for i, p := range d.paths {
		d.byShape[shape(p.template)] = i
	}
	return d, nil
}

// SpecPath finds openapi.yaml: $OKAPI_OKTA_OPENAPI, else the pinned SDK module's directory as
// `go list -m` reports it (the module cache), else GOMODCACHE plus the version in go.mod.
func SpecPath() (string, error) {
	if p := os.Getenv(SpecEnv); p != "" {
		return p, nil
	}
	out, err := exec.Command("go", "list", "-m", "-json", SDKModule).Output()
	if err == nil {
		var m struct{ Dir, Version string }
		if json.Unmarshal(out, &m) == nil && m.Dir != "" {
			return filepath.Join(m.Dir, "okta", "api", "openapi.yaml"), nil
		}
	}
	return "", fmt.Errorf("cannot find the Okta OpenAPI spec: `go list -m -json %s` failed (%v); set %s to the path of openapi.yaml", SDKModule, err, SpecEnv)
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// Match finds the spec path template a request path falls under, preferring the template with
// the most literal segments (so /users/me beats /users/{id}). It matches on the path only: the
// spec's server is https://{yourOktaDomain}.
func (d *Doc) Match(path string) (template string, item *openapi3.PathItem) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	best := -1
	for i := range d.paths {
		p := &d.paths[i]
		if len(p.segs) != len(segs) || (best >= 0 && p.literals <= d.paths[best].literals) {
			continue
		}
		ok := true
		for k, s := range p.segs {
			if !isParam(s) && s != segs[k] {
				ok = false
				break
			}
		}
		if ok {
			best = i
		}
	}
	if best < 0 {
		return "", nil
	}
	return d.paths[best].template, d.paths[best].item
}

// Route finds the spec path template of a route table row's path pattern such as
// /api/v1/users/{id}: the template with the same literal segments and parameters in the same
// places, whatever the parameters are named ({userId} in the spec). It returns "" and nil for a
// route the spec does not declare.
func (d *Doc) Route(pattern string) (template string, item *openapi3.PathItem) {
	if pattern == "" {
		return "", nil
	}
	i, ok := d.byShape[shape(pattern)]
	if !ok {
		return "", nil
	}
	return d.paths[i].template, d.paths[i].item
}

// shape blanks the parameter names of a path template: /api/v1/users/{id} becomes
// /api/v1/users/{}.
func shape(template string) string {
	segs := strings.Split(strings.Trim(template, "/"), "/")
	for i, s := range segs {
		if isParam(s) {
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/")
}

// ErrorSchema is the spec's Error object, the body of every Okta error.
func (d *Doc) ErrorSchema() *openapi3.SchemaRef { return d.error }

// Operation is one path and method of the spec.
type Operation struct {
	Method, Path, ID string
	Tags             []string
}

// Operations lists every operation of the spec, sorted by path then method.
func (d *Doc) Operations() []Operation {
	var ops []Operation
	for _, p := range d.paths {
		for method, op := range p.item.Operations() {
			ops = append(ops, Operation{Method: method, Path: p.template, ID: op.OperationID, Tags: op.Tags})
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	return ops
}

// context for kin-openapi calls that take one.
var bg = context.Background()
