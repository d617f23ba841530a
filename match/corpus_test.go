package match

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// defaultThreshold is config's dedupe.similarity default.
const defaultThreshold = 0.8

// minRecall is the recall the pair corpus must keep at defaultThreshold.
// The misses are listed in the test log; they are wires telling a story in
// other words (a two-word source tag, a number spelled out, مسؤول and
// مسئول), which the rule gives up on so that no different stories merge.
const minRecall = 0.9

type pair struct {
	line int
	same bool
	// known marks a pair that must stay apart but merges, left alone
	// with the reason in docs/performance.md (verdict "merged").
	known   bool
	a, b    string
	arabic  bool
	comment string
}

// readPairs loads testdata/pairs.tsv: verdict<TAB>headline A<TAB>headline B.
func readPairs(t testing.TB) []pair { return readPairsFile(t, "testdata/pairs.tsv") }

// readPairsFile reads a pair corpus in the format of pairs.tsv.
func readPairsFile(t testing.TB, name string) []pair {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pairs []pair
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 3 || (fields[0] != "same" && fields[0] != "different" && fields[0] != "merged") {
			t.Fatalf("%s:%d: want verdict<TAB>headline<TAB>headline with verdict same, different or merged, got %q", name, n, line)
		}
		pairs = append(pairs, pair{
			line:   n,
			same:   fields[0] == "same",
			known:  fields[0] == "merged",
			a:      fields[1],
			b:      fields[2],
			arabic: strings.IndexFunc(fields[1], func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) >= 0,
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return pairs
}

func TestPairCorpus(t *testing.T) {
	pairs := readPairs(t)
	type counts struct{ pairs, same, tp, fp, fn int }
	var total counts
	byLang := map[bool]*counts{true: {}, false: {}}
	for _, p := range pairs {
		got := Same(p.a, p.b, defaultThreshold)
		if rev := Same(p.b, p.a, defaultThreshold); rev != got {
			t.Errorf("pairs.tsv:%d: Same is not symmetric: %v one way, %v the other", p.line, got, rev)
		}
		ta, tb := Tokens(Normalize(p.a)), Tokens(Normalize(p.b))
		score := Similarity(ta, tb)
		for _, c := range []*counts{&total, byLang[p.arabic]} {
			c.pairs++
			if p.same {
				c.same++
			}
			switch {
			case got && p.same:
				c.tp++
			case got && !p.same:
				c.fp++
			case !got && p.same:
				c.fn++
			}
		}
		switch {
		case got && !p.same:
			t.Errorf("pairs.tsv:%d: false merge (similarity %.3f):\n  %s\n  %s\n  %q\n  %q", p.line, score, p.a, p.b, ta, tb)
		case !got && p.same:
			t.Logf("pairs.tsv:%d: missed (similarity %.3f): %q vs %q", p.line, score, ta, tb)
		}
		if got {
			// What Same accepts, an index on Signature must find.
			sa, sb := Signature(ta, defaultThreshold), Signature(tb, defaultThreshold)
			if !slices.ContainsFunc(sa, func(k string) bool { return slices.Contains(sb, k) }) {
				t.Errorf("pairs.tsv:%d: Same, but signatures %q and %q share no key", p.line, sa, sb)
			}
		}
	}
	report := func(name string, c counts) float64 {
		precision, recall := 1.0, 1.0
		if c.tp+c.fp > 0 {
			precision = float64(c.tp) / float64(c.tp+c.fp)
		}
		if c.same > 0 {
			recall = float64(c.tp) / float64(c.same)
		}
		t.Logf("%-7s %3d pairs (%d same, %d different): precision %.3f, recall %.3f (%d/%d), false merges %d",
			name, c.pairs, c.same, c.pairs-c.same, precision, recall, c.tp, c.same, c.fp)
		return recall
	}
	report("Arabic", *byLang[true])
	report("English", *byLang[false])
	if recall := report("all", total); recall < minRecall {
		t.Errorf("recall %.3f, want at least %.2f", recall, minRecall)
	}
	if a, e := byLang[true].pairs, byLang[false].pairs; a < 40 || e < 20 {
		t.Errorf("corpus has %d Arabic and %d English pairs, want at least 40 and 20", a, e)
	}
}
