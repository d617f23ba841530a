package match

import (
	"slices"
	"testing"
)

func TestStem(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"definite article", "الجيش", "جيش"},
		{"conjunction and article", "والسيسي", "سيسي"},
		{"conjunction", "وغزه", "غزه"},
		{"bi-al", "بالقدس", "قدس"},
		{"li-al", "للسلام", "سلام"},
		{"article on a number", "ال19", "19"},
		{"already a stem", "سيسي", "سيسي"},
		{"keeps three letters: allah", "الله", "الله"},
		{"keeps three letters: wafd", "وفد", "وفد"},
		{"keeps two-letter remainders", "الان", "الان"},
		{"a word's own waw, bare", "وزير", "زير"},
		{"a word's own waw after the article", "الوزير", "زير"},
		{"a word's own waw after the conjunction", "ووزير", "زير"},
		{"a word's own waw after both", "والوزير", "زير"},
		{"a word's own waw kept on three letters", "الوفد", "وفد"},
		{"no lone prepositions", "لغزه", "لغزه"},
		{"no lone bi", "بغداد", "بغداد"},
		{"no suffixes", "شابين", "شابين"},
		{"latin unchanged", "strikes", "strikes"},
		{"number unchanged", "2024", "2024"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Stem(tt.in); got != tt.want {
				t.Errorf("Stem(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"arabic stop words", "الجيش في غزه من جديد علي الحدود الي الشمال", []string{"جيش", "غزه", "جديد", "حدود", "شمال"}},
		{"english stop words", "the army arrests a man in silwad", []string{"army", "arrests", "man", "silwad"}},
		{"conjunction with stop word", "وفي غزه ومن رفح", []string{"غزه", "رفح"}},
		{"stems", "ترامب يدعو اردوغان والسيسي", []string{"ترامب", "يدعو", "اردوغان", "سيسي"}},
		{"duplicates after stemming", "الجيش جيش وجيش", []string{"جيش"}},
		{"order of first appearance", "x y x z y", []string{"x", "y", "z"}},
		{"keeps negations", "aid has not reached gaza", []string{"aid", "not", "reached", "gaza"}},
		{"keeps numbers", "مقتل 5 و 12", []string{"مقتل", "5", "12"}},
		{"only stop words", "the of and في من", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tokens(tt.in)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokensCap(t *testing.T) {
	in := ""
	for i := range 200 {
		in += string(rune('a'+i%26)) + string(rune('a'+i/26)) + "x "
	}
	if got := Tokens(Normalize(in)); len(got) != maxTokens {
		t.Errorf("Tokens of 200 distinct words gave %d tokens, want %d", len(got), maxTokens)
	}
}

// TestStopWordsAreNormalized guards the lists: an entry that Normalize
// would change, or that Stem would, could never match a token.
func TestStopWordsAreNormalized(t *testing.T) {
	for w := range stopWords {
		if got := Normalize(w); got != w && !isLabel(got) {
			t.Errorf("stop word %q is not normalized: Normalize gives %q", w, got)
		}
	}
	for w := range negations {
		if got := Normalize(w); got != w {
			t.Errorf("negation %q is not normalized: Normalize gives %q", w, got)
		}
		if got := Stem(w); got != w {
			t.Errorf("negation %q is not a stem: Stem gives %q", w, got)
		}
		if isStop(w) {
			t.Errorf("negation %q is a stop word, so it never reaches Similarity", w)
		}
	}
}

// The decoration word sets are looked up with normalized words, so a form
// written otherwise (وسائل for وسايل) never matches.
func TestDecorationWordsAreNormalized(t *testing.T) {
	for name, set := range map[string]map[string]bool{
		"attributors": attributors, "vagueAttributors": vagueAttributors,
		"sayVerbs": sayVerbs, "attributionCues": attributionCues, "outletWords": outletWords,
	} {
		for w := range set {
			if got := Normalize(w); got != w {
				t.Errorf("%s: %q is not normalized: Normalize gives %q", name, w, got)
			}
		}
	}
	for _, w := range reportingBodies {
		if got := Normalize(w); got != w {
			t.Errorf("reportingBodies: %q is not normalized: Normalize gives %q", w, got)
		}
	}
}
