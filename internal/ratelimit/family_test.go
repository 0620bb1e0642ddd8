package ratelimit

import "testing"

func TestFamiliesHavePublishedLimits(t *testing.T) {
	for _, f := range Families() {
		if _, ok := publishedLimits[f]; !ok {
			t.Errorf("family %q has no published limits", f)
		}
	}
	if len(publishedLimits) != len(Families()) {
		t.Errorf("publishedLimits has %d families, Families() %d", len(publishedLimits), len(Families()))
	}
}
