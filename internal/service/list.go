package service

// ListParams is one list request, the same for every resource family: limit (the HTTP layer
// has applied the resource's default and maximum), the after/before cursors, the three ways
// of selecting rows (q, filter, search) and the sort. A resource uses the fields it supports;
// see Okta's pagination and filtering conventions,
// https://developer.okta.com/docs/api/#pagination and https://developer.okta.com/docs/api/#filter.
type ListParams struct {
	Limit int
	// After is the cursor of the previous page (Okta's `after`); Before is accepted where a
	// resource pages backwards.
	After, Before string
	// Q is the resource's simple prefix search; Filter and Search are SCIM expressions.
	Q, Filter, Search string
	// SortBy and SortOrder ("asc" or "desc") apply where the resource supports sorting.
	SortBy, SortOrder string
}

// Page is one page of a list and the cursor of the next page ("" on the last page, except for
// streams such as the System Log, whose next link always exists). The HTTP layer writes the
// Link headers from Next in one place (httpapi.writePage).
type Page[T any] struct {
	Items []T
	Next  string
}
