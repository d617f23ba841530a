package match

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// prepNumbers rewrites the numbers of a raw headline so that Normalize
// keeps each as one word in one form (step 2 of the pipeline, see
// canonical.go): digits of every script in ASCII; "12,000" and "12٬000"
// as 12000; "6.1", "٦٫١" and "5,8" (one or two digits after the comma) as 6p1 and 5p8; a scoreline or range "3-0" as 3x0, so
// that it stays one token whose order counts; "U-21" as u21; a number
// glued to letters ("2bn", "3rd") split from them; % and ٪ as the word
// pct. A headline without digits or percent signs comes back as it is,
// without allocating.
func prepNumbers(s string) string {
	if !hasNumber(s) {
		return s
	}
	rs := []rune(s)
	digit := func(i int) int {
		if i < 0 || i >= len(rs) {
			return -1
		}
		return digitValue(rs[i])
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if d := digitValue(r); d >= 0 {
			if i > 0 && rs[i-1] < utf8.RuneSelf && isASCIILetter(byte(rs[i-1])) {
				// "Dh1.5tn", "SR10 billion": the currency's sign
				// written as a word, as for $ below. A sign is three
				// letters at most, so only those are looked at: a
				// look back to the word's start would make long
				// inputs quadratic.
				start := len(b)
				for start > 0 && len(b)-start < 4 && isASCIILetter(b[start-1]) {
					start--
				}
				if len(b)-start <= 3 && (start == 0 || !isASCIILetter(b[start-1])) {
					var low [3]byte
					for k, c := range b[start:] {
						low[k] = c | 0x20
					}
					if c, ok := currencySigns[string(low[:len(b)-start])]; ok {
						b = append(append(b[:start], c...), ' ')
					}
				}
			}
			b = append(b, byte('0'+d))
			if i+1 < len(rs) && rs[i+1] < utf8.RuneSelf && isASCIILetter(byte(rs[i+1])) {
				b = append(b, ' ')
			}
			continue
		}
		prev, next := digit(i-1), digit(i+1)
		switch r {
		case ',', '٬', '\'':
			// A thousands separator: exactly three digits follow.
			if prev >= 0 && next >= 0 && digit(i+3) >= 0 && digit(i+4) < 0 {
				continue
			}
			// A comma before one or two digits is no thousands
			// separator: it is the decimal mark of Arabic and European
			// writing ("5,8 درجات", "2,9 Prozent").
			if r == ',' && prev >= 0 && next >= 0 && digit(i+3) < 0 {
				b = append(b, 'p')
				continue
			}
		case '.', '٫':
			if prev >= 0 && next >= 0 {
				b = append(b, 'p')
				continue
			}
		case '-', '–', '—', ':', '‐', '‑':
			if prev >= 0 && next >= 0 {
				b = append(b, 'x')
				continue
			}
			// "3 - 0", spaced.
			if i >= 2 && i+2 < len(rs) && rs[i-1] == ' ' && rs[i+1] == ' ' && digit(i-2) >= 0 && digit(i+2) >= 0 && r != ':' {
				b = append(bytes.TrimSuffix(b, []byte(" ")), 'x')
				i++ // the space after
				continue
			}
		case '%', '٪', '﹪', '％':
			b = append(b, " pct "...)
			continue
		case '£':
			if next >= 0 {
				// Not "pound", which the lexicon reads as strike.
				b = append(b, " gbp "...)
				continue
			}
		case '$', '€':
			// "$2.7 billion" is "2.7 billion dollars": the currency
			// as a word, so that euros stay apart from dollars.
			if next >= 0 {
				if r == '$' {
					b = append(b, " dollar "...)
				} else {
					b = append(b, " euro "...)
				}
				continue
			}
		case '₹':
			if next >= 0 {
				b = append(b, " inr "...)
				continue
			}
		case 'R':
			// "Rs10", "Rs.10": rupees, as "10 rupees" is (the lexicon
			// reads rs as inr when it stands alone).
			if (i == 0 || !isWordRune(rs[i-1])) && i+2 < len(rs) && rs[i+1] == 's' {
				j := i + 2
				if rs[j] == '.' {
					j++
				}
				if digit(j) >= 0 {
					b = append(b, " inr "...)
					i = j - 1
					continue
				}
			}
		case 'u', 'U':
			// U-21, U21: an age category, kept as one word.
			if (i == 0 || !isWordRune(rs[i-1])) && i+2 < len(rs) && rs[i+1] == '-' && digit(i+2) >= 0 {
				b = append(b, 'u')
				i++
				continue
			}
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (isASCIILetter(byte(r)) || isASCIIDigit(byte(r))) || r >= 0x0600 && r <= 0x06FF
}

// hasNumber reports whether s has a digit of any script or a percent sign.
func hasNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == '%':
			return true
		case c == 0xD9 && i+1 < len(s) && s[i+1] >= 0xA0 && s[i+1] <= 0xAA: // ٠–٩ ٪
			return true
		case c == 0xDB && i+1 < len(s) && s[i+1] >= 0xB0 && s[i+1] <= 0xB9: // ۰–۹
			return true
		case c == 0xEF: // full-width and small forms
			return true
		}
	}
	return false
}

// digitValue is the value of a decimal digit of ASCII, Arabic-Indic or
// Extended Arabic-Indic, or -1.
func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 0x0660 && r <= 0x0669:
		return int(r - 0x0660)
	case r >= 0x06F0 && r <= 0x06F9:
		return int(r - 0x06F0)
	case r >= 0xFF10 && r <= 0xFF19:
		return int(r - 0xFF10)
	}
	return -1
}

// numberWords are the number words 0–20 and the tens to 90, Arabic and
// English, as Normalize writes them (before Stem: "الاثنين" is Monday, "اثنين" two).
var numberWords = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "dozen": 12,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"صفر": 0, "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
	"ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5,
	"ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8,
	"تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10, "عشرون": 20, "عشرين": 20,
	// The tens, which the units may come before ("twenty five", خمسة
	// وعشرون: see numberAt).
	"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50,
	"ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80,
	"تسعون": 90, "تسعين": 90,
	// Two hundred as one word; مئة alone is a hundred, with the article
	// (في المئة, بالمئة) it is percent, which the lexicon reads.
	"ميتان": 200, "ميتين": 200, "ميتا": 200, "ميتي": 200,
	// The hundreds from 300, one word with their unit: ثلاثمئة, خمسمائة.
	"ثلاثميه": 300, "ثلاثمايه": 300, "اربعميه": 400, "اربعمايه": 400,
	"خمسميه": 500, "خمسمايه": 500, "ستميه": 600, "ستمايه": 600,
	"سبعميه": 700, "سبعمايه": 700, "ثمانميه": 800, "ثمانمايه": 800,
	"ثمانيميه": 800, "ثمانيمايه": 800, "تسعميه": 900, "تسعمايه": 900,
}

// currencySigns are the Latin signs of currencies wires write before a
// number ("Dh1.5tn", "SR10bn"), and the word each stands for.
var currencySigns = map[string]string{
	"dh": "dirham", "aed": "dirham", "sr": "riyal", "sar": "riyal", "qr": "riyal",
	"kd": "dinar", "bd": "dinar", "egp": "pound", "usd": "dollar", "eur": "euro",
}

// monthNames are the months, as Normalize writes them: an ordinal before
// one is a date (see numberAt).
var monthNames = func() map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(`january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec
يناير فبراير مارس أبريل ابريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر
كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين`) {
		set[Normalize(w)] = true
	}
	return set
}()

// fractions before a multiplier make a count: "half a million", ربع مليون.
var fractions = map[string]float64{"half": 0.5, "نصف": 0.5, "quarter": 0.25, "ربع": 0.25}

// teenStarts are the Arabic words that make 11 and 12 only before عشر
// ("احد عشر"); alone, الأحد is Sunday.
var teenStarts = map[string]int{"احد": 1, "احدي": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}

// ordinalWords are ordinals 1–20, as Normalize writes them.
var ordinalWords = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
	"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
	"twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
	"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
	"seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
	"اول": 1, "اولي": 1, "الاول": 1, "الاولي": 1, "ثاني": 2, "ثانيه": 2, "الثاني": 2, "الثانيه": 2,
	"الحادي": 1, "الحاديه": 1, "ثان": 2, "ثالث": 3, "ثالثه": 3, "الثالث": 3, "الثالثه": 3, "الرابع": 4, "الرابعه": 4,
	"الخامس": 5, "الخامسه": 5, "السادس": 6, "السادسه": 6, "السابع": 7, "السابعه": 7,
	"الثامن": 8, "الثامنه": 8, "التاسع": 9, "التاسعه": 9, "العاشر": 10, "العاشره": 10,
}

// ordinalSuffixes follow a digit in "1st", "2nd", split by prepNumbers.
var ordinalSuffixes = map[string]bool{"st": true, "nd": true, "rd": true, "th": true}

// multipliers scale the number before them: "2 million", "2m", "32 الفا".
// English plurals are not among them: "112, thousands of homes" is two
// numbers, and no wire writes "2 millions". Arabic's are (9 آلاف).
var multipliers = map[string]float64{
	"hundred": 1e2, "ميه": 1e2, "مايه": 1e2,
	"thousand": 1e3, "k": 1e3, "الف": 1e3, "الفا": 1e3, "الاف": 1e3,
	"million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "مليون": 1e6, "ملايين": 1e6,
	"billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9, "مليار": 1e9, "مليارات": 1e9,
	"trillion": 1e12, "tn": 1e12, "تريليون": 1e12,
}

// bareMultipliers are the multipliers that, with no number before them,
// mean one or two of their unit: "a million", "مليونين". Plurals
// ("millions of") and abbreviations ("m") are not numbers alone.
var bareMultipliers = map[string]float64{
	"hundred": 1e2, "ميه": 1e2, "مايه": 1e2, "thousand": 1e3, "الف": 1e3,
	"million": 1e6, "billion": 1e9, "trillion": 1e12,
	"مليون": 1e6, "مليار": 1e9, "تريليون": 1e12,
	// Duals, and their construct forms before a noun (مليوني شخص).
	"مليونين": 2e6, "مليونان": 2e6, "مليونا": 2e6, "مليوني": 2e6,
	"مليارين": 2e9, "ملياران": 2e9, "مليارا": 2e9, "ملياري": 2e9,
	"الفين": 2e3, "الفان": 2e3, "الفي": 2e3,
}

// numberAt reads a number starting at raw[i] (normalized words, before
// Stem): digits, or a number word, possibly followed by عشر, a
// multiplier or an ordinal suffix. It returns the number's token and how
// many words it took, or 0 words if there is none. Ordinals come out as
// "ord" and the number ("ord3" for third, الثالث, 3rd).
func numberAt(raw []string, i int) (string, int) {
	w := raw[i]
	if r, ok := strings.CutPrefix(w, "ال"); ok && isNumeral(r) {
		return "ord" + r, 1 // الـ19, the 19th
	}
	for _, p := range []string{"ب", "ل", "و"} {
		// A preposition or the conjunction glued to digits: بـ3
		// أهداف, "by 3 goals"; لـ5 سنوات.
		if r, ok := strings.CutPrefix(w, p); ok && isNumeral(r) {
			w = r
			break
		}
		// And to an ordinal with the article: بالعاشر من رمضان.
		if r, ok := strings.CutPrefix(w, p); ok && strings.HasPrefix(r, "ال") && ordinalWords[r] > 0 {
			w = r
			break
		}
	}
	if o, ok := ordinalWords[w]; ok && o < 10 && i+1 < len(raw) && (raw[i+1] == "عشر" || raw[i+1] == "عشره") {
		if at(raw, i+2) == "من" && monthNames[at(raw, i+3)] {
			return strconv.Itoa(o + 10), 3 // الحادي عشر من مايو
		}
		return "ord" + strconv.Itoa(o+10), 2
	}
	if o, ok := ordinalWords[w]; ok && o < 10 && i+1 < len(raw) {
		// الخامسة والثلاثين, the 35th: a unit and "and" a ten.
		if x, ok := numberWords[strings.TrimPrefix(strings.TrimPrefix(raw[i+1], "و"), "ال")]; ok && x >= 20 && x < 100 && x%10 == 0 {
			return "ord" + strconv.Itoa(x+o), 2
		}
	}
	if o, ok := ordinalWords[w]; ok {
		if (at(raw, i+1) == "من" || at(raw, i+1) == "of") && monthNames[at(raw, i+2)] {
			// العاشر من مايو, "the 10th of May": a date, as 10 مايو.
			return strconv.Itoa(o), 2
		}
		return "ord" + strconv.Itoa(o), 1
	}
	if frac, ok := fractions[w]; ok {
		// "half a million", نصف مليون, ربع مليون.
		k := i + 1
		if at(raw, k) == "of" {
			k++
		}
		if at(raw, k) == "a" {
			k++
		}
		if x := multipliers[at(raw, k)]; x >= 1e3 {
			return formatNumber(x * frac), k - i + 1
		}
	}
	if x, ok := numberWords[w]; ok && x >= 20 && x < 100 && x%10 == 0 && i+1 < len(raw) {
		// "thirty-fifth": a ten and an ordinal under ten.
		if o, ok := ordinalWords[raw[i+1]]; ok && o < 10 {
			return "ord" + strconv.Itoa(x+o), 2
		}
	}
	var v float64
	n := 1
	unit := 0.0 // the multiplier read, for "and a half"
	switch {
	case isNumeral(w):
		f, err := strconv.ParseFloat(strings.Replace(w, "p", ".", 1), 64)
		if err != nil {
			return w, 1 // too long to scale; kept as written
		}
		v = f
		if i+1 < len(raw) && ordinalSuffixes[raw[i+1]] && !strings.Contains(w, "p") {
			return "ord" + w, 2
		}
	default:
		x, ok := numberWords[w]
		if !ok {
			x, ok = numberWords[strings.TrimPrefix(w, "و")]
		}
		if !ok {
			// "by three goals", بثلاثة أهداف: the preposition ب glued
			// on, as on any Arabic word.
			x, ok = numberWords[strings.TrimPrefix(w, "ب")]
		}
		if t, teen := teenStarts[w]; teen && i+1 < len(raw) && (raw[i+1] == "عشر" || raw[i+1] == "عشره") {
			x, ok, n = t+10, true, 2
		} else if ok && x >= 1 && x <= 9 && i+1 < len(raw) && (raw[i+1] == "عشر" || raw[i+1] == "عشره") {
			x, n = x+10, 2
		}
		if !ok {
			b, bare := bareMultipliers[w]
			if !bare {
				// بمليار دولار: "with a billion dollars".
				b, bare = bareMultipliers[strings.TrimPrefix(w, "ب")]
			}
			if !bare {
				return "", 0
			}
			// "a million barrels", "مليون برميل": one of them; "مئة
			// ألف", a hundred of the next.
			v, unit = b, b
			if math.Mod(math.Log10(b), 1) != 0 {
				unit = b / 2 // a dual, مليونين: twice its unit
				if strings.HasSuffix(w, "ا") && strings.HasPrefix(at(raw, i+1), "و") {
					// مليارا و200 مليون: the accusative of one, with
					// a smaller count after it, not the dual.
					v = unit
				}
			}
			break
		}
		if next := i + n; next < len(raw) {
			// Tens and units: "twenty five"; the units first in Arabic,
			// the tens with و: "خمسه وعشرون".
			if y, isWord := numberWords[raw[next]]; isWord && x >= 20 && x%10 == 0 && y >= 1 && y <= 9 && isASCIIWord(raw[next]) {
				x, n = x+y, n+1
			} else if t, ok := strings.CutPrefix(raw[next], "و"); ok && x >= 1 && x <= 9 {
				if y, isWord := numberWords[t]; isWord && y >= 20 && y%10 == 0 {
					x, n = x+y, n+1
				}
			}
		}
		v = float64(x)
	}
	if i+n < len(raw) {
		if m, ok := multipliers[raw[i+n]]; ok {
			v *= m
			unit = m
			n++
		}
	}
	if unit >= 1e3 && i+n < len(raw) && raw[i+n] == "ونصف" {
		// "مليار ونصف" and "مليار ونصف مليار" are 1.5 billion,
		// "3 ملايين ونصف" 3.5 million.
		v += unit / 2
		n++
		if i+n < len(raw) && multipliers[raw[i+n]] == unit {
			n++
		}
	}
	if unit >= 1e3 && i+n < len(raw) {
		// "مليون و200 ألف" is 1,200,000, "مليار و500 مليون" 1.5
		// billion, "ألف و200" 1,200: a smaller count joined with و.
		k := i + n
		d, ok := strings.CutPrefix(raw[k], "و")
		if ok && d == "" && k+1 < len(raw) {
			k++
			d = raw[k]
		}
		if w, isWord := numberWords[d]; ok && isWord && w > 0 && float64(w) < unit && multipliers[at(raw, k+1)] == 0 {
			// ألف وخمسمائة, 1,500: the smaller count as a word.
			v += float64(w)
			n = k + 1 - i
		} else if ok && isNumeral(d) && !strings.Contains(d, "p") {
			if y, err := strconv.ParseFloat(d, 64); err == nil {
				if m2 := multipliers[at(raw, k+1)]; m2 >= 1e3 && m2 < unit && y*m2 < unit {
					v += y * m2
					n = k + 2 - i
				} else if m2 == 0 && y < unit {
					v += y
					n = k + 1 - i
				}
			}
		}
	}
	if v >= 100 && v < 1000 && math.Mod(v, 100) == 0 {
		// Hundreds and what follows them: "مئة وعشرة" (110), "six
		// hundred and ten", "ثلاثمئة وخمسة وعشرون" (325).
		v, n = addUnder100(raw, i+n, v, n)
	}
	return formatNumber(v), n
}

// addUnder100 adds to v the number of 1 to 99 that raw[at:] starts with,
// joined as after a hundred ("و", "and"), and counts its words into n.
func addUnder100(raw []string, at int, v float64, n int) (float64, int) {
	word := func(k int) (int, bool) {
		if k >= len(raw) {
			return 0, false
		}
		w := raw[k]
		if r, ok := strings.CutPrefix(w, "و"); ok {
			w = r
		}
		y, ok := numberWords[w]
		return y, ok && y >= 1 && y < 100
	}
	k := at
	if k < len(raw) && raw[k] == "and" {
		k++
	}
	y, ok := word(k)
	if !ok {
		return v, n
	}
	k++
	if y <= 9 {
		// Units before tens in Arabic (خمسة وعشرون), tens before units
		// in English (twenty five is read below).
		if t, ok := word(k); ok && t >= 20 && t%10 == 0 && !isASCIIWord(raw[k]) {
			y, k = y+t, k+1
		}
	} else if y >= 20 && y%10 == 0 {
		if u, ok := word(k); ok && u <= 9 && isASCIIWord(raw[k]) {
			y, k = y+u, k+1
		}
	}
	return v + float64(y), n + k - at
}

// isNumeral reports whether w is digits with at most one decimal mark p
// between them, as prepNumbers writes numbers.
func isNumeral(w string) bool {
	if w == "" || !isASCIIDigit(w[0]) || !isASCIIDigit(w[len(w)-1]) {
		return false
	}
	p := 0
	for i := 0; i < len(w); i++ {
		switch {
		case isASCIIDigit(w[i]):
		case w[i] == 'p':
			p++
		default:
			return false
		}
	}
	return p <= 1 && len(w) <= 18
}

// formatNumber writes v as digits, with p for a decimal mark.
func formatNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	return strings.Replace(s, ".", "p", 1)
}

// percentPoints reads a rate change's unit after the number t at raw[i]:
// basis points (written as hundredths of a percentage point, so that 100
// basis points is 1) or percentage points, in English and Arabic. It
// returns the number in percentage points and the words the unit took,
// or 0 words.
func percentPoints(raw []string, i int, t string) (string, int) {
	if i >= len(raw) || !isNumeral(t) {
		return "", 0
	}
	next := at(raw, i+1)
	var scale float64
	n := 2
	switch {
	case raw[i] == "bps" || raw[i] == "bp":
		scale, n = 0.01, 1
	case raw[i] == "basis" && (next == "points" || next == "point"),
		(raw[i] == "نقطه" || raw[i] == "نقاط") && next == "اساس":
		scale = 0.01
	case raw[i] == "percentage" && (next == "points" || next == "point"),
		(raw[i] == "نقطه" || raw[i] == "نقاط") && (next == "مييه" || next == "مئويه"):
		scale = 1
	default:
		return "", 0
	}
	v, err := strconv.ParseFloat(strings.Replace(t, "p", ".", 1), 64)
	if err != nil {
		return "", 0
	}
	return formatNumber(v * scale), n
}

// at returns raw[k], or "" past its end.
func at(raw []string, k int) string {
	if k < len(raw) {
		return raw[k]
	}
	return ""
}
