package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

const (
	// maxRunes caps the result of Normalize. Headlines are far shorter; the
	// cap is there so that a hostile 1 MB title costs as much as a long one.
	maxRunes = 1000
	// maxInputBytes caps how much of the input Normalize reads at all. It
	// leaves room for maxRunes of Arabic with a diacritic on every letter,
	// and stays far above what one output of Normalize can hold (at most
	// 4 bytes per rune), so that Normalize(Normalize(s)) reads all of it.
	maxInputBytes = 16 << 10
)

// labels are the leading markers Normalize drops ("عاجل:", "Breaking -"),
// in normalized form, longest first so that "breaking news" is tried before
// "breaking". They say how a wire presents a story, not what happened, so
// two wires only agree once they are gone. A label is dropped only when a
// separator follows it in the headline (see isLabelSep): "Update on Gaza
// talks" keeps its first word. TestLabelsAreNormalized checks the forms.
var labels = []string{
	"breaking news",
	"خبر عاجل",
	"عاجل جدا",
	"just in",
	"عاجل",
	"بالفيديو",
	"فيديو",
	"بالصور",
	"تحديث",
	"حصري",
	"breaking",
	"update",
	"updated",
	"exclusive",
	"developing",
	"urgent",
	"video",
	"watch",
}

// maxLabelWords is the most words a label has; Normalize records separators
// after that many leading words only.
const maxLabelWords = 2

// Normalize returns s as it is compared for matching: two headlines that
// differ only in how they are written normalize to the same string. It is
// never what a reader sees.
//
// In order, it applies Unicode NFKC and case folding; removes Arabic
// diacritics (tashkeel U+064B–U+065F, superscript alef U+0670 and Quranic
// annotation marks), tatweel U+0640 and every invisible format character
// (Unicode Cf: ZWNJ, ZWJ, LRM, RLM, ALM, BOM, bidi embeddings and isolates,
// soft hyphen, zero-width space); unifies alef forms (أ إ آ ٱ → ا), ى and ئ
// → ي, ة → ه, ؤ → و, the Persian-keyboard ی → ي and ک → ك, and the
// letters Arabic borrows for foreign sounds (ڤ → ف, پ → ب, چ → ج, گ →
// ك) to the letters other wires write for them; maps
// Arabic-Indic and Extended Arabic-Indic digits to ASCII; turns every
// space, control, punctuation and symbol character (Unicode Z*, Cc, P*,
// S*, and unassigned or private-use code points) into a word break, except
// that dotted single-letter acronyms are joined ("U.S." → "us", like
// "US"); collapses breaks to single spaces and trims; and finally drops
// one leading label ("عاجل", "Breaking", … see labels) when a separator
// followed it: ":", "|", a dash, a closing bracket, a comma, or a hyphen
// with space beside it (or, after an Arabic label, without). A result that
// is only a label is "". Combining marks that would start a word are
// dropped.
//
// Only the first 16 KiB of s are read and the result is cut to 1,000 runes,
// so the cost is bounded whatever the input; invalid UTF-8 counts as a
// break. The result is valid UTF-8, has no leading, trailing or double
// spaces, and Normalize(Normalize(s)) == Normalize(s). Safe for concurrent
// use.
func Normalize(s string) string { return normalize(s, true) }

// normalize is Normalize, with the leading label dropped only when
// dropLabel is set: keyword matching keeps labels, so that a ticker can
// select "عاجل" headlines.
func normalize(s string, dropLabel bool) string {
	if len(s) > maxInputBytes {
		i := maxInputBytes
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
	}
	if !utf8.ValidString(s) {
		// norm skips what follows an invalid byte unnormalized ("\xf0Ϲ"
		// keeps its Ϲ), so invalid bytes become breaks first.
		s = strings.ToValidUTF8(s, " ")
	}
	// NFKC first: it turns presentation forms (ﻷ, ﷺ), full-width letters
	// and ligatures into the letters the rest of the rules know. Checking
	// that text is in NFKC costs x/text about 10 ns a byte, two thirds of
	// Normalize on Arabic, so ASCII and basic Arabic skip it (see
	// skipsNFKC).
	if !skipsNFKC(s) {
		s = norm.NFKC.String(s)
		if needsFold(s) {
			// A Caser holds state, so it cannot be shared between
			// goroutines; making one only here keeps ASCII and Arabic,
			// which fold by the ASCII rule in classify, free of it.
			// Folding can leave compatibility characters behind (ϲ from
			// Ϲ), hence NFKC once more.
			s = norm.NFKC.String(cases.Fold().String(s))
		}
	}

	var b strings.Builder
	b.Grow(len(s))
	var (
		runes     int                 // written to b
		words     int                 // started in b
		inWord    bool                // the last rune written belongs to a word
		pending   bool                // a break was seen since the last word
		sepAfter  [maxLabelWords]bool // the break after word i separates a label
		joinAfter [maxLabelWords]bool // the break after word i was only hyphens
		// About the break after the last word: whether it had a label
		// separator, a hyphen, or white space.
		gapSep, gapHyphen, gapSpace bool
		// dropped: a rune was removed since the last one written.
		// recompose: a rune that may compose with what precedes it was
		// written after a removal, so the result may not be in NFKC.
		dropped, recompose bool
	)
	// wrote notes a written rune for the final NFKC check. Arabic runes
	// that compose backward (U+0653–U+0655) are all removed, so only
	// others can need it.
	wrote := func(r rune) {
		if dropped && r >= 0x0300 && (r < 0x0600 || r > 0x06FF) {
			recompose = true
		}
		dropped = false
	}
	// endGap records what the break after word words-1 held, for labels.
	endGap := func() {
		if w := words - 1; w >= 0 && w < maxLabelWords {
			// A hyphen between letters joins a compound ("Breaking-ball");
			// with space on either side it separates ("عاجل- ...").
			sepAfter[w] = gapSep || (gapHyphen && gapSpace)
			joinAfter[w] = gapHyphen && !gapSep && !gapSpace
		}
		gapSep, gapHyphen, gapSpace = false, false, false
	}
	// startWord begins a word unless one is going on, and reports whether
	// there is room for a rune of it within maxRunes.
	startWord := func() bool {
		if !inWord {
			if pending && b.Len() > 0 {
				if runes+2 > maxRunes {
					return false // no trailing space
				}
				b.WriteByte(' ')
				runes++
			}
			endGap()
			pending = false
			inWord = true
			words++
		}
		return runes < maxRunes
	}

	skip := 0 // bytes of s already consumed by an acronym
loop:
	for i, r := range s {
		if i < skip {
			continue
		}
		if runes >= maxRunes {
			break
		}
		if !inWord && r < utf8.RuneSelf && isASCIILetter(byte(r)) {
			if end, ok := acronymEnd(s, i); ok {
				if !startWord() {
					break
				}
				for j := i; j < end && runes < maxRunes; j++ {
					if c := s[j]; c != '.' {
						b.WriteByte(c | 0x20) // ASCII letter to lower case
						runes++
					}
				}
				skip = end
				inWord, pending = false, true
				continue
			}
		}
		if r == '.' && inWord && i > 1 && isASCIILetter(s[i-1]) && isASCIILetter(s[i-2]) && i+1 < len(s) && isASCIILetter(s[i+1]) {
			// A dot inside a name (Binance.US, Amazon.com) joins it:
			// Binance.US is not Binance. After two letters or more, so
			// that "x.com" stays two words.
			continue
		}
		if (r == '\'' || r == '’') && inWord && i > 1 && isASCIILetter(s[i-1]) && isASCIILetter(s[i-2]) && transliterationMark(s[i+utf8.RuneLen(r):]) {
			// Ma'aden, Sana'a: the mark of a transliteration is part
			// of the name, which wires write with it or without.
			continue
		}
		r, k := classify(r)
		switch k {
		case kindDrop:
			// Removed without a trace: a word goes on across it.
			dropped = true
		case kindMark:
			if inWord {
				b.WriteRune(r)
				runes++
				wrote(r)
			}
		case kindLetter:
			if !startWord() {
				break loop
			}
			b.WriteRune(r)
			runes++
			wrote(r)
		case kindBreak:
			inWord = false
			pending = true
			dropped = false // nothing composes across a break
			gapSep = gapSep || isLabelSep(r)
			gapHyphen = gapHyphen || isHyphen(r)
			gapSpace = gapSpace || unicode.IsSpace(r)
		}
	}
	endGap()
	out := b.String()

	for _, l := range labels {
		if !dropLabel {
			break
		}
		rest, ok := strings.CutPrefix(out, l)
		if !ok {
			continue
		}
		if rest == "" {
			out = ""
			break
		}
		// Arabic writes no hyphenated compounds, so there "عاجل-الجيش" is
		// a label too.
		w := strings.Count(l, " ")
		if rest[0] == ' ' && (sepAfter[w] || joinAfter[w] && isArabic(l)) {
			out = rest[1:]
			break
		}
	}
	if dropLabel && isLabel(out) {
		// "عاجل: عاجل" or "Breaking: Update": nothing but labels. Also
		// keeps Normalize idempotent, since the first label is gone.
		out = ""
	}
	// Removing a format character can bring a letter and a combining mark
	// together that NFKC composes ("e", ZWJ, U+0301); compose them now so
	// that the result is a fixed point.
	if recompose && !norm.NFKC.IsNormalString(out) {
		out = norm.NFKC.String(out)
	}
	return out
}

// isArabic reports whether s begins with a rune of the Arabic block.
func isArabic(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= 0x0600 && r <= 0x06FF
}

func isLabel(s string) bool {
	for _, l := range labels {
		if s == l {
			return true
		}
	}
	return false
}

// skipsNFKC reports whether Normalize may skip NFKC on s because the result
// would not differ: s holds only ASCII and runes from U+060C to U+0670
// (Arabic punctuation, letters, tashkeel, digits). Each of those is its own
// NFKC form, and the only compositions or reorderings NFKC could make among
// them involve tashkeel, which classify removes: ا with U+0653 composes to
// آ, which classify maps back to ا. TestSkipsNFKC checks all of this.
func skipsNFKC(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && (r < 0x060C || r > 0x0670) {
			return false
		}
	}
	return true
}

// needsFold reports whether s has a rune that the ASCII lower-casing in
// classify does not fold: anything outside ASCII, the Arabic blocks and
// General Punctuation, none of which have case.
func needsFold(s string) bool {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf,
			r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F,
			r >= 0x08A0 && r <= 0x08FF, r >= 0x2000 && r <= 0x206F,
			r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF:
		default:
			return true
		}
	}
	return false
}

// transliterationMark reports whether rest, what follows an apostrophe
// inside a word, makes it a transliteration's mark (Ma'aden) rather than
// an English possessive or contraction ('s, n't, 're, 've, 'll, 'd, 'm).
func transliterationMark(rest string) bool {
	n := 0
	for n < len(rest) && isASCIILetter(rest[n]) {
		n++
	}
	if n == 0 {
		return false
	}
	switch strings.ToLower(rest[:n]) {
	case "s", "t", "re", "ve", "ll", "d", "m":
		return false
	}
	return true
}

// acronymEnd reports where a dotted acronym of single ASCII letters that
// starts at s[i] ends ("U.S.", "u.n", "e.g."), and whether there is one.
// Wires write both "U.S." and "US"; without this they would normalize to
// "u s" and "us" and never agree.
func acronymEnd(s string, i int) (int, bool) {
	letters := 0
	j := i
	for j < len(s) && isASCIILetter(s[j]) {
		// A letter followed by another letter or a digit is a word, not an
		// initial; so is one followed by a multi-byte rune.
		if j+1 < len(s) && (isASCIILetter(s[j+1]) || isASCIIDigit(s[j+1]) || s[j+1] >= utf8.RuneSelf) {
			break
		}
		letters++
		j++
		if j < len(s) && s[j] == '.' {
			j++
			continue
		}
		break
	}
	if letters < 2 {
		return 0, false
	}
	return j, true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isASCIIDigit(c byte) bool  { return c >= '0' && c <= '9' }

// What classify makes of a rune.
const (
	kindDrop   = iota // removed; a word continues across it
	kindBreak         // space, control, punctuation, symbol: ends a word
	kindMark          // combining mark: kept inside a word
	kindLetter        // letter or number, possibly mapped
)

// classify maps one rune of NFKC, case-folded text to what Normalize keeps
// of it. The Arabic tables are the list; the rest is by category.
func classify(r rune) (rune, int) {
	if r < utf8.RuneSelf {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r, kindLetter
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A'), kindLetter
		}
		return r, kindBreak
	}
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, // tashkeel, superscript alef
		r >= 0x0610 && r <= 0x061A, r >= 0x06D6 && r <= 0x06DC, // Quranic marks
		r >= 0x06DF && r <= 0x06E4, r == 0x06E7, r == 0x06E8, r >= 0x06EA && r <= 0x06ED,
		r == 0x0640: // tatweel
		return r, kindDrop
	case r == 0x0623, r == 0x0625, r == 0x0622, r == 0x0671, r == 0x0672, r == 0x0673: // أ إ آ ٱ ٲ ٳ
		return 0x0627, kindLetter // ا
	case r == 0x0649, r == 0x0626, r == 0x06CC: // ى ئ ی
		return 0x064A, kindLetter // ي
	case r == 0x0629: // ة
		return 0x0647, kindLetter // ه
	case r == 0x0624: // ؤ
		return 0x0648, kindLetter // و
	case r == 0x06A9, r == 0x06AF: // ک گ
		return 0x0643, kindLetter // ك
	case r == 0x06A4: // ڤ, the v of كييڤ
		return 0x0641, kindLetter // ف
	case r == 0x067E: // پ
		return 0x0628, kindLetter // ب
	case r == 0x0686: // چ
		return 0x062C, kindLetter // ج
	case r >= 0x0660 && r <= 0x0669:
		return '0' + r - 0x0660, kindLetter
	case r >= 0x06F0 && r <= 0x06F9:
		return '0' + r - 0x06F0, kindLetter
	case r >= 0x0621 && r <= 0x064A: // the rest of the basic Arabic letters
		return r, kindLetter
	// cases.Fold (x/text v0.44) swaps the cases of Cherokee instead of
	// folding them, so folding twice gives the input back. Unicode folds
	// Cherokee to its capitals; finish the job here so that Normalize
	// stays idempotent.
	case r >= 0xAB70 && r <= 0xABBF:
		return 0x13A0 + r - 0xAB70, kindLetter
	case r >= 0x13F8 && r <= 0x13FD:
		return 0x13F0 + r - 0x13F8, kindLetter
	}
	switch {
	case unicode.IsLetter(r), unicode.IsNumber(r):
		return r, kindLetter
	case unicode.IsMark(r):
		return r, kindMark
	case unicode.Is(unicode.Cf, r):
		return r, kindDrop
	}
	return r, kindBreak
}

// isLabelSep reports whether r, after a leading label, marks it as a label
// rather than the first word of the headline.
func isLabelSep(r rune) bool {
	switch r {
	case ':', '|', '/', '\\', '>', ')', ']', '}', ',', ';',
		'،', '؛', // Arabic comma and semicolon
		'•', '·', '»', '›', '▪', '■', '►', '▶', '●',
		'‒', '–', '—', '―': // figure, en, em dash and horizontal bar
		return true
	}
	return false
}

// isHyphen reports whether r is a hyphen, which separates a label only when
// white space is next to it (see Normalize).
func isHyphen(r rune) bool {
	return r == '-' || r == '‐' || r == '‑' || r == '−' || r == '﹣'
}
