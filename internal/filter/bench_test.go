package filter

import "testing"

const benchExpr = `profile.firstName sw "jo" and (status eq "ACTIVE" or status eq "PROVISIONED") and ` +
	`lastUpdated gt "2024-01-02T03:04:05.000Z" and not (profile.city eq "Paris") and profile.age ge 18`

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchExpr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	e, err := ParseFor(benchExpr, UsersSearch)
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range []Dialect{SQLite, Postgres} {
		b.Run(d.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Compile(e, UsersSearch, d, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
