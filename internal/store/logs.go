package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
)

// LogReader reads System Log events.
type LogReader interface {
	// LatestLogSeq returns the highest committed event sequence of org (0 when none).
	LatestLogSeq(ctx context.Context, org string) (int64, error)
}

// LogWriter appends System Log events.
type LogWriter interface {
	// AppendEvents stores events in order, assigning each a commit sequence. Called in the same
	// transaction as the change the events describe.
	AppendEvents(ctx context.Context, org string, events ...domain.LogEvent) error
}
