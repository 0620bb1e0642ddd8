package filter

import (
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		schema    *Schema
		in        string
		code      string
		wantCause string // "" = accepted
	}{
		{UsersFilter, `status eq "ACTIVE" or lastUpdated gt "2024-01-02T03:04:05.000Z"`, "", ""},
		{UsersFilter, `profile.login eq "a@b.c" and profile.firstName eq "A"`, "", ""},
		{UsersFilter, `lastUpdated ge "2024-01-02T03:04:05+02:00"`, "", ""},
		{UsersFilter, `status sw "ACT"`, "E0000031", "Unsupported operator 'sw' for attribute 'status'. Expected: eq"},
		{UsersFilter, `not (status eq "ACTIVE")`, "E0000031", "Logical operator 'not' is not supported"},
		{UsersFilter, `profile.city eq "x"`, "E0000031", "field is not valid: profile.city"},
		{UsersFilter, `lastUpdated gt "yesterday"`, "E0000031", `Invalid value "yesterday" for attribute 'lastUpdated'`},
		{UsersFilter, `lastUpdated gt 5`, "E0000031", "expected a date string"},
		{UsersFilter, `status eq 1`, "E0000031", "expected a string"},
		{UsersFilter, `status eq null`, "E0000031", "null is not supported"},
		{UsersSearch, `profile.city sw "par" and not (status eq "SUSPENDED") or lastLogin pr`, "", ""},
		{UsersSearch, `profile.age ge 18 and profile.admin eq true`, "", ""},
		{UsersSearch, `profile.email sw "A" and type.id eq "oty1"`, "", ""},
		{UsersSearch, `status ne "ACTIVE"`, "E0000031", "Unsupported operator 'ne' for attribute 'status'"},
		{UsersSearch, `profile.bad-name eq "x"`, "E0000031", "field is not valid: profile.bad-name"},
		{UsersSearch, `profile.a.b eq "x"`, "E0000031", "field is not valid: profile.a.b"},
		{UsersSearch, `profile.admin gt true`, "E0000031", "booleans support eq and ne only"},
		{UsersSearch, `profile.n sw 1`, "E0000031", "expected a string"},
		{UsersSearch, `created sw "2024"`, "E0000031", "Unsupported operator 'sw' for attribute 'created'"},
		{UsersSearch, `profile.x eq "a\u0000"`, "E0000031", "NUL characters are not supported"},
		{GroupsFilter, `type eq "OKTA_GROUP" or lastMembershipUpdated lt "2024-01-01T00:00:00Z"`, "", ""},
		{GroupsFilter, `profile.name eq "x"`, "E0000031", "field is not valid: profile.name"},
		{GroupsSearch, `profile.name sw "west" and not (type eq "BUILT_IN")`, "", ""},
		{LogsFilter, `eventType eq "user.session.start" and not (outcome.result ne "SUCCESS") or target.id co "00u"`, "", ""},
		{LogsFilter, `debugContext.debugData.requestId ew "x"`, "", ""},
		{LogsFilter, `published gt "2024-01-01T00:00:00Z"`, "E0000053", "field is not valid: published"},
		{LogsFilter, `some_invalid_field eq "x"`, "E0000053", "field is not valid: some_invalid_field"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseFor(tc.in, tc.schema)
			if tc.wantCause == "" {
				if err != nil {
					t.Fatalf("ParseFor: %v", err)
				}
				return
			}
			de, ok := domain.AsError(err)
			if !ok || de.Status != 400 || de.Code != tc.code || !strings.Contains(de.Causes[0].Summary, tc.wantCause) {
				t.Fatalf("ParseFor = %v, want %s with cause containing %q", err, tc.code, tc.wantCause)
			}
		})
	}
}

func TestLogsErrorsUseSCIMCode(t *testing.T) {
	_, err := ParseFor(`eventType eqq "x"`, LogsFilter)
	de, ok := domain.AsError(err)
	if !ok || de.Code != "E0000053" || de.Summary != "Invalid SCIM filter." ||
		de.Causes[0].Summary != `Invalid filter 'eventType eqq "x"': Unrecognized attribute operator 'eqq' at position 11. Expected: eq,ne,co,sw,ew,pr,gt,ge,lt,le` {
		t.Fatalf("ParseFor = %#v", err)
	}
}

func TestCompile(t *testing.T) {
	tests := []struct {
		schema  *Schema
		in      string
		dialect Dialect
		first   int
		sql     string
		args    []any
	}{
		{UsersFilter, `status eq "ACTIVE" or lastUpdated gt "2024-01-02T03:04:05.000Z"`, SQLite, 1,
			`((status COLLATE BINARY = ? AND status IS NOT NULL) OR (last_updated > ? AND last_updated IS NOT NULL))`,
			[]any{"ACTIVE", int64(1704164645000)}},
		{UsersFilter, `status eq "ACTIVE" or lastUpdated gt "2024-01-02T03:04:05.000Z"`, Postgres, 3,
			`(((status) COLLATE "C" = $3::text AND status IS NOT NULL) OR (last_updated > $4::bigint AND last_updated IS NOT NULL))`,
			[]any{"ACTIVE", int64(1704164645000)}},
		{UsersSearch, `profile.lastName sw "McD"`, SQLite, 1,
			`((lower(last_name) COLLATE BINARY >= ? AND lower(last_name) COLLATE BINARY < ? AND substr(lower(last_name) COLLATE BINARY, 1, ?) = ?) AND last_name IS NOT NULL)`,
			[]any{"mcd", "mcd\U0010FFFF", int64(3), "mcd"}},
		{UsersSearch, `profile.city eq "Paris"`, Postgres, 1,
			`(CASE WHEN jsonb_typeof(profile -> $1::text) = 'string' THEN (lower(((profile ->> $2::text)) COLLATE "C")) COLLATE "C" = $3::text ELSE FALSE END)`,
			[]any{"city", "city", "paris"}},
		{UsersSearch, `profile.age ge 18`, SQLite, 1,
			`(CASE WHEN json_type(profile, ?) IN ('integer', 'real') THEN json_extract(profile, ?) >= ? ELSE FALSE END)`,
			[]any{`$."age"`, `$."age"`, float64(18)}},
		{LogsFilter, `target.id eq "00u1"`, SQLite, 1,
			`EXISTS (SELECT 1 FROM log_targets t WHERE t.org_id = log_events.org_id AND t.event_seq = log_events.seq AND (t.id COLLATE BINARY = ? AND t.id IS NOT NULL))`,
			[]any{"00u1"}},
		{LogsFilter, `not (outcome.reason pr)`, Postgres, 1,
			`NOT ((outcome_reason IS NOT NULL AND outcome_reason <> ''))`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.dialect.Name()+" "+tc.in, func(t *testing.T) {
			e, err := ParseFor(tc.in, tc.schema)
			if err != nil {
				t.Fatal(err)
			}
			sql, args, err := Compile(e, tc.schema, tc.dialect, tc.first)
			if err != nil {
				t.Fatal(err)
			}
			if sql != tc.sql || !reflect.DeepEqual(args, tc.args) {
				t.Fatalf("Compile =\n%s\n%#v\nwant\n%s\n%#v", sql, args, tc.sql, tc.args)
			}
		})
	}
}

func TestEvalLogTargetsAnyMatch(t *testing.T) {
	rec := MapRecord(map[string]any{"target.id": []string{"00u1", "00g2"}, "eventType": "group.user_membership.add"})
	for in, want := range map[string]bool{
		`target.id eq "00g2"`:                           true,
		`target.id sw "00u"`:                            true,
		`target.id eq "00x"`:                            false,
		`not (target.id eq "00u1")`:                     false,
		`target.type pr`:                                false,
		`eventType sw "group." and target.id ne "00u1"`: true, // 00g2 differs
	} {
		e, err := ParseFor(in, LogsFilter)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := Eval(e, LogsFilter, rec); got != want {
			t.Errorf("Eval(%s) = %v, want %v", in, got, want)
		}
	}
}

// TestSchemasRunOnSQLite compiles every operator of every attribute of the shipped schemas and
// runs it against tables with the store's column names, so a typo in a column fails here.
func TestSchemasRunOnSQLite(t *testing.T) {
	runSchemas(t, openSQLite(t), SQLite)
}

func TestSchemasRunOnPostgres(t *testing.T) {
	runSchemas(t, openPostgres(t), Postgres)
}

func runSchemas(t *testing.T, db *sql.DB, d Dialect) {
	json := map[Dialect]string{SQLite: "TEXT", Postgres: "JSONB"}[d]
	for _, q := range []string{
		`CREATE TABLE users (org_id TEXT, id TEXT, status TEXT, created BIGINT, activated BIGINT, status_changed BIGINT, last_login BIGINT, last_updated BIGINT, password_changed BIGINT, type_id TEXT, profile ` + json + `, login TEXT, login_lower TEXT, email TEXT, first_name TEXT, last_name TEXT)`,
		`CREATE TABLE groups (org_id TEXT, id TEXT, type TEXT, created BIGINT, last_updated BIGINT, last_membership_updated BIGINT, name TEXT, description TEXT, profile ` + json + `)`,
		`CREATE TABLE log_events (org_id TEXT, seq BIGINT, event_type TEXT, severity TEXT, outcome_result TEXT, outcome_reason TEXT, actor_id TEXT, actor_type TEXT, actor_alternate_id TEXT, actor_display_name TEXT, client_ip TEXT, client_zone TEXT, transaction_id TEXT, uuid TEXT, request_id TEXT, legacy_event_type TEXT, display_message TEXT)`,
		`CREATE TABLE log_targets (org_id TEXT, event_seq BIGINT, id TEXT, type TEXT, alternate_id TEXT)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tables := []struct {
		table  string
		schema *Schema
	}{{"users", UsersFilter}, {"users", UsersSearch}, {"groups", GroupsFilter}, {"groups", GroupsSearch}, {"log_events", LogsFilter}}
	for _, tc := range tables {
		attrs := []string{"profile.custom"}
		for name := range tc.schema.Attrs {
			attrs = append(attrs, name)
		}
		for _, name := range attrs {
			a, ok := tc.schema.Lookup(name)
			if !ok {
				continue
			}
			for op := Op(0); op < numOps; op++ {
				if !a.Ops.Has(op) {
					continue
				}
				lit := `"x"`
				if a.Type == Date {
					lit = `"2024-01-02T03:04:05.000Z"`
				}
				in := name + " " + op.String() + " " + lit
				if op == OpPr {
					in = name + " pr"
				}
				e, err := ParseFor(in, tc.schema)
				if err != nil {
					t.Fatalf("%s: %v", in, err)
				}
				where, args, err := Compile(e, tc.schema, d, 2)
				if err != nil {
					t.Fatalf("%s: %v", in, err)
				}
				q := fmt.Sprintf("SELECT count(*) FROM %s WHERE org_id = %s AND (%s)", tc.table, map[Dialect]string{SQLite: "?", Postgres: "$1"}[d], where)
				var n int
				if err := db.QueryRow(q, append([]any{"org1"}, args...)...).Scan(&n); err != nil {
					t.Fatalf("%s on %s: %v\n%s", in, tc.table, err, q)
				}
			}
		}
	}
}
