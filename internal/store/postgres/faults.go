package postgres

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// retryable: a serialization failure or deadlock, or a connection that was lost (killed by an
// administrator, a failover, a network cut). Update never retries a failed COMMIT, so a lost
// connection is retried only when the transaction had not been committed yet, and PostgreSQL has
// rolled it back; database/sql then opens a fresh connection.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01") {
		return true
	}
	_, transient, ok := unavailable(err)
	return ok && transient
}

// unavailable recognises the errors that mean PostgreSQL cannot serve okapi right now.
func unavailable(err error) (string, bool, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"), // connection exception
			pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", // admin/crash shutdown, cannot connect now
			pe.Code == "53300": // too many connections
			return "the connection to the database was lost", true, true
		case pe.Code == "53100": // disk full
			return "the database is full", false, true
		case pe.Code == "53200", pe.Code == "55P03": // out of memory, lock not available
			return "the database is busy", true, true
		}
		return "", false, false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "conn closed") {
		return "the connection to the database was lost", true, true
	}
	return "", false, false
}
