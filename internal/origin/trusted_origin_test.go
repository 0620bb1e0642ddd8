package origin

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

func causeList(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	de, ok := domain.AsError(err)
	if !ok || de.Code != domain.CodeValidation || de.Status != 400 {
		t.Fatalf("error %v is not a 400 E0000001", err)
	}
	out := []string{de.Summary}
	for _, c := range de.Causes {
		out = append(out, c.Summary)
	}
	return out
}

func TestTrustedOriginValidate(t *testing.T) {
	good := func() TrustedOrigin {
		return TrustedOrigin{Name: "app", Origin: "https://app.example.com", Scopes: []Scope{{Type: ScopeCORS}}}
	}
	tests := []struct {
		name   string
		change func(*TrustedOrigin)
		want   []string
	}{
		{"valid", func(*TrustedOrigin) {}, nil},
		{"all three scopes", func(o *TrustedOrigin) {
			o.Scopes = []Scope{{Type: ScopeRedirect}, {Type: ScopeCORS}, {Type: ScopeIframeEmbed, AllowedOktaApps: []string{AppOktaEndUser}}}
		}, nil},
		{"inactive", func(o *TrustedOrigin) { o.Status = StatusInactive }, nil},
		{"name 255", func(o *TrustedOrigin) { o.Name = strings.Repeat("ñ", 255) }, nil},
		{"origin exactly 255", func(o *TrustedOrigin) { o.Origin = "https://" + strings.Repeat("a.", 118) + "example.com" }, nil},
		{"invalid origin", func(o *TrustedOrigin) { o.Origin = "https://app.example.com/" }, []string{
			"Api validation failed: origin", "origin: Origin value is not valid"}},
		{"origin 256", func(o *TrustedOrigin) { o.Origin = "https://" + strings.Repeat("a.", 118) + "example.com1" }, []string{
			"Api validation failed: origin", "origin: Origin value is not valid"}},
		{"origin missing", func(o *TrustedOrigin) { o.Origin = "" }, []string{
			"Api validation failed: origin", "origin: The field cannot be left blank"}},
		{"name missing", func(o *TrustedOrigin) { o.Name = "  " }, []string{
			"Api validation failed: name", "name: The field cannot be left blank"}},
		{"name 256", func(o *TrustedOrigin) { o.Name = strings.Repeat("n", 256) }, []string{
			"Api validation failed: name", "name: The field cannot exceed 255 characters"}},
		{"no scopes", func(o *TrustedOrigin) { o.Scopes = nil }, []string{
			"Api validation failed: scopes", "scopes: At least one scope is required."}},
		{"four scopes", func(o *TrustedOrigin) {
			o.Scopes = []Scope{{Type: ScopeCORS}, {Type: ScopeRedirect}, {Type: ScopeIframeEmbed}, {Type: ScopeCORS}}
		}, []string{"Api validation failed: scopes", "scopes: A trusted origin can have at most 3 scopes."}},
		{"duplicate scope", func(o *TrustedOrigin) { o.Scopes = []Scope{{Type: ScopeCORS}, {Type: ScopeCORS}} }, []string{
			"Api validation failed: scopes", "scopes: The scope type: CORS is listed more than once."}},
		{"unknown scope", func(o *TrustedOrigin) { o.Scopes = []Scope{{Type: "cors"}} }, []string{
			"Api validation failed: scopes", "scopes: The scope type: cors is invalid. Use CORS, REDIRECT or IFRAME_EMBED."}},
		{"apps on CORS", func(o *TrustedOrigin) {
			o.Scopes = []Scope{{Type: ScopeCORS, AllowedOktaApps: []string{AppOktaEndUser}}}
		}, []string{
			"Api validation failed: scopes", "scopes: allowedOktaApps is only valid for the IFRAME_EMBED scope."}},
		{"unknown app", func(o *TrustedOrigin) {
			o.Scopes = []Scope{{Type: ScopeIframeEmbed, AllowedOktaApps: []string{"OKTA_ADMIN"}}}
		}, []string{
			"Api validation failed: scopes", "scopes: The app: OKTA_ADMIN is invalid. Use OKTA_ENDUSER."}},
		{"bad status", func(o *TrustedOrigin) { o.Status = "DELETED" }, []string{
			"Api validation failed: status", "status: The status: DELETED is invalid. Use ACTIVE or INACTIVE."}},
		{"everything wrong", func(o *TrustedOrigin) { *o = TrustedOrigin{Origin: "null"} }, []string{
			"Api validation failed: name",
			"name: The field cannot be left blank",
			"origin: Origin value is not valid",
			"scopes: At least one scope is required."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := good()
			tt.change(&o)
			if strings.HasPrefix(tt.name, "origin ") && strings.HasSuffix(tt.name, "5") != (len(o.Origin) == 255) {
				t.Fatalf("test origin has %d bytes", len(o.Origin))
			}
			if got := causeList(t, o.Validate()); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTrustedOriginJSON(t *testing.T) {
	var o TrustedOrigin
	body := `{"name":"n","origin":"HTTPS://App.example.com","scopes":[{"type":"REDIRECT"},{"type":"CORS"}]}`
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		t.Fatal(err)
	}
	o.SetDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(o)
	for _, want := range []string{`"origin":"HTTPS://App.example.com"`, `"scopes":[{"type":"REDIRECT"},{"type":"CORS"}]`,
		`"status":"ACTIVE"`, `"createdBy":""`, `"lastUpdatedBy":""`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("JSON %s lacks %s", out, want)
		}
	}
	if !o.HasScope(ScopeCORS) || o.HasScope(ScopeIframeEmbed) {
		t.Error("HasScope wrong")
	}
	if !IsID("tosue7JvguwJ7U6kz0g3") || IsID("nzowc1U5Jh5xuAK0o0g3") || IsID("tos") {
		t.Error("IsID wrong")
	}
}
