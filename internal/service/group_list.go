package service

import (
	"context"

	"github.com/okapi-dev/okapi/internal/cursor"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

// ListGroups returns one page of the caller's org's groups. Pages are keyset positions: by id
// (the cursor is the last group's id, as Okta's), or, for a search with sortBy, by that field
// and id (an opaque cursor bound to the sort).
// q is a case-insensitive prefix of profile.name; sortBy and sortOrder apply to search results
// only, as in Okta. q and filter together apply both (Okta answers 200; the Terraform
// provider's okta_group data source sends them together); q or filter with search is E0000033.
func (s *Service) ListGroups(ctx context.Context, req ListParams) (Page[domain.Group], error) {
	if req.Search != "" && (req.Q != "" || req.Filter != "") {
		return Page[domain.Group]{}, errSearchAndFilter
	}
	q := store.GroupQuery{NamePrefix: req.Q, Limit: req.Limit + 1}
	var err error
	switch {
	case req.Filter != "":
		q.WhereSchema = filter.GroupsFilter
		q.Where, err = filter.ParseFor(req.Filter, q.WhereSchema)
	case req.Search != "":
		q.WhereSchema = filter.GroupsSearch
		q.Where, err = filter.ParseFor(req.Search, q.WhereSchema)
		if err == nil && req.SortBy != "" {
			if _, ok := store.GroupSortFields[req.SortBy]; !ok {
				return Page[domain.Group]{}, domain.InvalidSearch("sortBy: the groups cannot be sorted by '" + req.SortBy + "'")
			}
			q.SortBy = req.SortBy
			q.Desc, err = descending(req.SortOrder)
		}
	}
	if err != nil {
		return Page[domain.Group]{}, err
	}
	if q.After, err = groupAfter(req.After, q.SortBy, q.Desc); err != nil {
		return Page[domain.Group]{}, err
	}
	groups, err := s.Store.ListGroups(ctx, orgID(ctx), q)
	if err != nil {
		return Page[domain.Group]{}, err
	}
	page := Page[domain.Group]{Items: groups}
	if len(groups) > req.Limit {
		page.Items = groups[:req.Limit]
		last := page.Items[req.Limit-1]
		page.Next = last.ID
		if q.SortBy != "" {
			pos := store.GroupPosition(last, q.SortBy)
			page.Next = cursor.Encode(cursor.Cursor{Field: q.SortBy, Desc: q.Desc, Key: pos.Key, ID: pos.ID})
		}
	}
	return page, nil
}

// groupAfter decodes an `after` parameter: a group id in the default order, an opaque cursor
// made for the same sort otherwise (400 E0000001 on after if it is not one).
func groupAfter(after, sortBy string, desc bool) (store.Position, error) {
	if after == "" || sortBy == "" {
		return store.Position{ID: after}, nil
	}
	c, err := cursor.DecodeFor(after, sortBy, desc)
	if err != nil {
		return store.Position{}, err
	}
	var ok bool
	switch store.GroupSortFields[sortBy] {
	case store.SortTime:
		_, ok = c.Key.(int64)
	default:
		_, ok = c.Key.(string)
	}
	if !ok || c.ID == "" {
		return store.Position{}, cursor.Invalid()
	}
	return store.Position{Key: c.Key, ID: c.ID}, nil
}
