package fetcher

import (
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// termsDates dates an item from its dcterms:issued (or created) and
// dcterms:modified when gofeed found no date of its own for it.
func termsDates(fi *gofeed.Item) {
	terms := fi.Extensions["dcterms"]
	if terms == nil {
		return
	}
	first := func(names ...string) string {
		for _, n := range names {
			for _, e := range terms[n] {
				if v := strings.TrimSpace(e.Value); v != "" {
					return v
				}
			}
		}
		return ""
	}
	if fi.PublishedParsed == nil {
		if v := first("issued", "created", "date", "available"); v != "" {
			fi.Published, fi.PublishedParsed = v, parsedFeedDate(v)
		}
	}
	if fi.UpdatedParsed == nil {
		if v := first("modified"); v != "" {
			fi.Updated, fi.UpdatedParsed = v, parsedFeedDate(v)
		}
	}
}

// mendText undoes the two encoding accidents feeds carry most: UTF-8
// decoded as windows-1252 and encoded again, once or twice ("Ã¢â‚¬Â¦" for
// "…"), and C1 control characters where windows-1252 text was taken for
// ISO-8859-1 ("\u0092" for "’"). Text with neither, nearly all, is
// returned as it is after one scan for their lead bytes.
func mendText(s string) string {
	if !hasC1OrLatin1(s) {
		return s
	}
	for range 3 {
		m, ok := undoMojibake(s)
		if !ok {
			break
		}
		s = m
	}
	return fixC1(s)
}

// hasC1OrLatin1 reports whether s holds a character from U+0080 to
// U+00FF (UTF-8 lead byte 0xC2 or 0xC3): every C1 control is one, and
// so is the first character of every mojibake sequence (the windows-1252
// reading of a lead byte 0xC2–0xF4).
func hasC1OrLatin1(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0xC2, 0xC3:
			return true
		}
	}
	return false
}

// cp1252 maps the characters windows-1252 puts at 0x80–0x9F back to their
// byte; the five bytes it leaves undefined map from their C1 control.
var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89,
	'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95,
	'–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
	0x81: 0x81, 0x8D: 0x8D, 0x8F: 0x8F, 0x90: 0x90, 0x9D: 0x9D,
}

// c1 maps C1 controls to the windows-1252 characters at the same byte.
var c1 = func() map[rune]rune {
	m := make(map[rune]rune, 32)
	for r, b := range cp1252 {
		if r != rune(b) {
			m[rune(b)] = r
		}
	}
	return m
}()

// cp1252Byte is the windows-1252 byte of r, if it has one.
func cp1252Byte(r rune) (byte, bool) {
	if r >= 0xA0 && r <= 0xFF {
		return byte(r), true
	}
	b, ok := cp1252[r]
	return b, ok
}

// undoMojibake replaces every run of characters that are the windows-1252
// reading of a UTF-8 multi-byte sequence (a lead byte 0xC2–0xF4 and its
// continuation bytes) with the character that sequence encodes. It
// reports false when there is none. Single accented letters are left
// alone: "é" alone is no sequence; "Ã©" is one.
func undoMojibake(s string) (string, bool) {
	var b strings.Builder
	changed := false
	runes := []rune(s)
	for i := 0; i < len(runes); {
		lead, ok := cp1252Byte(runes[i])
		n := 0
		switch {
		case !ok:
		case lead >= 0xC2 && lead <= 0xDF:
			n = 2
		case lead >= 0xE0 && lead <= 0xEF:
			n = 3
		case lead >= 0xF0 && lead <= 0xF4:
			n = 4
		}
		if n > 0 && i+n <= len(runes) {
			seq := []byte{lead}
			for _, r := range runes[i+1 : i+n] {
				c, ok := cp1252Byte(r)
				if !ok && r >= 0x80 && r <= 0x9F {
					c, ok = byte(r), true
				}
				if !ok || c < 0x80 || c > 0xBF {
					seq = nil
					break
				}
				seq = append(seq, c)
			}
			if r, size := utf8.DecodeRune(seq); seq != nil && r != utf8.RuneError && size == n {
				if !changed {
					b.Grow(len(s))
					b.WriteString(string(runes[:i]))
					changed = true
				}
				b.WriteRune(r)
				i += n
				continue
			}
		}
		if changed {
			b.WriteRune(runes[i])
		}
		i++
	}
	if !changed {
		return s, false
	}
	return b.String(), true
}

// fixC1 replaces C1 controls with the windows-1252 characters at the
// same bytes: no feed means a C1 control, and text that was windows-1252
// read as ISO-8859-1 is full of them.
func fixC1(s string) string {
	if !strings.Contains(s, "\xc2") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if m, ok := c1[r]; ok {
			return m
		}
		return r
	}, s)
}
