package httpapi_test

import (
	"strings"
	"testing"
)

// Group profiles are validated against the group schema on create and replace, with the causes
// a user profile gets from the user schema.
func TestGroupProfileFollowsSchema(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		e.must(200, "POST", "/api/v1/meta/schemas/group/default", `{"definitions":{"custom":{"properties":{
			"level":{"title":"Level","type":"integer","minimum":1},
			"tier":{"title":"Tier","type":"string","enum":["gold","silver"]},
			"code":{"title":"Code","type":"string","maxLength":4},
			"tags":{"title":"Tags","type":"array","items":{"type":"string"}}}}}}`)
		g := e.createGroup("Schema group")
		for _, tt := range []struct{ name, props, cause string }{
			{"integer", `"level":"notanint"`, "level: The field must be of type integer"},
			{"fraction", `"level":1.5`, "level: The field must be of type integer"},
			{"minimum", `"level":0`, "level: The field must be at least 1"},
			{"enum", `"tier":"bronze"`, "tier: Does not match required enum values"},
			{"maxLength", `"code":"ABCDE"`, "code: The field is too long (maximum 4 characters)"},
			{"array", `"tags":"a"`, "tags: The field must be an array"},
			{"array items", `"tags":[1]`, "tags: Array elements must be of type string"},
		} {
			body := `{"profile":{"name":"Bad ` + tt.name + `",` + tt.props + `}}`
			for _, call := range [][2]string{{"POST", "/api/v1/groups"}, {"PUT", "/api/v1/groups/" + g.ID}} {
				data := e.must(400, call[0], call[1], body)
				got := decodeAs[jsonError](t, data)
				field := strings.SplitN(tt.cause, ":", 2)[0]
				if got.ErrorCode != "E0000001" || got.ErrorSummary != "Api validation failed: "+field ||
					len(got.ErrorCauses) != 1 || got.ErrorCauses[0].ErrorSummary != tt.cause {
					t.Errorf("%s %s: %s, want cause %q", call[0], tt.name, data, tt.cause)
				}
			}
		}
		if n := len(e.events("group.profile.update")); n != 0 {
			t.Errorf("%d profile updates logged for refused replaces", n)
		}

		// Valid custom values round-trip through create, replace and read; undeclared ones stay.
		valid := `{"profile":{"name":"Good","level":3,"tier":"gold","code":"AB","tags":["x"],"other":"kept"}}`
		created := decodeAs[jsonGroup](t, e.must(200, "POST", "/api/v1/groups", valid))
		replaced := decodeAs[jsonGroup](t, e.must(200, "PUT", "/api/v1/groups/"+g.ID,
			`{"profile":{"name":"Schema group","level":9,"tier":"silver"}}`))
		read := decodeAs[jsonGroup](t, e.must(200, "GET", "/api/v1/groups/"+created.ID, nil))
		if read.Profile["level"] != 3.0 || read.Profile["tier"] != "gold" || read.Profile["code"] != "AB" ||
			read.Profile["other"] != "kept" || len(read.Profile["tags"].([]any)) != 1 {
			t.Errorf("created profile read back as %v", read.Profile)
		}
		if replaced.Profile["level"] != 9.0 || replaced.Profile["tier"] != "silver" || replaced.Profile["code"] != nil {
			t.Errorf("replaced profile %v", replaced.Profile)
		}

		// A required custom property must be there; an unknown group is still 404 first.
		e.must(200, "POST", "/api/v1/meta/schemas/group/default",
			`{"definitions":{"custom":{"properties":{"costCode":{"title":"Cost code","type":"string","required":true}}}}}`)
		got := decodeAs[jsonError](t, e.must(400, "POST", "/api/v1/groups", `{"profile":{"name":"No code"}}`))
		if len(got.ErrorCauses) != 1 || got.ErrorCauses[0].ErrorSummary != "costCode: The field cannot be left blank" {
			t.Errorf("required: %+v", got)
		}
		e.must(404, "PUT", "/api/v1/groups/00gNOPE1234567890123", `{"profile":{"name":"x","level":"bad"}}`)
		// The group schema's own base property names cannot be declared again.
		e.must(400, "POST", "/api/v1/meta/schemas/group/default",
			`{"definitions":{"custom":{"properties":{"name":{"title":"Name","type":"string"}}}}}`)
	})
}
