//go:build unix

package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockSQLite takes an exclusive lock on <database>.lock for the process's life, so a second
// okapi serving the same SQLite file refuses to start instead of sharing it (two servers on
// one data dir each cache tokens for a second and fight over its TLS and token files). The
// kernel drops a flock when the process dies, so a crash leaves no stale lock; the file
// holds the owner's pid to name it in the refusal.
func lockSQLite(dbPath string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return nil, err
	}
	path := dbPath + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		who := "another okapi"
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			who = fmt.Sprintf("another okapi (pid %d)", pid)
		}
		return nil, fmt.Errorf("%s is in use by %s: stop it, or give this one its own --data-dir "+
			"(several instances share a database only on PostgreSQL)", dbPath, who)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}
