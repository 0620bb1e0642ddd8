package service

import (
	"context"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

// LegacyEventsWindow is how far back the Events API reads when given neither startDate,
// filter nor after.
const LegacyEventsWindow = time.Hour

// legacyEventsFilter is the Events API's filter whitelist: action.objectType (the legacy type,
// or the eventType for events Okta records no legacy type for), target.objectType and
// target.id with eq, published with lt, eq and gt.
var legacyEventsFilter = &filter.Schema{
	Attrs: map[string]filter.Attr{
		"action.objectType": {Type: filter.String, Ops: filter.Ops(filter.OpEq), Column: "COALESCE(legacy_event_type, event_type)"},
		"target.objectType": {Type: filter.String, Ops: filter.Ops(filter.OpEq), Column: "t.type", Exists: legacyTargets},
		"target.id":         {Type: filter.String, Ops: filter.Ops(filter.OpEq), Column: "t.id", Exists: legacyTargets},
		"published":         {Type: filter.Date, Ops: filter.Ops(filter.OpLt, filter.OpEq, filter.OpGt), Column: "published"},
	},
	AllowOr: true,
}

const legacyTargets = "EXISTS (SELECT 1 FROM log_targets t WHERE t.org_id = log_events.org_id AND t.event_seq = log_events.seq AND %s)"

// EventParams are the query parameters of the legacy GET /api/v1/events, unparsed except limit:
// the common list parameters (filter, after, limit) and startDate.
type EventParams struct {
	ListParams
	StartDate string
}

// EventPage is one page of legacy events; Next is always set: the Events API is a stream.
type EventPage = Page[domain.LegacyEvent]

// ListLegacyEvents reads the System Log in the deprecated Events API shape, in commit order,
// with the same never-skip, never-repeat cursor as a System Log polling query.
func (s *Service) ListLegacyEvents(ctx context.Context, p EventParams) (EventPage, error) {
	if p.StartDate != "" && (p.Filter != "" || p.After != "") {
		return EventPage{}, domain.Validation("startDate", "startDate: The startDate parameter cannot be combined with filter or after")
	}
	q := store.LogQuery{Limit: p.Limit}
	switch {
	case p.StartDate != "":
		t, err := logDate("startDate", p.StartDate)
		if err != nil {
			return EventPage{}, err
		}
		q.Since = t.UnixMilli()
	case p.Filter == "" && p.After == "":
		q.Since = s.now(ctx).Add(-LegacyEventsWindow).UnixMilli()
	}
	if p.Filter != "" {
		var err error
		if q.Filter, err = filter.ParseFor(p.Filter, legacyEventsFilter); err != nil {
			return EventPage{}, err
		}
		q.FilterSchema = legacyEventsFilter
	}
	if p.After != "" {
		var err error
		if q.AfterPublished, q.AfterSeq, err = decodeLogCursor(p.After); err != nil {
			return EventPage{}, err
		}
	}
	page, err := s.pollPage(ctx, orgID(ctx), q)
	if err != nil {
		return EventPage{}, err
	}
	out := EventPage{Items: make([]domain.LegacyEvent, len(page.Items)), Next: page.Next}
	for i, ev := range page.Items {
		out.Items[i] = ev.Legacy()
	}
	return out, nil
}
