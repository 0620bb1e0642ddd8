package application

import (
	"strings"
	"testing"
)

func TestIDTokenSettingsValidate(t *testing.T) {
	for _, tt := range []struct {
		name  string
		in    IDTokenSettings
		cause string // "" = valid
	}{
		{"issuer mode alone", IDTokenSettings{IssuerMode: "ORG_URL"}, ""},
		{"nothing", IDTokenSettings{}, ""},
		{"expression claim", IDTokenSettings{ValueType: "EXPRESSION", Name: "bb", Value: "aa"}, ""},
		{"filter claim", IDTokenSettings{ValueType: "GROUPS", GroupFilterType: "REGEX", Name: "groups", Value: ".*"}, ""},
		{"unknown issuer mode", IDTokenSettings{IssuerMode: "ORG"}, "issuerMode"},
		{"unknown value type", IDTokenSettings{ValueType: "FILTER", Name: "g", Value: "x"}, "valueType"},
		{"name without type", IDTokenSettings{Name: "g", Value: "x"}, "valueType"},
		{"blank name", IDTokenSettings{ValueType: "GROUPS", Name: " ", Value: "x"}, "name"},
		{"no value", IDTokenSettings{ValueType: "GROUPS", Name: "g"}, "value"},
		{"filter on expression", IDTokenSettings{ValueType: "EXPRESSION", GroupFilterType: "EQUALS", Name: "g", Value: "x"}, "groupFilterType"},
		{"unknown filter", IDTokenSettings{ValueType: "GROUPS", GroupFilterType: "LIKE", Name: "g", Value: "x"}, "groupFilterType"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			switch {
			case tt.cause == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.cause != "" && (err == nil || !strings.Contains(err.Error(), tt.cause)):
				t.Fatalf("got %v, want a cause on %s", err, tt.cause)
			}
		})
	}
}

func TestIDTokenIssuerModeFromApp(t *testing.T) {
	a := App{"settings": map[string]any{"oauthClient": map[string]any{"issuer_mode": "DYNAMIC"}}}
	if got := a.IDTokenDefaults(); got != (IDTokenSettings{IssuerMode: "DYNAMIC"}) {
		t.Errorf("defaults %+v", got)
	}
	if got := (App{}).WithIssuerMode(IDTokenSettings{Name: "g"}); got.IssuerMode != "ORG_URL" {
		t.Errorf("an app without issuer_mode: %+v", got)
	}
	if got := a.WithIssuerMode(IDTokenSettings{IssuerMode: "CUSTOM_URL"}); got.IssuerMode != "CUSTOM_URL" {
		t.Errorf("a set issuer mode was replaced: %+v", got)
	}
}
