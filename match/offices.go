package match

import (
	"slices"
	"strings"
	"sync"
)

// Wires name a long-serving leader by the office as often as by the name:
// "الرئيس الروسي" and "بوتين", "Turkish president" and "Erdogan". When a
// title has no name after it (the office acted), and the office has had one
// holder for many years, the office is read as the holder's name; with a
// name after it the title is dropped as before (see dropTitles). Offices
// whose holder changed in recent years (the US president, Iran's
// president) are not listed: a holder read wrongly would merge the
// stories of two people. A title run with "former" (السابق) in it names
// someone else and is never read as the holder.

// officeHolders are offices as wires write them and their holders' names,
// both in either language; offices holds them as the pipeline writes them.
var officeHolders = []struct{ holder, offices string }{
	{"Putin", "Russian president|president of Russia|Kremlin chief"},
	{"بوتين", "الرئيس الروسي|رئيس روسيا"},
	{"Xi", "Chinese president|president of China"},
	{"شي", "الرئيس الصيني|رئيس الصين"},
	{"Erdogan", "Turkish president|president of Turkey"},
	{"أردوغان", "الرئيس التركي|رئيس تركيا"},
	{"Sisi", "Egyptian president|president of Egypt"},
	{"السيسي", "الرئيس المصري|رئيس مصر"},
	{"Macron", "French president|president of France"},
	{"ماكرون", "الرئيس الفرنسي|رئيس فرنسا"},
	{"Zelensky", "Ukrainian president|president of Ukraine"},
	{"زيلينسكي", "الرئيس الأوكراني|رئيس أوكرانيا"},
	{"Khamenei", "Iran supreme leader|Iranian supreme leader|supreme leader of Iran"},
	{"خامنئي", "المرشد الإيراني|المرشد الأعلى الإيراني|مرشد إيران|المرشد الأعلى في إيران"},
	{"Netanyahu", "Israeli prime minister|Israeli PM|prime minister of Israel"},
	{"نتنياهو", "رئيس الوزراء الإسرائيلي|رئيس الحكومة الإسرائيلية"},
	{"Abbas", "Palestinian president|Palestinian Authority president"},
	{"عباس", "الرئيس الفلسطيني|رئيس السلطة الفلسطينية"},
	{"Tebboune", "Algerian president|president of Algeria"},
	{"تبون", "الرئيس الجزائري|رئيس الجزائر"},
	{"Lavrov", "Russian foreign minister|foreign minister of Russia"},
	{"لافروف", "وزير الخارجية الروسي"},
}

// officeKey is the key of a run of tokens: sorted and joined, since one
// language puts the country first and the other last.
func officeKey(toks []string) string {
	s := slices.Clone(toks)
	slices.Sort(s)
	return strings.Join(slices.Compact(s), " ")
}

var offices = sync.OnceValue(func() map[string]string {
	m := Default()
	// The tokens of an office as the pipeline reads a title: lexicon
	// phrases (وزير الخارجية), canonical words, no stop words. Not
	// m.tokens itself, which reads titles through this table.
	form := func(text string) []string {
		var words, out []string
		for _, w := range strings.Fields(Normalize(text)) {
			words = append(words, Stem(foldLatin(w)))
		}
		for i := 0; i < len(words); i++ {
			if n := m.phraseAt(words, i); n > 0 {
				out = append(out, strings.Fields(m.phrases[strings.Join(words[i:i+n], " ")])...)
				i += n - 1
				continue
			}
			if !isStop(words[i]) {
				out = append(out, strings.Fields(m.canonicalWord(words[i]))...)
			}
		}
		return out
	}
	set := map[string]string{}
	for _, o := range officeHolders {
		holder := form(o.holder)
		if len(holder) != 1 {
			panic("match: office holder of more than one token: " + o.holder)
		}
		for _, office := range strings.Split(o.offices, "|") {
			set[officeKey(form(office))] = holder[0]
		}
	}
	return set
})

// formerWords make a title someone who held it before.
var formerWords = map[string]bool{"former": true, "ex": true, "late": true, "سابق": true, "اسبق": true, "راحل": true}

// officeHolder returns the holder of the office that toks[from:to] name,
// trying the run alone and, in English, with up to two words before it
// (the country: "Russian president"); it returns from where the office
// starts, or "" when the run names no listed office.
func officeHolder(toks []string, from, to int, english bool) (holder string, start int) {
	if slices.ContainsFunc(toks[from:to], func(t string) bool { return formerWords[t] }) {
		return "", 0
	}
	for s := from; s >= max(0, from-2); s-- {
		if s < from && !english || s > 0 && formerWords[toks[s-1]] {
			break
		}
		if h, ok := offices()[officeKey(toks[s:to])]; ok {
			return h, s
		}
	}
	return "", 0
}
