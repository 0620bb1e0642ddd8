package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
)

// LogQuery selects System Log events of one org.
type LogQuery struct {
	// Since and Until bound `published` (Unix ms): Since inclusive, Until exclusive; 0 = unbounded.
	Since, Until int64
	// ByPublished orders by (published, seq) — bounded queries; otherwise by seq alone, the
	// commit order — polling queries.
	ByPublished bool
	// Descending reverses the order.
	Descending bool
	// AfterSeq (and AfterPublished when ByPublished) is the position of the last event of the
	// previous page; 0 = from the start.
	AfterSeq, AfterPublished int64
	// Keywords must all occur as whole words in the event's search text (lower-cased already).
	Keywords []string
	// Filter, when set, is a parsed filter checked against FilterSchema, whose columns are
	// those of log_events (and log_targets through Exists).
	Filter       filter.Expr
	FilterSchema *filter.Schema
	// Limit is the page size (> 0).
	Limit int
}

// LogReader reads System Log events.
type LogReader interface {
	// LatestLogSeq returns the highest committed event sequence of org (0 when none).
	LatestLogSeq(ctx context.Context, org string) (int64, error)
	// ListEvents returns the events of org that match q, in q's order, each with its Seq. An
	// event is visible only once its transaction committed, and seq order is commit order, so
	// once seq N is visible every event with a lower seq is too. Only backend errors.
	ListEvents(ctx context.Context, org string, q LogQuery) ([]domain.LogEvent, error)
}

// LogWriter appends System Log events.
type LogWriter interface {
	// AppendEvents stores events in order, assigning each a commit sequence. Called in the same
	// transaction as the change the events describe. Only backend errors.
	AppendEvents(ctx context.Context, org string, events ...domain.LogEvent) error
	// PurgeEvents deletes up to limit events (of every org) published before the given Unix ms,
	// oldest first, with their targets, and returns how many it deleted. Only backend errors.
	PurgeEvents(ctx context.Context, before int64, limit int) (int, error)
	// PurgeOrgEvents is PurgeEvents for one org's events only (an org whose clock an operator
	// moved keeps its own retention). Only backend errors.
	PurgeOrgEvents(ctx context.Context, org string, before int64, limit int) (int, error)
}
