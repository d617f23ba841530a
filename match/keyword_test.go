package match

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestKeywordMatch(t *testing.T) {
	tests := []struct {
		name, keyword string
		parts         []string
		want          bool
	}{
		// The examples.
		{"article word inside a phrase", "الترجيح", []string{"ريال مدريد يفوز بركلات الترجيح"}, true},
		{"li prefix", "غزة", []string{"مساعدات لغزة عبر رفح"}, true},
		{"wa prefix", "غزة", []string{"الضفة وغزة تحت القصف"}, true},
		{"bi prefix", "غزة", []string{"قصف بغزة"}, true},
		{"wa bi prefix", "غزة", []string{"في الضفة وبغزة"}, true},
		{"fa li prefix", "غزة", []string{"فلغزة حق"}, true},
		{"article added", "قدس", []string{"مسيرة في القدس"}, true},
		{"bi-al", "القدس", []string{"مظاهرات بالقدس"}, true},
		{"wa-bi-al", "القدس", []string{"وبالقدس مسيرة"}, true},
		{"li-al", "الترجيح", []string{"الذهاب للترجيح"}, true},
		{"wa-li-al", "الترجيح", []string{"وللترجيح كلمة"}, true},
		{"article dropped from text", "الترجيح", []string{"ركلات ترجيح"}, true},
		{"kaf", "البرق", []string{"سريع كالبرق"}, true},
		// Spelling variants Normalize folds.
		{"diacritics in text", "غزة", []string{"قَصْفٌ عَلَى غَزَّةَ"}, true},
		{"diacritics in keyword", "غَزَّة", []string{"قصف غزه"}, true},
		{"tatweel", "غزة", []string{"قصف غـــزة"}, true},
		{"hamza alef", "أمن", []string{"مجلس الامن"}, true},
		{"alef madda in text", "اسيا", []string{"كأس آسيا"}, true},
		{"hamza below", "اسرائيل", []string{"إسرائيل تعلن"}, true},
		{"teh marbuta", "غزه", []string{"في غزة"}, true},
		{"alef maqsura", "مستشفى", []string{"قصف مستشفي"}, true},
		{"label kept", "عاجل", []string{"عاجل: انفجار في بيروت"}, true},
		{"breaking kept", "breaking", []string{"Breaking: quake hits"}, true},
		// What must not match.
		{"suffix not stripped", "غزة", []string{"شاب غزاوي"}, false},
		{"other prefix letters", "غزة", []string{"تغزة"}, false},
		{"prefix order matters", "غزة", []string{"بوغزة"}, false},
		{"li with article spelled lal", "الترجيح", []string{"لالترجيح"}, false},
		{"short keyword exact only", "قم", []string{"وقم لقم"}, false},
		{"short keyword itself", "قم", []string{"مدينة قم"}, true},
		{"two letters after article", "الله", []string{"بسم الله"}, true},
		{"two letters after article no bare match", "الله", []string{"له"}, false},
		{"proclitic in keyword is literal", "لغزة", []string{"قصف غزة"}, false},
		// English.
		{"case-insensitive", "gaza", []string{"Aid reaches GAZA"}, true},
		{"word boundary", "gaza", []string{"Gazan families"}, false},
		{"punctuation boundary", "gaza", []string{"(Gaza)"}, true},
		{"inside a word", "art", []string{"Party starts"}, false},
		{"acronym", "U.S.", []string{"US strikes"}, true},
		{"digits", "٢٠٢٤", []string{"elections 2024"}, true},
		// Phrases.
		{"phrase consecutive", "security council", []string{"The Security Council meets"}, true},
		{"phrase apart", "security council", []string{"security talks in council"}, false},
		{"phrase order", "security council", []string{"council security"}, false},
		{"arabic phrase with prefixes", "مجلس الأمن", []string{"دعوة لمجلس الأمن"}, true},
		{"phrase not across parts", "security council", []string{"UN security", "council meets"}, false},
		{"second part", "gaza", []string{"Title", "Summary about Gaza"}, true},
		{"no text", "gaza", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKeyword(tt.keyword)
			if err != nil {
				t.Fatalf("ParseKeyword(%q): %v", tt.keyword, err)
			}
			if got := k.Match(NewText(tt.parts...)); got != tt.want {
				t.Errorf("ParseKeyword(%q).Match(%q) = %v, want %v", tt.keyword, tt.parts, got, tt.want)
			}
		})
	}
}

func TestParseKeywordErrors(t *testing.T) {
	for _, in := range []string{"", "   ", "!!!", "\u0640\u064e", "،؛"} {
		if _, err := ParseKeyword(in); !errors.Is(err, ErrEmptyKeyword) {
			t.Errorf("ParseKeyword(%q) error = %v, want ErrEmptyKeyword", in, err)
		}
	}
	long := strings.Repeat("word ", 17)
	if _, err := ParseKeyword(long); err == nil {
		t.Errorf("ParseKeyword(17 words) = nil error, want one")
	}
	if k, err := ParseKeyword("Gaza"); err != nil || k.String() != "Gaza" {
		t.Errorf("ParseKeyword(%q) = %q, %v; want it back as written", "Gaza", k.String(), err)
	}
}

func TestZeroKeyword(t *testing.T) {
	var k Keyword
	if k.Match(NewText("anything")) {
		t.Error("zero Keyword matched")
	}
}

func TestProclitics(t *testing.T) {
	// 3 conjunctions × 4 prepositions × 2 articles, less the empty prefix.
	if len(proclitics) != 23 {
		t.Errorf("len(proclitics) = %d, want 23", len(proclitics))
	}
	for _, p := range []string{"و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "لل", "ولل", "فبال", "وكال"} {
		if !proclitics[p] {
			t.Errorf("proclitics lacks %q", p)
		}
	}
	for _, p := range []string{"لال", "بو", "الو", "وو"} {
		if proclitics[p] {
			t.Errorf("proclitics holds %q", p)
		}
	}
}

// FuzzKeyword checks that matching never panics and keeps its promises on
// any input: a keyword matches the text it was written as, alone or
// inside other words, and with a conjunction before it when it is Arabic;
// and normalizing a text first changes nothing.
func FuzzKeyword(f *testing.F) {
	seeds := [][2]string{
		{"غزة", "مساعدات لغزة"},
		{"الترجيح", "بركلات الترجيح"},
		{"مجلس الأمن", "ولمجلس الأمن"},
		{"Gaza", "Aid reaches Gaza."},
		{"U.S.", "U.S. strikes"},
		{"عاجل", "عاجل: خبر"},
		{"قم", "وقم"},
		{"\u0640", "\xff"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, keyword, text string) {
		k, err := ParseKeyword(keyword)
		if err != nil {
			return
		}
		got := k.Match(NewText(text))
		if again := k.Match(NewText(normalize(text, false))); again != got {
			t.Errorf("Match(%q) = %v but Match(normalized) = %v", text, got, again)
		}
		if len(keyword) > 4<<10 || utf8.RuneCountInString(keyword) > maxRunes/4 {
			return // the 1,000-rune cut would end the texts below early
		}
		if !k.Match(NewText(keyword)) {
			t.Errorf("%q does not match itself", keyword)
		}
		if !k.Match(NewText("x " + keyword + " x")) {
			t.Errorf("%q does not match itself between words", keyword)
		}
		if k.words[0].core != "" && !k.Match(NewText("و"+keyword)) {
			t.Errorf("%q does not match itself after و", keyword)
		}
	})
}
