// Package reliability holds okapi's crash, store-fault and soak tests. They run the real binary
// (or the real handler over a real store) and check what an operator cares about after a fault:
// nothing acknowledged is lost, nothing half-written is visible, and okapi keeps serving.
//
// The package has no non-test code beyond this comment; see crash_test.go, faults_test.go and
// soak_test.go.
package reliability
