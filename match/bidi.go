package match

import (
	"strings"
	"unicode/utf8"
)

// The explicit directional formatting characters of the Unicode
// Bidirectional Algorithm (UAX #9).
const (
	lre = '\u202A' // left-to-right embedding
	rle = '\u202B' // right-to-left embedding
	pdf = '\u202C' // pop directional formatting
	lro = '\u202D' // left-to-right override
	rlo = '\u202E' // right-to-left override
	lri = '\u2066' // left-to-right isolate
	rli = '\u2067' // right-to-left isolate
	fsi = '\u2068' // first strong isolate
	pdi = '\u2069' // pop directional isolate
)

// maxBidiDepth bounds the embeddings and isolates SafeText keeps open at
// once. A headline needs two or three; UAX #9 stops at 125, and deeper
// openers only serve to make readers work.
const maxBidiDepth = 16

// SafeText returns feed text fit to store and republish: every explicit
// bidi embedding, override and isolate balanced, so that none runs past
// the end of the text into what a reader or tickerd shows after it (a
// title's "| via source", the next headline), and invisible characters
// that only serve to spoof or to defeat matching dropped.
//
// Balancing follows UAX #9's own matching: a PDF closes the last
// embedding or override opened within the current isolate and is dropped
// when there is none; a PDI closes the last isolate (and the embeddings
// opened inside it, which are closed explicitly first) and is dropped
// when none is open; openers still open at the end are closed there, and
// openers beyond maxBidiDepth are dropped with their closers. Line and
// paragraph breaks end every embedding in UAX #9, so they are closed
// before one, too.
//
// Dropped: zero width space (U+200B), word joiner and invisible operators
// (U+2060–2064), the deprecated format characters U+206A–206F, the BOM or
// zero width no-break space (U+FEFF), the Mongolian vowel separator
// (U+180E), Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), interlinear
// annotation characters (U+FFF9–FFFB) and tag characters (U+E0000–E007F)
// except in an emoji tag sequence (a subdivision flag: U+1F3F4 followed by
// tags). Kept, because scripts need them: the marks LRM, RLM and ALM
// (U+200E, U+200F, U+061C), which fix the direction of neutral characters
// between Arabic and Latin words, and ZWNJ and ZWJ (U+200C, U+200D), which
// Persian and Arabic shaping and emoji sequences depend on.
//
// Bytes that are not UTF-8 are dropped too. SafeText is idempotent, and
// returns s itself when nothing changes.
func SafeText(s string) string {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if bidiSpecial(r) || r == utf8.RuneError && n == 1 {
			return safeTextFrom(s, i)
		}
		i += n
	}
	return s
}

// bidiSpecial reports whether SafeText must look at r: an explicit bidi
// control, a character it drops, or a break that ends embeddings.
func bidiSpecial(r rune) bool {
	switch {
	case r >= lre && r <= rlo, r >= lri && r <= pdi:
		return true
	case r == '\n', r == '\r', r == '\u2028', r == '\u2029', r == '\u0085':
		return true
	}
	return invisible(r) || r >= 0xE0000 && r <= 0xE007F
}

// invisible reports whether r is an invisible character SafeText drops
// everywhere (tag characters are decided by their context).
func invisible(r rune) bool {
	switch r {
	case '\u200B', '\uFEFF', '\u180E', '\u115F', '\u1160', '\u3164', '\uFFA0':
		return true
	}
	return r >= '\u2060' && r <= '\u2064' || r >= '\u206A' && r <= '\u206F' || r >= '\uFFF9' && r <= '\uFFFB'
}

// opener is an embedding, override or isolate SafeText has seen open.
type opener struct {
	isolate bool
	kept    bool // false: dropped for depth, and so is its closer
}

func safeTextFrom(s string, start int) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:start])
	var stack []opener
	depth := 0 // kept openers on the stack
	// closeTo pops the stack down to length n, writing a closer for each
	// kept opener.
	closeTo := func(n int) {
		for len(stack) > n {
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !o.kept {
				continue
			}
			depth--
			if o.isolate {
				b.WriteRune(pdi)
			} else {
				b.WriteRune(pdf)
			}
		}
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:start])
	for i := start; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r >= lre && r <= rlo && r != pdf, r >= lri && r <= fsi:
			o := opener{isolate: r >= lri, kept: depth < maxBidiDepth}
			stack = append(stack, o)
			if o.kept {
				depth++
				b.WriteRune(r)
			}
		case r == pdf:
			if len(stack) > 0 && !stack[len(stack)-1].isolate {
				closeTo(len(stack) - 1)
			}
		case r == pdi:
			for j := len(stack) - 1; j >= 0; j-- {
				if stack[j].isolate {
					closeTo(j)
					break
				}
			}
		case r == '\n', r == '\r', r == '\u2028', r == '\u2029', r == '\u0085':
			closeTo(0)
			b.WriteRune(r)
		case invisible(r):
		case r == utf8.RuneError && n == 1:
			// Bytes that are not UTF-8 are dropped: kept, two of them
			// could meet around a dropped character and spell one.
			continue
		case r >= 0xE0000 && r <= 0xE007F:
			// An emoji tag sequence is U+1F3F4, tags U+E0020–E007E, and
			// the cancel tag U+E007F.
			if (prev == 0x1F3F4 || prev >= 0xE0020 && prev <= 0xE007E) && r >= 0xE0020 {
				b.WriteRune(r)
			} else {
				continue // prev stays, as if r was never there
			}
		default:
			b.WriteString(s[i-n : i])
		}
		prev = r
	}
	closeTo(0)
	return b.String()
}

// BidiBalanced reports whether every explicit embedding, override and
// isolate in s is closed, within its line, in the order UAX #9 matches
// them, no closer is left without an opener, and s holds none of the
// characters (or bytes that are not UTF-8) SafeText drops. It is SafeText's postcondition.
func BidiBalanced(s string) bool {
	var stack []bool // isolate?
	var prev rune
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return false
		case r >= lre && r <= rlo && r != pdf, r >= lri && r <= fsi:
			stack = append(stack, r >= lri)
			if len(stack) > maxBidiDepth {
				return false
			}
		case r == pdf:
			if len(stack) == 0 || stack[len(stack)-1] {
				return false
			}
			stack = stack[:len(stack)-1]
		case r == pdi:
			if len(stack) == 0 || !stack[len(stack)-1] {
				return false
			}
			stack = stack[:len(stack)-1]
		case r == '\n', r == '\r', r == '\u2028', r == '\u2029', r == '\u0085':
			if len(stack) > 0 {
				return false
			}
		case invisible(r):
			return false
		case r >= 0xE0000 && r <= 0xE007F:
			if !(prev == 0x1F3F4 || prev >= 0xE0020 && prev <= 0xE007E) || r < 0xE0020 {
				return false
			}
		}
		prev = r
	}
	return len(stack) == 0
}
