// Package role holds Okta's standard admin roles and their assignments to users and groups,
// with group targets. It knows nothing of HTTP or SQL. Source: Okta's Role Assignment and Role
// Target APIs (assignRoleToUser, assignRoleToGroup, assignGroupTargetToUserRole...) and
// "Standard administrator roles" in Okta's documentation.
//
// okapi stores and serves assignments; it does not yet decide requests by them (every API
// token still acts as its owner's super admin).
package role

import (
	"slices"

	"github.com/okapi-dev/okapi/internal/domain"
)

// IDPrefix starts role assignment ids, as Okta's do ("ra1...").
const IDPrefix = "ra1"

// Labels are the standard role types and the names Okta shows for them.
var Labels = map[string]string{
	"SUPER_ADMIN":                 "Super Administrator",
	"ORG_ADMIN":                   "Organizational Administrator",
	"APP_ADMIN":                   "Application Administrator",
	"USER_ADMIN":                  "Group Administrator",
	"HELP_DESK_ADMIN":             "Help Desk Administrator",
	"READ_ONLY_ADMIN":             "Read Only Administrator",
	"MOBILE_ADMIN":                "Mobile Administrator",
	"API_ACCESS_MANAGEMENT_ADMIN": "API Access Management Administrator",
	"REPORT_ADMIN":                "Report Administrator",
	"GROUP_MEMBERSHIP_ADMIN":      "Group Membership Administrator",
}

// groupTargetable are the roles that can be limited to groups.
var groupTargetable = []string{"USER_ADMIN", "HELP_DESK_ADMIN", "GROUP_MEMBERSHIP_ADMIN"}

// TakesGroupTargets reports whether a role of type t can be limited to groups.
func TakesGroupTargets(t string) bool { return slices.Contains(groupTargetable, t) }

// Assignment is a role assigned to a user or a group (the Role schema).
type Assignment struct {
	ID             string      `json:"id"`
	Type           string      `json:"type"`
	Label          string      `json:"label"`
	Status         string      `json:"status"`
	AssignmentType string      `json:"assignmentType"`
	Assignee       string      `json:"assignee"`
	Created        domain.Time `json:"created"`
	LastUpdated    domain.Time `json:"lastUpdated"`
}

// New makes an assignment of role type t to a user or group (assignmentType USER or GROUP).
func New(ids domain.IDs, t, assignmentType, assignee string, now domain.Time) (Assignment, error) {
	label, ok := Labels[t]
	if !ok {
		if t == "" {
			return Assignment{}, domain.Validation("type", "type: The field cannot be left blank")
		}
		return Assignment{}, domain.Validation("type", "type: The role type "+t+" is not a standard role")
	}
	return Assignment{ID: domain.NewID(ids, IDPrefix), Type: t, Label: label, Status: "ACTIVE",
		AssignmentType: assignmentType, Assignee: assignee, Created: now, LastUpdated: now}, nil
}

// NotificationTypes are the admin email notifications an admin can subscribe to (the spec's
// NotificationType): every admin is subscribed to all of them until they unsubscribe.
var NotificationTypes = []string{"AD_AGENT", "AGENT_AUTO_UPDATE_NOTIFICATION", "AGENT_AUTO_UPDATE_NOTIFICATION_LDAP", "APP_IMPORT",
	"CONNECTOR_AGENT", "IWA_AGENT", "LDAP_AGENT", "OKTA_ANNOUNCEMENT", "OKTA_ISSUE", "OKTA_UPDATE", "RATELIMIT_NOTIFICATION",
	"REPORT_SUSPICIOUS_ACTIVITY", "USER_DEPROVISION", "USER_LOCKED_OUT"}

// Subscription is an admin's subscription to one notification type (the Subscription schema).
type Subscription struct {
	NotificationType string   `json:"notificationType"`
	Channels         []string `json:"channels"`
	Status           string   `json:"status"`
}
