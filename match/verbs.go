package match

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// Verbs matter to Score's order rules: "Apple sues Samsung" and "Samsung
// sues Apple" are two stories because the names changed sides of a verb,
// while "Earthquake of magnitude 6.1 hits Turkey" and "6.1 magnitude
// earthquake strikes Turkey" are one though a noun (magnitude) changed
// sides. Without a verb between them, names that move are a phrase
// rearranged.

//go:embed verbs.txt
var verbsText string

// verbSet holds the canonical forms of the verbs of verbs.txt, in every
// form a headline gives them, as the default pipeline writes them
// (through the lexicon: "detain" is "arrest", "seizes" is "capture";
// else by englishBase: "accuses" is "accus"). Lexicon lines that are not
// in verbs.txt are not verbs here. Built once, after the default Matcher.
var verbSet = sync.OnceValue(func() map[string]bool {
	m := Default()
	set := map[string]bool{}
	for _, line := range strings.Split(verbsText, "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		for _, w := range strings.Fields(Normalize(line)) {
			// The forms a headline gives the verb, as the pipeline
			// writes them: short words keep their s ("bans").
			forms := []string{w, presentTense(w), w + "ed"}
			if isASCIIWord(w) {
				// A final consonant doubles before -ed: repelled.
				forms = append(forms, w+w[len(w)-1:]+"ed")
			}
			for _, f := range forms {
				c := m.normalizedForm(f)
				if !isFiller(c) {
					set[c] = true
				}
			}
		}
	}
	return set
})

// isVerb reports whether the canonical token t may be a verb: listed (see
// verbSet), a scoreline ("Liverpool 2-1 Chelsea" reads "Liverpool beat
// Chelsea 2-1"), an English word still ending in -ed (englishBase keeps a
// participle whole when its base would be a stop word, and takes no -ed
// off words under six letters: "freed", "tied"), or an Arabic word in the form of the present
// tense (يـ or تـ and at least three more letters) that is not one of the
// nouns of that form (arabicNotVerbs, the verbal nouns تفعيل, plurals in
// ـات, adjectives in ـيه). When unsure it says yes: a verb taken for a
// noun lets two opposite stories merge, a noun taken for a verb only
// keeps a rearranged copy apart.
func isVerb(t string) bool {
	if verbSet()[t] || isScoreline(t) {
		return true
	}
	if len(t) >= 5 && pastForm(t) && isASCIIWord(t) {
		return true
	}
	if !strings.HasPrefix(t, "ي") && !strings.HasPrefix(t, "ت") {
		return false
	}
	n := utf8.RuneCountInString(t)
	if n < 4 || arabicNotVerbs[t] || strings.HasSuffix(t, "ات") || strings.HasSuffix(t, "يه") {
		return false
	}
	if n == 5 && strings.HasPrefix(t, "ت") {
		// تفعيل: the verbal noun of the second form (تفجير, تحقيق, تقرير).
		var r [5]rune
		i := 0
		for _, c := range t {
			r[i] = c
			i++
		}
		if r[3] == 'ي' {
			return false
		}
	}
	return true
}

// arabicNotVerbs are common headline nouns in the form of a present-tense
// verb: countries, months, and the like.
var arabicNotVerbs = map[string]bool{
	"تركيا": true, "تونس": true, "تايوان": true, "تايلاند": true, "تنزانيا": true,
	"تشاد": true, "تشيلي": true, "تيغراي": true, "يونان": true, "يابان": true,
	"يناير": true, "يونيو": true, "يوليو": true, "يونيه": true, "يوليه": true,
	"تموز": true, "تشرين": true, "يهود": true, "يهودي": true, "يمني": true,
	"يورو": true, "يونسكو": true, "يونيسف": true, "يوميا": true, "تكنولوجيا": true,
	"تقارير": true, "تفاصيل": true, "تظاهره": true, "تسويه": true, "تجاره": true,
	"تعاون": true, "تبادل": true, "تحالف": true, "توتر": true, "تدخل": true,
	"تلفزيون": true, "تليفزيون": true,
}

// participle reports whether raw[i], an English word whose canonical form
// is c, is the verb of a passive headline ("Five killed in strike",
// "Barcelona beaten by Real Madrid"): a past participle after the first
// words, with no finite verb (sawVerb) and no subject pronoun ("it
// downed") before it. agent says that "by" follows, naming the doer.
// Headlines put verbs in the present tense, so a participle there is
// passive; "has killed" is not, as "has" counts as a finite verb.
func participle(raw []string, i int, c string, sawVerb bool) (passive, agent bool) {
	w := raw[i]
	if sawVerb || i == 0 || !isASCIIWord(w) || subjectPronouns[raw[i-1]] {
		return false, false
	}
	agent = i+1 < len(raw) && raw[i+1] == "by" ||
		i+3 < len(raw) && raw[i+1] == "to" && raw[i+2] == "death" && raw[i+3] == "by" // "stabbed to death by"
	switch {
	case len(w) >= 5 && pastForm(w) && !strings.HasSuffix(w, "eed"):
	case irregularParticiples[w]:
	case agent && verbSet()[c]:
		// hit, cut, set ... whose participle is their base.
	default:
		return false, false
	}
	return true, agent
}

// finiteVerb reports whether raw[i], an English word of canonical form
// c, reads as the main verb of a headline: a present tense ("kills",
// "says"), or an auxiliary of the active voice ("has", "will"). A verb's
// -s form that a preposition or the end follows is taken for a plural
// noun: "Houthi targets in Yemen struck by US".
func finiteVerb(raw []string, i int, c string) bool {
	w := raw[i]
	if activeAux[w] {
		return true
	}
	if len(w) <= 2 || w[len(w)-1] != 's' || w == c || !verbSet()[c] || !isASCIIWord(w) {
		return false
	}
	return i+1 < len(raw) && !prepositions[raw[i+1]]
}

var prepositions = map[string]bool{
	"in": true, "on": true, "at": true, "of": true, "for": true, "from": true, "near": true,
	"against": true, "after": true, "over": true, "across": true, "to": true, "by": true,
	"with": true, "amid": true, "as": true, "and": true, "into": true, "inside": true,
}

var activeAux = map[string]bool{"has": true, "have": true, "had": true, "will": true, "would": true, "to": true, "can": true, "could": true, "may": true}

var subjectPronouns = map[string]bool{"it": true, "they": true, "he": true, "she": true, "we": true, "i": true, "you": true, "who": true}

// irregularParticiples are participles that do not end in -ed and differ
// from the base form.
var irregularParticiples = map[string]bool{
	"slain": true, "beaten": true, "struck": true, "shot": true, "taken": true,
	"caught": true, "found": true, "sunk": true, "sold": true, "bought": true,
	"lost": true, "held": true, "won": true, "stolen": true, "thrown": true,
	"driven": true, "given": true, "seen": true, "told": true, "overrun": true,
	"overtaken": true, "shaken": true, "withdrawn": true, "frozen": true,
	"hidden": true, "bitten": true, "sworn": true, "chosen": true, "sent": true,
	"kept": true, "brought": true, "fought": true, "sought": true, "led": true,
	"hung": true, "stricken": true, "blown": true,
	// A toll told as a state ("15 dead in bus crash") reads as the
	// passive it is ("15 killed in bus crash").
	"dead": true, "hurt": true,
	// Dying is what befalls, as being killed is: "12 die in heatwave".
	"die": true, "dies": true, "perish": true, "perishes": true,
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return w != ""
}

// englishBase returns an English word without its inflection, so that
// the forms of a verb or a noun meet: "seizes", "seized", "seizing" and
// "seize" are all "seiz"; "stabbed" is "stab", "carries" and "carried"
// "carry", "clashes" "clash". ASCII letters only, five or more; "news",
// "Paris" and the like keep their s, a doubled l, s, f or z stays
// ("shelled" is "shell"), and a final e goes so that "accuse" and
// "accused" agree. Both sides of a comparison get the same rule, so a
// wrong cut ("Texas", "united") is harmless.
func englishBase(w string) (string, bool) {
	n := len(w)
	if n < 5 || !isASCIIWord(w) || edNames[w] {
		return "", false
	}
	switch {
	case strings.HasSuffix(w, "ies") && n >= 6:
		return w[:n-3] + "y", true // worries
	case strings.HasSuffix(w, "ied") && n >= 6:
		return w[:n-3] + "y", true // carried
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"),
		strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"):
		return dropE(w[:n-2]), true // passes, clashes
	case strings.HasSuffix(w, "eed"):
		if n >= 6 {
			return dropE(w[:n-1]), true // agreed, as agree
		}
		return "", false // speed
	case strings.HasSuffix(w, "ed") && n >= 6:
		return undouble(w[:n-2]), true
	case strings.HasSuffix(w, "ing") && n >= 6:
		return undouble(w[:n-3]), true
	case w[n-1] == 's':
		switch w[n-2] {
		case 's', 'u', 'i':
			return "", false
		}
		return dropE(w[:n-1]), true
	case w[n-1] == 'e':
		return dropE(w), true
	}
	return "", false
}

// undouble drops one of a doubled final consonant other than l s f z
// ("stabb" → "stab", "shell" stays), and a final e.
func undouble(s string) string {
	n := len(s)
	if n >= 3 && s[n-1] == s[n-2] && !strings.ContainsRune("aeiouylsfz", rune(s[n-1])) {
		return s[:n-1]
	}
	return dropE(s)
}

func dropE(s string) string {
	if len(s) >= 4 && s[len(s)-1] == 'e' {
		return s[:len(s)-1]
	}
	return s
}

// pastForm reports whether the English word w ends as a past tense or
// participle does, and is not a name that only looks so (edNames).
func pastForm(w string) bool {
	return strings.HasSuffix(w, "ed") && !edNames[w]
}

// edNames are given names that end as an English past participle does,
// most of them Arabic names as English wires spell them: read as verbs,
// "Egypt's Mohamed Salah scores" was a passive, "Kais Saied" lost its
// surname to the verb, and Khaled became khal. Written as Normalize gives
// them.
var edNames = map[string]bool{
	"ahmed": true, "mohamed": true, "mohammed": true, "muhammed": true, "mehmed": true,
	"saied": true, "saeed": true, "sayed": true, "sayyed": true, "syed": true,
	"khaled": true, "rashed": true, "rasheed": true, "majed": true, "majeed": true,
	"hamed": true, "hameed": true, "fahed": true, "zayed": true, "obeid": true,
	"waleed": true, "fareed": true, "naveed": true, "javed": true, "hached": true,
	"abed": true, "alfred": true, "wilfred": true, "manfred": true, "mildred": true,
}

// isScoreline reports whether t is a scoreline as prepNumbers writes it:
// digits, x, digits ("2x1").
func isScoreline(t string) bool {
	x := strings.IndexByte(t, 'x')
	if x <= 0 || x == len(t)-1 {
		return false
	}
	for i := 0; i < len(t); i++ {
		if i != x && !isASCIIDigit(t[i]) {
			return false
		}
	}
	return true
}

// presentTense returns the third person of an English verb: bans,
// clashes, carries.
func presentTense(v string) string {
	switch {
	case !isASCIIWord(v):
		return v
	case strings.HasSuffix(v, "s"), strings.HasSuffix(v, "sh"), strings.HasSuffix(v, "ch"), strings.HasSuffix(v, "x"), strings.HasSuffix(v, "z"):
		return v + "es"
	case len(v) >= 2 && strings.HasSuffix(v, "y") && !strings.ContainsRune("aeiou", rune(v[len(v)-2])):
		return v[:len(v)-1] + "ies"
	}
	return v + "s"
}
