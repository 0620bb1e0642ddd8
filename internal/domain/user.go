package domain

// UserStatus is a user's lifecycle state.
type UserStatus string

// The user statuses Okta has.
const (
	StatusStaged          UserStatus = "STAGED"
	StatusProvisioned     UserStatus = "PROVISIONED"
	StatusActive          UserStatus = "ACTIVE"
	StatusRecovery        UserStatus = "RECOVERY"
	StatusPasswordExpired UserStatus = "PASSWORD_EXPIRED"
	StatusLockedOut       UserStatus = "LOCKED_OUT"
	StatusSuspended       UserStatus = "SUSPENDED"
	StatusDeprovisioned   UserStatus = "DEPROVISIONED"
)

// AllUserStatuses lists every status, for exhaustive tests.
var AllUserStatuses = []UserStatus{StatusStaged, StatusProvisioned, StatusActive, StatusRecovery,
	StatusPasswordExpired, StatusLockedOut, StatusSuspended, StatusDeprovisioned}

// User is a person in the directory. Secrets live in Secrets and never reach JSON.
type User struct {
	ID                    string
	Status                UserStatus
	TransitioningToStatus string
	Created               Time
	Activated             Time
	StatusChanged         Time
	LastLogin             Time
	LastUpdated           Time
	PasswordChanged       Time
	TypeID                string
	Profile               map[string]any
	// RawProfile is the profile as stored (JSON), set instead of Profile on users read by list
	// queries: a page of 200 users is written out as stored rather than decoded into maps only
	// to be encoded back. Code that needs the values of a listed user's profile decodes it.
	RawProfile       []byte
	Provider         Provider
	RecoveryQuestion string
	Secrets          UserSecrets
	// Version increments on every write; stores use it to refuse lost updates.
	Version int64
}

// Provider is the credential provider of a user.
type Provider struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// UserSecrets are write-only credentials, stored hashed.
type UserSecrets struct {
	// PasswordHash is a PHC-style string (e.g. "$2a$10$..." for bcrypt, or an imported hash
	// encoded by the password package). Empty when the user has no password.
	PasswordHash string
	// RecoveryAnswerHash is the hash of the lower-cased recovery answer.
	RecoveryAnswerHash string
}

// HasPassword reports whether the user has a password credential.
func (u *User) HasPassword() bool { return u.Secrets.PasswordHash != "" }

// Login returns profile.login.
func (u *User) Login() string { s, _ := u.Profile["login"].(string); return s }

// DisplayName is "firstName lastName", as Okta shows users in the System Log.
func (u *User) DisplayName() string {
	f, _ := u.Profile["firstName"].(string)
	l, _ := u.Profile["lastName"].(string)
	switch {
	case f == "":
		return l
	case l == "":
		return f
	}
	return f + " " + l
}

// LogTarget describes the user as a System Log target.
func (u *User) LogTarget() LogTarget {
	return LogTarget{ID: u.ID, Type: "User", AlternateID: u.Login(), DisplayName: u.DisplayName()}
}

// Group types.
const (
	GroupOkta    = "OKTA_GROUP"
	GroupApp     = "APP_GROUP"
	GroupBuiltIn = "BUILT_IN"
)

// Group is a set of users.
type Group struct {
	ID                    string
	Type                  string
	Created               Time
	LastUpdated           Time
	LastMembershipUpdated Time
	Profile               map[string]any
}

// Name returns profile.name.
func (g *Group) Name() string { s, _ := g.Profile["name"].(string); return s }

// LogTarget describes the group as a System Log target.
func (g *Group) LogTarget() LogTarget {
	return LogTarget{ID: g.ID, Type: "UserGroup", AlternateID: g.Name(), DisplayName: g.Name()}
}
