package match

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// qualifiers are words that make the subject another one (see
// qualifiers.txt, which says why each is there): Brazil's U-20 side is
// not Brazil. A headline that has one and a headline that has none are
// never the same story. Canonical forms (u21 is how prepNumbers writes
// U-21).
var qualifiers = func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(qualifiersText, "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		for _, w := range strings.Fields(line) {
			set[w] = true
		}
	}
	return set
}()

//go:embed qualifiers.txt
var qualifiersText string

// isQualifier reports whether t is a qualifier: listed, or an age
// category such as u21.
func isQualifier(t string) bool {
	if qualifiers[t] {
		return true
	}
	return len(t) >= 2 && len(t) <= 3 && t[0] == 'u' && isASCIIDigit(t[1]) && isASCIIDigit(t[len(t)-1])
}

// cutKinds splits the kind marks (see markKind), which Canonical puts
// last, from toks: they take no part in pairing or in the rules that
// read marks by place, only in oneSidedKind.
func cutKinds(toks []string) (rest, kinds []string) {
	n := len(toks)
	for n > 0 && strings.HasPrefix(toks[n-1], markKind) {
		n--
	}
	return toks[:n], toks[n:]
}

// oneSidedKind reports whether a kind mark of one side names a word the
// other side has not, as is or spelled near it: a qualifier on one side.
// A word both have qualifies neither, wherever the other put it
// (السيسي after a title on one side and first on the other).
func oneSidedKind(kinds, other []string) bool {
	for _, k := range kinds {
		w := k[len(markKind):]
		if !slices.ContainsFunc(other, func(u string) bool { return u == w || nearToken(w, u) }) {
			return true
		}
	}
	return false
}

// symmetric are canonical verbs whose two sides may swap without changing
// the story: a meets b is b meets a; a draws with b is b draws with a.
var symmetric = map[string]bool{
	"meet": true, "يلتقي": true, "draw": true, "draws": true, "drew": true,
	"tie": true, "ties": true, "يتعادل": true, "تعادل": true, "تتعادل": true,
	"vs": true, "v": true, "versus": true, "against": true, "ضد": true,
	"مقابل": true, "between": true, "بين": true,
}

// Score returns how alike two headlines' canonical tokens (as Canonical
// returns them, in order) are, from 0 to 1: the weighted score of
// Similarity, in which a token of one side also matches a token of the
// other that is the same word with an Arabic preposition glued on (بغزه,
// غزه) or, for words of five letters or more without digits, a spelling
// one edit away (بلينكن, بلنكن), and then three rules of meaning that
// make the score 0:
//
//   - a verbal negation on one side only (see Similarity);
//   - a qualifier on one side only: youth, reserves, women, U-21,
//     للناشئين, غير … (see qualifiers), an Arabic relational
//     adjective that says which of its kind a noun is, العسكرية,
//     الاتحادية (see kindAdjective), or a unit named after its owner's
//     possessive, Amazon's Ring (see markPossessed): kind marks, which
//     a word both sides have cancels;
//   - roles swapped: two shared tokens stand in one order in a and the
//     other in b, with a shared verb between them in both ("A sues B" /
//     "B sues A"), unless that verb is symmetric (meets, draws). A phrase
//     moved whole ("In Gaza, X" / "X in Gaza") has no token between, a
//     phrase rearranged ("quake of magnitude 6.1" / "6.1 magnitude
//     quake") no verb, and coordinated names ("A and B") neither. What
//     counts as a verb is isVerb's: verbs.txt, English participles, the
//     Arabic present tense, scorelines ("A 2-1 B").
//
// Scorelines are one token each ("3x0"), so 3-0 and 0-3 differ as numbers
// do. Score is symmetric, does not allocate for headlines of up to 32
// tokens, and is safe for concurrent use.
func Score(a, b []string) float64 {
	s, _ := score(a, b, nil)
	return s
}

// pairing is how score matched tokens: for each token of a, the index of
// its partner in b or -1.
type pairing struct {
	ab    [maxTokens]int8
	ba    [maxTokens]int8
	fuzzy [maxTokens]bool // a's token matched by a near spelling or preposition
}

// maxNear is the most tokens Score pairs as near spellings or with a
// glued preposition in one pair of headlines. Two tellings of one story
// spell a name or two their own way, not every word; the bound is what
// lets ScorePrefilter rule candidates out without scoring them.
const maxNear = 2

// ScorePrefilter prepares the canonical tokens a for a quick test against
// many stored candidates before Score, as Prefilter does for Similarity:
// the test gets a candidate's tokens joined by separators and answers
// false only when Score(a, candidate) < threshold. Score is at most S/W,
// with W the weight of a's tokens and S the weight a shares; a token
// shared exactly occurs in joined, and at most maxNear more, of weight
// one each, are shared as near spellings. A candidate sharing only the
// common words of a headline is ruled out after a few substring searches.
// The test does not allocate and is safe for concurrent use.
//
// A headline that is a without the doer a names before its verb scores 1
// (see doerPrefix), but only when it holds every other token of a exactly:
// all but two, of weight one, which the bound lets through at any
// threshold, since a doer and its verb make near two.
func ScorePrefilter(a []string, threshold float64) func(joined string) bool {
	p := newProbe(a)
	need := p.scoreNeed(threshold)
	return func(joined string) bool { return p.reaches(joined, need) }
}

// scoreNeed is the weight of a's tokens a candidate must hold exactly for
// Score to reach threshold: all of it but what near spellings, related
// words and a compound may add (see ScorePrefilter).
func (p *probe) scoreNeed(threshold float64) float64 {
	near := 0
	for _, w := range p.weight {
		if w == 1 {
			near++
		}
	}
	near = min(near, maxNear)
	for _, t := range p.tokens {
		if compoundWord(t) {
			// A compound may be shared as two (see compoundAt).
			near = maxNear
			break
		}
	}
	return threshold*float64(p.total) - 1e-9 - float64(near)
}

// TokenMask sums canonical tokens up in 64 bits, one bit a token chosen by
// a hash of it. A store keeps a headline's mask beside its tokens, and
// ScoreMaskFilter tests a candidate's mask before anything else: a token
// whose bit is not set is not among the candidate's tokens.
func TokenMask(tokens []string) uint64 {
	var m uint64
	for _, t := range tokens[:min(len(tokens), maxTokens)] {
		if !isMark(t) {
			m |= tokenBit(t)
		}
	}
	return m
}

// tokenBit is t's bit in a TokenMask (FNV-1a, low six bits).
func tokenBit(t string) uint64 {
	h := uint32(2166136261)
	for i := 0; i < len(t); i++ {
		h ^= uint32(t[i])
		h *= 16777619
	}
	return 1 << (h & 63)
}

// ScoreMaskFilter is ScorePrefilter on a candidate's TokenMask: the test
// answers false only when Score(a, candidate) < threshold, under the same
// bound, counting as held each of a's tokens whose bit the mask has. It
// costs a few nanoseconds, against a few substring searches: a candidate
// that shares one or two common words with a has most of a's bits unset
// (eight tokens set about eight bits of 64), so nearly all of those are
// ruled out before their tokens are read. Safe for concurrent use.
func ScoreMaskFilter(a []string, threshold float64) func(mask uint64) bool {
	p := newProbe(a)
	need := p.scoreNeed(threshold)
	bits := make([]uint64, len(p.tokens))
	for i, t := range p.tokens {
		bits[i] = tokenBit(t)
	}
	return func(mask uint64) bool {
		found, left := 0, p.total
		for i, b := range bits {
			left -= p.weight[i]
			if mask&b != 0 {
				found += p.weight[i]
			} else if float64(found+left) < need {
				return false
			}
		}
		return float64(found) >= need
	}
}

// Rule names, for Explain.
const (
	ruleNone         = ""
	ruleNegation     = "negation on one side"
	ruleStance       = "one side for, the other against"
	ruleQualifier    = "qualifier on one side"
	ruleRoles        = "roles swapped around the verb"
	ruleSubject      = "a name moved past the verb and another took its place"
	ruleDoer         = "a doer one side names and the other leaves out, not counted"
	ruleCountry      = "a country one side starts with and the other leaves out, not counted"
	ruleGiven        = "given names one side writes before a name and the other leaves out, not counted"
	ruleAct          = "one side's act undoes what both report"
	ruleStage        = "one side's own verb governs the act both report"
	ruleOffice       = "a title both share, of another portfolio"
	ruleKind         = "another kind of place or another day"
	rulePatient      = "who an act befell on one side is who did it, or who it did not befall, on the other"
	ruleParticle     = "a particle is all that differs"
	ruleIntroduction = "a title one side puts before a name and the other leaves out, not counted"
	ruleScore        = "a score one side has and the other, which has scores, has not"
)

// maxIntroduction is the most tokens of a title (and the country it is
// of) that one side may put before a name the other starts with: as many
// as ScorePrefilter's bound lets through at any threshold (see
// doerPrefix). Longer introductions are dropTitles' to read.
const maxIntroduction = maxNear

// introductionOnly reports whether the tokens of toks left unpaired are
// the first ones, start with a title, and a paired name and then a verb
// follow them: "رئيس الوزراء العراقي محمد شياع السوداني يفتتح" and
// "محمد شياع السوداني يفتتح", "الأمين العام لحلف الناتو ينس ستولتنبرغ
// يزور" and "ستولتنبرغ يزور". Such titles dropTitles leaves, where the
// name is one it cannot tell from the body the title is of. The other
// headline names the man alone, and every other token is shared.
func introductionOnly(toks []string, partner []int8) bool {
	if len(toks) == 0 || partner[0] >= 0 || !titleSet()[toks[0]] {
		return false
	}
	k := 0
	for k < len(toks) && partner[k] < 0 {
		if isVerb(toks[k]) || isQualifier(toks[k]) {
			return false
		}
		k++
	}
	// A name, then the verb, all paired.
	name := k
	for k < len(toks) && partner[k] >= 0 && !isVerb(toks[k]) && !isMark(toks[k]) {
		k++
	}
	if k == name || k == len(toks) || k-name > 3 || !isVerb(toks[k]) {
		return false
	}
	for ; k < len(toks); k++ {
		if partner[k] < 0 {
			return false
		}
	}
	return true
}

// scoreOfItsOwn reports whether a has a scoreline left unpaired while b
// has scorelines too: "Sinner beats Rune 6-4 6-2 6-3" / "6-4 6-7 6-3
// 6-2" are two matches. A score one side leaves out is detail.
func scoreOfItsOwn(a []string, ab []int8, b []string) bool {
	for i, t := range a {
		if ab[i] < 0 && isScoreline(t) {
			return slices.ContainsFunc(b, isScoreline)
		}
	}
	return false
}

// particles turn a state into its opposite where the other side has the
// plain word or none (in, on and over are stop words): "Kane in squad" /
// "Kane out of squad", "hikes on the table" / "off the table", "turnout
// over 75%" / "under 75%", "with" / "without". As the pipeline writes
// them ("above" is abov; "down" is read as shooting down).
var particles = map[string]bool{"out": true, "off": true, "under": true, "up": true, "below": true, "abov": true, "without": true,
	// Acts that undo what both name, where the other side declares,
	// announces or says it (fillers): "WHO ends mpox emergency" /
	// "WHO declares mpox emergency".
	"close": true, "lift": true, "cancel": true, "withdraw": true, "revers": true,
}

// particleOnly reports whether the one token of toks left unpaired is a
// particle (see particles).
func particleOnly(toks []string, partner []int8) bool {
	for i, t := range toks {
		if partner[i] < 0 && weight(t) > 0 {
			// After a verb and before a name it is the verb's ("sinks
			// off Lampedusa", "pull survivors out of rubble"), which
			// the other side may say otherwise; before a clause it is
			// the state ("talks off after vote").
			return particles[t] && (i == 0 || !isVerb(toks[i-1]) || i+1 == len(toks) || clauseStarts[toks[i+1]])
		}
	}
	return false
}

// score is Score; with p non-nil it also fills p and reports which rule
// decided.
func score(a, b []string, p *pairing) (float64, string) {
	a, b = a[:min(len(a), maxTokens)], b[:min(len(b), maxTokens)]
	a, ka := cutKinds(a)
	b, kb := cutKinds(b)
	if p != nil {
		for i := len(a); i < len(a)+len(ka); i++ {
			p.ab[i] = -1
		}
		for j := len(b); j < len(b)+len(kb); j++ {
			p.ba[j] = -1
		}
	}
	if len(a) == 0 || len(b) == 0 {
		return 0, ruleNone
	}
	if oneSidedKind(ka, b) || oneSidedKind(kb, a) {
		return 0, ruleQualifier
	}
	if negated(a) != negated(b) {
		return 0, ruleNegation
	}
	if opposedStances(a, b) {
		return 0, ruleStance
	}
	if p == nil && lessTokens(b, a) {
		// Near matches are paired greedily, so one order is fixed for
		// the score to be symmetric.
		a, b = b, a
	}
	var local pairing
	if p == nil {
		p = &local
	}
	for i := range a {
		p.ab[i] = -1
	}
	for j := range b {
		p.ba[j] = -1
	}
	// Exact matches first, then near ones among what is left, so that a
	// near spelling never takes a token its exact twin needs.
	for i, t := range a {
		if isMark(t) {
			// Marks say where roles end; the rules read them by
			// place, and a pairing of them would move names.
			continue
		}
		for j, u := range b {
			if p.ba[j] < 0 && t == u {
				p.ab[i], p.ba[j] = int8(j), int8(i)
				break
			}
		}
	}
	near := 0
	for i, t := range a {
		if p.ab[i] >= 0 || near >= maxNear || isMark(t) {
			continue
		}
		for j, u := range b {
			if p.ba[j] < 0 && nearToken(t, u) {
				p.ab[i], p.ba[j] = int8(j), int8(i)
				p.fuzzy[i] = true
				near++
				break
			}
		}
	}
	// A compound written closed on one side and open on the other
	// (schoolchildren, school children; frontline, front line) takes the
	// whole near budget, and weighs two as its open form does.
	single := -1
	if near == 0 {
		if i, j, ok := compoundAt(a, b, p.ab[:len(a)], p.ba[:len(b)]); ok {
			p.ab[i], p.ba[j], p.ba[j+1] = int8(j), int8(i), int8(i)
			p.fuzzy[i] = true
			single, near = i, maxNear
		} else if j, i, ok := compoundAt(b, a, p.ba[:len(b)], p.ab[:len(a)]); ok {
			p.ba[j], p.ab[i], p.ab[i+1] = int8(i), int8(j), int8(j)
			p.fuzzy[i], p.fuzzy[i+1] = true, true
			near = maxNear
		}
	}
	var shared, onlyA, onlyB int
	for i, t := range a {
		if p.ab[i] >= 0 {
			shared += weight(t)
			if i == single {
				shared++
			}
		} else {
			if isQualifier(t) {
				return 0, ruleQualifier
			}
			onlyA += weight(t)
		}
	}
	for j, u := range b {
		if p.ba[j] < 0 {
			if isQualifier(u) {
				return 0, ruleQualifier
			}
			onlyB += weight(u)
		}
	}
	if shared == 0 {
		return 0, ruleNone
	}
	if onlyA+onlyB == 1 && (particleOnly(a, p.ab[:len(a)]) || particleOnly(b, p.ba[:len(b)])) {
		return 0, ruleParticle
	}
	if scoreOfItsOwn(a, p.ab[:len(a)], b) || scoreOfItsOwn(b, p.ba[:len(b)], a) {
		return 0, ruleScore
	}
	if rolesSwapped(a, b, p) {
		return 0, ruleRoles
	}
	if actGoverned(a, b, p.ab[:len(a)]) || actGoverned(b, a, p.ba[:len(b)]) {
		return 0, ruleStage
	}
	if anotherOffice(a, b, p.ab[:len(a)], p.ba[:len(b)]) {
		return 0, ruleOffice
	}
	if oppositesSwapped(a, p.ab[:len(a)], len(b)) {
		return 0, ruleRoles
	}
	if patientIsDoer(a, b, p.ab[:len(a)]) || patientIsDoer(b, a, p.ba[:len(b)]) || patientsSwapped(a, b, p.ab[:len(a)], p.ba[:len(b)]) {
		return 0, rulePatient
	}
	if marksSwapped(a, b, p.ab[:len(a)]) || transposed(a, p.ab[:len(a)]) {
		return 0, ruleRoles
	}
	if kindsClash(a, b) || countrysideAlone(a, b) || countrysideAlone(b, a) || todayClash(a, b, p.ba[:len(b)]) || todayClash(b, a, p.ab[:len(a)]) {
		return 0, ruleKind
	}
	if subjectChanged(a, b, p.ab[:len(a)], p.ba[:len(b)]) || subjectChanged(b, a, p.ba[:len(b)], p.ab[:len(a)]) {
		return 0, ruleSubject
	}
	// A side's act can undo the other's only if it is its own.
	if onlyA > 0 && actReversed(a, b, p.ab[:len(a)]) || onlyB > 0 && actReversed(b, a, p.ba[:len(b)]) {
		return 0, ruleAct
	}
	// The doer rule only where every other token is shared exactly (no
	// near pair, no compound): such a candidate holds all of a's tokens
	// but two, which ScorePrefilter's bound lets through as it is.
	switch {
	case near > 0:
	case onlyB == 0 && onlyA > 0 && doerPrefix(a, p.ab[:len(a)]) == onlyA,
		onlyA == 0 && onlyB > 0 && doerPrefix(b, p.ba[:len(b)]) == onlyB,
		onlyB == 0 && onlyA > 0 && shared >= minSaid && !slices.Contains(b, markSaid) && saidSuffix(a, p.ab[:len(a)]) == onlyA,
		onlyA == 0 && onlyB > 0 && shared >= minSaid && !slices.Contains(a, markSaid) && saidSuffix(b, p.ba[:len(b)]) == onlyB:
		return 1, ruleDoer
	case onlyB == 0 && onlyA == 1 && leadingCountry(a, p.ab[:len(a)]),
		onlyA == 0 && onlyB == 1 && leadingCountry(b, p.ba[:len(b)]):
		return 1, ruleCountry
	case onlyB == 0 && onlyA <= maxGiven && givenNamesOnly(a, p.ab[:len(a)]),
		onlyA == 0 && onlyB <= maxGiven && givenNamesOnly(b, p.ba[:len(b)]):
		return 1, ruleGiven
	case onlyB == 0 && onlyA <= maxIntroduction && introductionOnly(a, p.ab[:len(a)]),
		onlyA == 0 && onlyB <= maxIntroduction && introductionOnly(b, p.ba[:len(b)]):
		return 1, ruleIntroduction
	}
	return float64(shared) / float64(shared+onlyA+onlyB+2*min(onlyA, onlyB)), ruleNone
}

// firstVerb returns the index of the first verb of toks that is not
// symmetric (the act the headline reports), or -1.
func firstVerb(toks []string) int {
	for i, t := range toks[:min(len(toks), maxOrder)] {
		if isVerb(t) && !symmetric[t] {
			return i
		}
	}
	return -1
}

// actReversed reports whether the act a reports (its first verb) is not
// in b and is the opposite of an act both share: "Venezuela releases 110
// detained protesters" / "Venezuela detains 110 protesters", "UAE frees 43
// jailed for terrorism" / "UAE jails 43". Every word is shared but the
// act, and the act undoes what b reports.
func actReversed(a, b []string, ab []int8) bool {
	i := firstVerb(a)
	if i < 0 || ab[i] >= 0 {
		return false
	}
	for k, t := range a {
		if ab[k] >= 0 && opposite(a[i], t) {
			return true
		}
	}
	return false
}

// opposite reports whether canonical acts t and u undo each other (see
// oppositePairs and oppositeOneWay).
func opposite(t, u string) bool {
	return slices.Contains(oppositeTo[t], u)
}

// oppositePairs are acts that undo each other, each pair written once and
// read both ways.
var oppositePairs = [][2]string{
	{"release", "arrest"}, {"release", "sentence"}, {"release", "يعتقل"}, {"release", "يسجن"},
	{"يفرج", "arrest"}, {"يفرج", "sentence"}, {"يفرج", "يعتقل"}, {"يفرج", "يسجن"},
	{"open", "close"}, {"open", "يغلق"}, {"يفتح", "close"}, {"يفتح", "يغلق"},
	{"lift", "impose"},
	{"rise", "fall"}, {"يرتفع", "ينخفض"},
}

// oppositeOneWay are acts that undo the other only one way round.
var oppositeOneWay = [][2]string{
	// اندلاع حريق، إخماد حريق: a fire put out is news of its own.
	{"يخمد", "حريق"},
	// يصد هجوما is no attack launched.
	{"يتصدي", "يهاجم"}, {"يتصدي", "attack"}, {"repel", "يهاجم"}, {"repel", "attack"},
}

// oppositeTo holds oppositePairs both ways and oppositeOneWay as written.
var oppositeTo = func() map[string][]string {
	m := map[string][]string{}
	for _, p := range oppositePairs {
		m[p[0]] = append(m[p[0]], p[1])
		m[p[1]] = append(m[p[1]], p[0])
	}
	for _, p := range oppositeOneWay {
		m[p[0]] = append(m[p[0]], p[1])
	}
	return m
}()

// oppositesSwapped reports whether two acts both tell, opposite to each
// other, stand in one order in a and the other in b: "gold falls as
// yields rise" / "gold rises as yields fall". ab is the pairing.
func oppositesSwapped(a []string, ab []int8, lenB int) bool {
	for i := 0; i < len(a) && i < maxOrder; i++ {
		if ab[i] < 0 || oppositeTo[a[i]] == nil {
			continue // most tokens have no opposite: one lookup each
		}
		for j := i + 1; j < len(a) && j < maxOrder; j++ {
			// The verb of a passive or of an act told as a noun is put
			// last (see tokens), whatever its place in the headline: a
			// swap that puts one side's act last and not the other's is
			// that move ("تراجع الذهب مع صعود الدولار" / "الذهب ...
			// انخفاض"), not a swap.
			if ab[j] >= 0 && ab[j] < ab[i] && opposite(a[i], a[j]) && (j == len(a)-1) == (int(ab[i]) == lenB-1) &&
				!(i > 0 && j-1 > i && ab[i-1] >= 0 && ab[j-1] >= 0 && ab[i-1] > ab[j-1]) {
				// (Unless what stands before each act moved with it:
				// "Gold climbs as dollar weakens" / "As dollar weakens,
				// gold climbs" is a clause moved.)
				return true
			}
		}
	}
	return false
}

// leadingCountry reports whether toks starts with a country, unpaired,
// before at least two more tokens: "Sudan's Rapid Support Forces shell El
// Fasher" and "RSF shells El Fasher", "السودان: الدعم السريع تسيطر" and
// "الدعم السريع تسيطر". Where every other token is shared exactly, the
// headline without it contradicts nothing, as with a doer (doerPrefix).
func leadingCountry(toks []string, partner []int8) bool {
	// Not one of two countries ("US, Iran hold talks"): the other
	// headline may tell of the second alone.
	if partner[0] >= 0 || weight(toks[0]) != 1 || !countryTokens()[toks[0]] {
		return false
	}
	// Marks are no words: count the others, and read the next one.
	n, next := 0, ""
	for _, t := range toks {
		if isMark(t) {
			continue
		}
		if n == 1 {
			next = t
		}
		n++
	}
	return n >= 3 && !countryTokens()[next]
}

// maxGiven is the most given names one side may add before a shared
// family name: "Recep Tayyip Erdogan", "رجب طيب أردوغان".
const maxGiven = 2

// givenNamesOnly reports whether the tokens of toks left unpaired are
// given names (see givenNames), each in a run that a paired token other
// than a verb ends: "Emmanuel Macron visits Kyiv" and "Macron visits
// Kyiv", "قيس سعيد يقيل" and "سعيد يقيل". Where every other token is
// shared exactly, the headline without them names the same man.
func givenNamesOnly(toks []string, partner []int8) bool {
	some := false
	for i, t := range toks {
		if partner[i] >= 0 || isMark(t) {
			continue
		}
		if !givenNames()[t] {
			return false
		}
		j := i + 1
		for j < len(toks) && partner[j] < 0 && givenNames()[toks[j]] || j < len(toks) && isMark(toks[j]) {
			j++
		}
		if j == len(toks) || partner[j] < 0 || isVerb(toks[j]) {
			return false
		}
		some = true
	}
	return some
}

// actGoverned reports whether a has a verb of its own that puts off,
// promises, refuses or stops (stageVerbs) right before what both share:
// "delays opening" / "opens", "vows to strike" / "strikes", يؤجل جلسة /
// يعقد جلسة. The act one reports is planned, put off or refused in the
// other.
func actGoverned(a, b []string, ab []int8) bool {
	for i := 0; i+1 < len(a) && i+1 < maxOrder; i++ {
		if ab[i] < 0 && ab[i+1] >= 0 && stageVerbs()[a[i]] {
			return true
		}
	}
	return false
}

// anotherOffice reports whether a title both share is followed on each
// side by a word of its own, one the other side has nowhere: وزير
// الاقتصاد and وزير الطاقة, "minister of economy" and "minister of
// energy", two offices. ab and ba are the pairing.
func anotherOffice(a, b []string, ab, ba []int8) bool {
	for i := 0; i+1 < len(a) && i < maxOrder; i++ {
		j := int(ab[i])
		if j < 0 || j+1 >= len(b) || !titleSet()[a[i]] {
			continue
		}
		x, y := a[i+1], b[j+1]
		if isMark(x) || isMark(y) {
			continue
		}
		if (ab[i+1] < 0 || ba[j+1] < 0) && x != y && !isVerb(x) && !isVerb(y) && !titleSet()[x] && !titleSet()[y] && !nearToken(x, y) {
			return true
		}
	}
	return false
}

// stageVerbs are verbs that put another act off, promise, try, refuse or
// stop it (see actGoverned), as the pipeline writes them. Only these: a
// verb of telling before the act ("reveals", يتبنى, "imposes sanctions")
// tells the same act.
var stageVerbs = sync.OnceValue(func() map[string]bool {
	m := Default()
	set := map[string]bool{}
	for _, w := range strings.Fields(`delays postpones defers pledges vows promises fails tries
refuses rejects prepares cancels scraps suspends halts stops resumes discusses studies proposes appeals extends
يقترح يمدد تمديد
يؤجل يرجئ يتعهد يفشل يحاول يرفض يستعد يلغي يعلق يوقف يستانف يبحث يدرس تعليق تأجيل إلغاء إرجاء`) {
		set[m.normalizedForm(Normalize(w))] = true
	}
	return set
})

// maxDoer is the most tokens a doer that one side leaves out may have
// (الاحتلال is جيش اسراييل).
const maxDoer = 2

// doerPrefix returns how many tokens (one or two) stand before the first
// verb of toks as its doer, unpaired, the verb paired (partner is the
// pairing: the index of each token's partner, or -1), or 0.
//
// Two headlines that differ only by such a doer are one story (Score
// gives 1): wires leave the doer out ("اعتقال 15 فلسطينيا", "14
// arrested in Paris") where others name it ("الاحتلال يعتقل 15
// فلسطينيا", "Police detain 14 in Paris"), and a headline that names no
// doer contradicts none. A headline that names another doer, or another
// place or count, has a token of its own; with one word more on either
// side the pair is scored as any other.
func doerPrefix(toks []string, partner []int8) int {
	doer := 0
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if isMark(t) {
			continue // ~doer after a passive's doer
		}
		if isVerb(t) && !symmetric[t] {
			if doer == 0 || partner[k] < 0 {
				return 0
			}
			return doer
		}
		if doer == maxDoer || weight(t) != 1 || partner[k] >= 0 {
			return 0
		}
		doer++
	}
	return 0
}

// minSaid is the least weight two headlines share for a speaker one
// names and the other leaves out not to count: "Egypt says Gaza …" is no
// telling of a headline that says only "Gaza".
const minSaid = 3

// saidSuffix returns how many tokens stand after markSaid, the speaker
// put after what is said, all unpaired, or 0: "الحرس الوطني: غرق قارب"
// and "غرق قارب" tell one story, as a doer left out does (see
// doerPrefix). Only where the other side names no speaker: one that
// names another tells who said what.
func saidSuffix(toks []string, partner []int8) int {
	k := slices.Index(toks, markSaid)
	if k < 0 || len(toks)-k-1 > maxDoer {
		// No more than a doer: ScorePrefilter's bound lets two through.
		return 0
	}
	for i := k + 1; i < len(toks); i++ {
		if weight(toks[i]) != 1 || partner[i] >= 0 {
			return 0
		}
	}
	return len(toks) - k - 1
}

// compoundAt finds a token x[i] of x that is the two adjacent tokens
// y[j], y[j+1] of y written as one word, all three unpaired (see
// compound); partners are each side's pairing.
func compoundAt(x, y []string, xPartner, yPartner []int8) (i, j int, ok bool) {
	for i, t := range x {
		if xPartner[i] >= 0 || !compoundWord(t) {
			continue
		}
		for j := 0; j+1 < len(y); j++ {
			if yPartner[j] < 0 && yPartner[j+1] < 0 && compound(t, y[j], y[j+1]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// compound reports whether t is u and v written as one word, as the
// pipeline writes each (the joined word loses a final e as englishBase
// takes it off: frontline is frontlin; an Arabic one keeps the article
// Stem takes off the second word: ديرالبلح is دير and بلح).
func compound(t, u, v string) bool {
	if len(u) < 3 || len(v) < 3 || !strings.HasPrefix(t, u) {
		return false
	}
	rest := t[len(u):]
	if t[0] >= utf8.RuneSelf {
		return arabicCompoundStarts[u] && (rest == v || rest == "ال"+v)
	}
	return len(u)+len(v) >= len(t) && (rest == v || rest+"e" == v)
}

// arabicCompoundStarts are the first words of the Arabic names of places
// and people that wires write as one word or two: خان يونس, خانيونس; دير
// البلح; بيت لحم; أبو ظبي. Only these: two Arabic words that happen to
// spell a third are no compound.
var arabicCompoundStarts = map[string]bool{
	"خان": true, "دير": true, "بيت": true, "ابو": true, "ام": true, "عين": true, "تل": true,
	"كفر": true, "بير": true, "راس": true, "شرم": true, "جبل": true, "بني": true, "سيدي": true,
	"مزار": true, "بندر": true, "دار": true, "عبد": true, "نيو": true,
}

// compoundWord reports whether t may be a compound written as one word
// (see compound): a long English word, or an Arabic one that starts
// like an Arabic compound with at least two letters after.
func compoundWord(t string) bool {
	if len(t) < 8 {
		return false
	}
	if t[0] < utf8.RuneSelf {
		return isASCIIWord(t)
	}
	for k := 4; k <= 8 && k+4 <= len(t); k += 2 {
		if arabicCompoundStarts[t[:k]] {
			return true
		}
	}
	return false
}

// maxOrder bounds the tokens the role rule looks at: its cost is cubic,
// and a headline's roles are in its first words.
const maxOrder = 24

// rolesSwapped reports whether two shared tokens x and y stand in opposite
// orders in a and b while a shared token v that is not a symmetric verb
// stands between them in both (see Score).
func rolesSwapped(a, b []string, p *pairing) bool {
	n := min(len(a), maxOrder)
	for x := 0; x < n; x++ {
		bx := int(p.ab[x])
		if bx < 0 {
			continue
		}
		for y := x + 2; y < n; y++ {
			by := int(p.ab[y])
			if by < 0 || by >= bx {
				continue
			}
			// x before y in a, after it in b: is there a v between both?
			for v := x + 1; v < y; v++ {
				bv := int(p.ab[v])
				if bv > by && bv < bx && !symmetric[a[v]] && isVerb(a[v]) && !quantityBefore(a, v) && !quantityBefore(b, bv) {
					return true
				}
			}
		}
	}
	return false
}

// transposed reports whether two runs of shared tokens of a trade places
// in b around what stands between them, everything else keeping its
// order: "Lakers 128, Warriors 121" / "Warriors 128, Lakers 121",
// "Leclerc second, Hamilton third" / "Hamilton second, Leclerc third",
// "India all out for 46 as New Zealand take control". Each figure or
// role went to the other name. Names side by side ("Israel and Hamas" /
// "Hamas and Israel") have nothing between them, and names around a verb
// alone are rolesSwapped's, which lets a symmetric verb through ("Putin
// meets Xi" / "Xi meets Putin"). ab is a's pairing.
func transposed(a []string, ab []int8) bool {
	// The shared tokens of a as places in b, in a's order, and which
	// tokens of a they are.
	var seq, at [maxOrder]int8
	n := 0
	for i := range min(len(a), maxOrder) {
		if ab[i] >= 0 {
			seq[n], at[n] = ab[i], int8(i)
			n++
		}
	}
	// A trade of X and Y around M leaves three runs in order where b has
	// one: X ends in a fall, and so does M.
	d1, d2 := -1, -1
	for k := 0; k+1 < n; k++ {
		if seq[k] > seq[k+1] {
			switch {
			case d1 < 0:
				d1 = k
			case d2 < 0:
				d2 = k
			default:
				return false
			}
		}
	}
	if d2 < 0 {
		return false
	}
	lo, hi := seq[d1+1], seq[d2]
	xs, ye := d1, d2+1
	for xs > 0 && seq[xs-1] > hi {
		xs--
	}
	for ye+1 < n && seq[ye+1] < lo {
		ye++
	}
	const maxRun = 3
	if d1-xs >= maxRun || ye-d2-1 >= maxRun {
		return false
	}
	// Traded back, the order is whole.
	var order [maxOrder]int8
	k := copy(order[:], seq[:xs])
	k += copy(order[k:], seq[d2+1:ye+1])
	k += copy(order[k:], seq[d1+1:d2+1])
	k += copy(order[k:], seq[xs:d1+1])
	copy(order[k:], seq[ye+1:n])
	for k := 1; k < n; k++ {
		if order[k] < order[k-1] {
			return false
		}
	}
	// The two runs are of a kind, names or figures, and no verb: a
	// figure and a name that trade places are a phrase turned round
	// ("quake of magnitude 6.3" / "6.3 magnitude quake").
	kind := func(from, to int) int { // 0 mixed, 1 names, 2 figures, 3 an act
		figures := false
		for k := from; k <= to; k++ {
			switch t := a[at[k]]; {
			case isVerb(t):
				if from == to {
					return 3
				}
				return 0
			case hasDigit(t):
				figures = true
			}
		}
		if figures {
			// A figure and its unit: "3 tonnes", "200 kg".
			return 2
		}
		return 1
	}
	kx := kind(xs, d1)
	if kx == 0 || kx != kind(d2+1, ye) {
		return false
	}
	// Each stands next to what the other had: the same kind of word
	// comes before both (Labour 34%, Conservatives 25%: a name before
	// each figure) or after both (Celtics 112, Knicks 104: a figure
	// after each name; شركة تركية ... مطار جزائري). A clause moved has
	// no such likeness ("Oil rises as OPEC pauses" / "As OPEC pauses, oil
	// rises"; إجلاء 5 آلاف بسبب حريق / حريق يجبر 5000 على الإخلاء).
	if kx == 3 {
		// Two acts that trade what they befell: مقتل قيادي واعتقال
		// اثنين / اعتقال قيادي ومقتل اثنين, "Oil rises as dollar
		// falls" / "Oil falls as dollar rises".
		for k := d1 + 1; k <= d2; k++ {
			if !isVerb(a[at[k]]) {
				return true
			}
		}
		return false
	}
	alike := func(i, j int) bool {
		t, u := a[at[i]], a[at[j]]
		if kx == 2 {
			// Figures that trade places across two acts went to the
			// other act ("killing 14 and injuring 30").
			return hasDigit(t) == hasDigit(u)
		}
		// Names around verbs are rolesSwapped's.
		return !isVerb(t) && !isVerb(u) && hasDigit(t) == hasDigit(u)
	}
	// After both, the first or the last of what stands between: "Celtics
	// 112, Knicks 104", "Verstappen finishes second, Norris third".
	return xs > 0 && alike(xs-1, d2) || ye+1 < n && (alike(d1+1, ye+1) || alike(d2, ye+1))
}

// subjectChanged reports whether a shared token x stands before a shared
// token v in a and after it in b while b has a token of its own before v:
// "Iran seizes tanker" / "US seizes Iranian tanker", where Iran went from
// doer to object and another doer came in. ab and ba are the pairing
// (index of the partner or -1).
func subjectChanged(a, b []string, ab, ba []int8) bool {
	// The last token is no verb to read around: a passive's verb
	// without a doer is put there (see tokens), before the marks of
	// places and days that come last.
	n := len(a) - 1
	for n > 0 && isMark(a[n]) && markGroup(a[n]) != "" {
		n--
	}
	n = min(n, maxOrder)
	for v := 1; v < n; v++ {
		bv := int(ab[v])
		if bv < 0 || symmetric[a[v]] || !isVerb(a[v]) {
			continue
		}
		// The doer stands right before the verb: x there in a, after
		// the verb in b, and a word of b's own there instead.
		// A unit counted after a number ("1.2 million rials") stands
		// where it does for the number, not as a doer.
		if x := v - 1; int(ab[x]) > bv && bv > 0 && ba[bv-1] < 0 && weight(b[bv-1]) == 1 && !hasDigit(b[ab[x]-1]) {
			return true
		}
	}
	return false
}

// presentPrefixes are the persons of an Arabic present-tense verb: he,
// she, we.
var presentPrefixes = map[string]bool{"ي": true, "ت": true, "ن": true}

// quantityBefore reports whether toks[v] follows a percentage: a change
// of that size ("posts 15% drop in profit"), a noun, not an act whose
// sides could swap. After a bare number it may be one ("Man, 30, stabs
// 2").
func quantityBefore(toks []string, v int) bool {
	return v > 0 && toks[v-1] == "pct"
}

// nearToken reports whether t and u are related (see related) or the same
// word written two ways: one is the other with a glued Arabic preposition (ب ل ك) or conjunction
// (ف), or both are words of five letters or more, without digits, one
// edit apart (see oneEdit).
func nearToken(t, u string) bool {
	if related(t, u) {
		return true
	}
	if len(t) < len(u) {
		t, u = u, t
	}
	if verbalNoun(t, u) || brokenPlural(t, u) || moreVerbalNouns(t, u) || moreVerbalNouns(u, t) || nisbaFeminine(t, u) {
		return true
	}
	// Byte-level rejects first: Score tries every pair of tokens left
	// unmatched, and nearly all are different words. A glued preposition
	// is two bytes; one edit changes at most four.
	d := len(t) - len(u)
	if d == 0 && len(t) >= 10 && t[0] >= utf8.RuneSelf && t[2:] == u[2:] && isProclitic(t[:2]) && isProclitic(u[:2]) {
		// One word with another preposition glued on: لتمويل, بتمويل.
		return true
	}
	if d == 2 && len(u) == 4 && u[0] >= utf8.RuneSelf && t[2:] == u && isProclitic(t[:2]) {
		// A preposition glued to an Arabic word of two letters (لضم,
		// ضم: "to annex"), which cutProclitic leaves alone: only paired
		// with the bare word on the other side.
		return true
	}
	if d == 0 && (accusative(t, u) || accusative(u, t)) || d == 2 && bareAccusative(t, u) || d == 4 && pluralPossessed(t, u) {
		return true
	}
	if d <= 2 && len(u) >= 8 && t[0] >= utf8.RuneSelf && u[0] >= utf8.RuneSelf && strings.ContainsAny(t, "غجشچگزسك") && strings.ContainsAny(u, "غجشچگزسك") &&
		arabicG.Replace(t) == arabicG.Replace(u) {
		// A foreign name's g, ch or ts as Arabic wires write it: جونغ,
		// جونج; أغادير, أكادير; عراقجي, عراقتشي; ميرتس, ميرز; a
		// Persian letter.
		return true
	}
	if d > 4 || len(u) < 5 {
		return false
	}
	if d <= 2 && isASCIIWord(t) && isASCIIWord(u) && (sameTransliteration(t, u) ||
		t[0] == u[0] && t[len(t)-1] == u[len(u)-1] && len(u) >= 6 && sameConsonants(t, u) && !givenNames()[t] && !givenNames()[u]) {
		// Araghchi, Araqchi; Ghalibaf, Qalibaf (the fold is exact, so
		// the first letter may be gh); Youssef, Yousef; Hodeidah,
		// Hudaydah; Misrata, Misurata. Not given names, whose
		// consonants meet by chance (Mahmoud, Mohammed; Hassan,
		// Hussein).
		return true
	}
	if d == 2 && t[2:] == u {
		if _, ok := cutProclitic(t); ok {
			return true
		}
		if len(u) == 6 && (t[:2] == "ي" || t[:2] == "ت") && u[:2] != "ا" {
			// A verb of three letters told in the present (يرفع,
			// ترفع) and in the past or as its noun (رفع): one wire
			// writes "السعودية ترفع الأسعار", another "السعودية تعلن
			// رفع الأسعار".
			return true
		}
	}
	if d == 0 && len(t) >= 8 && t[2:] == u[2:] && t[:2] != u[:2] && presentPrefixes[t[:2]] && presentPrefixes[u[:2]] {
		// An Arabic verb told of a masculine or a feminine subject
		// (يضرب, تضرب: الزلزال, الهزة), or by the speaker (نسمح, لن
		// نسمح; تسمح).
		return true
	}
	p := 0
	for p < len(u) && t[p] == u[p] {
		p++
	}
	q := 0
	for q < len(u)-p && t[len(t)-1-q] == u[len(u)-1-q] {
		q++
	}
	if len(t)-p-q > 4 {
		return false
	}
	if hasDigit(t) || hasDigit(u) {
		return false
	}
	nt, nu := utf8.RuneCountInString(t), utf8.RuneCountInString(u)
	if nt < 5 || nu < 5 || nt-nu > 1 {
		return false
	}
	if genderPair(t, u) || genderPair(u, t) {
		return false
	}
	return oneEdit(t, u)
}

// personNouns are Arabic nouns of a person whose feminine (with ة) is
// another person: أسيرة is not أسيرا, مرابطة not مرابط. Templated wire
// headlines differ in that alone ("الاحتلال يحول أسيرا/أسيرة إلى
// الاعتقال الإداري"). A list, since a foreign name ends either way
// (بنزيمة, بنزيما). As Stem leaves them.
var personNouns = map[string]bool{
	"اسير": true, "معتقل": true, "طفل": true, "شاب": true, "مواطن": true, "مرابط": true,
	"طالب": true, "مسن": true, "ناشط": true, "مستوطن": true, "صحفي": true, "مصاب": true,
	"جريح": true, "شهيد": true, "قتيل": true, "مسعف": true, "معلم": true, "طبيب": true,
	"لاعب": true, "مدرب": true, "محامي": true, "قاضي": true, "نايب": true, "زير": true,
}

// genderPair reports whether t is the feminine (ة, written ه) of the
// person noun u or of its accusative (see personNouns).
func genderPair(t, u string) bool {
	f, ok := strings.CutSuffix(t, "ه")
	if !ok {
		return false
	}
	return personNouns[f] && (u == f || u == f+"ا")
}

// arabicG writes the letters Arabic transliterations use for a foreign
// g, ch or ts as one (see nearToken).
var arabicG = strings.NewReplacer("تش", "ج", "تس", "ز", "غ", "ج", "چ", "ج", "گ", "ج", "ك", "ج")

// related reports whether t and u are canonical tokens that name one act
// or thing in most headlines but must stay two tokens: a strike and an
// attack (merged, "Israel strikes Hamas targets" would hold one verb twice
// and lose the order that tells who struck whom), a fire and a blaze.
// Score pairs them as it pairs near spellings: within maxNear, so
// ScorePrefilter's bound holds, and as shared for the order rules.
func related(t, u string) bool {
	for _, x := range relatedTo[t] {
		if x == u {
			return true
		}
	}
	return false
}

// relatedPairs are the pairs related reports, each written once and read
// both ways (relatedTo).
var relatedPairs = [][2]string{
	{"strike", "attack"}, // "Israel strikes", "Israeli attack"
	{"attack", "raid"},
	{"يقصف", "يهاجم"},
	{"يقصف", "يضرب"},   // تضرب، تستهدف مصفاة
	{"يقصف", "يطلق"},   // تطلق صواريخ على، تقصف بالصواريخ
	{"يعتقل", "يوقف"},  // يوقف 16 شخصا: detains; elsewhere, stops
	{"يعتقل", "توقف"},  // the feminine
	{"يعتقل", "يسيطر"}, // يستولي على، يحتجز سفينة
	{"يعتقل", "يصادر"}, // يضبط مخزن أسلحة, seizes it
	{"توقف", "يعلق"},   // توقف، تعلق إصدار التأشيرات
	{"يهاجم", "يقتحم"},
	{"يهاجم", "يطلق"},  // تطلق 400 مسيرة على، تهاجم بـ400 مسيرة
	{"يهاجم", "يقمع"},  // يعتدي على، يقمع مسيرة
	{"يهاجم", "ينتقد"}, // تنتقد، تهاجم العقوبات
	{"يقتحم", "يتوغل"}, // تتوغل، تقتحم بلدة
	{"fire", "wildfire"},
	{"fire", "sack"},       // "Al Ahly fire coach": the noun's token
	{"approve", "surpass"}, // passes 2025 budget: passes is both
	{"launch", "sack"},     // fires commander: fires is both
	{"يستقبل", "يلتقي"},    // السيسي يستقبل بلينكن: they meet
	{"يستقبل", "يتسلم"},    // تستقبل، تتسلم دفعة من الجرحى
	{"receive", "meet"},
	{"يصادر", "يسيطر"}, // يصادر، يستولي على 300 دونم
	{"يرفع", "يزيد"},   // ترفع، تزيد الأسعار
	{"يرفع", "تزيد"},
	{"ترفع", "يزيد"},
	{"ترفع", "تزيد"},
	{"report", "detect"},    // Taiwan reports, detects 30 Chinese aircraft
	{"rescue", "release"},   // troops rescue or free kidnapped students
	{"envoy", "ambassador"}, // summons British envoy: its ambassador
	{"oust", "sack"},        // a court ousts or removes a PM
	{"capture", "kidnap"},   // gunmen seize passengers
	{"capture", "hijack"},   // seize, hijack a ship
	{"دراسه", "يبحث"},       // دراسة، بحث زيادة الإنتاج: considering it
	{"يفتح", "يفتتح"},       // تفتتح، تفتح المتحف: opens it
	{"يفتح", "تشغيل"},       // تشغيل، فتح معبر رفح
	{"يوقع", "يصدر"},        // يوقع، يصدر أمرا تنفيذيا: signs an order
	{"يوقع", "يقر"},         // يصادق على، يوقع قانون المالية
	{"جيش", "قوات"},         // الجيش السوري، القوات السورية
	{"قوات", "عناصر"},       // عناصر الأمن، قوات الأمن
	{"raid", "operation"},   // a raid, a military operation
	{"يخفض", "ينكمش"},       // تخفض، تقلص الإنتاج: cuts it
	{"يزور", "تتفقد"},       // تزور، تتفقد مخيما: visits it
	{"governor", "chief"},   // a central bank's governor, chief
	{"official", "chief"},   // a senior Hamas official, leader
	{"اتصال", "يتصل"},       // اتصال هاتفي بين، يهاتف
	{"مقترح", "خطه"},        // المقترح المصري، خطة الهدنة المصرية
	{"propose", "plan"},     // a ceasefire proposal, plan
	{"يعيد", "يستانف"},      // تعيد، تستأنف العلاقات
	{"يهدد", "يتعهد"},       // تتوعد، تتعهد بالثأر: vows it
	{"demand", "urge"},      // demands, calls for a ceasefire
	{"congratulat", "hail"}, // congratulates, hails the winner
	{"suspect", "accuse"},   // 30 suspected, accused of spying
	{"begin", "open"},       // a summit kicks off, opens
	{"يحرر", "يستعيد"},      // يحرر، يستعيد مدينة
	{"يرحل", "يطرد"},        // ترحل، تبعد وافدين
	{"يطرد", "يهجر"},        // يهجر، يطرد عائلات
	{"وقف", "يقطع"},         // تقطع، تنهي علاقاتها (ينهي is وقف)
	{"يعين", "يكلف"},        // يعين، يكلف رئيسا للحكومة
	{"protest", "object"},   // protests, objects to a neighbour's acts
	{"demolish", "burn"},    // wildfires destroy, burn homes
	{"extradit", "return"},  // extradites, hands over a suspect
	{"يستورد", "يشتري"},     // تستورد، تشتري الغاز
	{"يوقف", "يعلق"},        // توقف، تعلق إصدار التأشيرات
	{"يستضيف", "ينظم"},      // ينظم، يستضيف البطولة
	{"يسقط", "يعترض"},       // تسقط، تعترض مسيرة
	{"يتفاوض", "مفاوضات"},
	{"يعزز", "يشدد"},   // يعزز، يشدد الإجراءات
	{"تصفيه", "يقتل"},  // اغتيال، تصفية قائد
	{"ينقطع", "يقطع"},  // انقطاع الإنترنت، إيران تقطع الإنترنت
	{"يقيل", "يعفي"},   // يقيل، يعفي الوزير من مهامه
	{"تعطيل", "تعليق"}, // تعطيل، تعليق الدراسة: schools closed
	{"يتاهل", "يبلغ"},  // يتأهل، يبلغ النهائي: reaches the final
	{"رحيل", "يقتل"},   // رحيل الفنان: his death (وفاة reads as killed)
	{"plane", "warplane"},
	{"يقر", "يتبني"},   // تقر، تعتمد زيادة في الأجور
	{"ينشر", "يصدر"},   // تنشر، تصدر تقريرا
	{"يستثني", "يعفي"}, // تستثني، تعفي الأطباء من القرار
	{"يمول", "يدعم"},   // تمول، تدعم ماليا مشروعا
	{"يحجز", "يصادر"},  // يحجز، يصادر شحنة
	{"يحجز", "يوقف"},   // يحجز، يوقف شحنة مخدرات
}

// relatedTo holds relatedPairs by either token.
var relatedTo = func() map[string][]string {
	m := make(map[string][]string, 2*len(relatedPairs))
	for _, p := range relatedPairs {
		m[p[0]] = append(m[p[0]], p[1])
		m[p[1]] = append(m[p[1]], p[0])
	}
	return m
}()

// verbalNoun reports whether t is the verbal noun of the present-tense
// verb u, in the derived forms whose nouns take an alif before the
// root and one before its last letter: إفعال, انفعال, افتعال, استفعال
// (اعدام, يعدم; انسحاب, ينسحب; انتشار, ينتشر; استهداف, يستهدف). Wires
// tell one event in a nominal sentence ("انتشار الجيش في الجنوب") or a
// verbal one ("الجيش ينتشر في الجنوب"). t is the longer; at least two
// letters stand between the alifs, so short words do not pair by chance.
func verbalNoun(t, u string) bool {
	const alif, ya, ta = "ا", "ي", "ت"
	// Arabic letters are two bytes: t is ا X ا c, u is ي X c or ت X c.
	if len(t) != len(u)+2 || len(u) < 8 || !strings.HasPrefix(t, alif) || !strings.HasPrefix(u, ya) && !strings.HasPrefix(u, ta) {
		return false
	}
	n := len(t)
	return t[n-4:n-2] == alif && t[n-2:] == u[len(u)-2:] && t[2:n-4] == u[2:len(u)-2]
}

// moreVerbalNouns reports whether t is the verbal noun of the
// present-tense verb u in three more patterns: تفعيل (تسجيل, يسجل;
// تفجير, يفجر), فعول (دخول, يدخل; خروج, يخرج), and the derived forms of a
// root whose last letter is weak (استدعاء, يستدعي; اعتداء, يعتدي).
func moreVerbalNouns(t, u string) bool {
	const alif, ya, ta, waw = "ا", "ي", "ت", "و"
	if len(u) < 8 || u[:2] != ya && u[:2] != ta {
		return false
	}
	switch {
	case len(t) == 10 && len(u) == 8 && t[:2] == ta:
		// ت a b ي c and ي a b c.
		return t[2:6] == u[2:6] && t[6:8] == ya && t[8:] == u[6:]
	case len(t) == 8 && len(u) == 8 && t[:2] != alif:
		// a b و c and ي a b c.
		return t[:4] == u[2:6] && t[4:6] == waw && t[6:] == u[6:]
	case len(t) == len(u)+2 && len(t) >= 12 && t[:2] == alif && strings.HasSuffix(t, "اء") && strings.HasSuffix(u, ya):
		// ا X اء and ي X ي.
		return t[2:len(t)-4] == u[2:len(u)-2]
	}
	return false
}

// nisbaFeminine reports whether t is the feminine of the Arabic adjective
// of relation u: شعبية, شعبي; دولية, دولي. Wires agree it with a noun of
// either gender (سوق شعبي, سوق شعبية).
func nisbaFeminine(t, u string) bool {
	return len(u) >= 6 && u[0] >= utf8.RuneSelf && strings.HasSuffix(u, "ي") && withSuffix(t, u, "ه")
}

// brokenPlural reports whether t is the plural of the pattern أفعال of the
// three-letter noun u: اوضاع, وضع; اسعار, سعر; اطفال, طفل. One wire writes
// "الأوضاع في غزة", another "الوضع في غزة". t is the longer.
func brokenPlural(t, u string) bool {
	const alif = "ا"
	// Arabic letters are two bytes: t is ا a b ا c, u is a b c.
	if len(t) != 10 || len(u) != 6 || t[:2] != alif || t[6:8] != alif || u[:2] == alif {
		return false
	}
	return t[2:6] == u[:4] && t[8:] == u[4:]
}

// cutProclitic returns t without a leading ب ل ك or ف, when at least three
// letters remain.
func cutProclitic(t string) (string, bool) {
	if len(t) < 2 || !isProclitic(t[:2]) {
		return "", false
	}
	if r := t[2:]; utf8.RuneCountInString(r) >= 3 {
		return r, true
	}
	return "", false
}

// accusative reports whether t is the Arabic noun of u, a glued
// preposition and the noun, with the accusative's alif: "تعدم رجلا" and
// "تنفذ حكم الإعدام برجل" tell one man. Not the bare noun: the lexicon
// reads some duals as it (منزلين is منزل), and "منزلا" is one house.
// The noun keeps at least three letters.
func accusative(t, u string) bool {
	stem, ok := strings.CutSuffix(t, "ا")
	if !ok || len(u) != len(t) || u[0] < utf8.RuneSelf || len(stem) < 6 {
		return false
	}
	return isProclitic(u[:2]) && u[2:] == stem
}

// bareAccusative reports whether t is the Arabic noun u with the
// accusative's alif: "تقتل شابا", "مقتل شاب". Not for a noun the lexicon
// writes duals as (منزلين is منزل): "منزلا" is one house.
func bareAccusative(t, u string) bool {
	return len(u) >= 6 && u[0] >= utf8.RuneSelf && withSuffix(t, u, "ا") && !lexiconCanonicals()[u]
}

// pluralPossessed reports whether t is the Arabic plural u with "its" on
// it: رحلاتها, رحلات (its flights). Only a plural in ات: on a singular the
// pronoun may tell whose (سفيرها, its own ambassador, not theirs).
func pluralPossessed(t, u string) bool {
	return len(u) >= 8 && u[0] >= utf8.RuneSelf && strings.HasSuffix(u, "ات") && withSuffix(t, u, "ها")
}

// withSuffix reports whether t is u with suf after it (t == u+suf,
// without building it).
func withSuffix(t, u, suf string) bool {
	return len(t) == len(u)+len(suf) && strings.HasPrefix(t, u) && strings.HasSuffix(t, suf)
}

// lexiconCanonicals are the one-word canonical forms of the default
// lexicon.
var lexiconCanonicals = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, c := range Default().words {
		set[c] = true
	}
	return set
})

// sameTransliteration reports whether t and u are one Latin
// transliteration of an Arabic or Persian name, as its variants meet once
// folded (translitFold): Araghchi and Araqchi, Youssef and Yousef.
func sameTransliteration(t, u string) bool {
	var bt, bu [64]byte
	return string(translitFold(&bt, t)) == string(translitFold(&bu, u))
}

// sameConsonants reports whether t and u are one Latin transliteration
// written with other vowels: their consonants, folded as translitFold
// folds them (gh as q, a doubled letter once), are the same. Arabic
// names are written in their consonants; each house style puts its own
// vowels between them.
func sameConsonants(t, u string) bool {
	var bt, bu [64]byte
	return vowelGroups(t) == vowelGroups(u) && string(consonants(&bt, t)) == string(consonants(&bu, u))
}

// vowelGroups counts the runs of vowels in w: the syllables a house
// style writes, which another writes in other letters but not in
// another number (Hodeidah, Hudaydah: three; Kherson two, Khorasan
// three).
func vowelGroups(w string) int {
	n, in := 0, false
	for i := 0; i < len(w); i++ {
		v := strings.IndexByte("aeiouy", w[i]) >= 0
		if v && !in {
			n++
		}
		in = v
	}
	return n
}

// consonants writes w's consonants into buf (see sameConsonants).
func consonants(buf *[64]byte, w string) []byte {
	out := buf[:0]
	for i := 0; i < len(w) && len(out) < len(buf); i++ {
		c := w[i]
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			continue
		case 'g':
			if i+1 < len(w) && w[i+1] == 'h' {
				c, i = 'q', i+1
			}
		}
		if n := len(out); n > 0 && out[n-1] == c {
			continue
		}
		out = append(out, c)
	}
	return out
}

// translitFold writes w into buf with gh as q (ق), ou and oo as u, ee as i,
// and a doubled letter once, and returns what it wrote (at most 64 bytes).
func translitFold(buf *[64]byte, w string) []byte {
	out := buf[:0]
	for i := 0; i < len(w) && len(out) < len(buf); i++ {
		c := w[i]
		if i+1 < len(w) {
			switch w[i : i+2] {
			case "gh":
				c, i = 'q', i+1
			case "ou", "oo":
				c, i = 'u', i+1
			case "ee":
				c, i = 'i', i+1
			}
		}
		if n := len(out); n > 0 && out[n-1] == c {
			continue
		}
		out = append(out, c)
	}
	return out
}

// isProclitic reports whether p, one Arabic letter, is one that glues to
// the next word: the prepositions ب ل ك and the conjunction ف.
func isProclitic(p string) bool {
	switch p {
	case "ب", "ل", "ك", "ف":
		return true
	}
	return false
}

func hasDigit(t string) bool {
	for i := 0; i < len(t); i++ {
		if isASCIIDigit(t[i]) {
			return true
		}
	}
	return false
}

// oneEdit reports whether t (at least as long as u) becomes u by deleting
// one letter, or by replacing one letter with a letter of its sound class
// (vowels and the letters that write them, g/q/k/c, ه/ة ...): the ways a
// transliteration varies. Other substitutions are different names
// (Silwad/Silwan, سلواد/سلوان) and do not count.
func oneEdit(t, u string) bool {
	var tb, ub [64]rune
	tr, ur := appendRunes(tb[:0], t), appendRunes(ub[:0], u)
	if len(tr) > 64 || len(ur) > 64 {
		return false
	}
	i := 0
	for i < len(ur) && tr[i] == ur[i] {
		i++
	}
	if len(tr) == len(ur) {
		if i == len(tr) {
			return true
		}
		return soundAlike(tr[i], ur[i]) && string(tr[i+1:]) == string(ur[i+1:])
	}
	// One letter of t deleted at i.
	return string(tr[i+1:]) == string(ur[i:])
}

func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
		if len(dst) > 64 {
			break
		}
	}
	return dst
}

// soundClasses groups letters transliterations put for one another.
// j is y in the German and Slavic spellings of a name (Navalnaja,
// Navalnaya), g in the Egyptian of an Arabic one (Gamal, Jamal); a
// foreign s as س, ش or ز (فيرستابن, فيرشتابن; ألكاراز, ألكاراس).
var soundClasses = []string{"aeiouy", "gqkc", "szc", "td", "jy", "jg", "vw", "ايوه", "سص", "تط", "دض", "ذزظ", "كق", "سشز", "هح"}

func soundAlike(x, y rune) bool {
	for _, c := range soundClasses {
		if strings.ContainsRune(c, x) && strings.ContainsRune(c, y) {
			return true
		}
	}
	return false
}

// lessTokens orders token lists, to fix the order score pairs them in.
func lessTokens(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// opposedStances reports whether one headline takes a side ("rally for",
// دعما) that the other takes against ("rally against", ضد): the same
// words, opposite stories.
func opposedStances(a, b []string) bool {
	return contains(a, stancePro) && contains(b, "against") || contains(a, "against") && contains(b, stancePro)
}

// patientIsDoer reports whether a token of who an act without a doer
// befell in a (before markPatient) is the doer b names (before
// markDoer): "Syrian man stabbed in Dresden" / "Man stabbed by Syrian in
// Dresden", مقتل مهاجر مغربي / مقتل رجل على يد مهاجر مغربي. The victim on
// one side is the attacker on the other. ab is the pairing.
func patientIsDoer(a, b []string, ab []int8) bool {
	pa, db := slices.Index(a, markPatient), slices.Index(b, markDoer)
	if pa < 0 || db < 0 {
		return false
	}
	for i := range pa {
		if j := int(ab[i]); j >= 0 && j < db && !isVerb(a[i]) {
			return true
		}
	}
	return false
}

// patientsSwapped reports whether two acts without a doer befell each
// side's own: a token of who it befell in a stands after b's patient, and
// one of b's stands after a's: "American detained in Venezuela" /
// "Venezuelan detained in US", احتجاز صيادين تونسيين لدى خفر السواحل
// الليبي and the other way round. One side only ("Five killed in Gaza" /
// "In Gaza, five killed") is a phrase moved.
func patientsSwapped(a, b []string, ab, ba []int8) bool {
	pa, pb := slices.Index(a, markPatient), slices.Index(b, markPatient)
	if pa < 0 || pb < 0 {
		return false
	}
	out := func(x []string, p int, xy []int8, q int) bool {
		for i := range p {
			if j := int(xy[i]); j > q && !isVerb(x[i]) {
				return true
			}
		}
		return false
	}
	return out(a, pa, ab, pb) && out(b, pb, ba, pa)
}

// marksSwapped reports whether two names joined by a preposition that
// gives them roles (markOn, markFrom, markTo) stand on its other sides in
// b: فوز الهلال على النصر / فوز النصر على الهلال, "deported from Mexico
// to Guatemala" / "from Guatemala to Mexico", سفير سعودي لدى مصر / سفير
// مصري لدى السعودية. ab is the pairing.
func marksSwapped(a, b []string, ab []int8) bool {
	for _, mark := range [...]string{markOn, markFrom, markTo, markSaid, markAgainst, markFor, markIn, markOver} {
		oa, ob := slices.Index(a, mark), slices.Index(b, mark)
		if oa < 0 || ob < 0 {
			continue
		}
		before, after := false, false
		for i, t := range a {
			// Marks are never paired (see score).
			j := int(ab[i])
			if j < 0 || isVerb(t) {
				continue
			}
			switch {
			case i < oa && j > ob:
				before = true
			case i > oa && j < ob:
				after = true
			}
		}
		if before && after {
			return true
		}
	}
	return false
}

// kindsClash reports whether each side names a kind of place the other
// does not (see kindMarks): مخيم جنين / مدينة جنين, "Gaza City" / "Gaza
// Strip". One side's kind alone ("in Gaza" / "in Gaza City") is detail,
// but for the countryside: ريف دمشق is a province of its own, not
// Damascus (see countrysideAlone).
func kindsClash(a, b []string) bool {
	for _, t := range a {
		g := markGroup(t)
		if g == "" || slices.Contains(b, t) {
			continue
		}
		for _, u := range b {
			if markGroup(u) == g && !slices.Contains(a, u) {
				return true
			}
		}
	}
	return false
}

// markCountryside is the kind mark of ريف (see kindMarks).
const markCountryside = "~place:countryside"

// countrysideAlone reports whether a names a countryside b does not.
func countrysideAlone(a, b []string) bool {
	return slices.Contains(a, markCountryside) && !slices.Contains(b, markCountryside)
}

// otherDays are the days that are not today, as tokens.
var otherDays = map[string]bool{"غدا": true, "امس": true, "tomorrow": true, "yesterday": true}

// todayClash reports whether a says today (~today, which is otherwise a
// filler: اليوم) and b names another day a does not: مجلس الأمن يصوت
// اليوم / يصوت غدا. ba is b's pairing.
func todayClash(a, b []string, ba []int8) bool {
	if !slices.Contains(a, markToday) {
		return false
	}
	for j, u := range b {
		if ba[j] < 0 && otherDays[u] {
			return true
		}
	}
	return false
}
