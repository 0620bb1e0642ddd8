package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// userBody is the User resource in Okta's field order. Dates that are unset marshal as null.
type userBody struct {
	ID                    string            `json:"id"`
	Status                domain.UserStatus `json:"status"`
	TransitioningToStatus string            `json:"transitioningToStatus,omitempty"`
	Created               domain.Time       `json:"created"`
	Activated             domain.Time       `json:"activated"`
	StatusChanged         domain.Time       `json:"statusChanged"`
	LastLogin             domain.Time       `json:"lastLogin"`
	LastUpdated           domain.Time       `json:"lastUpdated"`
	PasswordChanged       domain.Time       `json:"passwordChanged"`
	Type                  typeRef           `json:"type"`
	Profile               map[string]any    `json:"profile"`
	Credentials           credentialsBody   `json:"credentials"`
	Links                 Links             `json:"_links"`
}

type typeRef struct {
	ID string `json:"id"`
}

// credentialsBody is UserCredentials as Okta shows it: `password: {}` when a password exists
// (its value and hash are write-only), the question without its answer, and the provider.
type credentialsBody struct {
	Password         *struct{}        `json:"password,omitempty"`
	RecoveryQuestion *questionBody    `json:"recovery_question,omitempty"`
	Provider         *domain.Provider `json:"provider,omitempty"`
}

type questionBody struct {
	Question string `json:"question"`
}

func credentialsJSON(u domain.User) credentialsBody {
	var c credentialsBody
	if u.HasPassword() {
		c.Password = &struct{}{}
	}
	if u.RecoveryQuestion != "" {
		c.RecoveryQuestion = &questionBody{Question: u.RecoveryQuestion}
	}
	if u.Provider.Type != "" {
		p := u.Provider
		c.Provider = &p
	}
	return c
}

// userOpLinks names the link of each lifecycle or credential operation and its path under the
// user. Operations without a link (set_password, the recovery-question reset) are absent;
// resetFactors is absent too because Okta shows it only when factors are enrolled, and okapi
// has no factors.
var userOpLinks = []struct {
	op   domain.UserOp
	name string
	path string
}{
	{domain.OpActivate, "activate", "/lifecycle/activate"},
	{domain.OpReactivate, "reactivate", "/lifecycle/reactivate"},
	{domain.OpDeactivate, "deactivate", "/lifecycle/deactivate"},
	{domain.OpSuspend, "suspend", "/lifecycle/suspend"},
	{domain.OpUnsuspend, "unsuspend", "/lifecycle/unsuspend"},
	{domain.OpUnlock, "unlock", "/lifecycle/unlock"},
	{domain.OpResetPassword, "resetPassword", "/lifecycle/reset_password"},
	{domain.OpExpirePassword, "expirePassword", "/lifecycle/expire_password"},
	{domain.OpForgotPassword, "forgotPassword", "/credentials/forgot_password"},
	{domain.OpChangePassword, "changePassword", "/credentials/change_password"},
	{domain.OpChangeRecoveryQuestion, "changeRecoveryQuestion", "/credentials/change_recovery_question"},
}

// userJSON is the User resource. A user on its own carries links to the operations its status
// allows now (read from the lifecycle table), its type and schema; in a collection (list users,
// group members) only self, as Okta does.
func (s *Server) userJSON(r *http.Request, u domain.User, inCollection bool) any {
	self := "/api/v1/users/" + u.ID
	links := Links{"self": s.link(r, self)}
	if !inCollection {
		creds := domain.CredsOf(u)
		for _, l := range userOpLinks {
			if domain.Allowed(u.Status, l.op, creds) {
				links[l.name] = s.postLink(r, self+l.path)
			}
		}
		links["type"] = s.link(r, "/api/v1/meta/types/user/"+u.TypeID)
		links["schema"] = s.link(r, "/api/v1/meta/schemas/user/"+service.DefaultUserSchemaID(callerOf(r.Context()).OrgID))
	}
	profile := u.Profile
	if profile == nil {
		profile = map[string]any{}
	}
	return userBody{
		ID: u.ID, Status: u.Status, TransitioningToStatus: u.TransitioningToStatus,
		Created: u.Created, Activated: u.Activated, StatusChanged: u.StatusChanged, LastLogin: u.LastLogin,
		LastUpdated: u.LastUpdated, PasswordChanged: u.PasswordChanged, Type: typeRef{ID: u.TypeID},
		Profile: profile, Credentials: credentialsJSON(u), Links: links,
	}
}
