package match

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Wires name a country by its capital when the country acts: "Cairo
// rejects", "القاهرة ترفض", "Riyadh and Tehran restore ties". Where
// something happens, the capital is a place and not its country: "strike
// in Beirut" is not "strike in south Lebanon", and reading it as Lebanon
// would merge the two. So a capital is its country only in the doer's
// place: before the headline's first verb, and not after a preposition
// (see doerCapital).

// capitalPairs are capitals and their countries as wires write them;
// capitals holds them as the pipeline writes them.
var capitalPairs = [][2]string{
	{"cairo", "egypt"}, {"riyadh", "saudi"}, {"damascus", "syria"}, {"baghdad", "iraq"},
	{"beirut", "lebanon"}, {"ankara", "turkey"}, {"beijing", "china"}, {"paris", "france"},
	{"london", "uk"}, {"berlin", "germany"}, {"tokyo", "japan"}, {"doha", "qatar"},
	{"khartoum", "sudan"}, {"sanaa", "yemen"}, {"moscow", "russia"}, {"kyiv", "ukraine"},
	{"washington", "us"}, {"tehran", "iran"}, {"amman", "jordan"}, {"kabul", "afghanistan"},
	{"islamabad", "pakistan"}, {"delhi", "india"}, {"rome", "italy"}, {"madrid", "spain"},
	{"ottawa", "canada"}, {"canberra", "australia"}, {"brussels", "eu"}, {"tunis", "tunisia"},
	{"algiers", "algeria"}, {"rabat", "morocco"}, {"caracas", "venezuela"}, {"havana", "cuba"},
	{"القاهرة", "مصر"}, {"الرياض", "السعودية"}, {"دمشق", "سوريا"}, {"بغداد", "العراق"},
	{"بيروت", "لبنان"}, {"أنقرة", "تركيا"}, {"بكين", "الصين"}, {"باريس", "فرنسا"},
	{"لندن", "بريطانيا"}, {"برلين", "ألمانيا"}, {"طوكيو", "اليابان"}, {"الدوحة", "قطر"},
	{"الخرطوم", "السودان"}, {"صنعاء", "اليمن"}, {"موسكو", "روسيا"}, {"كييف", "أوكرانيا"},
	{"واشنطن", "أمريكا"}, {"طهران", "إيران"}, {"كابول", "أفغانستان"}, {"الرباط", "المغرب"},
	{"أبوظبي", "الإمارات"}, {"المنامة", "البحرين"}, {"مسقط", "عمان"}, {"نواكشوط", "موريتانيا"},
	{"manama", "bahrain"}, {"muscat", "oman"}, {"nouakchott", "mauritania"},
	{"pyongyang", "nkorea"}, {"seoul", "skorea"}, {"بيونغيانغ", "كورياشماليه"},
	// Not سيول, Seoul: it is also floods.
}

// seatPairs are cities wires name a country by when it acts, though no
// capital: "Tel Aviv strikes", "تل أبيب تقصف" (the lexicon makes each one
// word). A doer there is its country, as a capital is, but "the Israeli
// capital" is not Tel Aviv (see offices).
var seatPairs = [][2]string{{"telaviv", "israel"}, {"تلابيب", "إسرائيل"}}

var capitals = sync.OnceValue(func() map[string]string {
	m := Default()
	form := func(w string) string {
		n := strings.Fields(Normalize(w))
		if len(n) != 1 {
			panic("match: capital or country of more than one word: " + w)
		}
		return m.normalizedForm(n[0])
	}
	set := make(map[string]string, len(capitalPairs)+len(seatPairs))
	for _, p := range slices.Concat(capitalPairs, seatPairs) {
		set[form(p[0])] = form(p[1])
	}
	return set
})

// countryOrCapital reports whether c, a canonical token, is a country or
// a capital.
func countryOrCapital(c string) bool {
	_, capital := capitals()[c]
	return capital || countryTokens()[c]
}

// countryTokens are the countries of capitalPairs and possessorCountries
// as the pipeline writes them, in both languages.
var countryTokens = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, c := range capitals() {
		set[c] = true
	}
	for c := range possessives().countries {
		set[c] = true
	}
	return set
})

// givenNameList are given names wires write before a family name or leave
// out ("Emmanuel Macron", "Macron"). A given name that is also a family
// name in the news (Abbas, Saied) or a place (Israel, as in Israel Katz)
// is not listed: left out, it would be the man himself.
var givenNameList = strings.Fields(`
emmanuel joe donald vladimir volodymyr benjamin recep tayyip narendra olaf rishi keir giorgia
justin kamala antony sergei sergey marco boris angela ursula jair luiz inacio javier nicolas
gustavo claudia andres abiy cyril bola kais nayib viktor pedro friedrich alexei alexey yulia
dmitry ramzan naftali yair benny yoav isaac itamar bezalel gideon avigdor ehud herzi eyal
mohammed muhammad mohamed mohammad ahmed ahmad ali hassan hussein khaled omar yousef yusuf
ibrahim ismail mahmoud ebrahim masoud yahya khalil hamad bashar hafez muammar moammar saddam
hosni anwar gamal najib nabih nouri moqtada tammam shehbaz shahbaz imran nawaz
محمد احمد علي حسن حسين خالد عمر يوسف ابراهيم اسماعيل محمود يحيي خليل حمد بشار حافظ معمر
صدام حسني انور جمال نجيب نبيه نوري مقتدي قيس رجب طيب ايمانويل جو دونالد فلاديمير فولوديمير
بنيامين ناريندرا اولاف ريشي كير جورجيا انطوني سيرغي ماركو بوريس اورسولا يوافي يواف ايتمار
بتسلئيل جدعون مسعود ابراهيم شهباز عمران نواز
`)

var givenNames = sync.OnceValue(func() map[string]bool {
	m := Default()
	set := map[string]bool{}
	for _, w := range givenNameList {
		set[m.wordForm(w)] = true
	}
	return set
})

// placePrepositions make the word after them a place: "in Beirut", "في
// بيروت" (normalized). "and" is not one: "Riyadh and Tehran" are doers.
var placePrepositions = map[string]bool{
	"in": true, "at": true, "near": true, "from": true, "to": true, "into": true, "inside": true,
	"outside": true, "across": true, "over": true, "on": true, "of": true, "around": true,
	"toward": true, "towards": true, "with": true, "against": true, "visit": true, "visits": true,
	"في": true, "من": true, "الي": true, "علي": true, "قرب": true, "داخل": true, "خارج": true,
	"حول": true, "عند": true, "نحو": true, "مع": true, "ضد": true,
}

// placeNouns are what a capital before them is the place of, not the
// doer: "Ankara court orders" is a court in Ankara, "Paris prosecutors"
// those of Paris (raw words, held as Normalize writes them).
var placeNouns = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(`court courts prosecutor prosecutors police mayor governor governorate
airport university hospital stock exchange metro residents municipality council marathon derby
summit talks conference embassy zoo museum
محكمة محاكم نيابة شرطة مطار جامعة مستشفى بورصة بلدية محافظة محافظ سكان قمة مؤتمر سفارة متحف`) {
		set[Normalize(w)] = true
	}
	return set
})

// doerCapital returns the country of the capital c when it stands in the
// doer's place: no verb read before it (beforeVerb), and it is the first
// name of the headline or the second joined to the first by "and" (و).
// A word before it makes it part of another name (Real Madrid) or a place
// (in Beirut, مستشفى بالقاهرة). n is how many tokens were read before it.
func doerCapital(raw []string, i int, c string, n int, beforeVerb bool) (string, bool) {
	if !beforeVerb || n > 1 {
		return "", false
	}
	country, ok := capitals()[c]
	if !ok || i > 0 && (placePrepositions[raw[i-1]] || provinceWords[raw[i-1]]) || i+1 < len(raw) && placeNouns()[raw[i+1]] {
		return "", false
	}
	if n == 1 && (i == 0 || raw[i-1] != "and" && !strings.HasPrefix(raw[i], "و")) {
		return "", false
	}
	return country, true
}

// provinceWords name a capital's province or city, not its country:
// ولاية الخرطوم تعلن is Khartoum state, not Sudan.
var provinceWords = map[string]bool{
	"ولايه": true, "محافظه": true, "مدينه": true, "امانه": true, "بلديه": true,
	"state": true, "province": true, "city": true, "governorate": true, "mayor": true,
}

// Wires name a person or group with the country before it in one of two
// ways: "Japan's Kishida" (Reuters) or "Japanese PM Kishida" (dropped
// with the title, see dropTitles). So the possessive goes too, when what
// follows is a name: one capitalized word followed by a word in lower
// case, which also shows the headline is not written in Title Case, where
// a capital letter tells nothing. Titles and bodies are not names: "Egypt's
// President says", "Egypt's Parliament approves" keep their country.

// possessorCountries are countries as their possessive names them.
var possessorCountries = strings.Fields(`
afghanistan algeria argentina armenia australia azerbaijan bahrain bangladesh belarus brazil
britain canada chad chile china colombia congo cuba egypt ethiopia france georgia germany ghana
greece haiti hungary india indonesia iran iraq ireland israel italy japan jordan kenya korea kuwait
lebanon libya mali mexico moldova morocco myanmar nepal nicaragua niger nigeria oman pakistan
palestine peru philippines poland portugal qatar romania russia rwanda senegal serbia somalia spain
sudan sweden syria taiwan thailand tunisia turkey uganda ukraine venezuela vietnam yemen zimbabwe
paraguay uruguay bolivia ecuador guatemala honduras panama jamaica austria belgium netherlands
denmark norway finland switzerland slovakia slovenia croatia bosnia albania kosovo montenegro
bulgaria lithuania latvia estonia iceland luxembourg malta cyprus malaysia singapore cambodia laos
mongolia kazakhstan uzbekistan kyrgyzstan tajikistan turkmenistan maldives angola botswana burundi
cameroon djibouti eritrea gabon gambia guinea liberia madagascar malawi mauritania mozambique
namibia tanzania togo zambia benin uae
`)

// twoWordCountries are countries of two words, as Normalize writes them,
// for possessives ("South Africa's Ramaphosa").
var twoWordCountries = map[string]bool{
	"south africa": true, "south korea": true, "north korea": true, "south sudan": true,
	"saudi arabia": true, "sri lanka": true, "new zealand": true, "costa rica": true,
	"el salvador": true, "hong kong": true, "burkina faso": true, "ivory coast": true,
	"sierra leone": true, "united states": true, "united kingdom": true,
}

// notNames are capitalized words that follow a country's possessive and
// name no one: bodies, offices and things ("Egypt's Parliament").
var notNames = strings.Fields(`
army military police government cabinet parliament senate congress navy court judiciary
opposition ruling central supreme high top national foreign economy inflation currency stock
stocks league team embassy capital south north east west southern northern eastern western
state interior defence defense health finance justice energy oil gas exports imports election
elections parliamentary presidential first new former ex main largest biggest
guard guards ministry forces force troops coast air special federal constitutional electoral
commission council assembly media television tv radio agency exchange bourse airline airlines
airways railways prime crown royal republican revolutionary islamic
`)

var possessives = sync.OnceValue(func() (sets struct{ countries, notNames map[string]bool }) {
	m := Default()
	sets.countries = map[string]bool{}
	for _, c := range possessorCountries {
		sets.countries[m.wordForm(c)] = true
	}
	sets.notNames = map[string]bool{}
	for _, w := range notNames {
		sets.notNames[m.wordForm(w)] = true
	}
	return sets
})

// dropPossessiveCountry returns s without a country's possessive before a
// name ("Japan's Kishida reshuffles" is "Kishida reshuffles"), and the
// country it dropped, or s and "" (see above).
func dropPossessiveCountry(s string) (string, string) {
	// IndexByte and Contains, not ContainsAny: with a non-ASCII
	// character in its set, ContainsAny decodes every rune.
	if strings.IndexByte(s, '\'') < 0 && !strings.Contains(s, "’") {
		return s, ""
	}
	m := Default()
	words := strings.Fields(s)
	if !sentenceCase(words) {
		return s, ""
	}
	for i := 0; i+1 < len(words); i++ {
		w := words[i]
		var country string
		for _, suf := range []string{"'s", "’s", "'", "’"} {
			if c, ok := strings.CutSuffix(w, suf); ok && c != "" {
				country = c
				break
			}
		}
		if country == "" {
			continue
		}
		if i > 0 && placePrepositions[Normalize(words[i-1])] {
			// "in India's Punjab": a place, whose country says which.
			continue
		}
		// The name is one word, or a given name and one word: what
		// follows it, if anything, is in lower case or not a word
		// ("Venezuela's Nicolas Maduro sworn in").
		name := words[i+1]
		if !startsUpper(name) || allCaps(name) {
			// An acronym is a body, not a person: "Sweden's NATO
			// bid" is Sweden's, not NATO's.
			continue
		}
		if i+2 < len(words) && startsUpper(words[i+2]) {
			if !givenNames()[m.wordForm(name)] || i+3 < len(words) && startsUpper(words[i+3]) {
				continue
			}
		}
		sets := possessives()
		n := Normalize(name)
		if f := m.normalizedForm(n); strings.Contains(n, " ") || sets.notNames[f] || titleSet()[f] {
			continue
		}
		c := Normalize(country)
		if i > 0 {
			// "South Africa's Ramaphosa", "Saudi Arabia's bin Salman".
			if two := Normalize(words[i-1]) + " " + c; twoWordCountries[two] {
				return strings.Join(slices.Concat(words[:i-1], words[i+1:]), " "), two
			}
		}
		if strings.Contains(c, " ") || !sets.countries[m.normalizedForm(c)] {
			continue
		}
		return strings.Join(slices.Concat(words[:i], words[i+1:]), " "), c
	}
	return s, ""
}

// allCaps reports whether w is written in capitals only, two letters or
// more: an acronym (NATO, LDP).
func allCaps(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 2
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func startsLetter(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLetter(r)
}

// dropTrailingCountry returns s without a country that ends it after a
// place and a comma ("wildfire rages in Izmir, Turkey"), which other
// wires write before the place ("in Turkey's Izmir", see
// dropPossessiveCountry) or leave out. Only at the end, after a
// preposition of place: "Hamas, Israel agree" names two sides.
func (m *Matcher) dropTrailingCountry(s string) (string, string) {
	k := strings.LastIndexByte(s, ',')
	if k < 0 || strings.IndexByte(strings.TrimSpace(s[k+1:]), ' ') >= 0 {
		// Most commas are followed by more than one word (", police
		// say"): no need to split the headline.
		return s, ""
	}
	words := strings.Fields(s)
	n := len(words)
	if n < 4 {
		return s, ""
	}
	place, ok := strings.CutSuffix(words[n-2], ",")
	if !ok || place == "" || !startsUpper(place) || !placePrepositions[Normalize(words[n-3])] {
		return s, ""
	}
	c := Normalize(strings.TrimRight(words[n-1], ".!"))
	if strings.Contains(c, " ") || !possessives().countries[m.normalizedForm(c)] {
		return s, ""
	}
	return strings.Join(append(words[:n-2:n-2], place), " "), c
}
