package httpapi

import (
	"encoding/json"
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

// appendUser appends the User resource exactly as encoding/json would encode userJSON's
// result, without reflection or maps: a list page is 200 users, and encoding them through
// encoding/json (a map per profile, sorted keys, a MarshalJSON per date) was a quarter of the
// request. A listed user's profile is copied as stored (domain.User.RawProfile), which the
// store wrote with encoding/json itself. TestAppendUserMatchesEncodingJSON holds the two
// encodings byte for byte equal.
func (s *Server) appendUser(b []byte, r *http.Request, u domain.User, inCollection bool) ([]byte, error) {
	body := s.userJSON(r, u, inCollection).(userBody)
	b = append(b, `{"id":`...)
	b = appendJSONString(b, body.ID)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(body.Status))
	if body.TransitioningToStatus != "" {
		b = append(b, `,"transitioningToStatus":`...)
		b = appendJSONString(b, body.TransitioningToStatus)
	}
	for _, f := range [...]struct {
		name string
		t    domain.Time
	}{{`,"created":`, body.Created}, {`,"activated":`, body.Activated}, {`,"statusChanged":`, body.StatusChanged},
		{`,"lastLogin":`, body.LastLogin}, {`,"lastUpdated":`, body.LastUpdated}, {`,"passwordChanged":`, body.PasswordChanged}} {
		b = append(b, f.name...)
		b = f.t.AppendJSON(b)
	}
	b = append(b, `,"type":{"id":`...)
	b = appendJSONString(b, body.Type.ID)
	b = append(b, `},"profile":`...)
	if u.Profile == nil && len(u.RawProfile) > 0 && string(u.RawProfile) != "null" {
		b = append(b, u.RawProfile...)
	} else {
		p, err := json.Marshal(body.Profile)
		if err != nil {
			return b, err
		}
		b = append(b, p...)
	}
	b = append(b, `,"credentials":{`...)
	c := body.Credentials
	sep := ""
	if c.Password != nil {
		b = append(b, `"password":{}`...)
		sep = ","
	}
	if c.RecoveryQuestion != nil {
		b = append(b, sep+`"recovery_question":{"question":`...)
		b = appendJSONString(b, c.RecoveryQuestion.Question)
		b = append(b, '}')
		sep = ","
	}
	if c.Provider != nil {
		b = append(b, sep+`"provider":{"type":`...)
		b = appendJSONString(b, c.Provider.Type)
		b = append(b, `,"name":`...)
		b = appendJSONString(b, c.Provider.Name)
		b = append(b, '}')
	}
	b = append(b, `},"_links":`...)
	if self, ok := body.Links["self"].(Link); ok && len(body.Links) == 1 && self.Name == "" && self.Type == "" && self.Hints == nil {
		b = append(b, `{"self":{"href":`...)
		b = appendJSONString(b, self.Href)
		b = append(b, `}}`...)
	} else {
		l, err := json.Marshal(body.Links)
		if err != nil {
			return b, err
		}
		b = append(b, l...)
	}
	return append(b, '}'), nil
}

// writeUsers answers a page of users (list users, group members).
func (s *Server) writeUsers(w http.ResponseWriter, r *http.Request, users []domain.User) error {
	b := make([]byte, 0, 1024*(len(users)+1))
	b = append(b, '[')
	for i, u := range users {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = s.appendUser(b, r, u, true); err != nil {
			return err
		}
	}
	// A trailing newline, as json.Encoder writes after every value.
	writeRawJSON(w, http.StatusOK, append(b, ']', '\n'))
	return nil
}

// appendJSONString appends s as a JSON string the way encoding/json does. Strings of plain
// printable ASCII (ids, statuses, links, most names) are copied; anything that needs escaping
// goes through encoding/json, so the escaping rules (HTML characters, invalid UTF-8, U+2028)
// stay encoding/json's.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
