package service

import (
	"context"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// GroupList is a GET /api/v1/groups request.
type GroupList struct {
	Q      string // case-insensitive prefix of profile.name
	Filter string
	Search string
	// SortBy and Desc apply to search results only, as in Okta.
	SortBy string
	Desc   bool
	After  string // cursor of the previous page
	Limit  int    // rows wanted; the caller has applied defaults and caps
}

// GroupPage is one page of groups and the cursor of the next one ("" on the last page).
type GroupPage struct {
	Groups []domain.Group
	Next   string
}

// errQAndFilter is Okta's E0000033 for q together with filter or search.
var errQAndFilter = domain.NewError(http.StatusBadRequest, domain.CodeSearchAndFilter,
	"Bad request. Can't specify a search query and filter in the same request.")

// ListGroups returns one page of the caller's org's groups. Pages are keyset positions: by id
// (the cursor is the last group's id, as Okta's), or by the sort field of a search.
func (s *Service) ListGroups(ctx context.Context, req GroupList) (GroupPage, error) {
	if req.Q != "" && (req.Filter != "" || req.Search != "") {
		return GroupPage{}, errQAndFilter
	}
	if req.Filter != "" && req.Search != "" {
		return GroupPage{}, errQAndFilter
	}
	q := store.GroupQuery{NamePrefix: req.Q, Limit: req.Limit + 1}
	if req.Filter != "" || req.Search != "" {
		return GroupPage{}, domain.InvalidSearch("filter and search are not supported on groups yet")
	}
	q.After.ID = req.After
	groups, err := s.Store.ListGroups(ctx, orgID(ctx), q)
	if err != nil {
		return GroupPage{}, err
	}
	page := GroupPage{Groups: groups}
	if len(groups) > req.Limit {
		page.Groups = groups[:req.Limit]
		page.Next = page.Groups[req.Limit-1].ID
	}
	return page, nil
}
