//go:build unix

package app

import "syscall"

// raiseFDLimit raises the soft limit on open descriptors to the hard limit, so the connection
// limits (not the kernel) decide when okapi stops accepting, and returns the new soft limit.
// Go's runtime does the same at start on Linux; doing it here keeps okapi's limits sound where
// it does not, and tells us the number to fit the connection limit under.
func raiseFDLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	if lim.Cur < lim.Max {
		want := lim
		want.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err == nil {
			lim = want
		}
	}
	return uint64(lim.Cur), nil
}
