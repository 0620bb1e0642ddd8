package expr

import (
	"strings"
	"testing"
	"time"
)

var smith = Env{
	Profile: map[string]any{"lastName": "Smith", "email": "jo@example.com", "department": "engineering-core",
		"level": 3.0, "colors": []any{"blue", "red"}, "hasBadge": true, "title": "Senior Engineer"},
	Internal: map[string]string{"status": "ACTIVE", "id": "00u1"},
	Groups:   map[string]bool{"00gA": true},
}

func TestEval(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{`user.lastName=="Smith"`, true},
		{`user.lastName == 'Jones'`, false},
		{`user.lastName != "Jones"`, true},
		{`String.stringContains(user.email, "@example.com")`, true},
		{`String.startsWith(user.department,"engineering")`, true},
		{`String.startsWith(user.missing,"e")`, false},
		{`Arrays.contains(user.colors, "blue")`, true},
		{`Arrays.contains(user.colors, "green")`, false},
		{`Arrays.size(user.colors) == 2`, true},
		{`user.hasBadge`, true},
		{`!user.hasBadge`, false},
		{`NOT user.hasBadge OR user.level >= 3`, true},
		{`user.level > 3`, false},
		{`user.level < 3.5 && user.level <= 3`, true},
		{`user.missing == null`, true},
		{`user.missing > 1`, false},
		{`user.lastName == "Smith" && (user.level == 1 || user.level == 3)`, true},
		{`user.lastName == "Smith" AND user.level == 1`, false},
		{`isMemberOfAnyGroup("00gB", "00gA")`, true},
		{`isMemberOfAnyGroup("00gB")`, false},
		{`isMemberOfGroup("00gA")`, true},
		{`user.getInternalProperty("status") == "ACTIVE"`, true},
		{`user.title matches "(?i).*engineer"`, true},
		{`user.title matches "Engineer"`, false},
		{`String.toLowerCase(user.lastName) == "smith"`, true},
		{`user.lastName + "!" == "Smith!"`, true},
		{`(user.level == 3 ? "a" : "b") == "a"`, true},
		{`(user.missing ?: "x") == "x"`, true},
		{`String.substringAfter(user.email, "@") == "example.com"`, true},
		{`Arrays.contains({"Smith","Jones"}, user.lastName)`, true},
		{`user.lastName`, false}, // a string is not true
	} {
		n, err := Parse(tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if got := Match(n, smith); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ src, msg string }{
		{``, "empty"},
		{`user.lastName ==`, "unexpected end"},
		{`user.lastName == "Smith`, "unterminated"},
		{`Convert.toInt(user.level) == 1`, "not allowed"},
		{`String.stringContains(user.email)`, "wrong number"},
		{`app.name == "x"`, "Invalid property"},
		{`user.a.b == "x"`, "Invalid property"},
		{`user.lastName == "a" "b"`, "unexpected"},
		{`(user.x == 1`, `expected ")"`},
		{`user.x # 1`, "unexpected character"},
		{strings.Repeat("(", 200) + "user.x" + strings.Repeat(")", 200), "nested too deeply"},
		{strings.Repeat("!", 200) + "user.x", "nested too deeply"},
		{strings.Repeat("a", MaxLength+1), "too long"},
	} {
		_, err := Parse(tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%.40s: error %v, want %q", tt.src, err, tt.msg)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`user.lastName=="Smith"`, `String.stringContains(user.email, "@x") && !user.a || isMemberOfAnyGroup("00g1")`,
		`{1,2,"a"}`, `user.a ? user.b : user.c ?: "d"`, `user.t matches "(a|b)+"`, `((((`, `"\'`, `1.2.3`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		n, err := Parse(src)
		if err == nil {
			Eval(n, smith)
			Attributes(n)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Fatalf("%q took %v", src, d)
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	n, err := Parse(`String.startsWith(user.department, "engineering") && user.level >= 2 || isMemberOfAnyGroup("00gX")`)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		Match(n, smith)
	}
}
