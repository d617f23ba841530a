package match

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Wires name one person their own way: "French President Emmanuel Macron",
// "Macron", "الرئيس الفرنسي ماكرون". The introduction (a title, the
// country or body before it in English, the adjectives and places after
// it in Arabic, and a first name) says who the person is, not what happened,
// so the pipeline drops it when a name follows (dropTitles); a title with
// no name after it ("Israeli President meets Blinken", "Defence minister
// resigns") stays, as it is the only word for who acted. Dropping it from
// the tokens, rather than not counting it when two headlines are scored,
// keeps the index keys as they are: a discount in Score would have every
// headline with a title filed under more keys.

// titleWords are the words of titles, in the surface forms wires write;
// titleSet holds them as the pipeline writes them.
var titleWords = strings.Fields(`
president vice prime minister pm premier chancellor king queen prince princess crown emir sheikh sultan
secretary foreign defence defense interior finance state general gen chief executive leader supreme spokesman
spokeswoman spokesperson envoy ambassador mayor governor senator sen congressman commander head former
deputy interim
capital agency
رئيس الرئيس وزير الوزير ملك الملك العاهل امير الامير ولي العهد شيخ الشيخ سلطان مستشار المستشار
قائد زعيم امين الامين المتحدث متحدث سفير السفير مبعوث المبعوث حاكم نائب السابق
عاصمه العاصمه مرشد المرشد مشير المشير
رئيسة الرئيسة وزيرة الوزيرة ملكة الملكة أميرة الأميرة الشيخة سفيرة السفيرة نائبة المتحدثة متحدثة
`)

// titleComplements are English title words that make no title alone:
// "finance minister" is one, "Houthi finance network" is none.
var titleComplements = sync.OnceValue(func() map[string]bool {
	return titleForms(strings.Fields("vice prime foreign defence defense interior finance state crown supreme former deputy interim"))
})

var titleSet = sync.OnceValue(func() map[string]bool { return titleForms(titleWords) })

// bodyWords name a body, not a person: "Governor of Egypt's central bank"
// and "نائب رئيس هيئة الأركان" introduce no one, as the office is all the
// headline says of who it is. There a rank in the title (deputy, former:
// rankWords) is kept, as it makes the office another one.
var bodyWords = sync.OnceValue(func() map[string]bool {
	return titleForms(strings.Fields(`
bank party court council committee authority commission company union federation association
ministry army police parliament assembly senate board fund university club league organisation
organization movement front forces guard corps navy command staff service department bureau
institute corporation bloc alliance coalition government cabinet municipality
حزب بنك مصرف مجلس محكمة لجنة هيئة شركة اتحاد جمعية وزارة جيش شرطة برلمان منظمة حركة جبهة
قوات حرس بلدية جامعة نادي صندوق سلطة ائتلاف تحالف مكتب إدارة مؤسسة جهاز مركز وكالة الأركان
`))
})

// rankWords make a title another office: a deputy governor is not the
// governor (canonical forms; see qualifiers). A former holder before his
// name is the man the name says, but a deputy's rank stays even there:
// in Arabic a portfolio after a title (وزير الرياضة, أمير منطقة الرياض)
// reads like a name, and "نائب وزير الرياضة" is not the minister.
var rankWords = map[string]bool{
	"former": true, "deputy": true, "vice": true, "interim": true, "undersecretary": true,
	"assistant": true, "سابق": true, "اسبق": true, "نايب": true, "كيل": true, "مساعد": true,
	"lieutenant": true, "associat": true, "honorary": true, "مكلف": true, "فخري": true,
}

// keptRanks are the rankWords a title before a name does not take with it.
var keptRanks = map[string]bool{
	"deputy": true, "vice": true, "undersecretary": true, "assistant": true, "نايب": true,
	"كيل": true, "مساعد": true, "lieutenant": true, "associat": true, "honorary": true,
	"مكلف": true, "فخري": true,
}

// namedPlaces are nouns of places named after a person: "Sheikh Zayed
// Road", مطار الملك خالد. A title there is part of the place's name.
var namedPlaces = sync.OnceValue(func() map[string]bool {
	return titleForms(strings.Fields(`road street avenue highway airport mosque hospital stadium
university bridge port park square school centre center hall tower canal dam cup prize trophy
شارع طريق مطار مسجد مستشفى ملعب جامعة جسر ميناء حديقة ميدان مدرسة قاعة برج قناة سد كأس جائزة بطولة`))
})

// honorifics come before an Arabic title (سمو ولي العهد, جلالة الملك), as
// the pipeline writes them.
var honorifics = map[string]bool{"سمو": true, "صاحب": true, "جلاله": true, "فخامه": true, "معالي": true, "سعاده": true}

// titleForms holds words as the pipeline writes them.
func titleForms(words []string) map[string]bool {
	m := Default()
	set := map[string]bool{}
	for _, w := range words {
		for _, n := range strings.Fields(Normalize(w)) {
			c := m.normalizedForm(n)
			for _, t := range strings.Fields(c) {
				set[t] = true
			}
		}
	}
	return set
}

// arabicTitleWords may continue an Arabic title before the name: وزير
// الخارجية, رئيس الوزراء, ولي العهد, الأمين العام (as Stem leaves them:
// الوزراء is زراء, a word's own waw read as the conjunction).
var arabicTitleWords = map[string]bool{
	"خارجيه": true, "دفاع": true, "داخليه": true, "ماليه": true, "زراء": true,
	"عهد": true, "عام": true, "حكومه": true, "امن": true, "قومي": true, "اعلي": true,
	"سابق": true, "اسبق": true,
}

// inTitle reports whether t continues a title run that has started: a
// title word, an Arabic title's complement, an Arabic adjective of
// relation (الفرنسي: ending in ي, and not a verb), or a country the lexicon writes such
// adjectives of (الأمريكي is امريكا, ملك الأردن names no one).
func inTitle(t string, arabic bool) bool {
	if titleSet()[t] {
		return true
	}
	if !arabic {
		return false
	}
	// A present-tense verb of a weak root ends in ي too (يلتقي, ينفي):
	// it ends the title, it does not describe it.
	if arabicTitleWords[t] || nisbaPlaces()[t] {
		return true
	}
	// The feminine ends in يه: العاصمة الصومالية.
	n := utf8.RuneCountInString(t)
	return (strings.HasSuffix(t, "ي") && n >= 4 || strings.HasSuffix(t, "يه") && n >= 5) && !isVerb(t)
}

// nisbaPlaces are the canonical forms the lexicon gives Arabic adjectives
// of relation (اسراييلي → اسراييل): countries and directions.
var nisbaPlaces = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for v, c := range Default().words {
		// The adjective is the place with ي (مصري, مصر; امريكي,
		// امريكا): a lexicon line may hold other words that end in ي,
		// such as a verb's past tense (تقي for يلتقي).
		if stem, ok := strings.CutSuffix(v, "ي"); ok && stem != "" && v != c && strings.HasPrefix(c, stem) && !isVerb(c) && !isASCIIWord(c) && !strings.Contains(c, " ") {
			set[c] = true
		}
	}
	return set
})

// titleJoiners are the words a dropped stop word may be inside an English
// title or right before it: "Secretary of State", "Egypt's President",
// and the article that starts a transliterated name ("PM al-Sudani").
var titleJoiners = map[string]bool{"of": true, "s": true, "the": true, "al": true, "el": true}

// gluedArticle reports whether an Arabic word starts with a preposition
// and the article glued on (بالقاهرة, للأمم): a place or a thing after a
// title, not a name.
func gluedArticle(raw string) bool {
	for _, p := range []string{"بال", "لل", "كال", "فال", "وبال", "ولل", "وال"} {
		if strings.HasPrefix(raw, p) && utf8.RuneCountInString(raw) > utf8.RuneCountInString(p)+1 {
			return true
		}
	}
	return false
}

// dropTitles marks the tokens of toks that introduce a person (see
// above): a run of title words with a name after it, up to two English
// words before the run ("French", "Sudan army"), and the first of a name
// of two words ("Emmanuel Macron"; in Arabic only right before a verb).
// inflected has bit i set when toks[i] was written as an English verb
// form. boundary has bit i set when something that is no name stands between
// toks[i] and the next token (a dropped word, a verb said before, a
// preposition glued to the next word); it ends a title's run and a name.
// It returns nil when nothing is dropped.
func dropTitles(toks []string, boundary, inflected uint64, read *[]string) []bool {
	var drop []bool
	// What offices became, and which tokens went with them, for Explain
	// (with read non-nil).
	var held []string
	var office []bool
	at := func(i int) bool { return i < 64 && boundary&(1<<i) != 0 }
	writtenAt := func(i int) bool { return i < 64 && inflected&(1<<i) != 0 }
	inflectedAt := func(i int) bool { return looksInflected(toks[i]) || writtenAt(i) }
	// A verb of saying is no name either: "acting president declares
	// state of emergency" had the title, the country and "declares" all
	// dropped as an introduction.
	nameWord := func(t string) bool {
		return weight(t) == 1 && !isVerb(t) && !sayings[t] && !titleSet()[t] && !notName(t)
	}
	// An honorific before a title (جلالة الملك, فخامة الرئيس, صاحب
	// السمو) is a house style, as the title it stands before is: one wire
	// writes it, another does not.
	for i := len(toks) - 2; i >= 0; i-- {
		if honorifics[toks[i]] && (titleSet()[toks[i+1]] || honorifics[toks[i+1]] || drop != nil && drop[i+1]) {
			if drop == nil {
				drop = make([]bool, len(toks))
			}
			drop[i] = true
		}
	}
	for i := 0; i < len(toks); {
		if !titleSet()[toks[i]] {
			i++
			continue
		}
		arabic := !isASCIIWord(toks[i])
		j := i + 1
		for j < len(toks) && !at(j-1) && inTitle(toks[j], arabic) {
			j++
		}
		if !arabic && !slices.ContainsFunc(toks[i:j], func(t string) bool { return !titleComplements()[t] }) {
			i = j
			continue
		}
		e := j
		// A name ends at a word written as an English verb form
		// ("supreme leader vows revenge").
		for e < len(toks) && !at(e-1) && nameWord(toks[e]) && !writtenAt(e) {
			e++
		}
		if e == j && j-1 > i && arabic && !titleSet()[toks[j-1]] && !arabicTitleWords[toks[j-1]] && !nisbaPlaces()[toks[j-1]] {
			// Taken for an adjective by its ي, the last word was the name:
			// الرئيس السيسي يستقبل.
			j--
			e = j + 1
		}
		if arabic && e > j && !givenNames()[toks[j]] && slices.ContainsFunc(toks[j:e], func(t string) bool { return nisbaPlaces()[t] }) {
			// وزير الاقتصاد السوري يبحث: a portfolio and a country
			// follow, not a name (the portfolio had been taken for a
			// first name and dropped, so the economy minister met the
			// energy minister).
			e = j
		}
		if arabic && at(j-1) {
			// The body an Arabic title is of, after it with its
			// article and ل (الأمين العام للجامعة العربية), and then a
			// name that starts with a given name and ends before a
			// verb: the title and its body introduce him.
			if g := introducedName(toks, j, at); g > 0 {
				if drop == nil {
					drop = make([]bool, len(toks))
				}
				for k := i; k < g; k++ {
					drop[k] = true
				}
				i = g
				continue
			}
		}
		if e == j || at(j-1) {
			// No name follows: the title is who acted, and a listed
			// office is its holder (see officeHolders).
			h, s := officeHolder(toks, i, j, !arabic)
			if country, ok := capitals()[h]; ok && s == 0 {
				// "Saudi capital to host talks": a capital that acts
				// is its country, as "Riyadh to host" is (see
				// doerCapital).
				h = country
			}
			if h != "" && !slices.Contains(toks, h) {
				if drop == nil {
					drop = make([]bool, len(toks))
				}
				if read != nil {
					held = append(held, strings.Join(toks[s:j], " ")+" → "+h)
					if office == nil {
						office = make([]bool, len(toks))
					}
				}
				toks[s] = h
				for k := s + 1; k < j; k++ {
					drop[k] = true
					if office != nil {
						office[k] = true
					}
				}
			}
			i = j
			continue
		}
		if drop == nil {
			drop = make([]bool, len(toks))
		}
		before := i - 1
		for before >= 0 && honorifics[toks[before]] {
			before-- // كأس سمو ولي العهد: the cup, past the honorific
		}
		if !arabic && slices.ContainsFunc(toks[j:e], func(t string) bool { return namedPlaces()[t] }) ||
			arabic && before >= 0 && namedPlaces()[toks[before]] {
			// Sheikh Zayed Road, مطار الملك خالد: no one introduced.
			i = e
			continue
		}
		body := slices.ContainsFunc(toks[j:e], func(t string) bool { return bodyWords()[t] })
		for k := i; k < j; k++ {
			drop[k] = !keptRanks[toks[k]] && (!body || !rankWords[toks[k]])
		}
		// The body the title is of, before it in English: up to two
		// words ("French", "Sudan army"), not a verb ("rocks Lebanese
		// capital Beirut").
		k := i - 1
		for ; k >= max(0, i-2) && !arabic && !drop[k] && !at(k) && nameWord(toks[k]) && !writtenAt(k) && !isQualifier(toks[k]); k-- {
			drop[k] = true
		}
		// and the rank before that body goes with the title: "former
		// Pakistani PM Imran Khan" is Imran Khan.
		if k >= 0 && k < i-1 && !body && rankWords[toks[k]] && !keptRanks[toks[k]] && !at(k) {
			drop[k] = true
		}
		// The body an Arabic title is of, before the name: الأمين
		// العام للجامعة العربية أحمد أبو الغيط يدعو, الأمين العام لحلف
		// الناتو ينس ستولتنبرغ يزور. Before a verb, the name starts at
		// a given name, or else is the last word, which wires keep.
		if arabic && e-j >= 3 && e < len(toks) && !at(e-1) && isVerb(toks[e]) && (bodyWords()[toks[j]] || strings.HasPrefix(toks[j], "ل")) {
			g := j + 1
			for g < e && (!givenNames()[toks[g]] || toks[g-1] == "بن") {
				g++
			}
			if g == e && strings.HasPrefix(toks[j], "ل") {
				g = e - 1
			}
			if g < e {
				for k := j; k < g; k++ {
					drop[k] = true
				}
				i = e
				continue
			}
		}
		// A first name: two name words, neither with a verb's ending
		// ("Netanyahu vows" is a name and an unlisted verb). In Arabic
		// only right before a verb: two words after a title are as often
		// a name and a place.
		if e-j == 2 && isASCIIWord(toks[j]) && !inflectedAt(j) && !inflectedAt(j+1) ||
			e-j == 2 && !isASCIIWord(toks[j]) && e < len(toks) && !at(e-1) && isVerb(toks[e]) {
			drop[j] = true
		}
		// An Arabic compound first name (أبو محمد الجولاني) before a
		// verb.
		if e-j == 3 && arabicCompoundNames[toks[j]] && e < len(toks) && !at(e-1) && isVerb(toks[e]) {
			drop[j], drop[j+1] = true, true
		}
		i = e
	}
	if read != nil && drop != nil {
		var gone []string
		for k, d := range drop {
			if d && (office == nil || !office[k]) {
				gone = append(gone, toks[k])
			}
		}
		if len(gone) > 0 {
			*read = append(*read, "a title before a name, dropped: "+strings.Join(gone, " "))
		}
		for _, h := range held {
			*read = append(*read, "an office read as its holder: "+h)
		}
	}
	return drop
}

// introducedName returns where a given name starts within three tokens
// of j, with at most three name words after it and then a verb, or 0:
// the name an Arabic title's body (from j) runs up to.
func introducedName(toks []string, j int, at func(int) bool) int {
	for g := j; g < min(len(toks), j+4); g++ {
		if isVerb(toks[g]) {
			return 0
		}
		if !givenNames()[toks[g]] {
			continue
		}
		for e := g + 1; e < min(len(toks), g+4); e++ {
			if isVerb(toks[e]) {
				return g
			}
			if at(e - 1) {
				return 0
			}
		}
		return 0
	}
	return 0
}

// writtenInflected reports whether the English word w, as written, ends
// like a verb's third person or past: "rocks", "vowed". Names and short
// words that end in s do not (US, Paris, Marcos, Tunis).
func writtenInflected(w string) bool {
	if len(w) < 4 || !isASCIIWord(w) {
		return false
	}
	if strings.HasSuffix(w, "ed") {
		return pastForm(w)
	}
	if !strings.HasSuffix(w, "s") {
		return false
	}
	switch w[len(w)-2] {
	case 'i', 'u', 'o', 'a', 's':
		return false
	}
	return true
}

// arabicNotNames are Arabic words that follow a title as prepositions
// do, not as names: مصرع الرئيس الإيراني إثر سقوط مروحية.
var arabicNotNames = map[string]bool{
	"اثر": true, "عقب": true, "بعد": true, "قبل": true, "خلال": true, "جراء": true, "بسبب": true,
	"وسط": true, "بين": true, "امام": true, "داخل": true, "خارج": true, "حول": true, "نحو": true,
	"ضد": true, "دون": true, "منذ": true, "يوم": true, "امس": true, "غدا": true, "لدي": true,
	"جديد": true, "جديده": true, "جديدا": true, // يعين رئيس حكومة جديد: a new one, no name
	// Accusatives of why or how: تستدعي سفير السويد احتجاجا (in protest).
	"احتجاجا": true, "تضامنا": true, "ردا": true, "تنديدا": true, "دعما": true, "رسميا": true,
	"تمهيدا": true, "استعدادا": true, "تعبيرا": true,
	// What is said of the man after his title, which names no one:
	// القبض على وزير سابق متهم بهدر المال العام, a minister accused;
	// "senator found dead".
	"متهم": true, "متهمه": true, "مدان": true, "مدانه": true, "مطلوب": true, "مطلوبه": true,
	"مشتبه": true, "موقوف": true, "هارب": true, "فار": true, "found": true,
	// What an office is given, sent or told after its title: يمنح رئيس
	// وزراء الهند وسام زايد, يهنئ رئيس نيجيريا بمناسبة, يبحث مع الرئيس
	// الفرنسي تطورات.
	"سام": true, "قلاده": true, // وسام, as Stem leaves it
	"جايزه": true, "برقيه": true, "رساله": true, "دعوه": true,
	"بمناسبه": true, "هاتفيا": true, "اوراق": true, "مرسوم": true, "مرسوما": true,
}

// notName reports whether t, a token after a title, is no name: listed
// (arabicNotNames), or an Arabic plural in ات (تطورات, مستجدات).
func notName(t string) bool {
	return arabicNotNames[t] || strings.HasSuffix(t, "ات") && utf8.RuneCountInString(t) >= 5 && !isASCIIWord(t)
}

// arabicCompoundNames start a first name of two words: أبو محمد (as Stem
// leaves it). عبد الفتاح is one token already (see tokens).
var arabicCompoundNames = map[string]bool{"ابو": true}

// looksInflected reports whether an English token ends like a verb form
// englishBase did not take off (short words: "vows", "eyes").
// Names end in s after a vowel or s as verbs rarely do (Kais, Abbas,
// Idris), as writtenInflected reads them.
func looksInflected(t string) bool {
	if strings.HasSuffix(t, "ed") {
		return pastForm(t)
	}
	return writtenInflected(t)
}
