package match

import (
	"slices"
	"strconv"
	"strings"
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
	// Sets in volleyball: بثلاثة أشواط مقابل شوط.
	"شوط": 1, "شوطين": 2,
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
	if i+1 < len(raw) && (raw[i+1] == "اهداف" || raw[i+1] == "اشواط") {
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

// loseWords tell a result from the loser's side, as Normalize writes
// them: "Astros fall 7-2 to Yankees", "England lose to Australia",
// الأرجنتين تخسر أمام السعودية, خسارة العراق أمام كوريا.
var loseWords = map[string]bool{
	"lose": true, "loses": true, "lost": true, "fall": true, "falls": true, "fell": true,
	"suffer": true, "suffers": true, "suffered": true,
	"يخسر": true, "تخسر": true, "خساره": true, "هزيمه": true, "يسقط": true, "تسقط": true, "سقوط": true,
}

// lossWords may stand between a loser's verb and "to".
var lossWords = map[string]bool{"defeat": true, "loss": true, "heavy": true, "narrow": true, "shock": true, "home": true, "away": true, "heavily": true, "narrowly": true}

// loserFirst rewrites a result told from the loser's side as the winner
// tells it: "X lose(s) [score] to Y …" is "Y beat X [score] …", خسارة X
// أمام Y "Y يهزم X". The loser must open the headline (or follow the act
// told as a noun), the winner be one to three words before the next
// break; fall counts only before a score ("fall 7-2 to"), as prices
// fall to a low.
func loserFirst(raw, words []string) ([]string, []string) {
	for i := 0; i < len(raw) && i < 5; i++ {
		if !loseWords[raw[i]] {
			continue
		}
		arabic := !isASCIIWord(raw[i])
		to, beat := "to", "beat"
		if arabic {
			to, beat = "امام", "يهزم"
		}
		k := slices.Index(raw[i+1:min(len(raw), i+6)], to)
		if k < 0 {
			return raw, words
		}
		k += i + 1
		var loser, score []string
		if i == 0 {
			if !arabic {
				return raw, words
			}
			loser = raw[1:k]
		} else {
			loser = raw[:i]
			// Between the verb and "to": a score, and what is
			// suffered ("suffer 40-10 defeat to", "lose heavily to").
			for _, w := range raw[i+1 : k] {
				switch {
				case isScoreline(w):
					score = []string{w}
				case !lossWords[w]:
					return raw, words
				}
			}
			if strings.HasPrefix(raw[i], "suffer") && !slices.ContainsFunc(raw[i+1:k], func(w string) bool { return w == "defeat" || w == "loss" }) {
				return raw, words
			}
		}
		if n := len(loser); n > 0 && isScoreline(loser[n-1]) {
			loser, score = loser[:n-1], loser[n-1:]
		}
		falls := raw[i] == "fall" || raw[i] == "falls" || raw[i] == "fell"
		if len(loser) == 0 || len(loser) > 4 || falls && len(score) == 0 {
			return raw, words
		}
		// The winner: up to the next stop word, figure or break.
		e := k + 1
		for e < len(raw) && e < k+4 && !isStop(raw[e]) && !hasDigit(raw[e]) && !clauseStarts[raw[e]] && !prepositions[raw[e]] && !agencyWords[raw[e]] {
			e++
		}
		if e == k+1 {
			return raw, words
		}
		rest := raw[e:]
		if len(score) == 0 && len(rest) > 0 && isScoreline(rest[0]) {
			// The loser's score first ("يخسر أمام الاتحاد 70-77"):
			// the winner's sentence says it the winner's way.
			score, rest = []string{winnerFirst(rest[0])}, rest[1:]
		}
		nr := slices.Concat(raw[k+1:e], []string{beat}, loser, score, rest)
		return nr, stems(nr)
	}
	return raw, words
}

// scoreFirst rewrites a result written as a box score, "X 2 Y 1", "X
// 1-4 Y", الترجي 2 النجم الساحلي 0, as the winner's sentence: "Y beat X
// 4x1"; a draw as "X draw Y 1x1". The names must open the headline, one
// to three words each with no verb or stop word among them, and the
// scores be at most two digits, with the end or a place after them.
func (m *Matcher) scoreFirst(raw, words []string) ([]string, []string) {
	name := func(from, to int) bool {
		if to <= from || to-from > 3 {
			return false
		}
		for _, w := range raw[from:to] {
			// Clubs named like verbs (الترجي, Leeds United) count; an
			// Arabic verb or act told as a noun (مصرع 2 وإصابة 12) does
			// not.
			if hasDigit(w) || isStop(w) || !isASCIIWord(w) && namesLikeVerbs[w] == "" && (arabicPresent(w) || isVerb(m.canonicalWord(Stem(w)))) {
				return false
			}
		}
		return true
	}
	small := func(w string) (int, bool) {
		if len(w) > 2 || !allDigits(w) {
			return 0, false
		}
		n, _ := strconv.Atoi(w)
		return n, true
	}
	for s := 1; s <= 3 && s < len(raw); s++ {
		if !name(0, s) {
			continue
		}
		if a, b, ok := scoreParts(raw[s]); ok && isScoreline(raw[s]) {
			// X 1-4 Y
			e := s + 1
			for e < len(raw) && e < s+4 && name(s+1, e+1) {
				e++
			}
			if e == s+1 {
				return raw, words
			}
			if e < len(raw) && !isStop(raw[e]) && !prepositions[raw[e]] {
				return raw, words
			}
			return boxScore(raw, raw[:s], raw[s+1:e], a, b, e)
		}
		n, ok := small(raw[s])
		if !ok {
			continue
		}
		// X 2 Y 1
		for t := s + 2; t < len(raw) && t <= s+4; t++ {
			m, ok := small(raw[t])
			if !ok {
				continue
			}
			if !name(s+1, t) || t+1 < len(raw) && !isStop(raw[t+1]) && !prepositions[raw[t+1]] {
				return raw, words
			}
			return boxScore(raw, raw[:s], raw[s+1:t], n, m, t+1)
		}
		return raw, words
	}
	return raw, words
}

// boxScore writes the winner's sentence for scoreFirst: names x and y
// scored a and b, and raw[rest:] follows.
func boxScore(raw, x, y []string, a, b, rest int) ([]string, []string) {
	arabic := !isASCIIWord(x[0])
	verb := "beat"
	switch {
	case a == b && arabic:
		verb = "يتعادل"
	case a == b:
		verb = "draw"
	case arabic:
		verb = "يهزم"
	}
	if b > a {
		x, y, a, b = y, x, b, a
	}
	nr := slices.Concat(x, []string{verb}, y, []string{strconv.Itoa(a) + "x" + strconv.Itoa(b)}, raw[rest:])
	return nr, stems(nr)
}

// stems is the pipeline's stemmed view of words a rewrite has put in a
// new order.
func stems(words []string) []string {
	out := make([]string, len(words))
	for j, w := range words {
		out[j] = Stem(w)
	}
	return out
}

// scoreParts returns the two scores of a scoreline token ("4x1").
func scoreParts(t string) (a, b int, ok bool) {
	x := strings.IndexByte(t, 'x')
	if x <= 0 {
		return 0, 0, false
	}
	a, errA := strconv.Atoi(t[:x])
	b, errB := strconv.Atoi(t[x+1:])
	return a, b, errA == nil && errB == nil
}

// winnerFirst writes a scoreline token with the larger score first.
func winnerFirst(t string) string {
	a, b, ok := scoreParts(t)
	if !ok || a >= b {
		return t
	}
	return strconv.Itoa(b) + "x" + strconv.Itoa(a)
}
