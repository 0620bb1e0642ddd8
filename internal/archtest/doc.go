// Package archtest checks okapi's import rules (STYLE.md: imports point inward only) against
// the real import graph from `go list -deps`. It has no code of its own; see archtest_test.go.
package archtest
