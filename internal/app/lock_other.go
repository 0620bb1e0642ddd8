//go:build !unix

package app

import "os"

// lockSQLite is a no-op where flock does not exist.
func lockSQLite(string) (*os.File, error) { return nil, nil }
