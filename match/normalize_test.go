package match

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Unicode NFKC.
		{"nfkc full width", "ＢＢＣ ２０２４", "bbc 2024"},
		{"nfkc lam alef ligature", "ﻷول مرة", "لاول مره"},
		{"nfkc arabic presentation forms", "ﻏﺰﺓ", "غزه"},
		{"nfkc latin ligature", "ﬁnal", "final"},
		{"nfkc composes", "cafe\u0301", "café"},
		// Case folding.
		{"fold ascii", "GAZA Strip", "gaza strip"},
		{"fold sharp s", "Straße", "strasse"},
		{"fold greek final sigma", "ΟΔΥΣΣΕΥΣ", "οδυσσευσ"},
		{"fold cyrillic", "МОСКВА", "москва"},
		// Arabic diacritics, one of each.
		{"fathatan", "شاباً", "شابا"},
		{"dammatan", "كتابٌ", "كتاب"},
		{"kasratan", "بيتٍ", "بيت"},
		{"fatha", "كَتب", "كتب"},
		{"damma", "كتبُ", "كتب"},
		{"kasra", "بِيت", "بيت"},
		{"shadda", "الحجّ", "الحج"},
		{"sukun", "مدْريد", "مدريد"},
		{"maddah above", "ا\u0653", "ا"},
		{"hamza above", "ا\u0654", "ا"},
		{"hamza below", "ا\u0655", "ا"},
		{"end of tashkeel range", "ب\u065F", "ب"},
		{"superscript alef", "هٰذا", "هذا"},
		{"quranic mark", "صلى\u06D6", "صلي"},
		{"tatweel", "الجـــيش", "الجيش"},
		// Invisible marks, one of each.
		{"zwnj", "می\u200cخواهم", "ميخواهم"},
		{"zwj", "غز\u200dة", "غزه"},
		{"lrm", "\u200eغزة", "غزه"},
		{"rlm", "غزة\u200f", "غزه"},
		{"alm", "\u061cغزة", "غزه"},
		{"bom", "\ufeffغزة", "غزه"},
		{"lre", "\u202aغزة", "غزه"},
		{"rle", "\u202bغزة", "غزه"},
		{"pdf", "غزة\u202c", "غزه"},
		{"lro", "\u202dغزة", "غزه"},
		{"rlo", "\u202eغزة", "غزه"},
		{"lri", "\u2066غزة", "غزه"},
		{"rli", "\u2067غزة", "غزه"},
		{"fsi", "\u2068غزة", "غزه"},
		{"pdi", "غزة\u2069", "غزه"},
		{"soft hyphen", "infor\u00admation", "information"},
		{"zero width space", "غز\u200bة", "غزه"},
		// Letter forms.
		{"alef hamza above", "أمير", "امير"},
		{"alef hamza below", "إيران", "ايران"},
		{"alef madda", "آلاف", "الاف"},
		{"alef wasla", "ٱلله", "الله"},
		{"alef maksura", "مصطفى", "مصطفي"},
		{"teh marbuta", "مدينة", "مدينه"},
		{"waw hamza", "مؤتمر", "موتمر"},
		{"yeh hamza", "رئيس", "رييس"},
		{"farsi yeh", "ایران", "ايران"},
		{"keheh", "کتاب", "كتاب"},
		// Digits.
		{"arabic-indic digits", "٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"extended arabic-indic digits", "۰۱۲۳۴۵۶۷۸۹", "0123456789"},
		// Punctuation and symbols become breaks.
		{"arabic comma", "غزة،رفح", "غزه رفح"},
		{"arabic semicolon", "غزة؛رفح", "غزه رفح"},
		{"arabic question mark", "هل؟نعم", "هل نعم"},
		{"arabic percent", "20٪", "20"},
		{"arabic decimal separator", "٣٥٫٧", "35 7"},
		{"guillemets", "«مجلس السلام»", "مجلس السلام"},
		{"curly double quotes", "“peace council”", "peace council"},
		{"curly single quotes", "‘unprecedented’", "unprecedented"},
		{"straight quotes", `"peace" 'council'`, "peace council"},
		{"latin punctuation", "Gaza: talks (again)! Why? Yes; no.", "gaza talks again why yes no"},
		{"symbols", "OPEC+ $5 €3 a=b ©", "opec 5 3 a b"},
		{"emoji", "🔴 غزة", "غزه"},
		{"dash inside word", "semi-finals", "semi finals"},
		// Spaces.
		{"collapse spaces", "a  \t\n b", "a b"},
		{"no-break space", "a\u00a0b", "a b"},
		{"trim", "  غزة  ", "غزه"},
		{"control characters", "a\x00b\x1fc", "a b c"},
		// Dotted acronyms.
		{"acronym", "U.S. stocks", "us stocks"},
		{"acronym without final dot", "U.S stocks", "us stocks"},
		{"acronym before a word", "U.S.-led strikes", "us led strikes"},
		{"not an acronym", "x.com and St. Louis", "x com and st louis"},
		// Labels.
		{"label arabic colon", "عاجل: قصف على غزة", "قصف علي غزه"},
		{"label arabic pipe", "عاجل | قصف على غزة", "قصف علي غزه"},
		{"label arabic dash", "عاجل - قصف على غزة", "قصف علي غزه"},
		{"label arabic hyphen no space", "عاجل-قصف على غزة", "قصف علي غزه"},
		{"label arabic with tashkeel and tatweel", "عـاجِل: قصف", "قصف"},
		{"label two words", "خبر عاجل: قصف على غزة", "قصف علي غزه"},
		{"label breaking", "Breaking: Gaza talks", "gaza talks"},
		{"label breaking dash", "BREAKING - Gaza talks", "gaza talks"},
		{"label breaking em dash", "Breaking—Gaza talks", "gaza talks"},
		{"label breaking news", "Breaking News: Gaza talks", "gaza talks"},
		{"label update", "Update: Gaza talks", "gaza talks"},
		{"label updated", "UPDATED: Gaza talks", "gaza talks"},
		{"label exclusive", "Exclusive: Gaza talks", "gaza talks"},
		{"label video arabic", "فيديو: قصف", "قصف"},
		{"label bilvideo", "بالفيديو: قصف", "قصف"},
		{"label tahdith", "تحديث: قصف", "قصف"},
		{"label in brackets", "[عاجل] قصف", "قصف"},
		{"label after emoji", "🔴 عاجل: قصف", "قصف"},
		{"label arabic comma", "عاجل، قصف", "قصف"},
		{"label only once", "عاجل: فيديو: قصف", "فيديو قصف"},
		{"not a label without separator", "Breaking news in Gaza talks", "breaking news in gaza talks"},
		{"not a label: first word", "Update on Gaza talks: no deal", "update on gaza talks no deal"},
		{"not a label: compound", "Breaking-ball pitcher signs", "breaking ball pitcher signs"},
		{"not a label: longer word", "Updates: Gaza talks", "updates gaza talks"},
		{"not a label: arabic word", "عاجلا أم آجلا", "عاجلا ام اجلا"},
		{"not a label: later", "قصف عاجل: غزة", "قصف عاجل غزه"},
		// Nothing left.
		{"empty", "", ""},
		{"only spaces", " \t\n", ""},
		{"only punctuation", "!!! ... ؟؟ «»", ""},
		{"only a label", "عاجل:", ""},
		{"only a label, no separator", "Breaking", ""},
		{"only labels", "عاجل: عاجل", ""},
		{"only tashkeel", "\u064e\u064f\u0650", ""},
		// Odd input.
		{"invalid utf-8", "a\xffb", "a b"},
		{"mark at word start", "\u0301abc \u0301def", "abc def"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeCapsLength(t *testing.T) {
	word := "الجيشُ "
	long := strings.Repeat(word, 1<<20/len(word)) // about 1 MB
	got := Normalize(long)
	if n := utf8.RuneCountInString(got); n > maxRunes {
		t.Errorf("Normalize of %d bytes has %d runes, want at most %d", len(long), n, maxRunes)
	}
	if !strings.HasPrefix(got, "الجيش الجيش") {
		t.Errorf("Normalize of a long title starts %q", got[:40])
	}
	if again := Normalize(got); again != got {
		t.Errorf("Normalize is not idempotent on a capped title")
	}
	// A long run without breaks is cut too, on a rune boundary.
	if got := Normalize(strings.Repeat("غ", 1<<20)); utf8.RuneCountInString(got) != maxRunes || !utf8.ValidString(got) {
		t.Errorf("Normalize of 1M runes of one word gives %d runes", utf8.RuneCountInString(got))
	}
}

// TestLabelsAreNormalized guards the labels list: every entry must be in
// the form Normalize produces, or it would never match.
func TestLabelsAreNormalized(t *testing.T) {
	for _, l := range labels {
		if got := Normalize(l + " x"); got != "" && got != l+" x" {
			t.Errorf("label %q is not normalized: Normalize(%q) = %q", l, l+" x", got)
		}
		if got := Normalize(l + ": x"); got != "x" {
			t.Errorf("Normalize(%q) = %q, want %q", l+": x", got, "x")
		}
		if n := strings.Count(l, " ") + 1; n > maxLabelWords {
			t.Errorf("label %q has %d words, maxLabelWords is %d", l, n, maxLabelWords)
		}
	}
	for i := range labels {
		for j := i + 1; j < len(labels); j++ {
			if strings.HasPrefix(labels[j], labels[i]+" ") {
				t.Errorf("label %q comes before the longer %q", labels[i], labels[j])
			}
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"", "عاجل: الجيشُ الإسرائيليُّ يقتحمُ مخيمَ جنين", "Breaking News: U.S. stocks",
		"a\u200d\u0301", "e\u200c\u0301", "ᾳ\u0345", "ΣΑΣ", "İstanbul", "ﷺ", "ﻷ",
		"عاجل-عاجل: x", "u.s.a.b", "\u0301", "a\xffb", "ǅ", "ﬀ", "ß\u0301",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Normalize(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Normalize(%q) = %q, not valid UTF-8", s, got)
		}
		if n := utf8.RuneCountInString(got); n > maxRunes {
			t.Fatalf("Normalize(%q) has %d runes, want at most %d", s, n, maxRunes)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Normalize(%q) = %q, has stray spaces", s, got)
		}
		if again := Normalize(got); again != got {
			t.Fatalf("Normalize(Normalize(%q)) = %q, want %q", s, again, got)
		}
	})
}

// TestNormalizeEveryRune checks idempotence and the output rules on every
// code point alone and after a letter, where fuzzing finds them slowly:
// x/text's folding and NFKC have corners (Cherokee, lunate sigma).
func TestNormalizeEveryRune(t *testing.T) {
	if testing.Short() {
		t.Skip("slow; run without -short")
	}
	for r := rune(0); r <= utf8.MaxRune; r++ {
		for _, s := range []string{string(r), "ا" + string(r) + "b"} {
			got := Normalize(s)
			if again := Normalize(got); again != got {
				t.Errorf("Normalize(Normalize(%q)) = %q, want %q", s, again, got)
			}
			if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
				t.Errorf("Normalize(%q) = %q, has stray spaces", s, got)
			}
		}
	}
}

// TestSkipsNFKC proves the shortcut in Normalize: for text skipsNFKC
// accepts, NFKC changes nothing that survives classify.
func TestSkipsNFKC(t *testing.T) {
	var set []rune
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if skipsNFKC(string(r)) {
			set = append(set, r)
		}
	}
	// kept maps a string as classify would, without the word logic.
	kept := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if m, k := classify(r); k != kindDrop {
				b.WriteRune(m)
			}
		}
		return b.String()
	}
	for _, r := range set {
		s := string(r)
		if n := norm.NFKC.String(s); n != s {
			t.Errorf("skipsNFKC(%U), but NFKC changes it to %q", r, n)
		}
		p := norm.NFKC.PropertiesString(s)
		if p.CCC() != 0 || !p.BoundaryBefore() {
			if _, k := classify(r); k != kindDrop {
				t.Errorf("skipsNFKC(%U), which NFKC may move or compose, but classify keeps it", r)
			}
		}
	}
	// Every composition NFKC could make in such text gives what classify
	// gives without it.
	for _, x := range set {
		for _, y := range set {
			s := string(x) + string(y)
			if n := norm.NFKC.String(s); n != s && kept(n) != kept(s) {
				t.Errorf("NFKC(%q) = %q: classify gives %q with NFKC, %q without", s, n, kept(n), kept(s))
			}
		}
	}
}
