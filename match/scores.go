package match

import (
	"slices"
	"strconv"
)

// Arabic wires tell a score in words as often as in digits: فوز الأهلي
// بهدفين مقابل هدف is الأهلي 2-1, بثلاثية نظيفة 3-0, بهدف لمثله 1-1.
// wordScores rewrites such a phrase as the scoreline token prepNumbers
// makes of "2-1" ("2x1"), so that a score told either way is one token
// and scores told in words are compared as scores are (3-0 against 0-3).

// goalCounts are the words that count goals, as Normalize writes them,
// with the preposition ب or ل they follow cut off.
var goalCounts = map[string]int{
	"هدف": 1, "هدفين": 2, "هدفان": 2, "ثناييه": 2, "ثلاثيه": 3, "رباعيه": 4, "خماسيه": 5,
	"سداسيه": 6, "سباعيه": 7, "ثمانيه": 8,
}

// goalNumbers are the numbers before أهداف (goals): بثلاثة أهداف.
var goalNumbers = map[string]int{
	"ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6, "سبعه": 7, "ثمانيه": 8, "تسعه": 9,
}

// cleanSheet words say the other side scored none: نظيفة, دون رد, وحيد.
var cleanSheet = map[string]bool{"نظيف": true, "نظيفه": true, "نظيفين": true, "نظيفتين": true, "وحيد": true}

// sameAgain words say the other side scored as many: بهدف لمثله.
var sameAgain = map[string]bool{"لمثله": true, "لمثلها": true, "لمثلهما": true, "مثله": true}

// goalsAt reads a count of goals at raw[i] with its preposition p cut
// off ("بهدفين" with p "ب"): how many, and how many words it took.
func goalsAt(raw []string, i int, p string) (n, used int) {
	if i >= len(raw) || len(raw[i]) <= len(p) || raw[i][:len(p)] != p {
		return 0, 0
	}
	w := raw[i][len(p):]
	if c, ok := goalCounts[w]; ok {
		return c, 1
	}
	if i+1 < len(raw) && raw[i+1] == "اهداف" {
		if c, ok := goalNumbers[w]; ok {
			return c, 2
		}
		if c, err := strconv.Atoi(w); err == nil && c >= 0 && c < 100 {
			return c, 2
		}
	}
	return 0, 0
}

// wordScores rewrites scores told in words (see above) in raw and words,
// the pipeline's two views of a headline's words.
func wordScores(raw, words []string) ([]string, []string) {
	for i := 0; i < len(raw); i++ {
		a, used := goalsAt(raw, i, "ب")
		if used == 0 {
			continue
		}
		j := i + used
		b, more := -1, 0
		switch {
		case j < len(raw) && cleanSheet[raw[j]]:
			b, more = 0, 1
		case j+1 < len(raw) && raw[j] == "دون" && raw[j+1] == "رد":
			b, more = 0, 2
		case j < len(raw) && sameAgain[raw[j]]:
			b, more = a, 1
		case j+1 < len(raw) && raw[j] == "مقابل":
			if n, u := goalsAt(raw, j+1, ""); u > 0 {
				b, more = n, 1+u
			}
		default:
			if n, u := goalsAt(raw, j, "ل"); u > 0 {
				b, more = n, u
			}
		}
		if b < 0 {
			continue
		}
		score := strconv.Itoa(a) + "x" + strconv.Itoa(b)
		end := j + more
		raw = slices.Replace(raw, i, end, score)
		words = slices.Replace(words, i, end, score)
	}
	return raw, words
}
