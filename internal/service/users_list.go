package service

import (
	"context"
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/cursor"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
	"github.com/okapi-dev/okapi/internal/store"
)

// errSearchAndFilter is Okta's E0000033 for q, filter and search used together (users, groups,
// trusted origins).
var errSearchAndFilter = domain.NewError(http.StatusBadRequest, domain.CodeSearchAndFilter,
	"Bad request. Can't specify a search query and filter in the same request.")

// ListUsers returns one page of users and the cursor of the next page ("" on the last one).
// Semantics of the listUsers operation
// (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers):
// DEPROVISIONED users are left out unless a search is given or the
// filter asks about status; q is a case-insensitive prefix of firstName, lastName or email and
// cannot be combined with filter or search (400 E0000033).
func (s *Service) ListUsers(ctx context.Context, p ListParams) (Page[domain.User], error) {
	if p.Q != "" && (p.Filter != "" || p.Search != "") || p.Filter != "" && p.Search != "" {
		return Page[domain.User]{}, errSearchAndFilter
	}
	q := store.UserQuery{Q: p.Q, Limit: p.Limit}
	var err error
	switch {
	case p.Search != "":
		q.Schema, q.IncludeDeprovisioned = filter.UsersSearch, true
		q.Where, err = filter.ParseFor(p.Search, filter.UsersSearch)
	case p.Filter != "":
		q.Schema = filter.UsersFilter
		q.Where, err = filter.ParseFor(p.Filter, filter.UsersFilter)
		q.IncludeDeprovisioned = mentions(q.Where, "status")
	}
	if err != nil {
		return Page[domain.User]{}, err
	}
	if p.SortBy != "" {
		if _, ok := filter.UsersSearch.Attrs[p.SortBy]; !ok {
			return Page[domain.User]{}, domain.Validation("sortBy", "sortBy: Sorting is supported on id, status, type.id, created, activated, statusChanged, lastUpdated, passwordChanged, lastLogin, profile.login, profile.email, profile.firstName and profile.lastName")
		}
		q.SortBy = p.SortBy
	}
	// sortOrder only means something with sortBy: the Terraform provider always sends
	// sortOrder=0 without sortBy and Okta answers 200, so it is ignored then.
	if p.SortBy == "" {
		p.SortOrder = ""
	}
	if q.Desc, err = descending(p.SortOrder); err != nil {
		return Page[domain.User]{}, err
	}
	if p.After != "" {
		c, err := cursor.DecodeFor(p.After, q.SortBy, q.Desc)
		if err != nil {
			return Page[domain.User]{}, err
		}
		q.After = &c
	}
	var users []domain.User
	var next *cursor.Cursor
	err = s.gatedScan(ctx, scans(q.Where, q.Schema, q.Q), func(ctx context.Context) error {
		users, next, err = s.Store.ListUsers(ctx, orgID(ctx), q)
		return err
	})
	if err != nil || next == nil {
		return Page[domain.User]{Items: users}, err
	}
	return Page[domain.User]{Items: users, Next: cursor.Encode(*next)}, nil
}

// mentions reports whether expr compares attribute attr anywhere.
func mentions(e filter.Expr, attr string) bool {
	switch x := e.(type) {
	case *filter.Compare:
		return x.Attr == attr
	case *filter.And:
		return mentions(x.Left, attr) || mentions(x.Right, attr)
	case *filter.Or:
		return mentions(x.Left, attr) || mentions(x.Right, attr)
	case *filter.Not:
		return mentions(x.X, attr)
	}
	return false
}

// descending reads Okta's sortOrder: asc (the default) or desc, in any case; anything else is
// 400 E0000001 on sortOrder. Every list with a sort uses it.
func descending(sortOrder string) (bool, error) {
	switch strings.ToLower(sortOrder) {
	case "", "asc":
		return false, nil
	case "desc":
		return true, nil
	}
	return false, domain.Validation("sortOrder", "sortOrder: The value must be asc or desc")
}
