//go:build !unix

package app

// raiseFDLimit has nothing to raise where there are no rlimits; 0 means unknown.
func raiseFDLimit() (uint64, error) { return 0, nil }
