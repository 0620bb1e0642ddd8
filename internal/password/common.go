package password

import (
	_ "embed"
	"strings"
	"sync"
)

// common.txt is the dictionary the password policy's dictionary.common.exclude checks. Okta does
// not publish its list; this one holds the passwords that top the public breach-frequency
// lists, which is what the setting is for.
//
//go:embed common.txt
var commonList string

var common = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// IsCommon reports whether pw is in the common-password dictionary, ignoring case.
func IsCommon(pw string) bool { return common()[strings.ToLower(pw)] }
