package match

import (
	"strings"
	"sync"
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
}

var capitals = sync.OnceValue(func() map[string]string {
	m := Default()
	form := func(w string) string {
		n := strings.Fields(Normalize(w))
		if len(n) != 1 {
			panic("match: capital or country of more than one word: " + w)
		}
		return m.canonicalWord(Stem(foldLatin(n[0])))
	}
	set := make(map[string]string, len(capitalPairs))
	for _, p := range capitalPairs {
		set[form(p[0])] = form(p[1])
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
	if !ok || i > 0 && placePrepositions[raw[i-1]] {
		return "", false
	}
	if n == 1 && (i == 0 || raw[i-1] != "and" && !strings.HasPrefix(raw[i], "و")) {
		return "", false
	}
	return country, true
}
