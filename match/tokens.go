package match

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// maxTokens caps the tokens of one headline. A real headline has a dozen;
// the cap bounds the quadratic work in Tokens, Similarity and Signature.
const maxTokens = 64

// stopWords are function words that carry no story: leaving them in would
// make every pair of headlines share "في" and "the". They are in normalized
// form (على is "علي", إلى is "الي"). Negations (لا لم لن ليس غير, no, not)
// and words of time and direction (بعد قبل, after before) are deliberately
// absent: they are what tells "aid reached Gaza" from "aid has not reached
// Gaza". TestStopWordsAreNormalized checks the forms.
var stopWords = map[string]struct{}{
	// Arabic
	"في": {}, "من": {}, "علي": {}, "الي": {}, "عن": {}, "مع": {}, "و": {},
	"او": {}, "ثم": {}, "ان": {}, "انه": {}, "انها": {}, "ما": {}, "قد": {},
	"هذا": {}, "هذه": {}, "ذلك": {}, "تلك": {}, "التي": {}, "الذي": {},
	"الذين": {}, "هو": {}, "هي": {}, "هم": {}, "حتي": {}, "كما": {}, "لدي": {},
	"عند": {}, "اي": {}, "يا": {}, "به": {}, "بها": {}, "له": {}, "لها": {},
	// English
	"the": {}, "a": {}, "an": {}, "of": {}, "in": {}, "to": {}, "on": {},
	"at": {}, "for": {}, "from": {}, "by": {}, "with": {}, "and": {}, "or": {},
	"as": {}, "is": {}, "are": {}, "was": {}, "were": {}, "be": {}, "been": {},
	"has": {}, "have": {}, "had": {}, "it": {}, "its": {}, "that": {},
	"this": {}, "into": {}, "s": {}, "t": {},
	// Near a place is where it happened as much as in it: "near Ramallah",
	// قرب الخليل, بالقرب من الخليل.
	"near": {}, "قرب": {}, "بالقرب": {},
	// Prepositions one wire uses where another writes في or nothing:
	// "during a raid" (خلال حملة / في حملة), "amid protests", "vote on a
	// resolution" (بشأن, حول), "on Friday" (يوم الجمعة, الجمعة), "for
	// Israel" (لصالح إسرائيل, لإسرائيل).
	"خلال": {}, "بشان": {}, "حول": {}, "يوم": {}, "لصالح": {}, "بحق": {},
	"amid": {}, "during": {}, "over": {}, "about": {}, "regarding": {},
	// "flooding across England" is "throughout England".
	"across": {}, "throughout": {},
	// "via the Zikim crossing", "through Zikim crossing", عبر معبر.
	"via": {}, "through": {}, "عبر": {},
	// The Arabic article as Latin transliterations write it, or leave
	// out: el-Sisi and Sisi, al-Sudani and Sudani are one man.
	"al": {}, "el": {},
}

func isStop(t string) bool {
	_, ok := stopWords[t]
	return ok
}

// Tokens returns the words of a normalized headline (the output of
// Normalize) that similarity is computed on: stop words removed, each word
// passed through Stem, duplicates removed, in order of first appearance,
// at most 64. A word of the conjunction و and a stop word ("وفي") is a stop
// word too.
//
// The tokens share memory with normalized. Tokens allocates one slice; it
// is safe for concurrent use.
func Tokens(normalized string) []string {
	if normalized == "" {
		return nil
	}
	toks := make([]string, 0, min(strings.Count(normalized, " ")+1, maxTokens))
	for rest := normalized; rest != "" && len(toks) < maxTokens; {
		var w string
		w, rest, _ = strings.Cut(rest, " ")
		if w == "" || isStop(w) {
			continue
		}
		if r, ok := strings.CutPrefix(w, "و"); ok && isStop(r) {
			continue
		}
		w = Stem(w)
		if isStop(w) || slices.Contains(toks, w) {
			continue
		}
		toks = append(toks, w)
	}
	return toks
}

// articles are the forms of the Arabic definite article Stem strips, with
// the prepositions that fuse with it: بال (bi-al, "in the") and لل (li-al,
// "for the", whose alef is not written). Longest first.
var articles = []string{"بال", "لل", "ال"}

// minStem is the fewest runes Stem leaves: most Arabic roots have three
// letters, and stopping there keeps الله, الان and وفد whole.
const minStem = 3

// Stem returns the matching form of one normalized token: for Arabic, the
// token without a leading conjunction و and then without a definite
// article (ال, بال or لل), each removed only when at least three letters
// remain, or the article is written on a number ("الـ19", the 19th, gives
// 19). So والسيسي, السيسي and سيسي all give سيسي, الجيش gives جيش, بالقدس
// gives قدس, وغزه gives غزه. Other tokens come back unchanged.
//
// The rule is deliberately light: it has no dictionary, so it strips
// nothing that is as often part of the word itself. The prepositions ب, ل
// and ك alone are left on (لغزه stays لغزه) because لبنان, ليبيا, بغداد and
// بيروت begin with them; suffixes are left on because they tell a dual or a
// plural (شابين) from a singular (شابا). Where a word really begins with و
// the rule still strips it, consistently: وزير gives زير wherever it appears.
//
// The result is a substring of token; Stem does not allocate.
func Stem(token string) string {
	if r, ok := strings.CutPrefix(token, "و"); ok && utf8.RuneCountInString(r) >= minStem {
		token = r
	}
	for _, a := range articles {
		if r, ok := strings.CutPrefix(token, a); ok {
			if utf8.RuneCountInString(r) >= minStem || r != "" && isASCIIDigit(r[0]) {
				token = r
			}
			break
		}
	}
	// A word that begins with و loses it bare (وزير gives زير), so it
	// loses it too after the article or the conjunction (الوزير,
	// ووزير): every form of one word gives one token.
	if r, ok := strings.CutPrefix(token, "و"); ok && utf8.RuneCountInString(r) >= minStem {
		token = r
	}
	return token
}

// britishEndings are English endings British wires (Reuters, AFP) spell
// one way and American ones (AP) another, with the American form the
// tokens hold: hospitalised is hospitalized, labour labor, centre center.
var britishEndings = []struct{ british, american string }{
	{"isations", "izations"}, {"isation", "ization"}, {"ised", "ized"}, {"ises", "izes"},
	{"ising", "izing"}, {"ise", "ize"}, {"ours", "ors"}, {"oured", "ored"},
	{"ouring", "oring"}, {"our", "or"}, {"tres", "ters"}, {"tre", "ter"},
	// defence defense, licence license, offence offense; jewellery.
	{"ences", "enses"}, {"ence", "ense"}, {"ellery", "elry"},
}

// americanSpelling returns an ASCII word of six letters or more with a
// British ending in its American form (see canonicalWord). Both sides of a comparison get
// it, so words that have the ending in both spellings (promise, devour)
// only change their token. It allocates only when it changes w.
func americanSpelling(w string) string {
	if len(w) < 6 || !isASCIIWord(w) {
		return w
	}
	for _, e := range britishEndings {
		if stem, ok := strings.CutSuffix(w, e.british); ok && len(stem) >= 3 {
			return stem + e.american
		}
	}
	return w
}
