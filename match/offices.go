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
	{"Saied", "Tunisian president|president of Tunisia"},
	{"سعيد", "الرئيس التونسي|رئيس تونس"},
	{"Lukashenko", "Belarusian president|president of Belarus"},
	{"لوكاشينكو", "الرئيس البيلاروسي|رئيس بيلاروسيا"},
	{"Modi", "Indian prime minister|Indian PM|prime minister of India"},
	{"مودي", "رئيس الوزراء الهندي|رئيس وزراء الهند"},
	{"Tamim", "Qatari emir|emir of Qatar|Qatar emir"},
	{"تميم", "أمير قطر|الأمير القطري"},
	{"MBS", "Saudi crown prince|crown prince of Saudi Arabia"},
	{"محمد بن سلمان", "ولي العهد السعودي|ولي عهد السعودية"},
	{"Haitham", "Omani sultan|sultan of Oman|Oman sultan|Oman's sultan"},
	{"هيثم", "سلطان عمان|السلطان العماني"},
	// Kings, read without their ordinal (see regnalNames).
	{"Abdullah", "Jordanian king|king of Jordan|Jordan king|Jordanian monarch"},
	{"عبدالله", "العاهل الأردني|ملك الأردن|الملك الأردني"},
	{"Mohammed", "Moroccan king|king of Morocco|Morocco king|Moroccan monarch"},
	{"محمد", "العاهل المغربي|ملك المغرب|الملك المغربي"},
	// Holders in 2026 (seventh session).
	{"Trump", "US president|American president|president of the United States"},
	{"ترامب", "الرئيس الأمريكي|الرئيس الأميركي|رئيس الولايات المتحدة"},
	{"Sharaa", "Syrian president|president of Syria"},
	{"الشرع", "الرئيس السوري|رئيس سوريا"},
	{"Aoun", "Lebanese president|president of Lebanon"},
	{"عون", "الرئيس اللبناني|رئيس لبنان"},
	{"Pezeshkian", "Iranian president|president of Iran"},
	{"بزشكيان", "الرئيس الإيراني|رئيس إيران"},
	{"MBZ", "UAE president|Emirati president|president of the UAE"},
	{"محمد بن زايد", "رئيس الإمارات|رئيس دولة الإمارات|الرئيس الإماراتي"},
	{"Kim", "North Korean leader|leader of North Korea"},
	{"كيم", "الزعيم الكوري الشمالي|زعيم كوريا الشمالية"},
	{"Salman", "Saudi king|king of Saudi Arabia|Saudi monarch"},
	{"سلمان", "العاهل السعودي|ملك السعودية|الملك السعودي|خادم الحرمين الشريفين"},
	// Foreign ministers and others in office for years by 2026 (eighth
	// session), whom Arab wires name by office as often as by name.
	{"Rubio", "US secretary of state|secretary of state"},
	{"Safadi", "Jordanian foreign minister"},
	{"الصفدي", "وزير الخارجية الأردني"},
	{"Fidan", "Turkish foreign minister"},
	{"فيدان", "وزير الخارجية التركي"},
	{"Araghchi", "Iranian foreign minister"},
	{"عراقجي", "وزير الخارجية الإيراني"},
	{"Guterres", "UN secretary-general|UN secretary general|UN chief"},
	{"غوتيريش", "الأمين العام للأمم المتحدة"},
	{"Haftar", "Libyan National Army commander|LNA commander"},
	{"حفتر", "قائد الجيش الوطني الليبي"},
}

// officeKey is the key of a run of tokens: sorted and joined, since one
// language puts the country first and the other last.
func officeKey(toks []string) string {
	s := slices.Clone(toks)
	slices.Sort(s)
	return strings.Join(slices.Compact(s), " ")
}

// officeTable is offices by key, and every token of any key: a run with
// another token names no listed office and is not looked up.
type officeTable struct {
	byKey map[string]string
	words map[string]bool
}

var offices = sync.OnceValue(func() officeTable {
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
	tab := officeTable{byKey: map[string]string{}, words: map[string]bool{}}
	// A capital told as the country's capital (العاصمة السورية, "the
	// Syrian capital") is the capital: an office its city holds.
	for _, p := range capitalPairs {
		word := "capital"
		if !isASCIIWord(p[0]) {
			word = "العاصمة"
		}
		city, country := form(p[0]), form(p[1])
		if len(city) != 1 || len(country) != 1 {
			continue
		}
		toks := append(form(word), country[0])
		tab.byKey[officeKey(toks)] = city[0]
		for _, t := range toks {
			tab.words[t] = true
		}
	}
	for _, o := range officeHolders {
		holder := form(o.holder)
		if len(holder) != 1 {
			panic("match: office holder of more than one token: " + o.holder)
		}
		for _, office := range strings.Split(o.offices, "|") {
			toks := form(office)
			if len(toks) > maxOfficeTokens {
				panic("match: office of more than four tokens: " + office)
			}
			tab.byKey[officeKey(toks)] = holder[0]
			for _, t := range toks {
				tab.words[t] = true
			}
		}
	}
	return tab
})

// maxOfficeTokens bounds an office's tokens, so that a run's key is built
// without allocating.
const maxOfficeTokens = 4

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
		run := toks[s:to]
		if len(run) > maxOfficeTokens || slices.ContainsFunc(run, func(t string) bool { return !offices().words[t] }) {
			continue
		}
		// officeKey without allocating: sort a copy in an array, join
		// in a buffer (a map index by string(bytes) does not copy).
		var sorted [maxOfficeTokens]string
		n := copy(sorted[:], run)
		slices.Sort(sorted[:n])
		var buf [128]byte
		key := buf[:0]
		for k, t := range slices.Compact(sorted[:n]) {
			if k > 0 {
				key = append(key, ' ')
			}
			key = append(key, t...)
		}
		if h, ok := offices().byKey[string(key)]; ok {
			return h, s
		}
	}
	return "", 0
}
