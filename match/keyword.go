package match

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Keyword is one term of a keyword filter (a ticker's include or exclude
// list, or a feed URL's q parameter), prepared for matching. Its zero value
// matches nothing. A Keyword is immutable and safe for concurrent use.
//
// The rule, in full:
//
//   - The keyword and the text are normalized alike: Normalize's rules
//     (NFKC, case folding, no diacritics or tatweel, one alef, ي for ى,
//     ه for ة, ASCII digits, punctuation as word breaks), except that a
//     leading label such as "عاجل:" is kept, so that "عاجل" can be
//     selected. Both are then split into words.
//   - A keyword of several words matches where its words appear one after
//     the other in one part of the text (a title, or a summary), each by
//     the word rule below.
//   - A keyword word matches a text word that is equal to it. That is the
//     whole rule outside Arabic: English matches case-insensitively on
//     word boundaries ("gaza" matches "Gaza," but not "Gazan").
//   - An Arabic keyword word also matches a text word that is the word
//     with Arabic proclitics before it: an optional conjunction (و or ف),
//     then an optional preposition (ب, ل or ك), then an optional definite
//     article ال, where ل with ال is written لل. So غزة matches لغزة,
//     وغزة, بغزة and فبغزة. A keyword word that starts with ال is matched
//     without it, so الترجيح matches "بركلات الترجيح", "للترجيح" and
//     "ترجيح".
//   - The proclitics are only tried for a word of at least three letters
//     (after its article is taken off): a two-letter keyword such as "قم"
//     matches itself alone, or it would match half the language.
//
// Suffixes are never taken off: غزة does not match غزاوي, and "kill" does
// not match "killed". A keyword whose own first letters look like a
// proclitic is still matched as written, so "بنان" matches "لبنان", and a
// keyword written with a proclitic ("لغزة") matches only words that carry
// it: write keywords in their bare form.
type Keyword struct {
	text  string
	words []kwWord
}

// kwWord is one normalized word of a keyword.
type kwWord struct {
	word string // normalized, as written
	core string // without a leading article; "" when proclitics are not tried
}

// ErrEmptyKeyword is returned by ParseKeyword for a keyword with no words
// left after normalization, such as "" or "!!!".
var ErrEmptyKeyword = errors.New("keyword has no letters or digits")

// maxKeywordWords bounds one keyword: a filter term is a name or a phrase,
// and the bound keeps matching linear in the text whatever a URL carries.
const maxKeywordWords = 16

// ParseKeyword prepares s for matching. It returns ErrEmptyKeyword when s
// normalizes to nothing, and an error when s has more than 16 words.
func ParseKeyword(s string) (Keyword, error) {
	n := normalize(s, false)
	if n == "" {
		return Keyword{}, ErrEmptyKeyword
	}
	fields := strings.Split(n, " ")
	if len(fields) > maxKeywordWords {
		return Keyword{}, errors.New("keyword has more than 16 words")
	}
	k := Keyword{text: s, words: make([]kwWord, len(fields))}
	for i, w := range fields {
		k.words[i] = kwWord{word: w, core: arabicCore(w)}
	}
	return k, nil
}

// arabicCore returns the part of a normalized Arabic word that proclitics
// may precede: the word without a leading ال when at least three letters
// remain, else the word; "" when the word is not Arabic or the core is
// shorter than three letters.
func arabicCore(w string) string {
	r, _ := utf8.DecodeRuneInString(w)
	if r < 0x0621 || r > 0x064A {
		return ""
	}
	if rest, ok := strings.CutPrefix(w, "ال"); ok && utf8.RuneCountInString(rest) >= minStem {
		w = rest
	}
	if utf8.RuneCountInString(w) < minStem {
		return ""
	}
	return w
}

// proclitics are the letter groups that may precede an Arabic keyword's
// core in a matching word: conjunction, preposition, article, each
// optional, in that order (see Keyword). Built once; never modified.
var proclitics = func() map[string]bool {
	m := make(map[string]bool)
	for _, conj := range []string{"", "و", "ف"} {
		for _, prep := range []string{"", "ب", "ل", "ك"} {
			for _, art := range []string{"", "ال"} {
				p := conj + prep + art
				if prep == "ل" && art == "ال" {
					p = conj + "لل" // the alef of ال is not written after ل
				}
				if p != "" {
					m[p] = true
				}
			}
		}
	}
	return m
}()

// String returns the keyword as it was written.
func (k Keyword) String() string { return k.text }

// matches reports whether text word w matches keyword word kw.
func (kw *kwWord) matches(w string) bool {
	if w == kw.word {
		return true
	}
	if kw.core == "" || len(w) < len(kw.core) {
		return false
	}
	if w == kw.core {
		return true
	}
	p, ok := strings.CutSuffix(w, kw.core)
	if !ok {
		return false
	}
	if proclitics[p] {
		return true
	}
	// A combining mark that began the keyword is dropped there but kept
	// on the proclitic it follows in the text ("و" + U+0739 + ...), so
	// marks do not count as part of a proclitic.
	return strings.ContainsFunc(p, unicode.IsMark) &&
		proclitics[strings.Map(dropMark, p)]
}

// dropMark is a strings.Map function that removes combining marks.
func dropMark(r rune) rune {
	if unicode.IsMark(r) {
		return -1
	}
	return r
}

// Match reports whether the keyword occurs in t, by the rule in Keyword's
// documentation.
func (k Keyword) Match(t *Text) bool {
	if len(k.words) == 0 || t == nil {
		return false
	}
	for _, part := range t.parts {
	start:
		for i := 0; i+len(k.words) <= len(part); i++ {
			for j := range k.words {
				if !k.words[j].matches(part[i+j]) {
					continue start
				}
			}
			return true
		}
	}
	return false
}

// Text is a text prepared for keyword matching: each part normalized and
// split into words once, however many keywords are tried on it. It is
// immutable and safe for concurrent use.
type Text struct {
	parts [][]string
}

// NewText prepares plain-text parts (a title, a summary without its
// markup) for matching. A keyword of several words never matches across
// two parts. Like Normalize, it reads the first 16 KiB of each part and
// keeps 1,000 runes.
func NewText(parts ...string) *Text {
	t := &Text{parts: make([][]string, 0, len(parts))}
	for _, p := range parts {
		if n := normalize(p, false); n != "" {
			t.parts = append(t.parts, strings.Split(n, " "))
		}
	}
	return t
}
