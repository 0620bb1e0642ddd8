package storetest

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// t0 is the fixtures' clock: a millisecond-precise instant, as stores keep times.
var t0 = domain.FromMillis(1_700_000_000_123)

// at is t0 plus n seconds.
func at(n int64) domain.Time { return domain.FromMillis(t0.Millis() + n*1000) }

var ids = domain.CryptoIDs{}

var orgSeq atomic.Int64

// newOrg creates an org with a unique name.
func newOrg(t *testing.T, s store.Store) domain.Org {
	t.Helper()
	o := domain.Org{ID: domain.NewID(ids, domain.PrefixOrg), Name: fmt.Sprintf("org-%d", orgSeq.Add(1)), Created: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateOrg(t.Context(), o) })
	return o
}

// fullUser is a user with every field set, so a round trip shows any column that is lost.
func fullUser(login string) domain.User {
	return domain.User{
		ID: domain.NewID(ids, domain.PrefixUser), Status: domain.StatusActive, TransitioningToStatus: "",
		Created: at(0), Activated: at(1), StatusChanged: at(2), LastLogin: at(3), LastUpdated: at(4),
		PasswordChanged: at(5), TypeID: "oty" + ids.Random(17),
		Profile: map[string]any{
			"login": login, "email": login, "firstName": "Ada", "lastName": "Lovelace",
			"nickName": "Ünïcödé 😀", "employeeNumber": float64(42), "isManager": true,
			"tags": []any{"a", "b"}, "costCenter": nil,
		},
		Provider:         domain.Provider{Type: "OKTA", Name: "OKTA"},
		RecoveryQuestion: "Who?",
		Secrets:          domain.UserSecrets{PasswordHash: "$2a$10$abcdefghijklmnopqrstuv", RecoveryAnswerHash: "sha256:xyz"},
	}
}

// minimalUser is a user with only the required fields, so NULL columns round-trip as zero.
func minimalUser(login string) domain.User {
	return domain.User{
		ID: domain.NewID(ids, domain.PrefixUser), Status: domain.StatusStaged,
		Created: at(0), LastUpdated: at(0), TypeID: "oty" + ids.Random(17),
		Profile:  map[string]any{"login": login},
		Provider: domain.Provider{Type: "OKTA", Name: "OKTA"},
	}
}

// newUser stores minimalUser(login) in org and returns it as stored (Version 1).
func newUser(t *testing.T, s store.Store, org, login string) domain.User {
	t.Helper()
	u := minimalUser(login)
	update(t, s, func(tx store.Tx) error { return tx.CreateUser(t.Context(), org, u) })
	u.Version = 1
	return u
}

func group(typ, name string) domain.Group {
	return domain.Group{
		ID: domain.NewID(ids, domain.PrefixGroup), Type: typ,
		Created: at(0), LastUpdated: at(1), LastMembershipUpdated: at(2),
		Profile: map[string]any{"name": name, "description": "the " + name + " group"},
	}
}

func newGroup(t *testing.T, s store.Store, org, typ, name string) domain.Group {
	t.Helper()
	g := group(typ, name)
	update(t, s, func(tx store.Tx) error { return tx.CreateGroup(t.Context(), org, g) })
	return g
}

func token(name, userID string) domain.APIToken {
	return domain.APIToken{
		ID: domain.NewID(ids, domain.PrefixToken), Name: name, UserID: userID, ClientName: "Okta API",
		Created: at(0), LastUpdated: at(1), ExpiresAt: at(100), TokenWindow: domain.DefaultTokenWindow,
		LastUsed: at(2), Hash: domain.HashToken(domain.NewTokenSecret(ids)),
		Network: &domain.TokenNetwork{Connection: "ZONE", Include: []string{"nzo1"}, Exclude: []string{"nzo2"}},
	}
}

func newToken(t *testing.T, s store.Store, org, name string) domain.APIToken {
	t.Helper()
	tok := token(name, "00u"+ids.Random(17))
	update(t, s, func(tx store.Tx) error { return tx.CreateToken(t.Context(), org, tok) })
	return tok
}

// event is a System Log event naming target.
func event(eventType string, target ...domain.LogTarget) domain.LogEvent {
	c := &domain.Caller{UserID: "00uactor", Login: "actor@example.com", DisplayName: "Actor", RequestID: "req1"}
	return domain.NewLogEvent(c, ids, t0, eventType, "message of "+eventType, target...)
}
