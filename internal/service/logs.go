package service

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

// System Log windows, as Okta documents them.
const (
	// LogDefaultWindow is how far back `since` defaults to (before `until`, or now).
	LogDefaultWindow = 7 * 24 * time.Hour
	// LogMaxLookback is how far back `since` may go.
	LogMaxLookback = 180 * 24 * time.Hour
)

// LogParams are the query parameters of GET /api/v1/logs, unparsed except limit: the common
// list parameters (filter, q, sortOrder, after, limit) and the time window.
type LogParams struct {
	ListParams
	Since, Until string
}

// LogPage is one page of events. Next is the `after` cursor of the next page, "" when the
// query is bounded and its results ran out. A polling query always has a Next.
type LogPage = Page[domain.LogEvent]

// ListLogEvents runs a System Log query for the caller's org.
//
// A polling query (ASCENDING without until) pages by commit sequence: it returns events in the
// order their transactions committed and always has a next cursor, which points past the last
// event seen or, when the page ends early, past the highest sequence that was visible before
// the page was read. Because sequence order is commit order (see sqlstore), a poller following
// next links never misses an event that commits late and never sees one twice.
//
// A bounded query (until given, or DESCENDING) orders by published then sequence and ends.
func (s *Service) ListLogEvents(ctx context.Context, p LogParams) (LogPage, error) {
	org := orgID(ctx)
	now := s.now(ctx).Time
	desc, err := sortOrder(p.SortOrder)
	if err != nil {
		return LogPage{}, err
	}
	var since, until time.Time
	if p.Until != "" {
		if until, err = logDate("until", p.Until); err != nil {
			return LogPage{}, err
		}
	}
	if p.Since != "" {
		if since, err = logDate("since", p.Since); err != nil {
			return LogPage{}, err
		}
	} else if !until.IsZero() {
		since = until.Add(-LogDefaultWindow)
	} else {
		since = now.Add(-LogDefaultWindow)
	}
	if since.Before(now.Add(-LogMaxLookback)) {
		return LogPage{}, domain.NewError(http.StatusBadRequest, domain.CodeInvalidSCIMFilter,
			"Invalid parameter: The since parameter is over 180 days prior to the current day.")
	}
	if !until.IsZero() && since.After(until) {
		return LogPage{}, domain.Validation("since", "since: The since parameter must not be after the until parameter")
	}
	keywords, err := domain.LogKeywords(p.Q)
	if err != nil {
		return LogPage{}, err
	}
	q := store.LogQuery{Since: since.UnixMilli(), Descending: desc, Keywords: keywords, Limit: p.Limit}
	if p.Filter != "" {
		if q.Filter, err = filter.ParseFor(p.Filter, filter.LogsFilter); err != nil {
			return LogPage{}, err
		}
		q.FilterSchema = filter.LogsFilter
	}
	if !until.IsZero() {
		q.Until = until.UnixMilli()
	}
	if p.After != "" {
		if q.AfterPublished, q.AfterSeq, err = decodeLogCursor(p.After); err != nil {
			return LogPage{}, err
		}
	}
	if desc || !until.IsZero() {
		return s.boundedPage(ctx, org, q)
	}
	return s.pollPage(ctx, org, q)
}

// boundedPage reads one row more than asked to learn whether another page exists.
func (s *Service) boundedPage(ctx context.Context, org string, q store.LogQuery) (LogPage, error) {
	q.ByPublished = true
	limit := q.Limit
	q.Limit++
	events, err := s.Store.ListEvents(ctx, org, q)
	if err != nil {
		return LogPage{}, err
	}
	page := LogPage{Items: events}
	if len(events) > limit {
		page.Items = events[:limit]
		last := page.Items[limit-1]
		page.Next = encodeLogCursor(last.Published.Millis(), last.Seq)
	}
	return page, nil
}

// pollPage reads a page in commit order. The highest visible sequence is read BEFORE the page:
// everything up to it had committed by then, so the page query saw all of it, and a short page
// may move the cursor up to it without skipping anything. Reading it after the page could
// jump over an event that committed in between.
func (s *Service) pollPage(ctx context.Context, org string, q store.LogQuery) (LogPage, error) {
	visible, err := s.Store.LatestLogSeq(ctx, org)
	if err != nil {
		return LogPage{}, err
	}
	events, err := s.Store.ListEvents(ctx, org, q)
	if err != nil {
		return LogPage{}, err
	}
	pos, published := q.AfterSeq, q.AfterPublished
	if n := len(events); n > 0 {
		pos, published = events[n-1].Seq, events[n-1].Published.Millis()
	}
	if len(events) < q.Limit && visible > pos {
		pos = visible
	}
	return LogPage{Items: events, Next: encodeLogCursor(published, pos)}, nil
}

// sortOrder reads sortOrder: ASCENDING (default) or DESCENDING, any case.
func sortOrder(v string) (desc bool, err error) {
	switch strings.ToUpper(v) {
	case "", "ASCENDING":
		return false, nil
	case "DESCENDING":
		return true, nil
	}
	return false, domain.Validation("sortOrder", "sortOrder: The sortOrder must be ASCENDING or DESCENDING")
}

// logDate parses an RFC 3339 date (fractional seconds and offsets allowed). A bad one is Okta's
// 400 E0000001 naming the parameter, with two causes.
func logDate(field, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err == nil {
		return t, nil
	}
	msg := "'" + field + "': The date format in your query is not recognized. Please enter dates using ISO8601 string format.."
	return time.Time{}, domain.NewError(http.StatusBadRequest, domain.CodeValidation, "Api validation failed: "+msg,
		domain.Cause{Summary: msg},
		domain.Cause{Summary: field + ": " + strconv.Quote(v) + " is not an RFC 3339 date such as 2017-05-03T16:22:18Z"})
}

// Log cursors are "<published ms>_<seq>", the shape of Okta's own (never a valid date). Polling
// pages use only the seq; bounded pages need both because they are ordered by published.
func encodeLogCursor(published, seq int64) string {
	return strconv.FormatInt(published, 10) + "_" + strconv.FormatInt(seq, 10)
}

func decodeLogCursor(v string) (published, seq int64, err error) {
	a, b, ok := strings.Cut(v, "_")
	if ok {
		published, err = strconv.ParseInt(a, 10, 64)
	}
	if ok && err == nil {
		seq, err = strconv.ParseInt(b, 10, 64)
	}
	if !ok || err != nil || published < 0 || seq < 0 || encodeLogCursor(published, seq) != v {
		return 0, 0, domain.NewError(http.StatusBadRequest, domain.CodeInvalidPaging, "Invalid paging request.",
			domain.Cause{Summary: "after: The cursor is not one this server issued"})
	}
	return published, seq, nil
}
