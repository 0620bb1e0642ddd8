package filter

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/okapi-dev/okapi/internal/testgate"
)

// The agreement test runs random expressions against random records twice: as SQL in a real
// database and through Eval. Any difference is a bug in one of them.

const recsExists = "EXISTS (SELECT 1 FROM tags g WHERE g.rec_id = recs.id AND %s)"

func testSchema(fold bool) *Schema {
	dates := Ops(OpEq, OpNe, OpGt, OpGe, OpLt, OpLe, OpPr)
	return &Schema{
		Attrs: map[string]Attr{
			"id": {Type: String, Ops: AllOps, Column: "id"},
			"s":  {Type: String, Ops: AllOps, Column: "s"},
			// s again, with the folded-index probes of users' login and names (Attr.FoldedColumn,
			// Attr.FoldedByLower): they must never change a result.
			"su":  {Type: String, Ops: AllOps, Column: "s", FoldedColumn: "s_lower"},
			"sl":  {Type: String, Ops: AllOps, Column: "s", FoldedByLower: true},
			"d":   {Type: Date, Ops: dates, Column: "d"},
			"n":   {Type: Number, Ops: dates, Column: "n"},
			"b":   {Type: Bool, Ops: Ops(OpEq, OpNe, OpPr), Column: "b"},
			"tag": {Type: String, Ops: AllOps, Column: "g.v", Exists: recsExists},
		},
		Dynamic:         &Dynamic{Prefix: "profile.", Column: "profile", Ops: AllOps},
		CaseInsensitive: fold,
		AllowOr:         true,
		AllowNot:        true,
	}
}

// Small alphabets make equal, prefix and case-folded matches common, and put LIKE wildcards,
// backslashes and non-ASCII letters (which must not fold) in the data.
var (
	strPool  = []string{"", "a", "A", "ab", "aB", "Ab", "b", "abc", "é", "É", "a%", "a_", "%", "_", "\\", "z", "ß", "a b", "ab\\"}
	strRunes = []rune("aAbB%_é\\ zÉ")
	datePool = []int64{0, 1704164645000, 1704164645001, 1704164646000, -86400000, 1893456000000}
	numPool  = []float64{0, 1, -1, 1.5, 2, 10, -0.25, 1e9}
)

func randString(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return strPool[r.IntN(len(strPool))]
	}
	n := r.IntN(4)
	b := make([]rune, n)
	for i := range b {
		b[i] = strRunes[r.IntN(len(strRunes))]
	}
	return string(b)
}

type testRec struct {
	id      string
	s       *string
	d       *int64
	n       *float64
	b       *bool
	tags    []string
	profile map[string]any
}

func randRecs(r *rand.Rand, n int) []testRec {
	recs := make([]testRec, n)
	for i := range recs {
		rec := testRec{id: fmt.Sprintf("r%04d", i), profile: map[string]any{}}
		if r.IntN(5) > 0 {
			s := randString(r)
			rec.s = &s
		}
		if r.IntN(5) > 0 {
			d := datePool[r.IntN(len(datePool))]
			rec.d = &d
		}
		if r.IntN(5) > 0 {
			f := numPool[r.IntN(len(numPool))]
			rec.n = &f
		}
		if r.IntN(5) > 0 {
			b := r.IntN(2) == 0
			rec.b = &b
		}
		for range r.IntN(3) {
			rec.tags = append(rec.tags, randString(r))
		}
		for _, k := range []string{"k1", "k2"} {
			switch r.IntN(5) {
			case 0: // missing
			case 1:
				rec.profile[k] = nil
			case 2:
				rec.profile[k] = numPool[r.IntN(len(numPool))]
			case 3:
				rec.profile[k] = r.IntN(2) == 0
			default:
				rec.profile[k] = randString(r)
			}
		}
		recs[i] = rec
	}
	return recs
}

func (rec testRec) record() Record {
	return func(attr string) (any, bool) {
		switch attr {
		case "id":
			return rec.id, true
		case "s", "su", "sl":
			if rec.s != nil {
				return *rec.s, true
			}
		case "d":
			if rec.d != nil {
				return *rec.d, true
			}
		case "n":
			if rec.n != nil {
				return *rec.n, true
			}
		case "b":
			if rec.b != nil {
				return *rec.b, true
			}
		case "tag":
			return rec.tags, true
		default:
			v, ok := rec.profile[strings.TrimPrefix(attr, "profile.")]
			return v, ok
		}
		return nil, false
	}
}

// randExpr builds a random valid expression of about `terms` comparisons.
func randExpr(r *rand.Rand, terms int) Expr {
	if terms <= 1 {
		return randCompare(r)
	}
	left := 1 + r.IntN(terms-1)
	l, rt := randExpr(r, left), randExpr(r, terms-left)
	var e Expr
	if r.IntN(2) == 0 {
		e = &And{l, rt}
	} else {
		e = &Or{l, rt}
	}
	if r.IntN(4) == 0 {
		e = &Not{e}
	}
	return e
}

func randCompare(r *rand.Rand) Expr {
	dateStr := func() Value {
		return str(time.UnixMilli(datePool[r.IntN(len(datePool))]).UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	ordered := []Op{OpEq, OpNe, OpGt, OpGe, OpLt, OpLe, OpPr}
	var c *Compare
	switch r.IntN(7) {
	case 0, 1:
		attr := []string{"id", "s", "tag", "su", "sl"}[r.IntN(5)]
		c = &Compare{Attr: attr, Op: Op(r.IntN(int(numOps))), Value: str(randString(r))}
		if attr == "id" {
			c.Value = str(fmt.Sprintf("r%04d", r.IntN(1100)))
		}
	case 2:
		c = &Compare{Attr: "d", Op: ordered[r.IntN(len(ordered))], Value: dateStr()}
	case 3:
		c = &Compare{Attr: "n", Op: ordered[r.IntN(len(ordered))], Value: num(numPool[r.IntN(len(numPool))])}
	case 4:
		c = &Compare{Attr: "b", Op: []Op{OpEq, OpNe, OpPr}[r.IntN(3)], Value: Value{Kind: KindBool, Bool: r.IntN(2) == 0}}
	default:
		c = &Compare{Attr: []string{"profile.k1", "profile.k2", "profile.k3"}[r.IntN(3)], Op: Op(r.IntN(int(numOps)))}
		switch r.IntN(3) {
		case 0:
			c.Value = str(randString(r))
		case 1:
			c.Value = num(numPool[r.IntN(len(numPool))])
			if c.Op == OpCo || c.Op == OpSw || c.Op == OpEw {
				c.Op = OpGt
			}
		default:
			c.Value = Value{Kind: KindBool, Bool: r.IntN(2) == 0}
			c.Op = []Op{OpEq, OpNe, OpPr}[r.IntN(3)]
		}
	}
	if c.Op == OpPr {
		c.Value = Value{}
	}
	return c
}

type testDB struct {
	db      *sql.DB
	dialect Dialect
}

func loadRecs(t *testing.T, tdb testDB, recs []testRec) {
	t.Helper()
	boolType, jsonType := "INTEGER", "TEXT"
	if tdb.dialect == Postgres {
		boolType, jsonType = "BOOLEAN", "JSONB"
	}
	for _, q := range []string{
		// NOCASE on s proves the dialect forces byte comparison whatever the column says.
		map[bool]string{true: `CREATE TABLE recs (id TEXT PRIMARY KEY, s TEXT COLLATE NOCASE, s_lower TEXT, d BIGINT, n DOUBLE PRECISION, b ` + boolType + `, profile ` + jsonType + `)`,
			false: `CREATE TABLE recs (id TEXT PRIMARY KEY, s TEXT, s_lower TEXT, d BIGINT, n DOUBLE PRECISION, b ` + boolType + `, profile ` + jsonType + `)`}[tdb.dialect == SQLite],
		`CREATE TABLE tags (rec_id TEXT NOT NULL, v TEXT NOT NULL)`,
	} {
		if _, err := tdb.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ph := func(n int) string {
		if tdb.dialect == Postgres {
			return fmt.Sprintf("$%d", n)
		}
		return "?"
	}
	tx, err := tdb.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	insRec := fmt.Sprintf("INSERT INTO recs VALUES (%s, %s, %s, %s, %s, %s, %s)", ph(1), ph(2), ph(3), ph(4), ph(5), ph(6), ph(7))
	insTag := fmt.Sprintf("INSERT INTO tags VALUES (%s, %s)", ph(1), ph(2))
	for _, rec := range recs {
		p, _ := json.Marshal(rec.profile)
		var lower *string
		if rec.s != nil {
			l := strings.ToLower(*rec.s)
			lower = &l
		}
		if _, err := tx.Exec(insRec, rec.id, rec.s, lower, rec.d, rec.n, rec.b, string(p)); err != nil {
			t.Fatal(err)
		}
		for _, v := range rec.tags {
			if _, err := tx.Exec(insTag, rec.id, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func runAgreement(t *testing.T, tdb testDB) {
	r := rand.New(rand.NewPCG(20240102, 1))
	recs := randRecs(r, 1000)
	loadRecs(t, tdb, recs)
	const exprs = 300
	matched := 0
	for _, fold := range []bool{false, true} {
		schema := testSchema(fold)
		// Every pooled string as an eq on the probed attributes, whose index probes fold
		// differently (strings.ToLower, ASCII-only lower()), then random expressions.
		var probes []Expr
		for _, v := range strPool {
			for _, attr := range []string{"su", "sl"} {
				probes = append(probes, &Compare{Attr: attr, Op: OpEq, Value: str(v)})
			}
		}
		for i := range exprs + len(probes) {
			var e Expr
			switch {
			case i < len(probes):
				e = probes[i]
			case i < len(probes)+60:
				e = randCompare(r) // single comparisons pin down each operator
			default:
				e = randExpr(r, 1+r.IntN(6))
			}
			where, args, err := Compile(e, schema, tdb.dialect, 1)
			if err != nil {
				t.Fatalf("Compile(%s): %v", e, err)
			}
			rows, err := tdb.db.Query("SELECT id FROM recs WHERE "+where+" ORDER BY id", args...)
			if err != nil {
				t.Fatalf("query for %s: %v\n%s %v", e, err, where, args)
			}
			var got []string
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				got = append(got, id)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()
			var want []string
			for _, rec := range recs {
				ok, err := Eval(e, schema, rec.record())
				if err != nil {
					t.Fatalf("Eval(%s): %v", e, err)
				}
				if ok {
					want = append(want, rec.id)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("fold=%v %s:\nSQL matched %d rows, Eval %d\nfirst difference: %s\nSQL: %s\nargs: %q",
					fold, e, len(got), len(want), firstDiff(got, want, recs), where, args)
			}
			if len(want) > 0 && len(want) < len(recs) {
				matched++
			}
		}
	}
	// Guard against a generator that only produces trivially true or false expressions.
	if matched < exprs/2 {
		t.Fatalf("only %d of %d expressions selected a proper subset of the records", matched, 2*exprs)
	}
}

func firstDiff(got, want []string, recs []testRec) string {
	in := func(s []string, id string) bool { return slices.Contains(s, id) }
	for _, rec := range recs {
		if in(got, rec.id) != in(want, rec.id) {
			p, _ := json.Marshal(rec.profile)
			return fmt.Sprintf("%s (SQL %v, Eval %v) s=%v d=%v n=%v b=%v tags=%q profile=%s", rec.id,
				in(got, rec.id), in(want, rec.id), deref(rec.s), deref(rec.d), deref(rec.n), deref(rec.b), rec.tags, p)
		}
	}
	return "none"
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func openSQLite(t *testing.T) *sql.DB {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "agreement.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestAgreementSQLite(t *testing.T) {
	runAgreement(t, testDB{openSQLite(t), SQLite})
}

// openPostgres returns a connection pinned to a fresh schema that is dropped after the test.
func openPostgres(t *testing.T) *sql.DB {
	url := testgate.PostgresURL(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	// One connection, so that search_path applies to every statement.
	db.SetMaxOpenConns(1)
	schema := fmt.Sprintf("okapi_filter_test_%d", time.Now().UnixNano())
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		db.Close()
	})
	if _, err := db.Exec("SET search_path TO " + schema); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestAgreementPostgres(t *testing.T) {
	runAgreement(t, testDB{openPostgres(t), Postgres})
}
