package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

const userSchemaPath = "/api/v1/meta/schemas/user/default"

// baseBody is a schema update of one base property, as okta_user_base_schema_property sends it.
func baseBody(name, prop string) string {
	return `{"definitions":{"base":{"id":"#base","type":"object","properties":{"` + name + `":` + prop + `}}}}`
}

// baseProp returns base property name and the base required list from a user schema.
func baseProp(t *testing.T, data []byte, name string) (map[string]any, string) {
	t.Helper()
	var sc struct {
		Definitions struct {
			Base struct {
				Properties map[string]map[string]any `json:"properties"`
				Required   []string                  `json:"required"`
			} `json:"base"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(data, &sc); err != nil {
		t.Fatal(err)
	}
	return sc.Definitions.Base.Properties[name], fmt.Sprint(sc.Definitions.Base.Required)
}

// TestUserBaseSchemaChanges covers each change of a base property Okta allows (permissions,
// master, firstName/lastName required, login pattern) and each it refuses, on both backends:
// the allowed ones are stored, shown by GET and logged.
func TestUserBaseSchemaChanges(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		for _, tt := range []struct {
			name, prop, body string
			check            func(p map[string]any, required string) bool
		}{
			{"permissions READ_ONLY", "firstName",
				`{"title":"First name","type":"string","master":{"type":"PROFILE_MASTER"},"permissions":[{"principal":"SELF","action":"READ_ONLY"}],"required":true}`,
				func(p map[string]any, _ string) bool {
					return fmt.Sprint(p["permissions"]) == "[map[action:READ_ONLY principal:SELF]]"
				}},
			{"permissions HIDE on a non-required property", "mobilePhone",
				`{"title":"Mobile phone","type":"string","permissions":[{"principal":"SELF","action":"HIDE"}],"required":false}`,
				func(p map[string]any, _ string) bool {
					return fmt.Sprint(p["permissions"]) == "[map[action:HIDE principal:SELF]]"
				}},
			{"master OKTA", "lastName", `{"title":"Last name","type":"string","master":{"type":"OKTA"}}`,
				func(p map[string]any, _ string) bool { return fmt.Sprint(p["master"]) == "map[type:OKTA]" }},
			{"firstName not required", "firstName", `{"title":"First name","type":"string","required":false}`,
				func(p map[string]any, req string) bool {
					return p["required"] == nil && req == "[login lastName email]"
				}},
			{"lastName not required", "lastName", `{"required":false}`,
				func(p map[string]any, req string) bool { return p["required"] == nil && req == "[login email]" }},
			{"firstName required again", "firstName", `{"required":true}`,
				func(p map[string]any, req string) bool {
					return p["required"] == true && req == "[login firstName email]"
				}},
			{"login pattern any", "login", `{"title":"Username","type":"string","required":true,"pattern":".+"}`,
				func(p map[string]any, _ string) bool { return p["pattern"] == ".+" }},
			{"login pattern character set", "login", `{"title":"Username","type":"string","required":true,"pattern":"[a-z]+"}`,
				func(p map[string]any, _ string) bool { return p["pattern"] == "[a-z]+" }},
			{"login pattern cleared with null", "login", `{"title":"Username","type":"string","required":true,"pattern":null}`,
				func(p map[string]any, _ string) bool { _, ok := p["pattern"]; return !ok }},
			{"unchanged attributes repeated", "email",
				`{"title":"Primary email","type":"string","required":true,"format":"email","minLength":5,"maxLength":100,"mutability":"READ_WRITE","scope":"NONE","description":""}`,
				func(p map[string]any, _ string) bool { return p["format"] == "email" }},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := len(e.events("system.schema.user.update"))
				posted, _ := baseProp(t, e.must(200, "POST", userSchemaPath, baseBody(tt.prop, tt.body)), tt.prop)
				got, req := baseProp(t, e.must(200, "GET", userSchemaPath, nil), tt.prop)
				if !tt.check(got, req) {
					t.Errorf("GET %s = %v, required %s", tt.prop, got, req)
				}
				if fmt.Sprint(posted) != fmt.Sprint(got) {
					t.Errorf("POST answered %v, GET %v", posted, got)
				}
				if len(e.events("system.schema.user.update")) != before+1 {
					t.Error("no system.schema.user.update event")
				}
			})
		}

		for _, tt := range []struct{ name, prop, body, cause string }{
			{"type", "firstName", `{"title":"First name","type":"integer"}`, "definitions.base.properties.firstName.type: "},
			{"title", "firstName", `{"title":"Given name","type":"string"}`, "definitions.base.properties.firstName.title: "},
			{"login not required", "login", `{"title":"Username","type":"string","required":false}`, "definitions.base.properties.login.required: "},
			{"email not required", "email", `{"title":"Primary email","type":"string","required":false}`, "definitions.base.properties.email.required: "},
			{"mobilePhone required", "mobilePhone", `{"title":"Mobile phone","type":"string","required":true}`, "definitions.base.properties.mobilePhone.required: "},
			{"maxLength", "firstName", `{"maxLength":20}`, "definitions.base.properties.firstName.maxLength: "},
			{"minLength", "lastName", `{"minLength":3}`, "definitions.base.properties.lastName.minLength: "},
			{"pattern on firstName", "firstName", `{"pattern":"[a-z]+"}`, "definitions.base.properties.firstName.pattern: "},
			{"login pattern of another form", "login", `{"pattern":"^a.*$"}`, "definitions.base.properties.login.pattern: "},
			{"enum", "city", `{"enum":["Paris"]}`, "definitions.base.properties.city.enum: "},
			{"unique", "email", `{"unique":"UNIQUE_VALIDATED"}`, "definitions.base.properties.email.unique: "},
			{"bad permission", "firstName", `{"permissions":[{"principal":"SELF","action":"WRITE"}]}`, "definitions.base.properties.firstName.permissions: "},
			{"bad master", "firstName", `{"master":{"type":"APP"}}`, "definitions.base.properties.firstName.master: "},
			{"unknown property", "shoeSize", `{"title":"Shoe size","type":"string"}`, "definitions.base.properties.shoeSize: "},
			{"removal", "firstName", `null`, "definitions.base.properties.firstName: "},
		} {
			t.Run("refused "+tt.name, func(t *testing.T) {
				before := e.must(200, "GET", userSchemaPath, nil)
				resp, data := e.do("POST", userSchemaPath, baseBody(tt.prop, tt.body))
				je := decodeAs[jsonError](t, data)
				if resp.StatusCode != 400 || je.ErrorCode != "E0000001" || len(je.ErrorCauses) == 0 ||
					!strings.HasPrefix(je.ErrorCauses[0].ErrorSummary, tt.cause) {
					t.Fatalf("status %d: %s, want a cause %q", resp.StatusCode, data, tt.cause)
				}
				if after := e.must(200, "GET", userSchemaPath, nil); string(after) != string(before) {
					t.Errorf("a refused change altered the schema:\n%s\n%s", before, after)
				}
			})
		}
	})
}

// TestUserBaseSchemaEnforced checks that user create, partial update and replace follow the
// base overrides: firstName made optional then required again, and login's pattern.
func TestUserBaseSchemaEnforced(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		create := func(profile string) (int, []byte) {
			resp, data := e.do("POST", "/api/v1/users?activate=false", `{"profile":`+profile+`}`)
			return resp.StatusCode, data
		}
		wantCause := func(status int, data []byte, cause string) {
			t.Helper()
			if status != 400 || !strings.Contains(string(data), cause) {
				t.Fatalf("status %d: %s, want 400 with %q", status, data, cause)
			}
		}
		noFirst := `{"login":"nf@example.com","email":"nf@example.com","lastName":"N"}`
		st, data := create(noFirst)
		wantCause(st, data, "firstName: The field cannot be left blank")

		e.must(200, "POST", userSchemaPath, baseBody("firstName", `{"title":"First name","type":"string","required":false}`))
		st, data = create(noFirst)
		if st != 200 {
			t.Fatalf("create without firstName once optional: %d %s", st, data)
		}
		id := decodeAs[struct{ ID string }](t, data).ID
		// A value must still fit the base lengths.
		st, data = create(`{"login":"long@example.com","email":"long@example.com","lastName":"N","firstName":"` + strings.Repeat("x", 51) + `"}`)
		wantCause(st, data, "firstName: The field is too long (maximum 50 characters)")

		e.must(200, "POST", userSchemaPath, baseBody("firstName", `{"title":"First name","type":"string","required":true}`))
		resp, data := e.do("POST", "/api/v1/users/"+id, `{"profile":{"lastName":"M"}}`)
		wantCause(resp.StatusCode, data, "firstName: The field cannot be left blank")
		resp, data = e.do("PUT", "/api/v1/users/"+id, `{"profile":`+noFirst+`}`)
		wantCause(resp.StatusCode, data, "firstName: The field cannot be left blank")
		e.must(200, "POST", "/api/v1/users/"+id, `{"profile":{"firstName":"F"}}`)

		// login: an email by default, any username with ".+", only the set's characters with "[...]+".
		// (".+" also lifts the minimum length, which the spec's UserProfile, checked on every
		// response here, does not know: so the login below has five characters.)
		plain := `{"login":"plain","email":"ab@example.com","firstName":"A","lastName":"B"}`
		st, data = create(plain)
		wantCause(st, data, "login: ")
		e.must(200, "POST", userSchemaPath, baseBody("login", `{"title":"Username","type":"string","required":true,"pattern":".+"}`))
		if st, data = create(plain); st != 200 {
			t.Fatalf("non-email login with pattern .+: %d %s", st, data)
		}
		e.must(200, "POST", userSchemaPath, baseBody("login", `{"title":"Username","type":"string","required":true,"pattern":"[a-z]+"}`))
		st, data = create(`{"login":"abc1def","email":"c@example.com","firstName":"A","lastName":"B"}`)
		wantCause(st, data, "login: Does not match required pattern")
		if st, data = create(`{"login":"abcdef","email":"c@example.com","firstName":"A","lastName":"B"}`); st != 200 {
			t.Fatalf("login in the set: %d %s", st, data)
		}
		st, data = create(`{"login":"abc","email":"d@example.com","firstName":"A","lastName":"B"}`)
		wantCause(st, data, "login: The field is too short (minimum 5 characters)")
		e.must(200, "POST", userSchemaPath, baseBody("login", `{"title":"Username","type":"string","required":true,"pattern":null}`))
		st, data = create(`{"login":"ghijkl","email":"e@example.com","firstName":"A","lastName":"B"}`)
		wantCause(st, data, "login: Username must be in the form of an email address")
	})
}

// TestUserSchemaRoundTrip posts back the whole schema GET returned, as SDK clients do after
// changing one permission: every repeated base attribute is accepted.
func TestUserSchemaRoundTrip(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		var sc map[string]any
		if err := json.Unmarshal(e.must(200, "GET", userSchemaPath, nil), &sc); err != nil {
			t.Fatal(err)
		}
		base := sc["definitions"].(map[string]any)["base"].(map[string]any)["properties"].(map[string]any)
		base["city"].(map[string]any)["permissions"] = []map[string]string{{"principal": "SELF", "action": "READ_ONLY"}}
		got, _ := baseProp(t, e.must(200, "POST", userSchemaPath, sc), "city")
		if fmt.Sprint(got["permissions"]) != "[map[action:READ_ONLY principal:SELF]]" {
			t.Errorf("city %v", got)
		}
	})
}
