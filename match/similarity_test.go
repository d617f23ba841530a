package match

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSimilarity(t *testing.T) {
	words := func(s string) []string { return strings.Fields(s) }
	tests := []struct {
		name string
		a, b string
		want float64
	}{
		{"identical", "a b c d", "d c b a", 1},
		{"disjoint", "a b", "c d", 0},
		{"one empty", "", "a b", 0},
		{"both empty", "", "", 0},
		{"one word added to four", "a b c d", "a b c d e", 4.0 / 5},
		{"two words added to eight", "a b c d e f g h", "a b c d e f g h i j", 8.0 / 10},
		{"one word swapped", "a b c d e f g x", "a b c d e f g y", 7.0 / (7 + 1 + 1 + 2)},
		{"one word swapped in sixteen", "a b c d e f g h i j k l m n o p x", "a b c d e f g h i j k l m n o p y", 16.0 / 20},
		{"number weighs three", "a b c 5", "a b c 5", 1},
		{"number added", "a b c d", "a b c d 5", 4.0 / 7},
		{"number changed", "a b c d 5", "a b c d 7", 4.0 / (4 + 3 + 3 + 6)},
		{"shared number", "a b 5", "a b 5 c", 5.0 / 6},
		{"token with a digit", "a b g7", "a b g20", 2.0 / (2 + 3 + 3 + 6)},
		{"negation on one side", "aid reached gaza", "aid not reached gaza", 0},
		{"negation on both sides", "aid not reached gaza", "aid not reached gaza today", 6.0 / 7},
		{"arabic negation on one side", "قافله وصلت غزه", "قافله لم تصل غزه", 0},
		{"weak negation weighs", "a b c d", "a b c d غير", 4.0 / 7},
		{"duplicates count once", "a a b b c", "a b c", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := words(tt.a), words(tt.b)
			got := Similarity(a, b)
			if math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("Similarity(%q, %q) = %v, want %v", a, b, got, tt.want)
			}
			if rev := Similarity(b, a); rev != got {
				t.Errorf("Similarity(%q, %q) = %v, but %v the other way", a, b, got, rev)
			}
		})
	}
}

func TestSame(t *testing.T) {
	tests := []struct {
		name      string
		a, b      string
		threshold float64
		want      bool
	}{
		// The look-alike distinct stories.
		{"silwad and aboud ar", "الجيش يعتقل شابا في سلواد شرق رام الله", "الجيش يعتقل شابين من عابود شمال غرب رام الله", 0.8, false},
		{"silwad and aboud en", "the army arrests a young man in Silwad east of Ramallah", "the army arrests two young men from Aboud northwest of Ramallah", 0.8, false},
		{"erdogan and 60 ar", "ترامب يدعو أردوغان والسيسي إلى مجلس السلام", "ترامب يدعو 60 دولة إلى مجلس السلام", 0.8, false},
		{"erdogan and 60 en", "Trump invites Erdogan and Sisi to the peace council", "Trump invites 60 countries to the peace council", 0.8, false},
		// Copies.
		{"diacritics", "ترامبُ يدعو أردوغانَ والسيسيَّ إلى مجلسِ السلامِ", "ترامب يدعو اردوغان والسيسي الى مجلس السلام", 0.8, true},
		{"label and source", "عاجل: ترامب يدعو أردوغان والسيسي إلى مجلس السلام - رويترز", "ترامب يدعو أردوغان والسيسي إلى مجلس السلام", 0.8, true},
		{"reordered", "Trump invites Erdogan and Sisi to the peace council", "To the peace council, Trump invites Sisi and Erdogan", 0.8, true},
		// A known limit (see Caveats): an added name is an added word.
		{"added name", "Trump meets Erdogan in Ankara", "Trump meets Erdogan and Sisi in Ankara", 0.8, true},
		// Thresholds.
		{"off: equal normalized still match", "عاجل: غزة", "غزه", 0, true},
		{"off: near duplicates do not", "Gold hits record high as dollar weakens", "Gold hits record high as dollar weakens - AFP", 0, false},
		{"negative is off", "Gold hits record high as dollar weakens", "Gold hits record high as dollar weakens - AFP", -1, false},
		{"NaN is off", "Gold hits record high as dollar weakens", "Gold hits record high as dollar weakens - AFP", math.NaN(), false},
		{"above one: equal only", "Gold hits record high", "Gold hits record high!", 1.5, true},
		{"one: same token set", "Gold hits record high", "record high: gold hits", 1, true},
		{"lower threshold merges more", "Gold hits record high as dollar weakens", "Gold hits record high as dollar weakens - AFP - Reuters", 0.7, true},
		// Nothing to compare.
		{"empty", "", "", 0.8, false},
		{"punctuation", "!!!", "...", 0.8, false},
		{"labels", "عاجل:", "Breaking:", 0.8, false},
		{"same label", "عاجل", "عاجل", 0.8, false},
		{"empty and title", "", "Gold hits record high", 0.8, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Same(tt.a, tt.b, tt.threshold); got != tt.want {
				t.Errorf("Same(%q, %q, %v) = %v, want %v", tt.a, tt.b, tt.threshold, got, tt.want)
			}
			if got := Same(tt.b, tt.a, tt.threshold); got != tt.want {
				t.Errorf("Same(%q, %q, %v) = %v, want %v", tt.b, tt.a, tt.threshold, got, tt.want)
			}
		})
	}
}

func TestSignature(t *testing.T) {
	tests := []struct {
		name      string
		tokens    []string
		threshold float64
		want      []string
	}{
		{"off", []string{"gold", "hits"}, 0, nil},
		{"NaN", []string{"gold", "hits"}, math.NaN(), nil},
		{"no tokens", nil, 0.8, nil},
		{"one token", []string{"gold"}, 0.8, []string{"gold"}},
		{"longest first, then bytes", []string{"ab", "abc", "aa", "b"}, 1, []string{"abc"}},
		{"four plain tokens at 0.8", []string{"gold", "hits", "record", "high"}, 0.8, []string{"record"}},
		{"eight plain tokens at 0.8", []string{"aaaaaaaa", "bbbbbbb", "cccccc", "ddddd", "eeee", "fff", "gg", "h"}, 0.8, []string{"aaaaaaaa", "bbbbbbb"}},
		{"at 0.5", []string{"aaaa", "bbb", "cc", "d"}, 0.5, []string{"aaaa", "bbb", "cc"}},
		{"above one counts as one", []string{"aaaa", "bbb"}, 2, []string{"aaaa"}},
		{"duplicates once", []string{"bb", "aa", "bb"}, 1, []string{"aa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Signature(tt.tokens, tt.threshold); !slices.Equal(got, tt.want) {
				t.Errorf("Signature(%q, %v) = %q, want %q", tt.tokens, tt.threshold, got, tt.want)
			}
		})
	}
	in := []string{"b", "a", "c"}
	Signature(in, 0.8)
	if !slices.Equal(in, []string{"b", "a", "c"}) {
		t.Errorf("Signature reordered its argument: %q", in)
	}
}

// TestSignatureGuarantee checks Signature's promise on random token sets
// drawn from a small vocabulary, so that overlaps are common: whenever
// Similarity reaches the threshold, the two signatures share a key.
func TestSignatureGuarantee(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 40)
	for i := range vocab {
		switch {
		case i%7 == 0:
			vocab[i] = fmt.Sprint(i) // numbers weigh more
		case i == 1:
			vocab[i] = "not"
		default:
			vocab[i] = strings.Repeat(string(rune('a'+i%26)), 1+i%5) + fmt.Sprint(string(rune('a'+i/26)))
		}
	}
	set := func() []string {
		n := 1 + rng.IntN(14)
		var s []string
		for len(s) < n {
			if w := vocab[rng.IntN(len(vocab))]; !slices.Contains(s, w) {
				s = append(s, w)
			}
		}
		return s
	}
	checked := 0
	for range 20000 {
		a := set()
		// b: a with a few words dropped, added or swapped.
		b := slices.Clone(a)
		for range rng.IntN(4) {
			switch rng.IntN(3) {
			case 0:
				if len(b) > 1 {
					i := rng.IntN(len(b))
					b = slices.Delete(b, i, i+1)
				}
			case 1:
				if w := vocab[rng.IntN(len(vocab))]; !slices.Contains(b, w) {
					b = append(b, w)
				}
			case 2:
				if w := vocab[rng.IntN(len(vocab))]; !slices.Contains(b, w) {
					b[rng.IntN(len(b))] = w
				}
			}
		}
		rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
		sim := Similarity(a, b)
		for _, th := range []float64{0.3, 0.5, 0.7, 0.8, 0.9, 1} {
			if sim < th {
				continue
			}
			checked++
			sa, sb := Signature(a, th), Signature(b, th)
			if !slices.ContainsFunc(sa, func(k string) bool { return slices.Contains(sb, k) }) {
				t.Fatalf("Similarity(%q, %q) = %v >= %v, but signatures %q and %q share no key", a, b, sim, th, sa, sb)
			}
		}
	}
	if checked < 10000 {
		t.Errorf("only %d matching pairs checked; the generator drifted", checked)
	}
}

// TestMaxNegation keeps maxNegation, which lets weight skip the map for
// long tokens, at least as long as every negation.
func TestMaxNegation(t *testing.T) {
	for n := range negations {
		if len(n) > maxNegation {
			t.Errorf("negation %q is %d bytes, more than maxNegation %d", n, len(n), maxNegation)
		}
	}
}

// TestPrefilter checks the bound Prefilter promises against Similarity on
// random sets (with duplicates, numbers and a negation) and on the pair
// corpus: never false where Similarity reaches the threshold, and false
// for most pairs that share little, or it would save nothing.
func TestPrefilter(t *testing.T) {
	for _, tc := range []struct {
		a, b []string
		th   float64
		want bool
	}{
		{[]string{"gaza", "aid", "trucks"}, []string{"gaza", "aid", "trucks"}, 0.8, true},
		{[]string{"gaza", "aid", "trucks"}, []string{"gaza", "rain"}, 0.8, false},
		{[]string{"gaza", "aid", "aid", "aid"}, []string{"gaza"}, 0.5, true}, // duplicates count once
		{[]string{"5", "killed"}, []string{"killed"}, 0.5, false},            // the number weighs 3
		{nil, []string{"x"}, 0.8, true},
		{[]string{"x"}, nil, 0, true},
	} {
		joined := strings.Join(tc.b, "\x00")
		if got := Prefilter(tc.a, tc.th)(joined); got != tc.want {
			t.Errorf("Prefilter(%q, %q, %v) = %v, want %v", tc.a, joined, tc.th, got, tc.want)
		}
	}

	rng := rand.New(rand.NewPCG(3, 4))
	vocab := []string{"1", "22", "not", "no", "a", "aa", "ab", "gaza", "aid", "غزه", "مساعدات", "شاحنات", "جيش", "x", "y", "z"}
	set := func() []string {
		s := make([]string, 1+rng.IntN(10))
		for i := range s {
			s[i] = vocab[rng.IntN(len(vocab))]
		}
		return s
	}
	checks := func(a, b []string, where string) (rejected, below int) {
		joined := strings.Join(b, "\x00")
		sim := Similarity(a, b)
		for _, th := range []float64{0.3, 0.5, 0.8, 0.9, 1} {
			may := Prefilter(a, th)(joined)
			if sim >= th && !may {
				t.Fatalf("%s: Similarity(%q, %q) = %v >= %v, but Prefilter is false", where, a, b, sim, th)
			}
			if sim < th {
				below++
				if !may {
					rejected++
				}
			}
		}
		return rejected, below
	}
	var rejected, below int
	for i := range 20000 {
		r, b := checks(set(), set(), fmt.Sprint("random pair ", i))
		rejected, below = rejected+r, below+b
	}
	for _, p := range readPairs(t) {
		ta, tb := Tokens(Normalize(p.a)), Tokens(Normalize(p.b))
		checks(ta, tb, fmt.Sprintf("pairs.tsv:%d", p.line))
		checks(tb, ta, fmt.Sprintf("pairs.tsv:%d reversed", p.line))
	}
	if rejected < below/2 {
		t.Errorf("Prefilter rejected %d of %d random pairs below the threshold; the bound is too loose to save work", rejected, below)
	}
}

// FuzzPrefilter looks for a pair of headlines that Prefilter would skip
// although Similarity puts them at or above the threshold.
func FuzzPrefilter(f *testing.F) {
	f.Add("مساعدات تصل إلى غزة", "وصول مساعدات إلى غزة", uint8(80))
	f.Add("5 killed in Gaza strike", "Gaza strike kills 7", uint8(50))
	f.Add("aid has not reached Gaza", "aid reached Gaza", uint8(1))
	f.Fuzz(func(t *testing.T, x, y string, pct uint8) {
		a, b := Tokens(Normalize(x)), Tokens(Normalize(y))
		th := float64(pct%101) / 100
		if sim := Similarity(a, b); sim >= th && !Prefilter(a, th)(strings.Join(b, "\x00")) {
			t.Errorf("Similarity(%q, %q) = %v >= %v, but Prefilter is false", a, b, sim, th)
		}
	})
}
