package filter

import "github.com/okapi-dev/okapi/internal/domain"

// The schemas below are the whitelists of okapi's list endpoints. Column names are the store's
// (tables users, groups, log_events and log_targets). They are shared values: do not modify
// them; copy one to derive another.

var (
	dateOrder   = Ops(OpEq, OpGt, OpGe, OpLt, OpLe)
	searchOps   = Ops(OpEq, OpSw, OpGt, OpGe, OpLt, OpLe, OpPr)
	searchDates = Ops(OpEq, OpGt, OpGe, OpLt, OpLe, OpPr)
	eqOnly      = Ops(OpEq)
)

// UsersFilter is GET /api/v1/users?filter=: eq only (lastUpdated also orders), and/or without
// not, values case-sensitive.
var UsersFilter = &Schema{
	Attrs: map[string]Attr{
		"status":            {Type: String, Ops: eqOnly, Column: "status"},
		"lastUpdated":       {Type: Date, Ops: dateOrder, Column: "last_updated"},
		"id":                {Type: String, Ops: eqOnly, Column: "id"},
		"profile.login":     {Type: String, Ops: eqOnly, Column: "login", FoldedColumn: "login_lower"},
		"profile.email":     {Type: String, Ops: eqOnly, Column: "email", FoldedByLower: true},
		"profile.firstName": {Type: String, Ops: eqOnly, Column: "first_name", FoldedByLower: true},
		"profile.lastName":  {Type: String, Ops: eqOnly, Column: "last_name", FoldedByLower: true},
	},
	AllowOr: true,
}

// UsersSearch is GET /api/v1/users?search=: any profile property (custom ones from the JSON
// column profile), eq sw gt ge lt le pr (no ne), and/or/not, string values case-insensitive.
var UsersSearch = &Schema{
	Attrs: map[string]Attr{
		"id":                {Type: String, Ops: searchOps, Column: "id"},
		"status":            {Type: String, Ops: searchOps, Column: "status"},
		"type.id":           {Type: String, Ops: searchOps, Column: "type_id"},
		"created":           {Type: Date, Ops: searchDates, Column: "created"},
		"activated":         {Type: Date, Ops: searchDates, Column: "activated"},
		"statusChanged":     {Type: Date, Ops: searchDates, Column: "status_changed"},
		"lastUpdated":       {Type: Date, Ops: searchDates, Column: "last_updated"},
		"passwordChanged":   {Type: Date, Ops: searchDates, Column: "password_changed"},
		"lastLogin":         {Type: Date, Ops: searchDates, Column: "last_login"},
		"profile.login":     {Type: String, Ops: searchOps, Column: "login", FoldedColumn: "login_lower"},
		"profile.email":     {Type: String, Ops: searchOps, Column: "email", FoldedByLower: true},
		"profile.firstName": {Type: String, Ops: searchOps, Column: "first_name", FoldedByLower: true},
		"profile.lastName":  {Type: String, Ops: searchOps, Column: "last_name", FoldedByLower: true},
	},
	Dynamic:         &Dynamic{Prefix: "profile.", Column: "profile", Ops: searchOps},
	CaseInsensitive: true,
	AllowOr:         true,
	AllowNot:        true,
}

// GroupsFilter is GET /api/v1/groups?filter=.
var GroupsFilter = &Schema{
	Attrs: map[string]Attr{
		"id":                    {Type: String, Ops: eqOnly, Column: "id"},
		"type":                  {Type: String, Ops: eqOnly, Column: "type"},
		"lastUpdated":           {Type: Date, Ops: dateOrder, Column: "last_updated"},
		"lastMembershipUpdated": {Type: Date, Ops: dateOrder, Column: "last_membership_updated"},
	},
	AllowOr: true,
}

// GroupsSearch is GET /api/v1/groups?search=: profile properties plus the group's own
// attributes, string values case-insensitive.
var GroupsSearch = &Schema{
	Attrs: map[string]Attr{
		"id":                    {Type: String, Ops: searchOps, Column: "id"},
		"type":                  {Type: String, Ops: searchOps, Column: "type"},
		"created":               {Type: Date, Ops: searchDates, Column: "created"},
		"lastUpdated":           {Type: Date, Ops: searchDates, Column: "last_updated"},
		"lastMembershipUpdated": {Type: Date, Ops: searchDates, Column: "last_membership_updated"},
		"profile.name":          {Type: String, Ops: searchOps, Column: "name"},
		"profile.description":   {Type: String, Ops: searchOps, Column: "description"},
	},
	Dynamic:         &Dynamic{Prefix: "profile.", Column: "profile", Ops: searchOps},
	CaseInsensitive: true,
	AllowOr:         true,
	AllowNot:        true,
}

// logTargets is the any-target subquery: an event matches `target.x op v` when one of its
// targets does.
const logTargets = "EXISTS (SELECT 1 FROM log_targets t WHERE t.org_id = log_events.org_id AND t.event_seq = log_events.seq AND %s)"

// LogsFilter is GET /api/v1/logs?filter=: full SCIM operators, case-sensitive, errors reported
// as 400 E0000053 "Invalid SCIM filter.". `published` is refused (since/until select time).
var LogsFilter = &Schema{
	Attrs: map[string]Attr{
		"eventType":                        {Type: String, Ops: AllOps, Column: "event_type"},
		"severity":                         {Type: String, Ops: AllOps, Column: "severity"},
		"outcome.result":                   {Type: String, Ops: AllOps, Column: "outcome_result"},
		"outcome.reason":                   {Type: String, Ops: AllOps, Column: "outcome_reason"},
		"actor.id":                         {Type: String, Ops: AllOps, Column: "actor_id"},
		"actor.type":                       {Type: String, Ops: AllOps, Column: "actor_type"},
		"actor.alternateId":                {Type: String, Ops: AllOps, Column: "actor_alternate_id"},
		"actor.displayName":                {Type: String, Ops: AllOps, Column: "actor_display_name"},
		"client.ipAddress":                 {Type: String, Ops: AllOps, Column: "client_ip"},
		"client.zone":                      {Type: String, Ops: AllOps, Column: "client_zone"},
		"transaction.id":                   {Type: String, Ops: AllOps, Column: "transaction_id"},
		"uuid":                             {Type: String, Ops: AllOps, Column: "uuid"},
		"debugContext.debugData.requestId": {Type: String, Ops: AllOps, Column: "request_id"},
		"legacyEventType":                  {Type: String, Ops: AllOps, Column: "legacy_event_type"},
		"displayMessage":                   {Type: String, Ops: AllOps, Column: "display_message"},
		"target.id":                        {Type: String, Ops: AllOps, Column: "t.id", Exists: logTargets},
		"target.type":                      {Type: String, Ops: AllOps, Column: "t.type", Exists: logTargets},
		"target.alternateId":               {Type: String, Ops: AllOps, Column: "t.alternate_id", Exists: logTargets},
	},
	AllowOr:  true,
	AllowNot: true,
	Code:     domain.CodeInvalidSCIMFilter,
	Summary:  "Invalid SCIM filter.",
}
