package match

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The canonical pipeline turns a headline as a wire wrote it into the
// tokens dedupe compares. In order (each step is a function below):
//
//  1. Strip (decorations.go): outlet names before or after a separator,
//     wire labels ("UPDATE 2-", "EXCLUSIVE-"), attributions at either end
//     (", police said", "- report", "وفق مصادر طبية"). Only for comparing:
//     what readers see keeps them.
//  2. prepNumbers (numbers.go): digits in ASCII, thousands separators
//     dropped ("12,000" is 12000), decimal marks kept as "p" ("6.1" is
//     "6p1"), scorelines kept as one word ("3-0" is "3x0", so that 3-0 and
//     0-3 differ), "U-21" as "u21", "2bn" split into "2 bn", % as "pct".
//  3. Normalize: NFKC, case, Arabic letter forms, punctuation to spaces,
//     leading "عاجل:"/"Breaking:".
//  4. Per word: Latin diacritics folded (é is e), Stem (Arabic و and ال),
//     then the lexicon (lexicon.txt and the config), phrases of up to three
//     words first; English words not in it lose their inflection
//     (englishBase: "seized", "seizes", "seize" meet). Stop words go.
//     A passive ("Five killed in strike", "Barcelona beaten by Madrid")
//     is put in the order of the active voice (see participle), who says
//     goes after what is said, and a person's title is dropped where a
//     name follows (see dropTitles).
//  5. Numbers (numbers.go): number words 0–20 and their Arabic compounds
//     become digits, ordinals "ordN", a number before thousand/million/
//     billion (الف, مليون, مليار, bn, m) is multiplied out.
//
// The result keeps first-appearance order, because Score reads order: who
// did what to whom depends on which side of the verb a name stands.

//go:embed lexicon.txt
var lexiconText string

// Matcher holds the data of the canonical pipeline: the lexicon and the
// outlet names that decorate headlines. A Matcher is immutable and safe for
// concurrent use; the zero value is not usable, use NewMatcher or Default.
type Matcher struct {
	words   map[string]string // one-word variant → canonical
	phrases map[string]string // variant of 2 to maxPhrase words → canonical
	starts  map[string]bool   // first words of the phrases
	outlets map[string]bool   // normalized outlet names
}

// MatcherOptions extends the built-in data; nil means none.
type MatcherOptions struct {
	// Lexicon holds extra entries, each as a line of lexicon.txt:
	// "canonical | variant | variant".
	Lexicon []string
	// Outlets holds extra outlet names, such as each source's name and
	// feed title; a headline segment equal to one is a decoration.
	Outlets []string
}

// defaultMatcher is built once: parsing the embedded lexicon costs a few
// hundred microseconds, and the result never changes.
var defaultMatcher = sync.OnceValue(func() *Matcher {
	m, err := NewMatcher(nil)
	if err != nil {
		// The embedded lexicon is tested (TestLexiconNormalizes).
		panic(err)
	}
	return m
})

// Default returns the Matcher of the built-in lexicon and outlets.
func Default() *Matcher { return defaultMatcher() }

// NewMatcher returns a Matcher of the built-in data and opts. An entry that
// does not parse is an error naming it.
func NewMatcher(opts *MatcherOptions) (*Matcher, error) {
	m := &Matcher{words: map[string]string{}, phrases: map[string]string{}, starts: map[string]bool{}, outlets: map[string]bool{}}
	for i, line := range strings.Split(lexiconText, "\n") {
		if err := m.addEntry(line); err != nil {
			return nil, fmt.Errorf("lexicon.txt line %d: %w", i+1, err)
		}
	}
	for _, o := range builtinOutlets {
		m.outlets[o] = true
	}
	if opts != nil {
		for i, line := range opts.Lexicon {
			if err := m.addEntry(line); err != nil {
				return nil, fmt.Errorf("lexicon entry %d %q: %w", i+1, line, err)
			}
		}
		for _, o := range opts.Outlets {
			if n := Normalize(o); n != "" && strings.Count(n, " ") < maxOutletWords {
				m.outlets[n] = true
			}
		}
	}
	m.settleCanonicals()
	return m, nil
}

// settleCanonicals writes each word of a canonical form of several words
// as the pipeline writes that word alone: "launch missile" holds missil,
// as "missiles" gives, so that "fires missiles" (the entry) and "with
// missiles" (a plain word) share a token.
func (m *Matcher) settleCanonicals() {
	settled := map[string]string{}
	settle := func(c string) string {
		if !strings.Contains(c, " ") {
			// Written as Stem leaves the word, as text gives it
			// (وزاره is زاره wherever it appears).
			return Stem(c)
		}
		if s, ok := settled[c]; ok {
			return s
		}
		ws := strings.Fields(c)
		for i, w := range ws {
			// A word that is itself a variant of a longer form
			// (macedonia, north macedonia) stays as written.
			w = Stem(w)
			ws[i] = w
			if cw := m.canonicalWord(w); !strings.Contains(cw, " ") {
				ws[i] = cw
			}
		}
		settled[c] = strings.Join(ws, " ")
		return settled[c]
	}
	// Settled from the forms as written: canonicalWord reads m.words,
	// which is rewritten only after.
	for _, c := range m.words {
		settle(c)
	}
	for _, c := range m.phrases {
		settle(c)
	}
	for k, c := range m.words {
		m.words[k] = settle(c)
	}
	for k, c := range m.phrases {
		m.phrases[k] = settle(c)
	}
}

// maxPhrase is the most words a lexicon variant has.
const maxPhrase = 5

// addEntry adds one lexicon line; blank lines and comments are skipped.
func (m *Matcher) addEntry(line string) error {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return nil
	}
	fields := strings.Split(line, "|")
	if len(fields) < 2 {
		return fmt.Errorf("want \"canonical | variant ...\", got no |")
	}
	canon := strings.Join(strings.Fields(fields[0]), " ")
	if canon == "" {
		return fmt.Errorf("empty canonical form")
	}
	for _, v := range append(fields[:1:1], fields[1:]...) {
		words := m.stems(v)
		switch {
		case len(words) == 0:
			return fmt.Errorf("variant %q has no words", strings.TrimSpace(v))
		case len(words) > maxPhrase:
			return fmt.Errorf("variant %q has more than %d words", strings.TrimSpace(v), maxPhrase)
		case len(words) == 1:
			m.words[words[0]] = canon
		default:
			m.phrases[strings.Join(words, " ")] = canon
			m.starts[words[0]] = true
		}
	}
	return nil
}

// stems gives a variant the word forms the pipeline compares: normalized,
// folded and stemmed. Entries written otherwise still work.
func (m *Matcher) stems(v string) []string {
	var out []string
	for _, w := range strings.Fields(Normalize(v)) {
		out = append(out, Stem(foldLatin(w)))
	}
	return out
}

// Canonical returns the forms under which title is compared: its
// normalized text without decorations (for equal-title matching) and its
// canonical tokens (for Score), as the pipeline above describes. The
// tokens are unique, at most 64, in order of first appearance but for
// the reorderings of step 4 (a passive, a speaker).
func (m *Matcher) Canonical(title string) (normalized string, tokens []string) {
	return m.canonical(title, nil)
}

// canonical is Canonical; with read non-nil it also says there what step
// 4 reordered or dropped (see tokens).
func (m *Matcher) canonical(title string, read *[]string) (normalized string, tokens []string) {
	stripped := placeLast(islamicState(dropHitBy(m.Strip(title))))
	normalized, tokens = m.canonicalOf(stripped, read)
	return normalized, kindsLast(m.markPossessed(stripped, tokens, read))
}

// canonicalOf is canonical of a title stripped of its decorations.
func (m *Matcher) canonicalOf(stripped string, read *[]string) (normalized string, tokens []string) {
	normalized = Normalize(prepNumbers(expandNegations(stripped)))
	from := normalized
	if s, country := dropPossessiveCountry(stripped); country != "" {
		// Only the tokens: the normalized text is compared whole, and
		// the country is part of it.
		from = Normalize(prepNumbers(expandNegations(s)))
		if read != nil {
			*read = append(*read, "a country's possessive before a name, dropped: "+country)
		}
	} else if s, country := m.dropTrailingCountry(stripped); country != "" {
		from = Normalize(prepNumbers(expandNegations(s)))
		if read != nil {
			*read = append(*read, "a country after a place, dropped: "+country)
		}
	}
	if head, rest, ok := leadSpeaker(stripped); ok && from == normalized {
		restN := Normalize(prepNumbers(expandNegations(rest)))
		if m.placeLabel(head, restN) {
			// "تركيا: اعتقال صحفي" tells of an arrest in Turkey, as
			// "اعتقال صحفي في تركيا" does.
			return normalized, m.tokens(restN+" في "+Normalize(head), read)
		}
		// "حماس: إسرائيل خرقت الاتفاق" is read as "Hamas says Israel
		// breached the deal" is: what is said, then who says it.
		said := m.tokens(restN, read)
		var who []string
		for _, t := range m.tokens(Normalize(prepNumbers(expandNegations(head))), nil) {
			// Not a kind mark: who says is left out by other wires
			// (see kindAdjective), as the speaker rule expects.
			if !slices.Contains(said, t) && !strings.HasPrefix(t, markKind) {
				who = append(who, t)
			}
		}
		if read != nil {
			*read = append(*read, "who says, before a colon, put after what is said: "+strings.Join(who, " "))
		}
		if len(said) > 0 && len(who) > 0 && len(said)+len(who) < maxTokens {
			return normalized, slices.Concat(said, []string{markSaid}, who)
		}
	}
	return normalized, m.tokens(from, read)
}

// placeLabel reports whether head, before a colon, is the place of what
// rest (normalized) tells as an act without a doer: "غزة: استشهاد 5",
// "تركيا: اعتقال صحفي". A country before a clause with its own doer is a
// speaker: "إسرائيل: حماس خرقت الاتفاق".
func (m *Matcher) placeLabel(head, rest string) bool {
	h := strings.Fields(Normalize(head))
	first, _, _ := strings.Cut(rest, " ")
	if len(h) != 1 || first == "" {
		return false
	}
	if !countryOrCapital(m.normalizedForm(h[0])) && !placeLike[h[0]] {
		return false
	}
	return nominalAct(first, m.normalizedForm(first))
}

// placeLike are places wires put before a colon that are neither a
// country nor a capital (غزة: …, الضفة: …), as Normalize writes them.
var placeLike = map[string]bool{"غزه": true, "الضفه": true, "القدس": true, "gaza": true}

// placeLast moves a place a headline starts with, before a comma, to its
// end: "في خان يونس، استشهاد 5 فلسطينيين" is read "استشهاد 5 فلسطينيين
// في خان يونس", as other wires write it, so that what happened is read
// from its first word (an act told as a noun is read so only there).
func placeLast(s string) string {
	head, rest, ok := strings.Cut(s, "،")
	if !ok {
		head, rest, ok = strings.Cut(s, ", ")
	}
	if !ok {
		return s
	}
	words := strings.Fields(head)
	if len(words) < 2 || len(words) > 4 || !(words[0] == "في" || words[0] == "In" || words[0] == "in") || len(strings.Fields(rest)) < 3 {
		return s
	}
	return strings.TrimSpace(rest) + " " + strings.TrimSpace(head)
}

// leadSpeaker splits a headline led by a speaker and a colon ("حماس:
// إسرائيل خرقت الاتفاق", "Israel: Hamas violated truce") into the
// speaker, of one to three words, and what is said.
func leadSpeaker(s string) (head, rest string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || i+1 >= len(s) || s[i+1] != ' ' || hasDigit(s[:i]) {
		return "", "", false
	}
	n := len(strings.Fields(Normalize(s[:i])))
	if n == 0 || n > 3 || len(strings.Fields(s[i+1:])) < 3 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// hitBy are the endings of English compound adjectives of a place an
// event struck ("flood-hit Tamanrasset", "quake-stricken"): the event is
// the story, not a strike.
var hitBy = []string{"-hit", "-stricken", "-ravaged", "-affected", "-battered"}

// dropHitBy writes such an adjective as its event alone.
func dropHitBy(s string) string {
	if strings.IndexByte(s, '-') < 0 {
		return s
	}
	for _, h := range hitBy {
		for from := 0; ; {
			i := strings.Index(s[from:], h)
			if i < 0 {
				break
			}
			i += from
			if i > 0 && isASCIILetter(s[i-1]) && (i+len(h) == len(s) || !isASCIILetter(s[i+len(h)])) {
				s = s[:i] + s[i+len(h):]
				from = i
			} else {
				from = i + len(h)
			}
		}
	}
	return s
}

// islamicState writes "IS" as "ISIS" where a headline in sentence case
// names the group by it ("12 suspected IS militants"): lower-cased, it
// would be the stop word "is".
func islamicState(s string) string {
	if !strings.Contains(s, "IS") || s == strings.ToUpper(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == 'I' && i+1 < len(s) && s[i+1] == 'S' &&
			(i == 0 || !isASCIILetter(s[i-1])) && (i+2 == len(s) || !isASCIILetter(s[i+2])) {
			b.WriteString("SIS")
			i++
		}
	}
	return b.String()
}

// expandNegations writes English negative contractions out ("won't" is
// "will not", "doesn't" "does not"): Normalize would split "won't" into
// "won" and "t", losing the negation and reading a verb of winning.
func expandNegations(s string) string {
	if !strings.Contains(s, "n't") && !strings.Contains(s, "n\u2019t") && !strings.Contains(s, "N'T") && !strings.Contains(s, "N\u2019T") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		rest := s[i:]
		apos := 0
		switch {
		case len(rest) >= 3 && (rest[0] == 'n' || rest[0] == 'N') && rest[1] == '\'' && (rest[2] == 't' || rest[2] == 'T'):
			apos = 1
		case len(rest) >= 5 && (rest[0] == 'n' || rest[0] == 'N') && rest[1:4] == "\u2019" && (rest[4] == 't' || rest[4] == 'T'):
			apos = 3
		}
		if apos == 0 || i > 0 && !isASCIILetter(s[i-1]) || len(rest) > apos+2 && isASCIILetter(rest[apos+2]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		// The word so far, without its n: "won" is "will", "can" and
		// "ca" stay, "does" keeps its letters.
		w := b.String()
		start := len(w)
		for start > 0 && isASCIILetter(w[start-1]) {
			start--
		}
		switch strings.ToLower(w[start:]) {
		case "wo":
			b.Reset()
			b.WriteString(w[:start] + "will")
		case "ca":
			b.Reset()
			b.WriteString(w[:start] + "can")
		case "sha":
			b.Reset()
			b.WriteString(w[:start] + "shall")
		}
		b.WriteString(" not")
		i += apos + 2
	}
	return b.String()
}

// Tokens returns the canonical tokens of title (see Canonical).
func (m *Matcher) Tokens(title string) []string {
	_, t := m.Canonical(title)
	return t
}

// tokens runs steps 4 and 5 on a normalized headline.
//
// With read non-nil, each reordering or dropping of words is also said
// there, for Explain.
func (m *Matcher) tokens(normalized string, read *[]string) []string {
	if normalized == "" {
		return nil
	}
	var rawBuf, stemBuf [32]string
	raw, words := rawBuf[:0], stemBuf[:0]
	for rest := normalized; rest != "" && len(raw) < 4*maxTokens; {
		var w string
		w, rest, _ = strings.Cut(rest, " ")
		if detachedProclitic(w) && rest != "" {
			// "ب 4 أهداف", a preposition its wire set apart from the
			// word (بـ4 written with a space): glued back, as the
			// other wires write it.
			var next string
			next, rest, _ = strings.Cut(rest, " ")
			if r, ok := strings.CutPrefix(next, "ال"); ok && w == "ل" {
				next = "ل" + r // ل and ال are written لل
			}
			w += next
		}
		if w != "" {
			w = foldLatin(w)
			raw = append(raw, w)
			words = append(words, Stem(w))
		}
	}
	n := trailingAttribution(words)
	raw, words = raw[:n], words[:n]
	raw, words = withoutAtLeast(raw, words)
	raw, words = m.tollRises(raw, words)
	raw, words = leavesDead(raw, words)
	raw, words = casualtiesAs(raw, words)
	raw, words = wordScores(raw, words)
	raw, words = loserFirst(raw, words)
	raw, words = m.scoreFirst(raw, words)
	raw, words = m.titleOfCountry(raw, words, read)
	if j := m.verbFirstSubject(raw, words); j > 0 {
		// يستقبل أمير قطر رئيس الوزراء الباكستاني is read as أمير
		// قطر يستقبل …, as other wires write it: the title before
		// the verb is who acts, and an office after it is no name.
		if read != nil {
			*read = append(*read, "the verb said first, put after its subject: "+strings.Join(raw[1:j], " "))
		}
		raw = slices.Concat(raw[1:j], raw[:1], raw[j:])
		words = slices.Concat(words[1:j], words[:1], words[j:])
	}
	toks := make([]string, 0, min(len(words), maxTokens))
	// A title word said twice is kept twice until dropTitles has read
	// both: in الرئيس المصري يستقبل رئيس الوزراء الإسباني the second
	// title introduces another man. Duplicates go after it.
	dupTitle := false
	var add func(t string)
	add = func(t string) {
		if t == "" {
			return
		}
		if strings.IndexByte(t, ' ') >= 0 {
			// A canonical form of several words ("israel army") is
			// several tokens, so that "Israel's army" meets it.
			for _, w := range strings.Fields(t) {
				add(w)
			}
			return
		}
		// A word said again keeps its first place, which is its role:
		// "China warns Philippines over South China Sea", "الهلال يفوز
		// على النصر ويتوج" (crowned is won, said twice).
		for _, x := range toks {
			if x == t {
				if titleSet()[t] {
					dupTitle = true
					break
				}
				return
			}
		}
		if len(toks) < maxTokens {
			toks = append(toks, t)
		}
	}
	// The verb of a passive headline ("Five killed in Israeli strike")
	// and whether "by" names the doer: see participle.
	passive, agent, sawVerb := -1, false, false
	agentStart := -1  // where the doer after "by" starts
	sayFirst := false // a verb of saying is the first word
	// An Arabic headline that starts with its act as a noun (مقتل 5,
	// خمسة قتلى, اعتقال صحفي): where the verb token stands, and where a
	// word of agency (برصاص, بقصف, على يد) brings in the doer. See
	// nominalAct.
	arVerb, arAgent := -1, -1
	// The word after a number: its counted noun (see below).
	counted := -1
	// doerDone: a verb has been read, so a capital is a place from here
	// on (see doerCapital). sawVerb is narrower, English finite verbs.
	doerDone := false
	// Where "says" stood: the tokens before it are who says (see below).
	speaker := -1
	// Bit i of boundary: something that is not a name stands between
	// toks[i] and the next token (a dropped word, a verb said before, a
	// preposition glued to the next word), so a title in toks[i] is not
	// followed by a name (see dropTitles).
	var boundary uint64
	// Bit i of inflected: toks[i] was written like an English verb form
	// (ends in s or ed) before Stem took the ending off, so it is no
	// first name ("Kishida reshuffles" is a name and a verb) and it ends
	// a name ("vows", "hospitalized"); names written so are not read so
	// (Kais, Abbas, Khaled: see writtenInflected and edNames).
	var inflected uint64
	sep := func() {
		if n := len(toks); n > 0 && n <= 64 {
			boundary |= 1 << (n - 1)
		}
	}
	// Whether ل brings in whom the act is for (see forWhom) depends on
	// how the headline starts: read once, not at every word.
	nounStart := nounFirst(raw)
	// Marks of a place's kind and of the day, put last (see kindMarks).
	var late []string
	// Canonical forms of relational adjectives after a noun (see
	// kindAdjective): marked at the end if they are still there.
	var kinds []string
	for i, w := range raw {
		k, ok := kindMarks[w]
		if r, glued := cutProclitic(w); !ok && glued && kindMarks[r] == markCountryside {
			// بريف القنيطرة is في ريف القنيطرة.
			k, ok = markCountryside, true
		}
		if ok && !slices.Contains(late, k) && (i+1 < len(raw) && !isASCIIWord(w) || i > 0 && isASCIIWord(w)) {
			late = append(late, k)
		}
	}
	for i := 0; i < len(words); i++ {
		if _, known := m.words[words[i]]; !known && !m.starts[words[i]] {
			// A preposition glued to a word the lexicon knows (برصاص,
			// لوقف اطلاق النار): the word is the lexicon's.
			if r, ok := cutProclitic(words[i]); ok && !strings.HasPrefix(words[i], "ف") {
				// Not ف, "so": a name starts with it more often than a
				// headline's word does (فيصل is Faisal, not "so he
				// arrives").
				if _, known := m.words[r]; known || m.starts[r] {
					words[i] = r
					// The preposition still ends what came before: in
					// رئيس كازاخستان بذكرى the anniversary is no name.
					// Not after a word of agency, whose ل brings in the
					// doer (بهجوم لداعش).
					if i == 0 || !agencyAt(raw, i-1) {
						sep()
					}
				} else if countryOrCapital(r) {
					// A capital or a country the lexicon does not list
					// (بباريس, in Paris): no name of a title before it.
					words[i] = r
					sep()
				} else if sr := Stem(r); sr != r {
					// لوفاة: the word after the preposition may
					// start with what Stem takes off (وفاة is فاه).
					if _, known := m.words[sr]; known {
						words[i] = sr
					}
				}
			} else if w := words[i]; len(w) >= 6 && w[0] >= utf8.RuneSelf && isProclitic(w[:2]) && m.starts[w[2:]] {
				// A preposition glued to a phrase's first word of two
				// letters (بتل أبيب): only where the phrase follows.
				words[i] = w[2:]
				if m.phraseAt(words, i) == 0 {
					words[i] = w
				}
			}
		}
		if noun, ok := nounSenses[words[i]]; ok && (len(toks) == 0 || i > 0 && (nounCues[raw[i-1]] && !(noun == "gbp" && weatherCues[raw[i-1]]) || m.nationality(words[i-1]) || hasDigit(raw[i-1]) || multipliers[raw[i-1]] > 0) ||
			i+1 < len(words) && isVerb(m.canonicalWord(words[i+1]))) {
			// The noun of a word the lexicon reads as a verb, where an
			// English headline has its subject: first, after an
			// adjective no verb follows, or before a verb. "Storm
			// kills five" is weather, not a raid; "Fires rage" is no
			// launch; "Hit-and-run kills 3" is no strike; "50
			// million pounds" is money.
			add(noun)
			sep()
			continue
		}
		if (words[i] == "down" || words[i] == "up") && len(toks) > 0 && !sawVerb && passive < 0 && i+1 < len(words) && !isStop(words[i+1]) {
			switch {
			case hasDigit(words[i+1]):
				// "Oil down 2%", "Stocks up 3%": falls, rises.
				words[i] = "rises"
				if raw[i] == "down" {
					words[i] = "falls"
				}
			case words[i] == "down":
				// "Houthis down US drone": the verb of "downs",
				// "downed".
				words[i] = "downs"
			}
		}
		if dismissWords[raw[i]] && slices.ContainsFunc(raw[i+1:min(len(raw), i+5)], func(w string) bool { return rejectedThings[w] }) {
			// "dismisses claims", "court dismisses case": rejects; a
			// minister or a chief dismissed is sacked (the lexicon).
			words[i] = "rejects"
		}
		if n := m.phraseAt(words, i); n > 0 {
			if (arVerb == 0 || nounStart) && m.forWhom(raw[i], m.canonicalWord(words[i]), toks) {
				add(markTo) // لرئيس الوزراء, a phrase
			}
			c := m.phrases[strings.Join(words[i:i+n], " ")] // rare: allocating is fine
			if passive < 0 {
				// A passive told in a phrase: "shot dead by Israeli
				// forces", "gunned down by". The doer's "by" follows
				// the phrase.
				if p, _ := participle(raw, i, c, sawVerb); p {
					passive, agent = len(toks), i+n < len(raw) && raw[i+n] == "by"
				}
			}
			if fillers[c] {
				// A phrase the lexicon reads as a filler (دون تغيير,
				// "unchanged") is dropped as the word is.
				sep()
				i += n - 1
				continue
			}
			if country, ok := doerCapital(raw, i, c, len(toks), !sawVerb && !doerDone && passive < 0); ok {
				c = country // "Tel Aviv strikes": see capitals
			}
			add(c)
			i += n - 1
			continue
		}
		if (raw[i] == "عبد" || raw[i] == "وعبد") && i+1 < len(raw) && !isStop(raw[i+1]) {
			// عبد الله and عبدالله are one name, written in two words
			// or one.
			add(m.canonicalWord("عبد" + raw[i+1]))
			i++
			continue
		}
		if abdNames[raw[i]] && i+1 < len(raw) && isASCIIWord(raw[i+1]) && !isStop(raw[i+1]) {
			// So are Abdul Malik, Abdul-Malik and Abdulmalik.
			add(m.canonicalWord(raw[i] + raw[i+1]))
			i++
			continue
		}
		if n := len(toks); n > 0 && (romanRegnal[raw[i]] || strings.HasPrefix(raw[i], "ال") && ordinalWords[raw[i]] > 0) && regnalNames()[toks[n-1]] {
			// A king's or a pope's ordinal after his name: "King
			// Abdullah II", الملك عبدالله الثاني, "Jordan's King
			// Abdullah" are one man, and wires leave it out at will.
			if i+1 < len(raw) && (raw[i+1] == "عشر" || raw[i+1] == "عشره") {
				i++ // ليو الرابع عشر, Leo XIV
			}
			continue
		}
		if i+1 < len(raw) && (yearWords[raw[i]] && isYear(raw[i+1]) || reachWords[raw[i]] && hasDigit(raw[i+1])) {
			// "لعام 2027", "the year 2027": the year says it; "تتجاوز
			// 2200", "tops 2,200": the number does.
			continue
		}
		if (raw[i] == "aged" || raw[i] == "age" || raw[i] == "عمر") && i+1 < len(raw) && hasDigit(raw[i+1]) {
			// "dies aged 77", "dies at 77", عن عمر 77 عاما: the number
			// says it.
			continue
		}
		if weekdays[raw[i]] && i+2 < len(raw) {
			// "الخميس 3 ديسمبر", "Thursday Dec 3": the weekday says
			// when within the days a story is told; the date is one
			// wire's detail. The weekday stays, as a word.
			if dayOfMonth(raw[i+1]) && monthNames[raw[i+2]] || monthNames[raw[i+1]] && dayOfMonth(raw[i+2]) {
				add(m.canonicalWord(words[i]))
				i += 2
				continue
			}
		}
		if vagueCounts[raw[i]] {
			// "مئات القتلى", "hundreds dead": a count, whose noun is
			// counted as after a number.
			counted = i + 1
		}
		if p, ok := fractionPcts[raw[i]]; ok && i+1 < len(raw) && !fractionBlocks[raw[i+1]] && (raw[i+1] == "of" || !isASCIIWord(raw[i])) {
			if _, n := numberAt(raw, i); n == 0 {
				// "Half of Cuba", نصف سكان السودان: 50% of them.
				add(p)
				add("pct")
				if raw[i+1] == "of" {
					i++
				}
				continue
			}
		}
		if t, n := numberAt(raw, i); n > 0 {
			if u, k := percentPoints(raw, i+n, t); k > 0 {
				// "100 basis points", "1 percentage point", 100 نقطة
				// أساس: one rate change, written in its unit.
				add(u)
				add("pct")
				i += n + k - 1
				continue
			}
			add(t)
			i += n - 1
			counted = i + 1
			continue
		}
		if raw[i] == "close" && i+1 < len(raw) && raw[i+1] == "to" {
			// "close to Ramallah" is near it.
			i++
			continue
		}
		if placeKindAt(raw, words, i) {
			// No break after it: أمير دولة قطر is the emir of Qatar.
			// A glued preposition is one before it: in رئيس الوزراء
			// الإسباني بقصر الاتحادية the palace is no name of his.
			if _, ok := cutProclitic(words[i]); ok {
				sep()
			}
			continue
		}
		if raw[i] == "قد" && i+1 < len(raw) && arabicPresent(raw[i+1]) {
			// قد before the present tense is "may": الإضراب قد يشل
			// الموانئ is not الإضراب يشل الموانئ.
			add("could")
			continue
		}
		if q, ok := rawQualifiers[raw[i]]; ok {
			// "للشباب" is a youth team; "شباب" alone, young men.
			add(q)
			continue
		}
		w := words[i]
		if base, ok := dualOf(w); ok && (len(toks) == 0 || !hasDigit(toks[len(toks)-1])) {
			// A dual is a count: جنديين, two soldiers, as 2 جنديين;
			// مقتل جندي is one, مقتل جنود many.
			add("2")
			w, counted = base, i
		}
		if i == counted && !isASCIIWord(w) && utf8.RuneCountInString(w) >= 4 {
			// The counted noun after a number takes the accusative's
			// alif (15 فلسطينيا, 12 منزلا), where other wires write the
			// plural or the bare noun: the number says how many.
			w = strings.TrimSuffix(w, "ا")
		}
		c := m.canonicalWord(w)
		if c == w {
			if d, ok := demonymCountry(w); ok {
				c = m.canonicalWord(d)
			}
		}
		if i > 0 && definite(raw[i-1]) && kindAdjective(raw[i], c) {
			kinds = append(kinds, c)
		}
		if n, ok := namesLikeVerbs[raw[i]]; ok {
			c = n
		}
		if (c == "محاوله" || c == "attempt" || c == "attempted") && len(toks) > 0 && (toks[len(toks)-1] == "يحبط" || toks[len(toks)-1] == "foil") {
			// إحباط محاولة تهريب: a foiled attempt is a foiled act.
			continue
		}
		if holdWords[raw[i]] && slices.ContainsFunc(raw[i+1:min(len(raw), i+5)], func(w string) bool { return w == "مسووليه" || w == "المسووليه" }) {
			// تحمل إسرائيل المسؤولية, holds Israel responsible: accuses
			// it (the responsibility itself is a filler).
			c = m.canonicalWord("يتهم")
		}
		if c == "مسووليه" && i > 0 && slices.ContainsFunc(raw[max(0, i-4):i], func(w string) bool { return holdWords[w] }) {
			continue
		}
		if i == counted && countNouns[c] {
			// "23 people", 23 شخصا: the number is the count, the noun
			// only what wires add to it ("kills 23", "kills 23
			// people").
			sep()
			continue
		}
		if country, ok := doerCapital(raw, i, c, len(toks), !sawVerb && !doerDone && passive < 0); ok {
			c = country
		}
		if raw[i] == "for" && slices.ContainsFunc(toks[max(0, len(toks)-4):], func(t string) bool { return stanceVerbs[t] }) {
			// "rally for", "vote for", "rally in Tel Aviv for": the side
			// taken, which "against" reverses (see Score).
			add(stancePro)
			sep()
			continue
		}
		if passive < 0 || !agent && agentStart < 0 {
			// A stop word taken for one is let go below. A later
			// participle with its doer after "by" is the headline's
			// verb, and the earlier one described someone: "Man
			// convicted over protests executed by Iran".
			// A finite verb seen after the first participle was a plural
			// read as one ("protests").
			if p, by := participle(raw, i, c, sawVerb && passive < 0); p && (passive < 0 || by) {
				passive, agent = len(toks), by
			}
		}
		if finiteVerb(raw, i, c) {
			sawVerb = true
		}
		if sayings[c] {
			// "Ukraine says it downed": the speaker is the doer, and
			// stays where a doer stands.
			if speaker < 0 && !sawVerb && passive < 0 && (i+1 >= len(raw) || !subjectPronouns[raw[i+1]]) {
				speaker = len(toks)
				// Said first (قالت الخارجية الباكستانية إن الهند
				// انتهكت): the speaker runs to إن, below.
				sayFirst = speaker == 0
			}
			sawVerb = true
		}
		if mark := m.roleMark(raw, words, i, toks); mark != "" && passive != len(toks) {
			add(mark)
		}
		if sayFirst && speaker == 0 && (raw[i] == "ان" || raw[i] == "that") {
			speaker = len(toks)
		}
		if clauseStarts[raw[i]] {
			// "fined by EU after complaint from Spotify": the doer
			// ends where the clause of when or why begins.
			sep()
		}
		if raw[i] == "وسط" && i+1 < len(raw) && m.placeFollows(raw, words, i+1) {
			// وسط قطاع غزة is central Gaza, as جنوب قطاع غزة is the
			// south; before anything else it is "amid" (وسط مخاوف).
			add(c)
			continue
		}
		if (isStop(w) || isStop(raw[i]) || isFiller(w) || isFiller(c) || rawFillers[raw[i]]) && !rankAfterForce(raw, i) {
			if passive == len(toks) {
				passive = -1
			}
			if raw[i] == "by" && passive >= 0 && agent && agentStart < 0 {
				agentStart = len(toks)
			}
			if !titleJoiners[raw[i]] {
				sep()
			}
			continue
		}
		if r, ok := strings.CutPrefix(raw[i], "و"); ok && isStop(r) {
			sep()
			continue
		}
		if gluedArticle(raw[i]) && !(i > 0 && agencyAt(raw, i-1) && strings.HasPrefix(raw[i], "لل")) {
			// Not after a word of agency: in بهجوم للحشد the ل brings
			// in the doer.
			sep()
		}
		if n := len(toks); n > 0 && isVerb(toks[n-1]) && isVerb(c) && isASCIIWord(raw[i]) && i+1 < len(raw) &&
			!isStop(raw[i+1]) && !prepositions[raw[i+1]] && (pastForm(raw[i]) || irregularParticiples[raw[i]]) {
			// A participle right after a verb describes its object
			// ("free kidnapped soldiers"): not the act itself, which
			// "kidnap soldiers" is.
			c += "~adj"
		}
		n := len(toks)
		if arVerb >= 0 && arAgent < 0 && passive < 0 && n > arVerb+1 && agencyAt(raw, i) {
			arAgent = n
			if agencyOnly[raw[i]] {
				// "by the fire of": the doer follows.
				continue
			}
		}
		if n == 0 || n == 1 && i == counted {
			if nominalAct(raw[i], c) {
				arVerb = n
			}
		} else if (arVerb == 0 || nounStart) && m.forWhom(raw[i], c, toks) {
			add(markTo)
		}
		add(c)
		if i == counted {
			// A counted noun is no title before a name: السجن 12 عاما
			// لزعيم المعارضة (عام is also الأمين العام's).
			sep()
		}
		if isVerb(c) {
			doerDone = true
		}
		if len(toks) > n && n < 64 && writtenInflected(raw[i]) {
			inflected |= 1 << n
		}
		if len(toks) == n {
			if passive == n {
				passive = -1 // a word said before, which has no place
			}
			if isVerb(c) {
				sep()
			}
		}
	}
	// The doer a passive names after "by" runs to the next break: "killed
	// by Israeli fire near Ramallah" names the fire, and Ramallah is where.
	agentEnd := len(toks)
	arAgentEnd := len(toks)
	for k := arAgent; arAgent > 0 && k < len(toks)-1 && k < 64; k++ {
		if boundary&(1<<k) != 0 {
			arAgentEnd = k + 1
			break
		}
	}
	// Who an act told as a noun befell runs from it to the next break:
	// in مقتل مهاجر مغربي طعنا في مورسيا the migrant, and Murcia is where.
	arPatientEnd := len(toks)
	for k := arVerb + 1; arVerb >= 0 && k < len(toks)-1 && k < 64; k++ {
		if boundary&(1<<k) != 0 {
			arPatientEnd = k + 1
			break
		}
	}
	if agentStart < 0 {
		agentStart = passive + 1
	}
	if passive >= 0 && agent {
		for k := agentStart; k < len(toks)-1 && k < 64; k++ {
			if boundary&(1<<k) != 0 {
				agentEnd = k + 1
				break
			}
		}
	}
	drop := dropTitles(toks, boundary, inflected, read)
	if dupTitle {
		if drop == nil {
			drop = make([]bool, len(toks))
		}
		for i, t := range toks {
			// A duplicate of a token kept before it.
			for k := 0; k < i && !drop[i]; k++ {
				drop[i] = toks[k] == t && !drop[k]
			}
		}
	}
	if drop != nil {
		kept := make([]string, 0, len(toks))
		p, sp, ae := -1, 0, -1
		av, aa, aae, ape, as := -1, -1, -1, -1, -1
		for i, t := range toks {
			if i == passive && !drop[i] {
				p = len(kept)
			}
			if i == agentEnd {
				ae = len(kept)
			}
			if i == agentStart {
				as = len(kept)
			}
			if i == arVerb && !drop[i] {
				av = len(kept)
			}
			if i == arAgent && !drop[i] {
				aa = len(kept)
			}
			if i == arAgentEnd {
				aae = len(kept)
			}
			if i == arPatientEnd {
				ape = len(kept)
			}
			if i < speaker && !drop[i] {
				sp++
			}
			if !drop[i] {
				kept = append(kept, t)
			}
		}
		if ae < 0 {
			ae = len(kept)
		}
		if aae < 0 {
			aae = len(kept)
		}
		if ape < 0 {
			ape = len(kept)
		}
		if as < 0 {
			as = len(kept)
		}
		toks, passive, agentEnd, agentStart = kept, p, ae, as
		arVerb, arAgent, arAgentEnd, arPatientEnd = av, aa, aae, ape
		if speaker >= 0 {
			speaker = sp
		}
	}
	if speaker > 0 && speaker < len(toks) {
		// Who says goes after what is said, so that the verb said stands
		// between the speaker and the doer as a verb would: "Israel says
		// Hamas rejected deal" and "Hamas says Israel rejected deal" are
		// read "Hamas rejected deal, Israel" and "Israel rejected deal,
		// Hamas", whose names swapped across "rejected". Saying itself is
		// a filler and not compared.
		if read != nil {
			*read = append(*read, "who says, put after what is said: "+strings.Join(toks[:speaker], " "))
		}
		toks = slices.Concat(toks[speaker:], marked(markSaid, len(toks)), toks[:speaker])
	} else if passive > 0 && passive < len(toks) {
		// Put the passive as the active voice would: "Barcelona beaten by
		// Real Madrid" is read "Real Madrid beat Barcelona". Without a
		// doer, the verb goes last, where it stands between no two
		// others: "Five killed in Israeli strike" neither says nor denies
		// that the strike killed.
		v := toks[passive]
		if read != nil {
			how := "without a doer: the verb put last"
			if agent {
				how = "the doer put first"
			}
			*read = append(*read, "passive ("+v+") read as the active voice, "+how)
		}
		// Marks say where the doer or the patient ends (see markDoer).
		switch {
		case agent:
			// "to death" between the verb and "by" goes with the verb.
			as := min(max(agentStart, passive+1), agentEnd)
			toks = slices.Concat(toks[as:agentEnd], marked(markDoer, len(toks)), []string{v}, toks[passive+1:as], toks[:passive], toks[agentEnd:])
		default:
			toks = slices.Concat(toks[:passive], marked(markPatient, len(toks)), toks[passive+1:], []string{v})
		}
	} else if passive < 0 && arVerb >= 0 && arVerb < len(toks)-1 {
		// The Arabic act told as a noun is a passive too: "مقتل جندي
		// برصاص فلسطيني", a soldier killed by a Palestinian's fire, is
		// read "Palestinian fire killed soldier", as "مقتل فلسطيني
		// برصاص جندي" is read the other way; without agency, the verb
		// goes last ("مقتل 30 في قصف").
		v := toks[arVerb]
		if arAgent > arVerb && arAgent < arAgentEnd && arAgentEnd <= len(toks) {
			if read != nil {
				*read = append(*read, "act told as a noun ("+v+") read as the active voice, the doer put first")
			}
			toks = slices.Concat(toks[arAgent:arAgentEnd], marked(markDoer, len(toks)), []string{v}, toks[:arVerb], toks[arVerb+1:arAgent], toks[arAgentEnd:])
		} else {
			if read != nil {
				*read = append(*read, "act told as a noun ("+v+") read without a doer: the verb put last")
			}
			if pe := arPatientEnd; pe > arVerb+1 && pe <= len(toks) && patientActs()[v] {
				toks = slices.Concat(toks[:arVerb], toks[arVerb+1:pe], marked(markPatient, len(toks)), toks[pe:], []string{v})
			} else {
				toks = append(slices.Delete(toks, arVerb, arVerb+1), v)
			}
		}
	}
	for _, k := range late {
		toks = append(toks, marked(k, len(toks))...)
	}
	for _, k := range kinds {
		if slices.Contains(toks, k) && !slices.Contains(toks, markKind+k) {
			toks = append(toks, marked(markKind+k, len(toks))...)
		}
	}
	return toks
}

// markPossessed adds a kind mark (see markKind) for each name a
// possessive brings in after a name that is no country, in a headline in
// sentence case: "Amazon's Ring", "Meta's WhatsApp", "Netanyahu's
// Likud". The unit is not its owner: a headline that names the owner
// alone tells of another subject. One that names the unit alone
// ("Ring") may tell the same story, and the mark, whose word it has,
// says nothing there.
func (m *Matcher) markPossessed(stripped string, toks []string, read *[]string) []string {
	if strings.IndexByte(stripped, '\'') < 0 && !strings.Contains(stripped, "’") {
		return toks
	}
	words := strings.Fields(stripped)
	if !sentenceCase(words) {
		return toks
	}
	for i := 0; i+1 < len(words); i++ {
		owner, ok := strings.CutSuffix(words[i], "'s")
		if !ok {
			owner, ok = strings.CutSuffix(words[i], "’s")
		}
		name := strings.TrimRight(words[i+1], ",.:;")
		if !ok || owner == "" || !startsUpper(owner) || !startsUpper(name) || allCaps(name) {
			continue
		}
		o, n := Normalize(owner), Normalize(name)
		if strings.Contains(n, " ") || countryOrCapital(m.normalizedForm(o)) || possessives().countries[m.normalizedForm(o)] {
			continue
		}
		f := m.normalizedForm(n)
		if possessives().notNames[f] || titleSet()[f] || isVerb(f) || isStop(n) || !slices.Contains(toks, f) || slices.Contains(toks, markKind+f) {
			continue
		}
		if read != nil {
			*read = append(*read, "a name after an owner's possessive, marked as the owner's part: "+name)
		}
		toks = append(toks, marked(markKind+f, len(toks))...)
	}
	return toks
}

// sentenceCase reports whether a headline's words are in sentence case:
// some word after the first, of four letters or more, starts in lower
// case. In title case every word is capitalized and names are not told
// by it.
func sentenceCase(words []string) bool {
	for _, w := range words[min(1, len(words)):] {
		if utf8.RuneCountInString(w) >= 4 && startsLetter(w) && !startsUpper(w) {
			return true
		}
	}
	return false
}

// kindsLast moves the kind marks of toks after every other token, where
// Score reads them (see cutKinds): a speaker put after what is said
// comes after the marks of what is said.
func kindsLast(toks []string) []string {
	if rest, _ := cutKinds(toks); !slices.ContainsFunc(rest, func(t string) bool { return strings.HasPrefix(t, markKind) }) {
		return toks
	}
	out := make([]string, 0, len(toks))
	var kinds []string
	for _, t := range toks {
		if strings.HasPrefix(t, markKind) {
			kinds = append(kinds, t)
		} else {
			out = append(out, t)
		}
	}
	return append(out, kinds...)
}

// markKind marks a relational adjective that says which of its noun's
// kind the noun is (see kindAdjective): a qualifier, so that a headline
// that has it and one that has not are not one story.
const markKind = "~kind:"

// kindAdjective reports whether raw, an Arabic word after another with
// canonical form c, is a relational adjective with the article (a nisba:
// العسكرية, الاتحادية, المحلية, الإلكترونية, الشعبية) that makes its noun
// another of its kind: المحكمة العسكرية is not المحكمة, الشرطة الاتحادية
// not الشرطة, الانتخابات المحلية not الانتخابات. Such adjectives are
// many; a list of qualifiers (qualifiers.txt) knew some and missed more in
// every held-out set, while their shape says what they are. Not a
// nationality or a place's (a country the lexicon knows), a number's, nor
// the adjectives of describedKinds, which say how a thing is, not which.
func kindAdjective(raw, c string) bool {
	if isASCIIWord(raw) || !nisbaShaped(raw) ||
		utf8.RuneCountInString(raw) < 5 || hasDigit(c) || isMark(c) {
		return false
	}
	return !countryTokens()[c] && !nisbaPlaces()[c] && !describedKinds[c] && !describedKinds[Stem(raw)] && !isQualifier(c)
}

// nisbaEnding reports whether an Arabic word ends as a relational
// adjective does (ي, or يه for ية as Normalize writes it).
func nisbaEnding(w string) bool { return strings.HasSuffix(w, "ي") || strings.HasSuffix(w, "يه") }

// nisbaShaped reports whether an Arabic word is written as a relational
// adjective with the article: العسكرية, الساحلي, اليمني.
func nisbaShaped(w string) bool { return strings.HasPrefix(w, "ال") && nisbaEnding(w) }

// definite reports whether an Arabic word has the article, alone or
// after a preposition or a conjunction glued on (المحكمة, بالمحكمة,
// والمحكمة): an adjective with the article follows a noun that has it.
func definite(raw string) bool { return strings.HasPrefix(raw, "ال") || gluedArticle(raw) }

// describedKinds are relational adjectives that belong to a name or say
// how a thing is, as forms of kindAdjective: مجلس الأمن الدولي is the
// Security Council, الضفة الغربية the West Bank, الغارة الجوية a raid,
// المتحدث الرسمي the spokesman.
var describedKinds = func() map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(`دولي دوليه عربي عربيه خليجي خليجيه اوروبي اوروبيه افريقي افريقيه اسيوي اسيويه
		اممي امميه غربي غربيه شرقي شرقيه شمالي شماليه جنوبي جنوبيه اسلامي اسلاميه صهيوني صهيونيه اوربي اوربيه
		رسمي رسميه تاريخي تاريخيه فوري فوريه رييسي رييسيه قياسي قياسيه جماعي جماعيه حالي حاليه
		جوي جويه صاروخي صاروخيه ارهابي ارهابيه دموي دمويه حكومي حكوميه ثوري ثوريه
		امني امنيه طبي طبيه صحي صحيه انساني انسانيه دبلوماسي دبلوماسيه سياسي سياسيه
		اقتصادي اقتصاديه ماضي ماضيه جاري جاريه دوري ثنايي ثناييه اخري`) {
		set[w] = true
	}
	return set
}()

// placeFollows reports whether raw[i] starts a place: a kind of place
// (مدينة, قطاع), a country or a capital.
func (m *Matcher) placeFollows(raw, words []string, i int) bool {
	if markGroup(kindMarks[raw[i]]) == "place" || placeKindAt(raw, words, i) {
		return true
	}
	return countryOrCapital(m.canonicalWord(words[i]))
}

// verbFirstSubject returns where the subject ends in an Arabic headline
// that starts with a verb in the present tense followed by a title (يبدأ
// وزير الخارجية الإيراني جولة): after the title and the words that are
// part of it (a portfolio, a country, a nisba), before the next title or
// another word. 0 when the headline is not so, or when a given name
// follows the title, where the name's end is not known.
func (m *Matcher) verbFirstSubject(raw, words []string) int {
	if len(raw) < 4 || !isVerb(m.canonicalWord(words[0])) {
		return 0
	}
	if !leadTitles[raw[1]] {
		return m.definiteSubject(raw, words)
	}
	if !arabicPresent(raw[0]) && !arabicPast(raw[0]) {
		return 0
	}
	j := 2
	for j < len(raw) && j < 6 && !leadTitles[raw[j]] && !isStop(raw[j]) && inTitle(m.canonicalWord(words[j]), true) {
		j++
	}
	if j >= len(raw)-1 || givenNames()[m.canonicalWord(words[j])] {
		return 0
	}
	return j
}

// forWhom reports whether raw, a word of an Arabic headline whose act is
// told as a noun (canonical form c, after toks), brings in with its ل
// whom the act is done to, after its doer: اتهام إيران لإسرائيل, إقصاء
// الأهلي للزمالك. The ل then ends the doer as إلى does (markTo, once).
// Only a ل that Stem or the article took off: لبنان and لجنة are words.
func (m *Matcher) forWhom(raw, c string, toks []string) bool {
	n := len(toks)
	return n >= 2 && strings.HasPrefix(raw, "ل") && !isVerb(toks[n-1]) && !isMark(toks[n-1]) &&
		(strings.HasPrefix(raw, "لل") || c != raw && strings.HasSuffix(raw, c)) && !slices.Contains(toks, markTo)
}

// namesLikeVerbs are names, with the article, whose stem the lexicon
// reads as a verb: الترجي (the club; ترجي is أرجأ, postponed) and
// العين (the club and city; عين is appointed). The article says a name.
var namesLikeVerbs = map[string]string{"الترجي": "الترجي", "العين": "العين"}

// nounFirst reports whether an Arabic headline starts with a noun in the
// construct state, without its article: استقبال الملك لرئيس الوزراء,
// زيارة الرئيس للرياض. Its genitive is who acts, and ل brings in whom the
// act is for, as with an act the lexicon reads as a verb.
func nounFirst(raw []string) bool {
	w := raw[0]
	return w != "" && w[0] >= utf8.RuneSelf && !strings.HasPrefix(w, "ال") && !arabicPresent(w) &&
		utf8.RuneCountInString(w) >= 4 && len(raw) > 1 && raw[1] != "" && raw[1][0] >= utf8.RuneSelf && !arabicPresent(raw[1])
}

// definiteSubject returns where the subject ends in an Arabic headline
// that starts with a verb, present or past, and then a noun with the
// article and the adjectives of relation after it: تستضيف الدوحة جولة,
// هزم المنتخب العراقي نظيره السعودي (VSO, as other wires write SVO). A
// past tense is told from a verbal noun by its length: three letters, or
// four with its alef (هزم, شكا, أعلن); a verbal noun first is an act told
// as a noun, read elsewhere. 0 when the headline is not so.
func (m *Matcher) definiteSubject(raw, words []string) int {
	n := utf8.RuneCountInString(raw[0])
	switch {
	case raw[0] == "يقتل" || raw[0] == "يصيب":
		// A toll's rise told as a killing (see tollRises): its own
		// order.
		return 0
	case strings.HasPrefix(raw[0], "ي"):
		// He does: يستضيف, يهزم.
		if n < 4 {
			return 0
		}
	case strings.HasPrefix(raw[0], "ت"):
		// She does, but تأهل, تنازل, تراجع are verbal nouns as often:
		// only the long forms (تستضيف, تستأنف) and those of a verb
		// whose own first letter is ت (تتهم, تتسلم; not تتويج).
		if n < 6 && !(strings.HasPrefix(raw[0], "تت") && n >= 4 && raw[0] != "تتويج") {
			return 0
		}
	case arabicPast(raw[0]):
		// He did, she did: هزم, أعلن, استقبل, هزمت, اتهمت.
	default:
		return 0
	}
	if !strings.HasPrefix(raw[1], "ال") || utf8.RuneCountInString(raw[1]) < 4 || notSubjects[raw[1]] {
		// A country or a long-serving leader needs no article: اتهمت
		// إيران إسرائيل, دعا أردوغان بوتين.
		if m.properSubject(words[1]) && len(raw) > 3 {
			return 2
		}
		return 0
	}
	j := 2
	for j < len(raw) && j < 4 && nisbaShaped(raw[j]) {
		j++
	}
	if j >= len(raw)-1 {
		return 0
	}
	return j
}

// arabicPast reports whether w, an Arabic word the lexicon reads as a
// verb, is written as a past tense rather than as the verbal noun: three
// letters (هزم), an alef first and no alef before the last letter
// (أعلن, انتقد, استقبل against إعلان, انتقاد, استقبال), or four letters
// with the alef second (هاجم, طالب), with a feminine ت or without (هزمت,
// استقبلت). Not a plural in ات.
func arabicPast(w string) bool {
	if w == "" || w[0] < utf8.RuneSelf || strings.HasPrefix(w, "ال") || strings.HasSuffix(w, "ات") {
		return false
	}
	if r, ok := strings.CutSuffix(w, "ت"); ok && utf8.RuneCountInString(r) >= 3 {
		w = r
	}
	rs := []rune(w)
	if len(rs) == 3 {
		return true
	}
	// The third form has its alef second (هاجم, طالب); its verbal noun
	// is another word (مهاجمة, مطالبة).
	return len(rs) >= 4 && rs[0] == 'ا' && rs[len(rs)-2] != 'ا' || len(rs) == 4 && rs[1] == 'ا'
}

// properSubject reports whether w, after a verb said first, is a subject
// that takes no article: a country, a capital or a leader the office
// table knows.
func (m *Matcher) properSubject(w string) bool {
	c := m.canonicalWord(w)
	// The country's name, not its adjective: حظر سعودي is a Saudi ban,
	// an act told as a noun.
	return countryOrCapital(c) && c == w || officeHolderNames()[c]
}

// officeHolderNames are the holders of officeHolders as tokens.
var officeHolderNames = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, h := range offices().byKey {
		set[h] = true
	}
	return set
})

// notSubjects are words with the article that follow a verb said first
// without being its subject: days and times (تبدأ اليوم محادثات).
var notSubjects = map[string]bool{"اليوم": true, "الليله": true, "الان": true, "الاسبوع": true, "الشهر": true, "العام": true, "الخميس": true, "الجمعه": true, "السبت": true, "الاحد": true, "الاثنين": true, "الثلاثاء": true, "الاربعاء": true}

// leadTitles are the Arabic words a title starts with, as Normalize
// writes them.
var leadTitles = map[string]bool{
	"رييس": true, "الرييس": true, "وزير": true, "الوزير": true, "ملك": true, "الملك": true,
	"العاهل": true, "امير": true, "الامير": true, "ولي": true, "سلطان": true, "السلطان": true,
	"سفير": true, "السفير": true, "مبعوث": true, "المبعوث": true, "قايد": true, "القايد": true,
	"الامين": true, "امين": true, "نايب": true, "حاكم": true, "رييسه": true, "وزيره": true,
}

// arabicPresent reports whether the Arabic word w is written as a verb in
// the present tense (يفعل, تفعل, نفعل, يشل) of three letters or more.
func arabicPresent(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	return presentPrefixes[string(r)] && utf8.RuneCountInString(w[size:]) >= 2
}

// fractionPcts are the fractions wires write for a share of people or
// things ("half of", نصف سكان), as percentages.
var fractionPcts = map[string]string{"half": "50", "quarter": "25", "نصف": "50", "ربع": "25"}

// fractionBlocks follow a fraction that is no share: نصف النهائي (the
// semi-final), نصف ساعة, ربع قرن, "half of the year" still is one.
var fractionBlocks = map[string]bool{
	"نهايي": true, "النهايي": true, "نهاييه": true, "ساعه": true, "قرن": true, "شهر": true,
	"عام": true, "يوم": true, "الطريق": true, "المسافه": true, "a": true, "an": true, "the": true,
}

// weekdays are the days of the week, as Normalize writes them.
var weekdays = func() map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(`monday tuesday wednesday thursday friday saturday sunday
الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت احد اثنين ثلاثاء اربعاء خميس جمعه سبت`) {
		set[w] = true
	}
	return set
}()

// dayOfMonth reports whether w is a day of the month written in digits.
func dayOfMonth(w string) bool {
	n, err := strconv.Atoi(w)
	return err == nil && n >= 1 && n <= 31 && len(w) <= 2
}

// dualBases are Arabic nouns whose plural is broken (جنود, أطفال), so
// that their form in -ين or -ان is a dual, two of them; a noun with a
// sound plural (مواطنين) may be either. As Stem writes them.
var dualBases = map[string]bool{
	"جندي": true, "شخص": true, "طفل": true, "شاب": true, "ضابط": true, "عنصر": true,
	"قارب": true, "منزل": true, "شهيد": true, "قتيل": true, "جريح": true, "اسير": true,
	"طالب": true, "طبيب": true, "رجل": true, "سايح": true, "عامل": true, "صاروخ": true,
	"طايره": true, "سياره": true, "مبني": true, "لاعب": true, "هدف": true,
}

// dualOf returns the noun of w when w is its dual (see dualBases).
func dualOf(w string) (string, bool) {
	for _, suf := range [...]string{"ين", "ان"} {
		base, ok := strings.CutSuffix(w, suf)
		if !ok {
			continue
		}
		if dualBases[base] {
			return base, true
		}
		// A feminine's ة is ت before the ending: طائرتين.
		if b, ok := strings.CutSuffix(base, "ت"); ok && dualBases[b+"ه"] {
			return b + "ه", true
		}
	}
	return "", false
}

// kindMarks are the marks of a place's kind, as wires write it before an
// Arabic name or after an English one (مخيم جنين, "Gaza City"), and of
// the day a headline names as today: Jenin's camp is not Jenin city, nor
// Gaza City the Gaza Strip, and a vote today is not tomorrow's. A headline
// without one names no kind or no day (see kindsClash). Normalized words.
//
// A mark's group is what comes before its colon: two marks of one group
// and another kind clash (see kindsClash).
var kindMarks = map[string]string{
	"مدينه": "~place:city", "مخيم": "~place:camp", "قطاع": "~place:strip",
	"city": "~place:city", "camp": "~place:camp", "strip": "~place:strip",
	// A city is not its province nor its countryside: مدينة البصرة,
	// محافظة البصرة; ريف دمشق is a province of its own.
	"محافظه": "~place:province", "province": "~place:province", "governorate": "~place:province",
	"ريف":   "~place:countryside",
	"اليوم": markToday,
	// The highest and the lowest, which the lexicon reads as a record
	// either way (the verb says which way: تهبط إلى مستوى قياسي).
	"اعلي": "~extreme:high", "ادني": "~extreme:low", "highest": "~extreme:high", "lowest": "~extreme:low",
	// A state's kind: سلطنة عمان is Oman, العاصمة عمان Amman.
	"سلطنه": "~place:country", "مملكه": "~place:country", "العاصمه": "~place:city",
	// A missile's kind: a ballistic missile is not a cruise missile.
	"ballistic": "~missile:ballistic", "cruise": "~missile:cruise", "hypersonic": "~missile:hypersonic",
	"باليستي": "~missile:ballistic", "كروز": "~missile:cruise", "فرط": "~missile:hypersonic",
}

// markToday is the mark of a headline that says today (see todayClash).
const markToday = "~today"

// markGroup returns the group of a kind mark ("place" of "~place:city"),
// or "" for a mark of no group.
func markGroup(t string) string {
	if !isMark(t) {
		return ""
	}
	g, _, ok := strings.Cut(t[1:], ":")
	if !ok {
		return ""
	}
	return g
}

// canonicalWord returns the canonical form of one stemmed word: its
// lexicon entry, else its English base (see englishBase) or Arabic
// singular (see arabicSingular) or the lexicon entry of that, else the
// word.
func (m *Matcher) canonicalWord(w string) string {
	if c, ok := m.words[w]; ok {
		return c
	}
	if r, ok := strings.CutPrefix(w, "ال"); ok && len(r) >= 8 {
		// A name whose first letters are an article's (ألمانيا):
		// Stem takes them off the bare adjective (ألماني is ماني) and
		// only the article off the definite one (الألماني is الماني).
		if c, ok := m.words[r]; ok {
			return c
		}
	}
	if a := americanSpelling(w); a != w {
		// The lexicon may hold either spelling.
		if c, ok := m.words[a]; ok {
			return c
		}
		w = a
	}
	if r, ok := strings.CutSuffix(w, "ا"); ok && len(r) >= 8 && r[0] >= utf8.RuneSelf {
		// The accusative of an act the lexicon knows (its canonical
		// form is a verb, يرتفع): تسجل ارتفاعا. Not of a noun: the lexicon reads some duals as the noun
		// (منزلين is منزل), and منزلا is one house.
		if c, ok := m.words[r]; ok && strings.HasPrefix(c, "ي") {
			return c
		}
	}
	if mw, ok := masculine(w); ok {
		// The feminine present of a verb the lexicon lists in the
		// masculine only (تدمر, يدمر).
		if c, ok := m.words[mw]; ok {
			return c
		}
	}
	if r, ok := strings.CutSuffix(w, "نا"); ok && len(r) >= 6 && r[0] >= utf8.RuneSelf {
		// A past verb the speaker tells (استهدفنا, "we targeted").
		if c, ok := m.words[r]; ok && strings.HasPrefix(c, "ي") {
			return c
		}
	}
	base, ok := englishBase(w)
	if !ok || isStop(base) || negations[base] {
		// "notes" is no "not".
		base, ok = arabicSingular(w)
	}
	if !ok {
		if c, ok := m.arabicDualVerb(w); ok {
			return c
		}
		return w
	}
	if c, ok := m.words[base]; ok {
		return c
	}
	if !isASCIIWord(base) {
		// A verb whose last letter is weak loses it before the plural's
		// ending: يعتدون is يعتدي, يدعون يدعو.
		for _, weak := range []string{"ي", "و"} {
			if c, ok := m.words[base+weak]; ok {
				return c
			}
		}
	}
	return base
}

// arabicDualVerb returns the canonical form of an Arabic verb in the
// dual of the present tense (يصلان, تلتقيان: "the two arrive") or in a
// plural too short for arabicSingular (ينفون, "they deny", is ينفي) when
// the lexicon knows its singular: "A and B arrive" is told "A arrives
// with B" too, and a denial in the plural is still a denial. Only verbs
// the lexicon knows lose the ending, since many names have this form
// (تايوان, اليونان).
func (m *Matcher) arabicDualVerb(w string) (string, bool) {
	if r, ok := strings.CutSuffix(w, "وا"); ok && utf8.RuneCountInString(r) == 2 {
		// The past plural of a weak verb: نفوا ("they denied") is نفي.
		for _, f := range []string{r + "ي", r + "ا"} {
			if c, ok := m.words[f]; ok {
				return c, true
			}
		}
	}
	if !strings.HasPrefix(w, "ي") && !strings.HasPrefix(w, "ت") {
		return "", false
	}
	for _, suf := range []string{"ان", "ون"} {
		r, ok := strings.CutSuffix(w, suf)
		if !ok || utf8.RuneCountInString(r) < 3 {
			continue
		}
		// A weak last letter goes before the plural's ending (ينفون,
		// يدعون) and stays before the dual's (ينفيان).
		for _, f := range []string{r, r + "ي", r + "و"} {
			if c, ok := m.words[f]; ok {
				return c, true
			}
			if mf, ok := masculine(f); ok {
				// The feminine dual (توقعان) of a verb the lexicon
				// writes in the masculine (يوقع).
				if c, ok := m.words[mf]; ok {
					return c, true
				}
			}
		}
	}
	return "", false
}

// arabicSingular returns an Arabic word without the suffix of a sound
// masculine plural or a plural verb (ون, ين, وا), when at least four
// letters remain (three for وا): مستوطنون and مستوطنين are مستوطن,
// يهاجمون is يهاجم, اقتحموا is اقتحم. Shorter words keep theirs (البحرين
// is not البحر).
func arabicSingular(w string) (string, bool) {
	for _, suf := range []string{"ون", "ين", "وا"} {
		r, ok := strings.CutSuffix(w, suf)
		if !ok {
			continue
		}
		least := 4
		if suf == "وا" {
			least = 3
		}
		if n := utf8.RuneCountInString(r); n >= least && !isASCIIWord(r) && !hasDigit(r) {
			return r, true
		}
	}
	return "", false
}

// dismissWords are "dismiss" as written; rejectedThings are what is
// dismissed when it is rejected rather than someone sacked.
var (
	dismissWords   = map[string]bool{"dismiss": true, "dismisses": true, "dismissed": true, "dismissing": true}
	rejectedThings = map[string]bool{
		"claim": true, "claims": true, "report": true, "reports": true, "allegation": true,
		"allegations": true, "accusation": true, "accusations": true, "threat": true, "threats": true,
		"fears": true, "concerns": true, "criticism": true, "call": true, "calls": true,
		"rumours": true, "rumors": true, "speculation": true, "warning": true, "warnings": true,
		"idea": true, "talk": true, "suggestion": true, "suggestions": true, "charges": true,
		"appeal": true, "request": true, "demands": true, "proposal": true, "plan": true,
		"offer": true, "bid": true, "lawsuit": true, "case": true, "petition": true, "challenge": true,
	}
)

// nounSenses are English words the lexicon reads as verbs of another
// act (storm is raid, fires is launch, pound and rock are strike) that are
// also nouns of their own, and the token of the noun.
var nounSenses = map[string]string{
	"storm": "storm", "storms": "storm",
	"fire": "fire", "fires": "fire",
	// A pound, any country's, as the token £ is written as (prepNumbers).
	"pound": "gbp", "pounds": "gbp",
	"rock": "rock", "rocks": "rock",
	"hit": "hit",
}

// nationality reports whether w is a country's adjective ("Egyptian",
// "Syrian"): before a word of nounSenses it makes it a noun, "Egyptian
// pound", where the country itself ("Israel pounds") does not.
func (m *Matcher) nationality(w string) bool {
	c := m.canonicalWord(w)
	return c != w && countryTokens()[c]
}

// nounCues are words that come before a noun of nounSenses, never before
// a verb: "tropical storm", "deadly fires".
var nounCues = map[string]bool{
	"tropical": true, "winter": true, "snow": true, "severe": true, "dust": true,
	"sand": true, "ice": true, "rain": true, "hail": true, "thunder": true,
	"deadly": true, "massive": true, "huge": true, "powerful": true, "major": true,
	"heavy": true, "big": true, "fierce": true, "violent": true, "the": true, "a": true,
	// Prepositions ("killed by storm Daniel", "after fires"); not "to",
	// which comes before a verb too.
	"by": true, "after": true, "before": true, "amid": true, "in": true, "of": true,
	"from": true, "during": true, "on": true, "at": true, "over": true,
	"s": true, // "Egypt's pound weakens"
}

// detachedProclitic reports whether w is an Arabic preposition of one
// letter standing alone (ب, ل, ك).
func detachedProclitic(w string) bool { return w == "ب" || w == "ل" || w == "ك" }

// weatherCues are the nounCues of weather: before "pounds" they are its
// subject ("Heavy rain pounds Jeddah"), not a currency's adjective.
var weatherCues = map[string]bool{"rain": true, "snow": true, "hail": true, "ice": true, "storm": true, "winds": true, "sand": true, "dust": true, "thunder": true}

// wordForm is one word as the pipeline compares it: normalized, Latin
// diacritics folded, stemmed, and read through the lexicon. The word sets
// built from lists written by hand (countries, given names) hold it.
func (m *Matcher) wordForm(w string) string { return m.normalizedForm(Normalize(w)) }

// normalizedForm is wordForm of a word Normalize has already written.
func (m *Matcher) normalizedForm(n string) string { return m.canonicalWord(Stem(foldLatin(n))) }

// phraseAt reports how many words of a lexicon phrase start at words[i],
// longest first; 0 if none.
func (m *Matcher) phraseAt(words []string, i int) int {
	if n := m.phraseFrom(words, i); n > 0 {
		return n
	}
	if mw, ok := masculine(words[i]); ok && m.starts[mw] {
		// The feminine of a phrase the lexicon lists in the masculine
		// (تطلق سراح, يطلق سراح).
		orig := words[i]
		words[i] = mw
		if n := m.phraseFrom(words, i); n > 0 {
			return n
		}
		words[i] = orig
	}
	return 0
}

// masculine returns the masculine of w, an Arabic present-tense verb
// told of a feminine subject (تطلق, يطلق): the form the lexicon lists.
// At least two letters follow the ت.
func masculine(w string) (string, bool) {
	if r, ok := strings.CutPrefix(w, "ت"); ok && len(r) >= 4 {
		return "ي" + r, true
	}
	return "", false
}

// phraseFrom is phraseAt for words[i] as it is.
func (m *Matcher) phraseFrom(words []string, i int) int {
	if !m.starts[words[i]] {
		return 0
	}
	var buf [64]byte
	for n := min(maxPhrase, len(words)-i); n >= 2; n-- {
		key := append(buf[:0], words[i]...)
		for _, w := range words[i+1 : i+n] {
			key = append(append(key, ' '), w...)
		}
		if _, ok := m.phrases[string(key)]; ok {
			return n
		}
	}
	return 0
}

func contains(toks []string, t string) bool {
	for _, x := range toks {
		if x == t {
			return true
		}
	}
	return false
}

// foldLatin removes the diacritics of Latin letters (é → e, ğ → g, ø stays
// ø), so that "Erdoğan" and "Erdogan" agree. Other scripts are untouched:
// Arabic has its own rules in Normalize.
// strokedLetters are Latin letters NFD leaves whole, as their plain
// letters (Đoković is Djokovic's Dokovic; Łódź is Lodz).
var strokedLetters = map[rune]string{
	'đ': "d", 'ł': "l", 'ø': "o", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ı': "i", 'ħ': "h", 'ŧ': "t",
}

func foldLatin(w string) string {
	latin := false
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			r, _ := utf8.DecodeRuneInString(w[i:])
			if r >= 0x00C0 && r <= 0x024F || r >= 0x1E00 && r <= 0x1EFF {
				latin = true
				break
			}
		}
	}
	if !latin {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if r >= 0x0300 && r <= 0x036F {
			continue
		}
		if s, ok := strokedLetters[r]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(r)
	}
	// Composing again keeps marks on non-Latin letters as Normalize left
	// them.
	return norm.NFC.String(b.String())
}

// rawQualifiers are Arabic words that name a team's category only with
// the preposition ل and article they are written with ("منتخب مصر
// للشباب"): Stem would leave شباب, which alone means young men. They
// become the qualifier Score knows.
var rawQualifiers = map[string]string{
	// The juniors (under 17) are another side than the youth (under 20).
	"للشباب": "youth", "للاواسط": "youth", "للناشيين": "junior", "للناشيات": "junior",
	"للسيدات": "women", "للشابات": "women", "للرديف": "reserve",
	// Home-based players' side is not the national team (منتخب المغرب
	// للمحليين).
	"للمحليين": "locals",
	// What may happen is not what did: "could cut rates" / "cuts rates".
	"could": "could", "might": "could",
	// An acting minister (وزير الخارجية بالوكالة) is not the minister.
	"بالوكاله": "interim",
}

// sayings are the canonical forms of the verbs of saying; they are
// fillers too (isFiller).
var sayings = map[string]bool{"say": true, "claim": true, "claims": true, "يقول": true, "announce": true, "يعلن": true, "يوكد": true}

// abdNames are عبد as English wires write it before the rest of a name.
var abdNames = map[string]bool{"abdul": true, "abdel": true, "abd": true, "abdal": true, "abdol": true}

// fillers are intensifiers wires add or leave out at will ("massive drone
// attack", "هجوم عنيف"); like stop words, they are not compared.
var fillers = map[string]bool{
	// Saying (sayings) is how a wire frames a story, not the story:
	// "Houthis say they attacked" is "Houthis claim attack".
	"they": true, "their": true, "them": true, "he": true, "she": true, "his": true,
	"her": true, "we": true, "our": true, "you": true,
	"massive": true, "huge": true, "large": true, "big": true, "major": true,
	"heavy": true, "fierce": true, "intense": true, "violent": true,
	"rage": true, "rag": true, // "as wildfire rages", "raging fighting"
	"undergo": true, "undergoes": true, "underwent": true, // "undergoes surgery", "has surgery"
	"بنسبه": true, "نسبه": true,
	"عنيف": true, "عنيفه": true, "ضخم": true, "ضخمه": true, "اسع": true, "اسعه": true, // واسع, واسعة: its waw reads as the conjunction (Stem)

	"deadly": true, "devastating": true, "powerful": true, "strong": true,
	// Epithets a wire puts before a name or a thing and another leaves
	// out: "embattled President Yoon", "long-awaited opening", الفنان
	// المخضرم, القيادي البارز (as Stem leaves them). Not a word that
	// says which one (former, acting: qualifiers).
	"embattl": true, "beleaguer": true, "troubl": true, "struggl": true, "veteran": true,
	"controversial": true, "outspoken": true, "influential": true, "legendary": true,
	"iconic": true, "renown": true, "prominent": true, "fam": true, "celebrat": true,
	"belov": true, "notorious": true, "longawaited": true,
	"مخضرم": true, "مخضرمه": true, "شهير": true, "شهيره": true, "معروف": true, "معروفه": true,
	"بارزه": true, "عريق": true, "عريقه": true, "قدير": true, "قديره": true,
	"مدمر": true, "مدمره": true, "قوي": true, "قويه": true, "شديد": true, "شديده": true,
	// Said of feasts and months, not of events: عيد الفطر المبارك.
	"مبارك": true,
	// A country's team is the country in a sports headline: المنتخب
	// المغربي يتأهل, Morocco qualifies. Its age or sex is a qualifier,
	// which Score reads apart (see qualifiers).
	"منتخب": true, "team": true, "squad": true,
	// Where in a place, when the place is named: "Al-Aqsa compound",
	// باحات المسجد الأقصى.
	"compound": true, "courtyard": true, "courtyards": true, "باحات": true, "ساحات": true,
	// "دبابة من طراز ميركافا", a Merkava tank; "Mount Ruang", "Ruang
	// volcano".
	"طراز": true, "mount": true, "mt": true, "volcano": true,
	// "تدين بأشد العبارات", condemns in the strongest terms.
	"باشد": true, "اشد": true, "عبارات": true,
	// "ballistic missile": the missile (Arabic: rawFillers).
	"ballistic": true,
	// "6.1 درجات" on the Richter scale, "40 درجة": the number says it.
	"درجه": true,
	// How official, and where off: "officially", رسميا, زيارة رسمية;
	// قبالة (off the coast of).
	"officially": true, "formally": true, "رسميا": true, "رسمي": true, "رسميه": true, "قباله": true,
	// Connectives of cause (بسبب, جراء, "due to"): the events they join
	// are the story. Those of time (بعد, إثر) are read, not dropped:
	// before and after differ.
	"بسبب": true, "due": true, "بواقع": true,
	// Counts and their qualifiers: "2,000 more people", 2000 شخص آخرين,
	// "most" areas (معظم, أغلب), "the entire cabinet" (بالكامل), a toll
	// (حصيلة), "by" an amount (بمقدار); the count is the story's.
	"more": true, "additional": true, "further": true, "most": true, "entire": true, "whole": true,
	"اخرين": true, "اخريات": true, "اضافي": true, "اضافيين": true, "اضافيه": true, "اكثر": true,
	"معظم": true, "اغلب": true, "كامل": true, "حصيله": true, "بمقدار": true,
	// Light verbs around the act: "gets 14 years" (sentenced), "sees
	// record passengers", "will resign", "continues to rise" (يواصل),
	// يقرر خفض الفائدة (decides to cut), تشن ضربات (carries out), يسجل
	// ارتفاعا (records a rise), يعقد جلسة (holds a session), يسفر عن
	// (results in), يجبر على (forces to), تنجح في, تتمكن من (succeeds in).
	"get": true, "gets": true, "got": true, "see": true, "sees": true, "saw": true, "will": true,
	"continues": true, "continu": true, "يواصل": true, "تواصل": true, "يقرر": true,
	"يشن": true, "تشن": true, "شن": true, "شنت": true,
	"يسجل": true, "تسجل": true, "سجل": true, "سجلت": true, "تسجيل": true, "يعقد": true, "تعقد": true,
	"يسفر": true, "اسفر": true, "اسفرت": true, "تسفر": true, "يجبر": true, "تجبر": true, "اجبر": true, "اجبرت": true,
	"تنجح": true, "ينجح": true, "نجحت": true, "تتمكن": true, "يتمكن": true, "تمكنت": true,
	// How an event is qualified: a fire "breaks out" (اندلاع), a "huge"
	// one (هائل), "heavy" rain (غزيرة), "sweeping" floods (جارفة),
	// "armed" clashes, a "border" crossing, a "fatal" crash, a
	// "special" envoy, a "prominent" leader (بارز), "unchanged" rates,
	// "general" (عامة), the danger (خطر) of famine, "again" (مجددا).
	"اندلاع": true, "يندلع": true, "تندلع": true, "اندلع": true, "اندلعت": true, "هايل": true, "هايله": true,
	"غزيره": true, "جارفه": true, "مسلحه": true, "حدودي": true, "fatal": true, "مميت": true, "مميته": true,
	"special": true, "بارز": true, "بارزا": true, "unchanged": true, "steady": true, "عامه": true,
	"خطر": true, "مجددا": true, "اوضاع": true, // "the situation" in Gaza
	// Where and when: باتجاه (towards), داخل (inside), وسط (central,
	// amid), اعتبارا من, بدءا من (starting
	// from), بين (between: اتصال هاتفي بين أردوغان وبوتين, they talk).
	"باتجاه": true, "داخل": true, "وسط": true, "اعتبارا": true, "بدءا": true,
	"بين": true, "between": true,
	// Who stands behind the act, beside the doer: شبكة تابعة للحوثيين (a
	// Houthi network), بوساطة صينية, برعاية (brokered), the authorities
	// (the state itself), تدعم ماليا (funds), ضخ استثمارات (pumps
	// investment), من مهامه (from his duties).
	"تابعه": true, "بوساطه": true, "برعايه": true, "سلطات": true, "authorities": true,
	"ماليا": true, "ضخ": true, "مهامه": true,
	// What an act is for: "on charges of" (بتهمة), "suspected of"
	// (مشتبها), of committing (بارتكاب), "crowned as champion" (بطلا)
	// "with the title" (بلقب), regarding (إزاء).
	"بتهمه": true, "بتهم": true, "مشتبه": true, "مشتبها": true, "مشتبهين": true, "بارتكاب": true,
	"بلقب": true, "بطلا": true, "ازاء": true,
	// Units the number says: "rials per dollar" (see perUnits), "50C",
	// "50 degrees", 50 درجة مئوية, خدمة الإنترنت (the internet service).
	"per": true, "degree": true, "ميويه": true, "خدمه": true,
}

// placeKinds are the words wires put before a place's name or leave out:
// مدينة صور, صور; "the city of Tyre", Tyre. Arabic ones before a word
// that is no stop word (as written, or with a glued preposition:
// بمدينة); English ones before "of". الجزيرة alone is also the channel,
// so only بجزيرة (on the island of) is one.
var placeKinds = map[string]bool{
	"مدينه": true, "بلده": true, "قريه": true, "مخيم": true, "محافظه": true, "ولايه": true, "بجزيره": true, "اقليم": true, "قصر": true, "لايه": true, "سلطنه": true, "دوله": true, "دول": true,
	// A group's kind before its name, جماعة الحوثي, is one too. Not
	// حركة: حركة فتح names Fatah, whose name alone reads as "opens".
	"جماعه": true, "city": true, "town": true, "village": true, "island": true, "province": true, "region": true,
}

// placeKindAt reports whether words[i] is a place's kind before its name
// (see placeKinds).
func placeKindAt(raw, words []string, i int) bool {
	if i+1 >= len(raw) {
		return false
	}
	w := words[i]
	if isASCIIWord(w) {
		return placeKinds[w] && raw[i+1] == "of" && i+2 < len(raw) && !isStop(raw[i+2])
	}
	if isStop(raw[i+1]) {
		return false
	}
	if r, ok := cutProclitic(w); ok && placeKinds[r] {
		return true
	}
	return placeKinds[w]
}

// rawFillers are fillers as Normalize writes them, where Stem would read
// a word wrongly: صاروخ باليستي is the missile, and Stem takes باليستي's
// بال for a preposition and the article.
var rawFillers = map[string]bool{
	"باليستي": true, "باليستيه": true, "بالستي": true, "بالستيه": true, "باليستيا": true, "بالستيا": true,
	"وباء": true, // تفشي وباء الكوليرا: the outbreak of cholera (Stem: باء)
}

// nominalAct reports whether the Arabic word w, read as the verb c, is
// the act told as a noun where a headline starts (مقتل, استشهاد, اعتقال,
// قتلى after a number), or a verb in the past (قتل, اعتقلت): anything but
// the present tense (يقتل, تعتقل, نعتقل), which has its doer before it.
// The past of a verb-first headline has its doer after it as the noun
// has its possessor, and neither sets roles by their order.
func nominalAct(w, c string) bool {
	if w == "" || w[0] < utf8.RuneSelf || !isVerb(c) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	return r != 'ي' && r != 'ت' && r != 'ن'
}

// agencyWords bring in who did an act told as a noun: برصاص (by the
// fire of), بنيران, بقصف, بغارة; على يد (at the hands of) is read at يد.
var agencyWords = map[string]bool{
	"برصاص": true, "بنيران": true, "بقصف": true, "بغاره": true, "بغارات": true, "بهجوم": true,
	"بضربه": true, "بصاروخ": true,
}

// agencyOnly are the agency words that say nothing but who: برصاص
// الاحتلال is the army, as "قوات الاحتلال تقتل" is.
var agencyOnly = map[string]bool{"برصاص": true, "بنيران": true, "يد": true, "قبل": true}

// agencyAt reports whether raw[i] brings in a doer (see agencyWords).
func agencyAt(raw []string, i int) bool {
	return agencyWords[raw[i]] || (raw[i] == "يد" && i > 0 && raw[i-1] == "علي") || (raw[i] == "قبل" && i > 0 && raw[i-1] == "من")
}

// vagueCounts are counts without a number: مئات, آلاف, عشرات, "hundreds".
var vagueCounts = map[string]bool{
	"ميات": true, "الاف": true, "عشرات": true, "hundreds": true, "thousands": true, "dozens": true,
}

// yearWords come before a year: عام 2027, لعام 2027.
var yearWords = map[string]bool{"عام": true, "لعام": true, "العام": true, "year": true}

// isYear reports whether w is a year of four digits from 1900 to 2099.
func isYear(w string) bool {
	return len(w) == 4 && (w[:2] == "19" || w[:2] == "20") && isASCIIDigit(w[2]) && isASCIIDigit(w[3])
}

// reachWords bring in a count: "toll tops 2,200", "تتجاوز 2200", "بلغ".
var reachWords = map[string]bool{
	"tops": true, "exceeds": true, "surpasses": true, "passes": true, "reaches": true, "hits": true,
	"بلغ": true, "بلغت": true, "يبلغ": true, "تبلغ": true, "يتجاوز": true, "تتجاوز": true,
	"تجاوز": true, "تجاوزت": true, "يتخطي": true, "تتخطي": true, "تخطي": true, "تخطت": true,
}

// holdWords are the forms of حمّل (to hold someone to account) before
// المسؤولية (see tokens).
var holdWords = map[string]bool{"يحمل": true, "تحمل": true, "حمل": true, "حملت": true}

// countNouns are the nouns wires count with or leave out: "kills 23",
// "kills 23 people", مقتل 23 شخصا. Only after a number.
var countNouns = map[string]bool{"peopl": true, "person": true, "مواطن": true, "شاب": true, "شبان": true}

// romanRegnal are the ordinals of kings and popes in Roman numerals, as
// Normalize leaves them ("ii"). Not i, v and x, which are words.
var romanRegnal = map[string]bool{
	"ii": true, "iii": true, "iv": true, "vi": true, "vii": true, "viii": true, "ix": true,
	"xi": true, "xii": true, "xiii": true, "xiv": true, "xv": true, "xvi": true,
}

// regnalNames are the names an ordinal follows when it is a king's or a
// pope's ("Abdullah II", محمد السادس): given names and a few of royals.
var regnalNames = sync.OnceValue(func() map[string]bool {
	m := Default()
	set := map[string]bool{}
	for w := range givenNames() {
		set[w] = true
	}
	for _, w := range strings.Fields("abdullah charles felipe frederik willem harald philippe carl gustaf leo francis salman عبدالله تشارلز فيليب فيليبي فريدريك ليو فرنسيس سلمان") {
		set[m.wordForm(w)] = true
	}
	return set
})

// isFiller reports whether t is a filler or a verb of saying: words not
// compared.
func isFiller(t string) bool { return fillers[t] || sayings[t] }

// leaveWords and leftStates make the idiom "X leaves N dead": the state
// said after the count is what X did to them.
var (
	leaveWords = map[string]bool{"leave": true, "leaves": true, "left": true, "leaving": true}
	// What "leaves N dead" did, as the active voice says it: read as a
	// participle, "dead" would make the cause the toll's victim.
	leftStates = map[string]string{"dead": "kills", "injured": "injures", "wounded": "wounds", "hurt": "hurts"}
)

// atLeast are the ways wires say a count is a floor ("kills at least 20",
// "مقتل ما لا يقل عن 20"): the story is the count's, and the Arabic form's
// لا is no negation. Normalized words.
var atLeast = [][]string{
	{"at", "least"}, {"no", "fewer", "than"}, {"no", "less", "than"}, {"not", "less", "than"},
	{"ما", "لا", "يقل", "عن"}, {"ما", "لا", "تقل", "عن"}, {"لا", "يقل", "عن"}, {"لا", "تقل", "عن"},
	{"علي", "الاقل"}, {"more", "than"}, {"اكثر", "من"},
}

// withoutAtLeast drops the words of atLeast. raw and words are changed in
// place.
func withoutAtLeast(raw, words []string) ([]string, []string) {
	for i := 0; i < len(raw); i++ {
		for _, p := range atLeast {
			if i+len(p) <= len(raw) && slices.Equal(raw[i:i+len(p)], p) {
				raw = slices.Delete(raw, i, i+len(p))
				words = slices.Delete(words, i, i+len(p))
				break
			}
		}
	}
	return raw, words
}

// tollNouns may stand before a toll ("death toll") and say nothing more;
// hurtWords make it a toll of the hurt (stemmed words).
var (
	tollNouns = map[string]bool{"death": true, "deaths": true, "casualty": true, "casualties": true}
	hurtWords = map[string]bool{"injured": true, "wounded": true, "hurt": true, "injuries": true, "جرحي": true, "مصابين": true, "اصابات": true}
)

// tollRises reads "death toll rises to N" as "kills N", as a wire that
// does not follow the count writes it: "Quake death toll climbs to 2,900"
// / "Quake kills 2,900", "ارتفاع حصيلة ضحايا الزلزال إلى 2900" / "الزلزال
// يقتل 2900". A toll of the hurt is read as "wounds". The rising verb is
// one the lexicon reads as rise (rises, climbs, jumps, ارتفاع), from three
// words before the toll (toll, حصيلة) to five after; the "to" before the number goes with it. raw
// and words are changed in place.
func (m *Matcher) tollRises(raw, words []string) ([]string, []string) {
	// عدد (number) is a toll only as the number of the dead or hurt:
	// "ارتفاع عدد" is said of anything counted, infections, the
	// displaced, visitors.
	t := -1
	for i, w := range words {
		if w == "toll" || w == "حصيله" || w == "عدد" && i+1 < len(words) && (words[i+1] == "ضحايا" || m.casualty(words[i+1])) {
			t = i
			break
		}
	}
	if t < 0 {
		return raw, words
	}
	k := -1
	for j := max(0, t-3); j < len(words) && j <= t+7; j++ {
		if c := m.canonicalWord(words[j]); j != t && (c == "rise" || c == "يرتفع" || reachWords[raw[j]]) {
			k = j
			break
		}
	}
	if k < 0 {
		return raw, words
	}
	hurt := slices.ContainsFunc(words, func(w string) bool { return hurtWords[w] })
	switch {
	case isASCIIWord(raw[t]) && hurt:
		raw[t], words[t] = "wounds", Stem("wounds")
	case isASCIIWord(raw[t]):
		raw[t], words[t] = "kills", Stem("kills")
	case hurt:
		raw[t], words[t] = "يصيب", "يصيب"
	default:
		raw[t], words[t] = "يقتل", "يقتل"
	}
	// The "to" (إلى) right before the number.
	for j := max(t, k) + 1; j+1 < len(raw) && j <= max(t, k)+6; j++ {
		if (raw[j] == "to" || raw[j] == "الي") && hasDigit(raw[j+1]) {
			raw, words = slices.Delete(raw, j, j+1), slices.Delete(words, j, j+1)
			break
		}
	}
	// Whose toll, after it (ضحايا, الشهداء), is said by the verb now.
	if t+1 < len(words) && (words[t+1] == "ضحايا" || !isASCIIWord(words[t+1]) && m.casualty(words[t+1])) {
		raw, words = slices.Delete(raw, t+1, t+2), slices.Delete(words, t+1, t+2)
		if k > t {
			k--
		}
	}
	raw, words = slices.Delete(raw, k, k+1), slices.Delete(words, k, k+1)
	if k < t {
		t--
	}
	if t > 0 && tollNouns[raw[t-1]] {
		raw, words = slices.Delete(raw, t-1, t), slices.Delete(words, t-1, t)
	}
	return raw, words
}

// casualty reports whether the stemmed word w names the dead (شهداء,
// قتلى) or the wounded (جرحى). Not إصابات, which counts infections too.
func (m *Matcher) casualty(w string) bool {
	c := m.canonicalWord(w)
	return c == "يقتل" || c == "kill" || w == "جرحي"
}

// leavesDead rewrites "leaves N dead" as "kills N" ("Storm leaves
// thousands dead in Libya" / "Thousands killed by storm in Libya"): the
// state word takes the place of "leaves", so the doer stands before the
// verb as in the active voice. raw and words are changed in place.
func leavesDead(raw, words []string) ([]string, []string) {
	for i := 0; i+2 < len(raw); i++ {
		if !leaveWords[raw[i]] {
			continue
		}
		for j := i + 2; j < len(raw) && j <= i+4; j++ {
			if v, ok := leftStates[raw[j]]; ok {
				raw[i], words[i] = v, Stem(v)
				raw = slices.Delete(raw, j, j+1)
				words = slices.Delete(words, j, j+1)
				return raw, words
			}
		}
	}
	return raw, words
}

// casualtyWords say what befell people; a clause of them before "as"
// tells the toll of what the clause after it says happened.
var casualtyWords = map[string]bool{
	"dead": true, "killed": true, "injured": true, "wounded": true, "hurt": true,
	"missing": true, "evacuated": true, "displaced": true, "stranded": true, "arrested": true,
	"detained": true,
}

// casualtiesAs puts the cause first in "N dead as floods hit Brazil": read
// "floods hit Brazil, N dead", as "Floods in Brazil kill N" has it, so the
// order rules see the doer before the toll. Only a clause of two to five
// words with a casualty word in it moves, after a clause of at least two
// words.
func casualtiesAs(raw, words []string) ([]string, []string) {
	at := slices.Index(raw, "as")
	if at < 2 || at > 5 || len(raw)-at-1 < 2 {
		return raw, words
	}
	toll := false
	for _, w := range raw[:at] {
		toll = toll || casualtyWords[w]
	}
	if !toll {
		return raw, words
	}
	return slices.Concat(raw[at+1:], raw[:at]), slices.Concat(words[at+1:], words[:at])
}

// stancePro is the token of a side taken ("rally for", "vote for",
// دعما); "against" and ضد are the other side. The lexicon writes the
// Arabic words as it.
const stancePro = "pro"

// stanceVerbs take a side with "for" after them, as canonical forms.
var stanceVerbs = map[string]bool{
	"protest": true, "rally": true, "march": true, "poll": true, "campaign": true,
	"lobby": true, "strike": true, "pray": true,
}

// Marks are tokens that say where a role ends, not a word: Score reads
// them for its order rules, and they weigh nothing, are no index key and
// set no bit of a TokenMask. Normalize never writes "~", so no word is
// one. Each is in a headline's tokens at most once.
const (
	// markPatient ends who an act without a doer befell: "Syrian man
	// stabbed in Dresden" is read "syria man ~pat dresden stab", مقتل
	// مهاجر مغربي في مورسيا "مهاجر مغرب ~pat مورسيا يقتل".
	markPatient = "~pat"
	// markDoer ends the doer a passive names: "Man stabbed by Syrian" is
	// read "syria ~doer stab man".
	markDoer = "~doer"
	// markOn stands where على joins two names: فوز الهلال على النصر,
	// تقدم العراق على الأردن. Who stands before it acts on who stands
	// after. markFrom and markTo stand where from and to do: "deported
	// from Mexico to Guatemala", سفير سعودي لدى مصر.
	// markSaid stands between what is said and who says it, put after
	// it: "Israel says Hamas violated truce" and "Israel: Hamas violated
	// truce" are read "hamas violate truce ~said israel".
	markSaid = "~said"
	markOn   = "~on"
	markFrom = "~from"
	markTo   = "~to"
	// markAgainst stands where against or ضد does after a name or a
	// grievance: "complaint by A against B", عقوبات ضد; markFor where
	// لصالح (in favour of) does: تغريم الاتحاد لصالح الشباب.
	markIn = "~in"
	// markOver stands where over joins two names: "backs Chevron over
	// Exxon", "victory for Labour over Tories".
	markOver    = "~over"
	markAgainst = "~against"
	markFor     = "~for"
)

// roleMarks are the prepositions that give the names around them their
// roles (see markOn), as Normalize writes them.
var roleMarks = map[string]string{
	"علي": markOn, "امام": markOn, "on": markOn,
	"من": markFrom, "from": markFrom,
	"الي": markTo, "لدي": markTo, "to": markTo, "into": markTo,
	"ضد": markAgainst, "against": markAgainst, "لصالح": markFor,
	// في between two countries: سفارة الكويت في العراق, شبكة تجسس
	// بريطانية في روسيا (see roleMark).
	"في":   markIn,
	"over": markOver,
}

// clauseStarts begin a clause of when or why, which ends a name or a
// doer before it.
var clauseStarts = map[string]bool{"after": true, "before": true, "following": true, "بعد": true, "اثر": true}

// compoundPrepositions end with a preposition that gives no role: "due
// to", "according to", بالإضافة إلى.
var compoundPrepositions = map[string]bool{
	"due": true, "according": true, "close": true, "next": true, "owing": true, "thanks": true,
	"prior": true, "up": true, "bid": true, "بالاضافه": true, "اضافه": true, "استنادا": true,
	"نظرا": true, "بالنسبه": true, "بالقرب": true, "قريبا": true,
}

// partitives are the counts من follows without saying where from: عدد
// من, عشرات من, آلاف من.
var partitives = map[string]bool{
	"عدد": true, "عشرات": true, "ميات": true, "الاف": true, "العديد": true, "مجموعه": true,
	"بعض": true, "كثير": true, "اكثر": true, "اقل": true, "جمله": true,
}

// roleMark returns the mark raw[i] stands for (see roleMarks) where it
// joins two names, or "". After a verb a preposition only brings in the
// verb's object or place (يحكم على, "returns to"); before a verb "to" is
// the infinitive's ("Trump to visit"); على يد and من قبل bring in a doer
// (see agencyAt); من after a count says of what (عدد من الشبان).
func (m *Matcher) roleMark(raw, words []string, i int, toks []string) string {
	mark, ok := roleMarks[raw[i]]
	if !ok || i+1 >= len(raw) || len(toks) == 0 || slices.Contains(toks, mark) {
		return ""
	}
	if last := toks[len(toks)-1]; isVerb(last) || isMark(last) {
		return ""
	}
	next := raw[i+1]
	if next == "يد" || next == "قبل" || i > 0 && (partitives[raw[i-1]] || compoundPrepositions[raw[i-1]]) {
		return ""
	}
	if isASCIIWord(next) && (isVerb(m.canonicalWord(words[i+1])) || hasDigit(next) || isStop(next) && next != "the") {
		return ""
	}
	country := func(t string) bool { return countryOrCapital(t) || nisbaPlaces()[t] }
	if mark == markIn && !(country(toks[len(toks)-1]) && country(m.canonicalWord(words[i+1]))) {
		// في is where as often as it is whose: only between two
		// countries does it tell which one is where.
		return ""
	}
	return mark
}

// marked returns mark as a slice to put among n tokens, or none when
// they are as many as a headline may have.
func marked(mark string, n int) []string {
	if n >= maxTokens {
		return nil
	}
	return []string{mark}
}

// patientActs are the acts told as a noun whose next words say who they
// befell (مقتل جندي, اعتقال صحفي), as canonical forms. Most others name
// the doer there: غارة إسرائيلية, فوز الهلال, زيارة الرئيس.
var patientActs = sync.OnceValue(func() map[string]bool {
	m := Default()
	set := map[string]bool{}
	for _, w := range strings.Fields(`مقتل استشهاد وفاه اصابه جرح اعتقال احتجاز الافراج غرق انقاذ طرد سجن طعن`) {
		set[m.normalizedForm(Normalize(w))] = true
	}
	return set
})

// isMark reports whether t is a mark (see markPatient).
func isMark(t string) bool { return len(t) > 0 && t[0] == '~' }

// titleOfCountry reads an English title "of" a country as wires write it
// with the country first: "Emir of Qatar" is "Qatar emir", "Prime
// Minister of Pakistan Shehbaz Sharif" is "Pakistan prime minister
// Shehbaz Sharif". Read as written, the country after "of" was taken for
// the name the title introduces, and the title dropped: "Emir of Qatar
// meets" was Qatar meeting, and "Qatar's emir meets" the emir (see
// officeHolders). A body after "of" ("Governor of the Central Bank")
// is no country and is left as it is.
func (m *Matcher) titleOfCountry(raw, words []string, read *[]string) ([]string, []string) {
	for i := 1; i+1 < len(raw); i++ {
		if raw[i] != "of" || !isASCIIWord(raw[i-1]) {
			continue
		}
		start := i
		for start > 0 && titleSet()[m.canonicalWord(words[start-1])] {
			start--
		}
		// "State of Palestine", "Head of State": a title's complement
		// alone is no title, and a lexicon phrase across "of" is read
		// as the phrase.
		if start == i || !slices.ContainsFunc(words[start:i], func(w string) bool { return !titleComplements()[m.canonicalWord(w)] }) ||
			m.phraseAt(words, start) > i-start {
			continue
		}
		c := i + 1
		if raw[c] == "the" && c+1 < len(raw) {
			c++
		}
		n, country := m.phraseAt(words, c), ""
		if n > 0 {
			country = m.phrases[strings.Join(words[c:c+n], " ")]
		} else {
			n, country = 1, m.canonicalWord(words[c])
		}
		if !countryOrCapital(country) {
			continue
		}
		if read != nil {
			*read = append(*read, "a title of a country, read with the country first: "+strings.Join(raw[start:c+n], " "))
		}
		raw = slices.Concat(raw[:start], raw[c:c+n], raw[start:i], raw[c+n:])
		words = slices.Concat(words[:start], words[c:c+n], words[start:i], words[c+n:])
		break
	}
	return raw, words
}

// demonymCountry returns the country an English adjective of nationality
// the lexicon does not list is of, by the endings English forms them with
// (Ghanaian, Malian, Chilean, Mexican, Sudanese, Chinese, Omani), when
// that country is one the pipeline knows: "Ghanaian parliament" and
// "Ghana's parliament" are one body. A word that only looks so (veteran,
// guardian) names no known country and is left alone.
func demonymCountry(w string) (string, bool) {
	if len(w) < 5 || w[0] >= utf8.RuneSelf {
		return "", false
	}
	var cands [4]string
	n := 0
	switch {
	case strings.HasSuffix(w, "ese") || strings.HasSuffix(w, "es"):
		// Sudanese, Chinese; Stem leaves them without the last e.
		b := strings.TrimSuffix(strings.TrimSuffix(w, "e"), "es")
		cands, n = [4]string{b, b + "a"}, 2
	case strings.HasSuffix(w, "an"):
		// Kenyan, Malian (Mali), Chilean, Mexican, Ghanaian.
		cands, n = [4]string{w[:len(w)-1], w[:len(w)-2], w[:len(w)-2] + "o", w[:len(w)-3]}, 4
	case strings.HasSuffix(w, "i"):
		cands, n = [4]string{w[:len(w)-1]}, 1 // Omani, Pakistani
	}
	for _, c := range cands[:n] {
		if len(c) >= 4 && countryTokens()[c] {
			return c, true
		}
	}
	return "", false
}

// forceWords are the services a rank follows: "Army major killed".
var forceWords = map[string]bool{"army": true, "military": true, "police": true, "marine": true, "marines": true, "navy": true, "air": true, "idf": true}

// rankAfterForce reports whether raw[i] is "major" after a force: the
// rank ("Army major killed in Kashmir"), which another rank ("Army
// colonel") does not name, not the intensifier ("major attack") that
// fillers drop.
func rankAfterForce(raw []string, i int) bool {
	return raw[i] == "major" && i > 0 && forceWords[raw[i-1]]
}
