package compat

import (
	"os/exec"
	"regexp"
	"strings"
)

// okapiVersion names the okapi commit under test (git describe), or "unknown".
func okapiVersion(root string) string {
	cmd := exec.Command("git", "describe", "--always", "--dirty")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

func matches(pattern, name string) bool {
	re, err := regexp.Compile(pattern)
	return err == nil && re.MatchString(name)
}
