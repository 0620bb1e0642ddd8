package app

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
)

// GCPercent is the garbage collector's target okapi serve runs with unless GOGC is set. okapi's
// live heap is small (tens of MB) and a list page allocates a few MB, so Go's default of 100
// collected several times a second under load: 200 took list p99 from ~17 to ~13 ms at 1M users
// for ~15 MB more memory (BENCHMARKS.md).
const GCPercent = 200

// tuneGC applies GCPercent unless the operator chose with GOGC.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}

// startCPUProfile writes a CPU profile to the file OKAPI_CPUPROFILE names, if any, until the
// returned stop is called (at the end of a seed, or when serve shuts down gracefully). It is
// how BENCHMARKS.md's profiles are taken; without the variable it does nothing.
func startCPUProfile(getenv func(string) string) (stop func(), err error) {
	path := getenv("OKAPI_CPUPROFILE")
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("OKAPI_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("OKAPI_CPUPROFILE: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
