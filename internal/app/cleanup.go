package app

import (
	"errors"
	"io"
)

// cleanupStack closes what Start opened, newest first, whichever exit Start takes: on a failure
// Start runs it before returning, on success Shutdown runs it after the server has stopped. One
// stack instead of a Close at every exit, so a resource added to Start is released on every path.
type cleanupStack struct{ fns []func() error }

// push registers fn to run at cleanup, before everything pushed earlier.
func (c *cleanupStack) push(fn func() error) { c.fns = append(c.fns, fn) }

// pushCloser registers c.Close when c is an io.Closer (a rate limiter may hold a Redis client, or
// nothing to close).
func (c *cleanupStack) pushCloser(v any) {
	if cl, ok := v.(io.Closer); ok {
		c.push(cl.Close)
	}
}

// run calls every registered function once, newest first, and joins their errors.
func (c *cleanupStack) run() error {
	var err error
	for i := len(c.fns) - 1; i >= 0; i-- {
		err = errors.Join(err, c.fns[i]())
	}
	c.fns = nil
	return err
}
