// Package archtest checks okapi's import rules against the real import graph from `go list
// -deps`. Imports point inward only: domain <- filter <- store <- (sqlite, postgres, service) <-
// httpapi <- app <- cmd; the rules themselves are in archtest_test.go. It has no code of its own; see archtest_test.go.
package archtest
