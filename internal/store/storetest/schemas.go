package storetest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

func init() {
	register("Schemas",
		check{"EmptyThenPutAndReplace", testSchemaRoundTrip},
		check{"GroupRulesCRUD", testGroupRules},
	)
}

func testSchemaRoundTrip(t *testing.T, s store.Store) {
	ctx, org := t.Context(), newOrg(t, s)
	got, err := s.GetProfileSchema(ctx, org.ID, "user")
	if err != nil || len(got.Properties) != 0 || got.Kind != "user" {
		t.Fatalf("empty schema = %+v, %v", got, err)
	}
	ml, no, pattern := 20, false, "[a-z]+"
	want := domain.ProfileSchema{Kind: "user", Created: at(0), LastUpdated: at(1), Properties: map[string]domain.SchemaProperty{
		"badge": {Title: "Badge", Type: "string", MaxLength: &ml, Unique: "UNIQUE_VALIDATED"},
		"tags":  {Title: "Tags", Type: "array", Items: &domain.SchemaItems{Type: "string"}, Enum: nil},
	}, Base: map[string]domain.BaseOverride{ // the overrides of base properties travel in the same row
		"firstName": {Required: &no, Permissions: []domain.SchemaPermission{{Principal: "SELF", Action: "HIDE"}}},
		"login":     {Pattern: &pattern, Master: &domain.SchemaMaster{Type: "OKTA"}},
	}}
	for range 2 { // the second put replaces the first
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutProfileSchema(ctx, org.ID, want) }); err != nil {
			t.Fatal(err)
		}
	}
	got, err = s.GetProfileSchema(ctx, org.ID, "user")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	if g, _ := s.GetProfileSchema(ctx, org.ID, "group"); len(g.Properties) != 0 {
		t.Fatalf("group schema shares the user's: %+v", g)
	}
	if g, _ := s.GetProfileSchema(ctx, newOrg(t, s).ID, "user"); len(g.Properties) != 0 {
		t.Fatalf("another org sees the schema: %+v", g)
	}
}

func testGroupRules(t *testing.T, s store.Store) {
	ctx, org := t.Context(), newOrg(t, s)
	r := domain.GroupRule{ID: domain.NewID(ids, domain.PrefixGroupRule), Name: "Smiths", Status: domain.RuleInactive,
		Expression: `user.lastName == "Smith"`, GroupIDs: []string{"00g1"}, ExcludeUsers: []string{},
		Created: at(0), LastUpdated: at(0)}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateGroupRule(ctx, org.ID, r) }); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetGroupRule(ctx, org.ID, r.ID)
	if err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("got %+v, %v; want %+v", got, err, r)
	}
	if l, _ := s.ListGroupRules(ctx, org.ID, true); len(l) != 0 {
		t.Fatalf("inactive rule listed as active: %+v", l)
	}
	r.Status, r.LastUpdated, r.ExcludeUsers = domain.RuleActive, at(2), []string{"00u1"}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.UpdateGroupRule(ctx, org.ID, r) }); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.ListGroupRules(ctx, org.ID, true); len(l) != 1 || !reflect.DeepEqual(l[0], r) {
		t.Fatalf("active rules = %+v", l)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteGroupRule(ctx, org.ID, r.ID) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetGroupRule(ctx, org.ID, r.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteGroupRule(ctx, org.ID, r.ID) })
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func init() {
	register("LinkedObjects", check{"CreateListDeleteConflict", testLinkedObjects})
}

func testLinkedObjects(t *testing.T, s store.Store) {
	ctx, org := t.Context(), newOrg(t, s)
	l := domain.LinkedObject{Primary: domain.LinkedObjectSide{Name: "manager", Title: "Manager", Type: "USER"},
		Associated: domain.LinkedObjectSide{Name: "subordinate", Title: "Subordinate", Type: "USER"}, Created: at(0)}
	create := func(l domain.LinkedObject) error {
		return s.Update(ctx, func(tx store.Tx) error { return tx.CreateLinkedObject(ctx, org.ID, l) })
	}
	if err := create(l); err != nil {
		t.Fatal(err)
	}
	dup := l
	dup.Primary.Name = "boss"
	if err := create(dup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("taken associated name: %v", err)
	}
	got, err := s.ListLinkedObjects(ctx, org.ID)
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], l) {
		t.Fatalf("list %+v, %v", got, err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteLinkedObject(ctx, org.ID, "manager") }); err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteLinkedObject(ctx, org.ID, "manager") })
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func init() {
	register("LinkValues", check{"SetReplaceListDeleteCascade", testLinkValues})
}

func testLinkValues(t *testing.T, s store.Store) {
	ctx, org := t.Context(), newOrg(t, s)
	boss, boss2, emp := newUser(t, s, org.ID, "boss@example.com"), newUser(t, s, org.ID, "boss2@example.com"), newUser(t, s, org.ID, "emp@example.com")
	set := func(p string) {
		t.Helper()
		update(t, s, func(tx store.Tx) error { return tx.SetLink(ctx, org.ID, "manager", emp.ID, p) })
	}
	list := func(id string, assoc bool) []string {
		t.Helper()
		l, err := s.ListLinkedUsers(ctx, org.ID, "manager", id, assoc)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	set(boss.ID)
	set(boss2.ID) // replaces: one primary per relationship
	if got := list(emp.ID, false); !reflect.DeepEqual(got, []string{boss2.ID}) {
		t.Fatalf("primary of emp = %v", got)
	}
	if got := list(boss.ID, true); len(got) != 0 {
		t.Fatalf("old boss still has %v", got)
	}
	if got := list(boss2.ID, true); !reflect.DeepEqual(got, []string{emp.ID}) {
		t.Fatalf("associated of boss2 = %v", got)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, org.ID, boss2.ID) })
	if got := list(emp.ID, false); len(got) != 0 {
		t.Fatalf("deleting the primary user left %v", got)
	}
	set(boss.ID)
	update(t, s, func(tx store.Tx) error { return tx.DeleteLink(ctx, org.ID, "manager", emp.ID) })
	if got := list(emp.ID, false); len(got) != 0 {
		t.Fatalf("after DeleteLink %v", got)
	}
}

func init() {
	register("UserTypes", check{"CreateConflictUpdateDelete", testUserTypes})
}

func testUserTypes(t *testing.T, s store.Store) {
	ctx, org := t.Context(), newOrg(t, s)
	ty := domain.UserType{ID: domain.NewID(ids, domain.PrefixType), Name: "contractor", DisplayName: "Contractor",
		Description: "d", Created: at(0), LastUpdated: at(0)}
	create := func(u domain.UserType) error {
		return s.Update(ctx, func(tx store.Tx) error { return tx.CreateUserType(ctx, org.ID, u) })
	}
	if err := create(ty); err != nil {
		t.Fatal(err)
	}
	dup := ty
	dup.ID = domain.NewID(ids, domain.PrefixType)
	if err := create(dup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("taken name: %v", err)
	}
	ty.DisplayName, ty.LastUpdated = "Temp", at(1)
	update(t, s, func(tx store.Tx) error { return tx.UpdateUserType(ctx, org.ID, ty) })
	got, err := s.GetUserType(ctx, org.ID, ty.ID)
	if err != nil || !reflect.DeepEqual(got, ty) {
		t.Fatalf("got %+v, %v; want %+v", got, err, ty)
	}
	if l, _ := s.ListUserTypes(ctx, org.ID); len(l) != 1 {
		t.Fatalf("list %+v", l)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteUserType(ctx, org.ID, ty.ID) })
	if _, err := s.GetUserType(ctx, org.ID, ty.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}
