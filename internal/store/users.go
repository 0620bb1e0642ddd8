package store

import (
	"context"

	"github.com/okapi-dev/okapi/internal/cursor"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/filter"
)

// UserQuery selects one page of users. Zero values mean: no filter, no q, DEPROVISIONED users
// left out, default order (created, then id), first page.
type UserQuery struct {
	// Where is a checked expression of Schema (filter.UsersFilter or filter.UsersSearch).
	Where  filter.Expr
	Schema *filter.Schema
	// Q matches a prefix of firstName, lastName or email, ignoring ASCII case.
	Q                    string
	IncludeDeprovisioned bool
	// SortBy is an attribute of filter.UsersSearch ("" for the default order); Desc reverses it.
	SortBy string
	Desc   bool
	// After is the position the page starts after (nil for the first page); it must belong to
	// the same sort.
	After *cursor.Cursor
	Limit int
}

// UserReader reads users.
type UserReader interface {
	// GetUser returns a user by id, or domain.ErrNotFound.
	GetUser(ctx context.Context, org, id string) (domain.User, error)
	// GetUserByLogin returns a user by login, ignoring case, or domain.ErrNotFound.
	GetUserByLogin(ctx context.Context, org, login string) (domain.User, error)
	// ListUsers returns up to q.Limit users in q's order and, when more follow, the position
	// of the last one as the cursor of the next page (nil otherwise). Pagination is keyset: a
	// page never skips or repeats a user that existed throughout.
	ListUsers(ctx context.Context, org string, q UserQuery) ([]domain.User, *cursor.Cursor, error)
}

// UserWriter writes users.
type UserWriter interface {
	// CreateUser inserts u (Version 1); a login taken in org (ignoring case) is a
	// *ConflictError{"login"}.
	CreateUser(ctx context.Context, org string, u domain.User) error
	// UpdateUser writes u if the stored Version still equals u.Version, then stores
	// u.Version+1; otherwise ErrStale (or domain.ErrNotFound if the user is gone).
	UpdateUser(ctx context.Context, org string, u domain.User) error
	// DeleteUser removes a user and what is keyed by it: group memberships, app assignments
	// (AppObject kind "user"), role assignments with their targets and subscription settings
	// (RoleObject kinds "user" and "unsubscribed"), IdP links, sign-in sessions, factors and
	// failure counts, password history and linked-object values; domain.ErrNotFound if absent.
	DeleteUser(ctx context.Context, org, id string) error
}
