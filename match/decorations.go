package match

import (
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Decorations are what wires put around a headline when they republish
// it: their own name ("… | AP News", "رويترز - …"), a label ("UPDATE 2-",
// "EXCLUSIVE-"), and an attribution (", police said", "- report", "وفق
// مصادر طبية"). None of it says what happened, so Strip removes it before
// headlines are compared. The rules are the tables below; the published
// headline keeps every word.

// maxOutletWords bounds the words of an outlet name, built-in or not.
const maxOutletWords = 6

// builtinOutlets are outlet names as Normalize writes them
// (TestOutletsAreNormalized).
var builtinOutlets = []string{
	"reuters", "ap", "ap news", "associated press", "afp", "agence france presse",
	"bbc", "bbc news", "cnn", "al jazeera", "aljazeera", "al jazeera english",
	"al arabiya", "sky news", "sky news arabia", "the guardian", "guardian",
	"anadolu", "anadolu agency", "aa", "xinhua", "bloomberg", "nyt",
	"new york times", "the new york times", "washington post",
	"the washington post", "times of israel", "the times of israel", "haaretz",
	"france 24", "dw", "euronews", "npr", "abc news", "cbs news", "nbc news",
	"fox news", "middle east eye", "the national", "arab news", "wafa", "kuna",
	"wam", "mena", "rt", "sputnik", "tass", "ynet", "i24news", "axios",
	"politico", "the hill", "al monitor",
	"wsj", "wall street journal", "the wall street journal", "ft", "financial times",
	"the financial times", "cnbc", "kyodo", "yonhap", "pti", "upi", "efe", "dpa",
	"ansa", "interfax", "irna", "nikkei", "spa", "qna", "bna", "petra", "sana",
	"the economist", "the telegraph", "the independent", "the times", "le monde", "der spiegel",
	"euronews", "euronews عربي", "cnn arabic", "arab news", "gulf news", "the national news",
	// Not the papers whose names are words a headline may end with
	// (الرياض, الدستور, اليوم): "صحيفة الرياض", "جريدة الدستور" are
	// known by their first word.
	"عربي21", "عربي 21", "الخليج اونلاين", "هسبريس", "عكاظ", "البيان", "الوطن",
	"القبس", "الراي", "الشروق", "النهار", "الجريده", "ا ش ا", "و م ع", "المدن",
	"عنب بلدي", "وكاله سند",
	"rt arabic", "cnn بالعربيه", "bbc عربي", "bbc news عربي", "france 24 عربي", "dw عربيه",
	"rte", "menafn", "ani", "yonhap news agency", "الشرق للاخبار", "الجزيره مباشر", "يورونيوز",
	"yahoo", "yahoo finance", "yahoo news", "اندبندنت عربيه", "independent arabia", "independent عربيه",
	"شينخوا", "وال", // وال: the Libyan News Agency
	"رويترز", "فرانس برس", "ا ف ب", "اف ب", "الاناضول", "وكاله الاناضول",
	"الجزيره", "الجزيره نت", "الجزيره مباشر", "العربيه", "العربيه نت",
	"سكاي نيوز عربيه", "سكاي نيوز", "بي بي سي", "بي بي سي عربي", "وفا",
	"وكاله وفا", "وكاله الانباء الفلسطينيه", "وكاله الانباء", "روسيا اليوم",
	"ار تي", "بي بي سي نيوز", "سبوتنيك", "الشرق الاوسط", "القدس العربي", "معا", "وكاله معا",
	"سما", "شبكه قدس", "الميادين", "المنار", "العربي الجديد", "الحره",
	"فرانس 24", "سي ان ان", "سي ان ان بالعربيه", "اليوم السابع", "الاهرام",
	"المصري اليوم", "كونا", "واس", "وام", "قنا", "بترا", "سانا", "ايرنا",
	"عرب 48", "الحياه الجديده", "شهاب", "الرساله نت", "فلسطين اليوم",
	// Papers, sites and broadcasters of the region and beyond whose
	// names carry no outlet word. Not those that are words a headline
	// may end with (الخليج, الاتحاد, الحياه, الغد, القدس, Time, Goal).
	"the peninsula", "gulf times", "khaleej times", "arab times", "the new arab",
	"asharq al awsat", "jordan times", "egypt independent", "ahram online",
	"daily news egypt", "the daily star", "lorient today", "jerusalem post",
	"the jerusalem post", "middle east monitor", "the hindu", "hindustan times",
	"dawn", "the express tribune", "express tribune", "straits times",
	"the straits times", "south china morning post", "scmp", "japan times",
	"the japan times", "korea herald", "the korea herald", "bangkok post",
	"rappler", "premium times", "daily nation", "news24", "el pais", "le figaro",
	"cbc", "cbc news", "ctv news", "globe and mail", "the globe and mail",
	"usa today", "los angeles times", "newsweek", "forbes", "business insider",
	"espn", "bbc sport", "sky sports", "the athletic", "marca", "the new indian express",
	"the times of india", "times of india", "arab weekly", "the arab weekly",
	"الرايه", "الشرق القطريه", "يلا كوره", "في الجول", "كووره", "مصراوي", "صدي البلد",
	"البوابه نيوز", "الامارات اليوم", "الرويه", "سبق", "السومريه", "شفق نيوز",
	"النشره", "ايلاف", "رصيف22", "رصيف 22", "عمون", "خبرني", "رويا", "المملكه",
	"قدس برس", "وكاله صفا", "سبا", "وكاله سبا", "عدن الغد", "المصدر اونلاين",
	"الوفد", "اخبار اليوم", "الصباح", "الشروق اونلاين", "النهار الجديد",
	// Agencies wires name by their adjective in a dateline: مسقط -
	// العمانية -, بيروت - الوطنية -.
	"العمانيه", "الوطنيه", "الوكاله الوطنيه للاعلام", "وكاله الانباء العمانيه",
	"بنا", "مونت كارلو الدوليه", "الخبر", "كوووره", "سبورت 360", "le360", "الترا صوت",
}

// wireLabels start a headline, followed by an optional number and a
// separator: "UPDATE 2-", "EXCLUSIVE-", "CORRECTED-", "تحديث 1:". Only
// Latin letters are compared case-insensitively; Normalize drops the
// one-word labels it knows, but not with a number or glued to a hyphen.
var wireLabels = []string{
	"update", "updated", "exclusive", "corrected", "correction", "refile",
	"rpt", "repeat", "wrapup", "analysis", "factbox", "insight", "urgent",
	"flash", "alert", "developing", "breaking", "live", "watch", "video",
	"تحديث", "حصري", "تصحيح", "عاجل", "محدث", "مباشر", "فيديو",
}

// labelSegments are segments made only of a label, after or before a
// separator: "… - live updates", "Video: …", "… | صور". They are compared
// as Normalize writes them (TestLabelSegmentsAreNormalized).
var labelSegments = map[string]bool{
	"live": true, "live updates": true, "live blog": true, "latest updates": true,
	"latest": true, "updates": true, "update": true, "as it happened": true,
	"video": true, "videos": true, "watch": true, "photos": true, "pictures": true,
	"in pictures": true, "breaking": true, "breaking news": true, "developing": true,
	"developing story": true, "exclusive": true, "analysis": true, "explainer": true,
	"فيديو": true, "بالفيديو": true, "صور": true, "بالصور": true, "فيديو وصور": true,
	"شاهد": true, "مباشر": true, "بث مباشر": true, "تحديث": true, "تحديثات": true,
	"تحديثات مباشره": true, "لحظه بلحظه": true, "عاجل": true, "خاص": true, "حصري": true,
	"خبر عاجل": true, "اخر الاخبار": true, "ترجمه": true, "مترجم": true, "بالارقام": true,
	"انفوغراف": true, "انفوجراف": true, "متابعه": true, "تقرير": true, "شاهد بالفيديو": true,
	"photo": true, "gallery": true, "updated": true, "podcast": true, "listen": true,
	"morning briefing": true, "evening briefing": true, "article": true, "news article": true,
	// Bylines and opinion, and the portal that carries a site's feed:
	// "… - بقلم: خالد", "رأي: …", "… | Bloomberg - MSN".
	"بقلم": true, "كتب": true, "راي": true, "مقال": true, "تحليل": true, "opinion": true, "msn": true,
	// A site's sections, before or after a headline: "World | Middle
	// East | …", "رياضة | كرة قدم | …".
	"world": true, "middle east": true, "africa": true, "asia": true, "europe": true,
	"americas": true, "business": true, "markets": true, "sport": true, "sports": true,
	"politics": true, "tech": true, "technology": true, "science": true, "health": true,
	"culture": true, "entertainment": true, "world news": true, "us news": true, "uk news": true,
	"رياضه": true, "كره قدم": true, "كره القدم": true, "سياسه": true, "اقتصاد": true,
	"عربي ودولي": true, "عربي دولي": true, "محليات": true, "دوليات": true, "منوعات": true,
	"صحه": true, "ثقافه": true, "تكنولوجيا": true, "عربي": true, "دولي": true, "عالم": true,
	"الشرق الاوسط": true, "اخبار": true, "العالم": true,
	// Sports as sections: "Rugby: …", "Cricket | …", "Horse Racing | …".
	"rugby": true, "cricket": true, "football": true, "soccer": true, "tennis": true,
	"golf": true, "boxing": true, "athletics": true, "cycling": true, "horse racing": true,
	"motorsport": true, "formula 1": true, "f1": true, "nba": true, "nfl": true, "mlb": true,
	"تنس": true, "كره سله": true, "كره اليد": true, "كره يد": true, "العاب قوي": true,
	"تلغرام": true, "تليغرام": true, "telegram": true,
	"علوم": true, "فن": true, "فنون": true, "مجتمع": true, "حوادث": true, "محافظات": true,
	"تقارير": true, "تعليم": true, "اسواق": true, "سيارات": true, "عقارات": true,
}

// outletWords mark a short segment as an outlet's name even when the
// outlet is not listed ("… - Gulf News", "… - وكالة الأنباء اليمنية").
var outletWords = map[string]bool{
	"news": true, "agency": true, "times": true, "post": true, "tv": true,
	"press": true, "network": true, "daily": true, "gazette": true,
	"herald": true, "tribune": true, "journal": true, "online": true,
	"وكاله": true, "قناه": true, "صحيفه": true, "موقع": true, "شبكه": true, "بوابه": true,
	"تلفزيون": true, "اذاعه": true, "جريده": true,
	"radio": true, "magazine": true, "channel": true, "wire": true, "observer": true,
	// A site's section after its name: "سكاي نيوز عربية - أخبار
	// العالم", "أخبار السعودية | صحيفة عكاظ".
	"اخبار": true, "اونلاين": true,
	"monitor": true, "insider": true, "telegraph": true, "chronicle": true,
	"digital": true, "mirror": true, "fm": true, "newspaper": true, "newspapers": true,
	"courier": true, "sun": true, "media": true, "star": true,
	// Arabic names of outlets: الجزيرة نت, فلسطين أون لاين, عربي بوست,
	// سكاي نيوز, شبكة قدس الإخبارية, موقع … الإخباري.
	"نت": true, "اون": true, "لاين": true, "بوست": true, "نيوز": true, "تايمز": true,
	"برس": true, "انفو": true, "الاخباريه": true, "الاخباري": true, "مجله": true,
	"البث": true, // هيئة البث الإسرائيلية, a broadcaster
	// Other languages' wires republished in English or Arabic feeds.
	"ajansı": true, "ajansi": true, "haber": true, "agence": true, "agencia": true,
	"presse": true, "zeitung": true, "noticias": true, "nachrichten": true,
}

// attributors are who a headline is attributed to without being a party
// to it: "police said", "مصادر طبية". A named speaker ("Trump says") is
// never dropped: who said it is the story.
var attributors = map[string]bool{
	"police": true, "official": true, "officials": true, "source": true,
	"sources": true, "report": true, "reports": true, "media": true,
	"witnesses": true, "witness": true, "medics": true, "doctors": true,
	"ministry": true, "statement": true, "spokesman": true, "spokesperson": true,
	"agency": true, "agencies": true, "residents": true, "activists": true,
	"department": true, "office": true, "authorities": true, "military": true,
	"defence": true, "defense": true, "rescuers": true, "paramedics": true, "hospital": true, "presidency": true,
	"مصادر": true, "مصدر": true, "مسوول": true, "وزاره": true, "الصحه": true, "صحه": true,
	"مسوولون": true, "مسوولين": true, "شهود": true, "تقرير": true, "تقارير": true,
	"اعلام": true, "وسايل": true, "سايل": true, "مسعفون": true, "بيان": true, "متحدث": true,
	"الشرطه": true, "شرطه": true, "مصادر طبيه": true, "ناشطون": true,
	// What figures come from: ", data show", ", court documents show".
	"data": true, "figures": true, "documents": true, "statistics": true, "survey": true,
	"filings": true, "بيانات": true, "احصاءات": true, "ارقام": true,
	"aide": true, "aides": true, "adviser": true, "advisers": true, "staff": true,
}

// reportingBodies report a toll or a quake without being a party to it:
// a segment that starts with one is an attribution. As Normalize writes
// them (TestDecorationWordsAreNormalized).
var reportingBodies = []string{
	"الدفاع المدني", "الهلال الاحمر", "الصليب الاحمر", "المركز الوطني للارصاد", "الارصاد",
	"هييه الارصاد", "الاسعاف", "نجمه داود الحمراء", "civil defence", "civil defense",
	"red crescent", "red cross", "met office", "usgs", "emsc", "national weather service",
}

// vagueAttributors end an attribution that names nobody, at the start of
// a headline too: "US officials: …", "Israeli media: …".
var vagueAttributors = map[string]bool{
	"official": true, "officials": true, "source": true, "sources": true, "media": true,
	"report": true, "reports": true, "ministry": true,
}

// sayVerbs end an attribution: ", police said", "- officials say".
var sayVerbs = map[string]bool{
	"said": true, "says": true, "say": true, "reported": true, "reports": true,
	"told": true, "claims": true, "claimed": true, "confirmed": true,
	"show": true, "shows": true, "showed": true, "reveal": true, "reveals": true,
	"قال": true, "قالت": true, "تقول": true, "يقول": true, "يقولون": true,
	"افاد": true, "افادت": true, "تفيد": true, "يفيد": true, "اكد": true, "اكدت": true,
}

// attributionCues start a trailing attribution ("according to police",
// "وفق مصادر طبية", "نقلا عن مسؤولين"); they are compared after Stem,
// so وفقا is written فقا.
var attributionCues = map[string]bool{
	"according": true, "citing": true, "per": true, "via": true,
	"وفق": true, "فقا": true, "بحسب": true, "حسب": true, "نقلا": true,
}

// maxAttribution is the most words an attribution has.
const maxAttribution = 6

// trailingSeps and leadingSeps split a headline into segments one of which
// may be a decoration. A comma only separates attributions.
var (
	trailingSeps = []string{" - ", " – ", " — ", " ― ", " | ", " ｜ ", " :: ", " -- ", " // ", " / ", ": ", " · ", " • ", " ▶ ", " ► ", " || ", " - - ", " » "}
	leadingSeps  = []string{" - ", " – ", " — ", " | ", ": ", " :", ":", " ― ", "..", "…", " ـ ", " · ", " • ", " ▶ ", " ► ", " :: ", " // ", " || ", " » "}
	// siteSeps are separators only sites put between a headline and
	// their own words (a name, a section, a date); no wire writes them
	// inside a headline, nor a speaker before them (as " | " may be).
	siteSeps  = []string{" :: ", " // ", " · ", " • ", " ▶ ", " ► ", " || ", " - - ", " » "}
	commaSeps = []string{", ", "، ", " ,", " ،"}
)

// Strip returns title without its decorations: a leading wire label,
// outlet names before or after a separator, and an attribution at either
// end, each as long as a headline is left. It is what Canonical compares;
// never show its result. Safe for concurrent use.
func (m *Matcher) Strip(title string) string {
	if len(title) > maxInputBytes {
		title = title[:maxInputBytes]
	}
	if strings.IndexByte(title, '&') >= 0 {
		// Entities a feed escaped twice reach the title as text:
		// "Macy&#39;s".
		title = html.UnescapeString(title)
	}
	s := m.stripLeadParen(stripHashtags(stripByline(strings.TrimSpace(title))))
	s = stripSourceTail(s)
	// Labels come chained: "CORRECTED-UPDATE 1-".
	for range 3 {
		s = stripWireLabel(s)
	}
	s = m.stripTrailingBrackets(s)
	for range 3 {
		i, sep := lastSep(s, trailingSeps)
		if i < 0 {
			i, sep = lastSep(s, commaSeps)
			if i < 0 {
				break
			}
			if tail := Normalize(s[i+len(sep):]); !isAttribution(tail, false) && !speakerTail(tail) {
				break
			}
		} else if tail := s[i+len(sep):]; !m.isDecoration(tail, true) && !foreignTail(s[:i], tail) && !m.siteTail(s[:i], tail, sep) {
			break
		}
		if strings.TrimSpace(s[:i]) == "" {
			break
		}
		// "… (updated 14:20) - ANSA English": a bracket the site's
		// name stood after.
		s = m.stripTrailingBrackets(strings.TrimSpace(s[:i]))
	}
	// Reuters' attribution: " -White House", " -sources", a hyphen glued
	// to a short tail.
	if i := strings.LastIndex(s, " -"); i > 0 && i+2 < len(s) && s[i+2] != ' ' && s[i+2] != '-' {
		if tail := Normalize(s[i+2:]); tail != "" && strings.Count(tail, " ") < 3 && !hasDigit(tail) {
			s = strings.TrimSpace(s[:i])
		}
	}
	// An attribution leading with its cue and a comma: "According to
	// officials, …", "بحسب مصادر، …".
	if i, sep := firstSep(s, commaSeps); i > 0 {
		if words := strings.Fields(Normalize(s[:i])); len(words) >= 2 && len(words) <= maxAttribution && attributionCues[Stem(words[0])] {
			if rest := strings.TrimSpace(s[i+len(sep):]); rest != "" {
				s = rest
			}
		}
	}
	s = m.stripDateline(s)
	for range 2 {
		i, sep := firstSep(s, leadingSeps)
		if i <= 0 || !m.isDecoration(s[:i], false) && !(slices.Contains(siteSeps, sep) && siteWords(s[:i])) &&
			!(strings.TrimSpace(sep) != ":" && sectionLead(s[:i])) && !numberedName(s[:i]) {
			break
		}
		rest := strings.TrimSpace(s[i+len(sep):])
		if rest == "" {
			break
		}
		s = stripWireLabel(rest)
	}
	return stripQuoteLead(stripLeadClock(s))
}

// stripLeadClock removes the time a site stamps before a headline with
// no separator: "12:45 Nigeria's inflation rises". A headline left of
// three words or more.
func stripLeadClock(s string) string {
	clock, rest, ok := strings.Cut(s, " ")
	if !ok || len(clock) < 4 || len(clock) > 5 || strings.Count(rest, " ") < 2 {
		return s
	}
	h, mm, ok := strings.Cut(clock, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(mm) != 2 || !allDigits(h) || !allDigits(mm) {
		return s
	}
	return rest
}

// stripTrailingBrackets removes decorations in brackets at the end of s:
// "(رويترز)", "(AP)", "[27 Feb 2024]".
func (m *Matcher) stripTrailingBrackets(s string) string {
	for range 3 {
		t := strings.TrimRight(s, " .")
		open := byte('(')
		if strings.HasSuffix(t, "]") {
			open = '['
		} else if !strings.HasSuffix(t, ")") {
			break
		}
		i := strings.LastIndexByte(t, open)
		// "(1)", "(2)": a part of a series, as sites number them; "ABC
		// News (Australian Broadcasting Corporation)", an outlet's name
		// told in full.
		if i <= 0 {
			break
		}
		if inner := t[i+1 : len(t)-1]; !m.isDecoration(inner, true) && !(len(inner) <= 2 && allDigits(inner)) {
			n := Normalize(inner)
			if !numberedNameNormalized(n) && !duration(n) && !(strings.HasSuffix(strings.TrimSpace(t[:i]), "News") && m.unlistedOutlet(t[:i], n)) {
				break
			}
		}
		s = strings.TrimSpace(t[:i])
	}
	return s
}

// stripByline removes a byline and the dateline after it that some sites
// put in a feed's title: "By Jane Doe WASHINGTON — …".
func stripByline(s string) string {
	if !strings.HasPrefix(s, "By ") {
		return s
	}
	i, sep := firstSep(s[:min(len(s), 80)], []string{" — ", " – ", " - ", " -- "})
	if i < 0 {
		return s
	}
	words := strings.Fields(s[:i])
	if len(words) < 3 || len(words) > 8 {
		return s
	}
	city := strings.TrimRight(words[len(words)-1], ",")
	if len(city) < 3 || strings.ToUpper(city) != city || strings.ToLower(city) == city {
		return s
	}
	if rest := strings.TrimSpace(s[i+len(sep):]); strings.Count(rest, " ") >= 2 {
		return rest
	}
	return s
}

// sourceLabels name where a site took a story from, or who wrote it, at
// its end: "… المصدر: وكالات", "… Source: Reuters", "… - بقلم: خالد".
var sourceLabels = []string{" المصدر: ", " المصدر : ", " Source: ", " source: ", " بقلم: ", " كتب: "}

// stripSourceTail removes a source label and the few words after it.
func stripSourceTail(s string) string {
	for _, l := range sourceLabels {
		if i := strings.LastIndex(s, l); i > 0 && strings.Count(s[i+len(l):], " ") < 4 && strings.Count(s[:i], " ") >= 2 {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// stripLeadParen removes a wire's slug in parentheses before a headline:
// "(2nd LD) …", "(LEAD) …", "(AFP) …", "(محدث) …".
func (m *Matcher) stripLeadParen(s string) string {
	if !strings.HasPrefix(s, "(") && !strings.HasPrefix(s, "[") {
		return s
	}
	end := strings.IndexAny(s, ")]")
	if end < 0 {
		return s
	}
	rest := strings.TrimSpace(s[end+1:])
	if strings.Count(rest, " ") < 2 {
		return s
	}
	inner := Normalize(s[1:end])
	words := strings.Fields(inner)
	if len(words) == 0 || len(words) > 3 {
		return s
	}
	if words[len(words)-1] == "ld" || words[len(words)-1] == "lead" || labelSegments[inner] || slices.Contains(wireLabels, words[0]) || m.outlets[inner] || numberedNameNormalized(inner) || timeStamp(s[1:end]) {
		return rest
	}
	return s
}

// stripHashtags removes hashtags a headline starts or ends with ("#عاجل
// …", "… #غزة"): a site's tags, not the story. One in the middle is read
// as its word.
func stripHashtags(s string) string {
	if strings.IndexByte(s, '#') < 0 {
		return s
	}
	words := strings.Fields(s)
	for len(words) > 3 && strings.HasPrefix(words[0], "#") {
		words = words[1:]
	}
	for len(words) > 3 && strings.HasPrefix(words[len(words)-1], "#") {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// timeStamp reports whether seg, a segment before or after a separator,
// says when a site published: a clock time ("08:45 GMT", "Updated 14:32",
// "10:45 بتوقيت مكة المكرمة") or an age ("2 hours ago", "قبل 3 ساعات",
// "منذ ساعة").
func timeStamp(seg string) bool {
	if len(seg) > 80 {
		return false
	}
	if strings.Count(seg, " ") < 5 {
		for i := 0; i+2 < len(seg); i++ {
			if isASCIIDigit(seg[i]) && seg[i+1] == ':' && isASCIIDigit(seg[i+2]) {
				return true
			}
		}
	}
	// Normalize only where an age may be told: the check runs on every
	// segment of every headline.
	if !strings.Contains(seg, "ago") && !strings.Contains(seg, "منذ") && !strings.Contains(seg, "قبل") {
		return false
	}
	words := strings.Fields(Normalize(seg))
	if len(words) == 0 || len(words) > 5 {
		return false
	}
	last := words[len(words)-1]
	if last == "ago" {
		return true
	}
	if words[0] == "منذ" || words[0] == "قبل" {
		for _, w := range words[1:] {
			if ageUnits[w] {
				return true
			}
		}
	}
	return false
}

// siteTail reports whether tail, after sep at the end of a headline, is
// a site's own words the lists do not name: a short tail after a site's
// separator or " | " (siteWords), or after a dash a site's unlisted name,
// a name with a number, or an acronym. Normalized once for the three.
func (m *Matcher) siteTail(head, tail, sep string) bool {
	site, dash := sep == " | " || slices.Contains(siteSeps, sep), dashSeps[sep]
	if !site && !dash {
		return false
	}
	n := Normalize(tail)
	return site && (siteWordsNormalized(n) || brandShaped(tail)) || dash && (m.unlistedOutlet(head, n) || numberedNameNormalized(n) || acronym(tail) || brandShaped(tail))
}

// brandShaped reports whether seg, one or two words after a dash at a
// headline's end, is written as brands are and places are not: a capital
// inside a word (TheCable, ESPNcricinfo, TimesLIVE, 9to5Mac) or letters
// and digits in one word (9News, 7NEWS, NY1, K24, The42). A figure with
// a unit or a short code (G7, F1, COP28, 3rd) is not one.
func brandShaped(seg string) bool {
	words := strings.Fields(seg)
	if len(words) == 0 || len(words) > 2 {
		return false
	}
	for _, w := range words {
		var upper, lower, digits, inner int
		for i, r := range w {
			switch {
			case r >= 'A' && r <= 'Z':
				upper++
				if i > 0 {
					inner++
				}
			case r >= 'a' && r <= 'z':
				lower++
			case r >= '0' && r <= '9':
				digits++
			default:
				if r != '-' && r != '.' {
					return false
				}
			}
		}
		if upper+lower >= 3 && lower > 0 && inner > 0 || upper+lower >= 2 && digits > 0 {
			return true
		}
	}
	return false
}

// dashSeps are the separators a site puts before its own name.
var dashSeps = map[string]bool{" - ": true, " – ": true, " — ": true, " | ": true}

// unlistedOutlet reports whether tail (normalized), after a dash at the
// end of a headline, reads as the name of a site the lists do not know ("… - صدى
// البلد", "… - سودان تربيون", "… - Fox News - MSN"): two or three words,
// none an act, a place or a figure (a name may end in one, as "الأردن
// 24" does), after a headline of four words or more. A dash before a
// speaker ("- Hamas official") or a place ("- Gaza") is the story's.
func (m *Matcher) unlistedOutlet(head, tail string) bool {
	// "Lloyd's List", "Barron's": a possessive in a site's name is part
	// of it, and makes a name of one word.
	words := strings.Fields(tail)
	possessive := slices.Contains(words, "s")
	words = slices.DeleteFunc(words, func(w string) bool { return w == "s" })
	if len(words) == 0 || len(words) > 3 || strings.Count(strings.TrimSpace(head), " ") < 3 {
		return false
	}
	// A place before the dash makes a route of it: طريق الرياض - الطائف.
	if hw := strings.Fields(Normalize(head)); len(hw) > 0 && countryOrCapital(m.normalizedForm(hw[len(hw)-1])) {
		return false
	}
	numbered, article := false, false
	if n := len(words); n >= 2 && outletLanguages[words[n-1]] {
		// "- Al Mayadeen English", "- DW عربية": a site names its
		// edition in a language, a place does not.
		return !slices.ContainsFunc(words[:n-1], hasDigit)
	}
	if len(words) >= 2 && words[0] == "the" {
		// "… – The Peninsula", "- The Hindu": a paper's article makes
		// one word a name; a place so written is still a place (The
		// Hague, The Gambia), and the test below says so.
		words, article = words[1:], true
		if len(words) == 1 && (articlePlaces[words[0]] || m.lexiconWord(words[0])) {
			return false
		}
	}
	if n := len(words); n >= 2 && len(words[n-1]) == 2 && allDigits(words[n-1]) {
		words, numbered = words[:n-1], true // "اليوم 24", "الأردن 24"
	}
	if len(words) < 2 && !numbered && !article && !possessive {
		// One word after a dash is as often a place as a site
		// ("… - Basra").
		return false
	}
	for k, w := range words {
		c := m.normalizedForm(w)
		// A name that starts with its country is a paper's (Sudan
		// Tribune, سودان تربيون, الأردن 24); a country alone is a place.
		// So is one that ends in a country's adjective after a word
		// with the article (المشهد اليمني, القدس العربي).
		nisbaName := k > 0 && k == len(words)-1 && strings.HasPrefix(words[0], "ال") && nisbaEnding(w)
		place := (countryOrCapital(c) || nisbaPlaces()[c]) && !(k == 0 && (numbered || len(words) >= 2)) && !nisbaName
		// Arabic names of papers look like verbs (تربيون, تايمز): only
		// listed verbs count there.
		verb := verbSet()[c] || isASCIIWord(w) && isVerb(c)
		if hasDigit(w) || verb || place || isStop(w) || titleSet()[c] || attributors[w] || isQualifier(c) {
			return false
		}
	}
	return true
}

// outletLanguages are the editions sites name after themselves, as
// Normalize writes them.
var outletLanguages = map[string]bool{
	"english": true, "arabic": true, "francais": true, "french": true, "turkce": true,
	"عربي": true, "عربيه": true, "بالعربيه": true, "بالعربي": true,
	"العربي": true, "العربيه": true,
}

// articlePlaces are places English names with "the", which a dash may
// put after a headline as it puts a dateline's city: "… - The Hague".
var articlePlaces = map[string]bool{
	"hague": true, "bahamas": true, "vatican": true, "sahel": true, "gulf": true,
	"balkans": true, "caribbean": true, "caucasus": true, "levant": true,
	"arctic": true, "antarctic": true, "maldives": true, "seychelles": true,
	"comoros": true, "crimea": true, "bronx": true, "hamptons": true, "himalayas": true,
	"alps": true, "andes": true, "amazon": true, "sinai": true, "negev": true,
	"golan": true, "horn": true, "pacific": true, "atlantic": true, "mediterranean": true,
}

// numberedName reports whether seg is a site's name that ends in a
// number glued on or after it, as many do: News24, bdnews24, E24,
// "القاهرة 24", "الغد 24". One or two words; the number is 24 or 21, the
// ones sites take (a day of the month has a month beside it).
func numberedName(seg string) bool { return numberedNameNormalized(Normalize(seg)) }

func numberedNameNormalized(n string) bool {
	words := strings.Fields(n)
	if len(words) == 0 || len(words) > 2 {
		return false
	}
	last := words[len(words)-1]
	for _, n := range []string{"24", "21", "360", "365"} {
		if len(words) == 2 && last == n && !hasDigit(words[0]) ||
			len(words) == 1 && len(last) > len(n) && strings.HasSuffix(last, n) && !hasDigit(last[:len(last)-len(n)]) {
			return true
		}
	}
	return false
}

// acronym reports whether seg, as written, is one word of two to five
// capitals: a site or an agency after a dash ("… - PAP", "… - ANSA"), or
// a body a headline is attributed to ("… - UN"), which is no part of the
// story either.
func acronym(seg string) bool {
	seg = strings.TrimSpace(seg)
	return len(seg) >= 2 && len(seg) <= 5 && allUpperASCII(seg)
}

// allUpperASCII reports whether s is made of capital Latin letters only.
func allUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUpperASCII(s[i]) {
			return false
		}
	}
	return true
}

// siteWords reports whether seg, cut off by a separator only sites use
// (siteSeps, or " | " after a headline), is short enough to be a site's
// name or section rather than part of the story: at most three words, no
// figure.
func siteWords(seg string) bool { return siteWordsNormalized(Normalize(seg)) }

func siteWordsNormalized(n string) bool {
	if k := strings.LastIndexByte(n, ' '); k > 0 && len(n)-k-1 <= 2 && allDigits(n[k+1:]) {
		// A channel's number: "KTVU FOX 2", "NBC 5".
		n = n[:k]
	}
	return n != "" && strings.Count(n, " ") < 3 && !hasDigit(n)
}

// sectionLead reports whether seg, before a headline, is a site's section
// with a word of its own: "رياضة محلية", "World news", "Sport football".
// Not before a colon, where "Health minister: …" is a speaker.
func sectionLead(seg string) bool {
	words := strings.Fields(Normalize(seg))
	return len(words) >= 1 && len(words) <= 3 && labelSegments[words[0]] && !hasDigit(seg)
}

// dateStamp reports whether seg, a segment before or after a separator
// or in brackets at the end, is the date a site published: "05/14/2024",
// "27 Feb 2024", "Dec 7, 2026", "الخميس 8 فبراير 2024". Before a
// headline a date is often what it is about ("Oct 7: …"), so there it
// must have a year or a weekday.
func dateStamp(seg string, trailing bool) bool {
	if len(seg) > 60 || !strings.ContainsFunc(seg, func(r rune) bool { return r >= '0' && r <= '9' || r >= '٠' && r <= '٩' }) {
		return false
	}
	words := strings.Fields(Normalize(seg))
	if len(words) == 0 || len(words) > 5 {
		return false
	}
	month, year, weekday, numbers := false, false, false, 0
	for _, w := range words {
		switch {
		case monthNames[w]:
			month = true
		case month && (w == "الاول" || w == "الثاني" || w == "اول" || w == "ثاني"):
			// كانون الأول, تشرين الثاني.
		case weekdays[w]:
			weekday = true
		case w == "published" || w == "updated" || w == "posted" || w == "نشر" || w == "تحديث":
			// "Published Nov. 22, 2022".
		case isYear(w):
			year = true
			numbers++
		case len(w) <= 2 && allDigits(w):
			numbers++
		default:
			return false
		}
	}
	// Digits alone are a date when written as one: day, month and year.
	if !month && !(numbers == 3 && year) {
		return false
	}
	return trailing || year || weekday
}

func allDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isASCIIDigit(w[i]) {
			return false
		}
	}
	return w != ""
}

// ageUnits are the units of a published-ago time stamp, as Normalize
// writes them.
var ageUnits = map[string]bool{
	"ساعه": true, "ساعات": true, "ساعتين": true, "دقيقه": true, "دقايق": true, "دقيقتين": true,
	"يوم": true, "ايام": true, "يومين": true,
}

// exclusiveLabels start a label that names who has the story first.
var exclusiveLabels = map[string]bool{"حصري": true, "خاص": true, "exclusive": true}

// webSuffixes end a site's address, which a headline never ends with:
// "… - Reuters.com", "… | aljazeera.net".
var webSuffixes = []string{".com", ".net", ".org", ".co.uk", ".news", ".info", ".tv", ".ae", ".sa", ".qa", ".eg", ".ps", ".ma", ".jo", ".kw", ".lb", ".iq", ".dz", ".tn",
	".ch", ".de", ".fr", ".it", ".es", ".in", ".pk", ".za", ".au", ".ca", ".io", ".ie", ".nz", ".sy", ".ly", ".sd", ".om", ".bh", ".ye", ".tr", ".ru", ".cn", ".jp"}

// webAddress reports whether seg is one word that ends like a site's
// address.
func webAddress(seg string) bool {
	seg = strings.ToLower(strings.TrimSpace(seg))
	if seg == "" || strings.ContainsAny(seg, " \t") {
		return false
	}
	for _, suf := range webSuffixes {
		if strings.HasSuffix(seg, suf) && len(seg) > len(suf)+1 {
			return true
		}
	}
	// Any country's domain: a name of three letters or more, a dot and
	// two or three letters ("LSM.lv", "Vlast.kz").
	name, tld, ok := cutLast(seg, '.')
	return ok && len(name) >= 3 && len(tld) >= 2 && len(tld) <= 3 && isASCIIWord(tld) && !strings.ContainsFunc(tld, func(r rune) bool { return r < 'a' || r > 'z' }) &&
		!strings.ContainsFunc(name, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') })
}

// cutLast is strings.Cut at the last sep.
func cutLast(s string, sep byte) (before, after string, found bool) {
	if i := strings.LastIndexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// quotePairs are the quotation marks wires open and close a quote with.
var quotePairs = map[rune]string{'"': `"`, '“': "”", '«': "»", '\'': "'", '‘': "’", '„': "“”"}

// quoteLeadSeps are what a wire puts between a leading quote and the
// headline.
var quoteLeadSeps = []string{"..", "…", ":", "-", "–", "|"}

// stripQuoteLead removes a quote that leads a headline before a
// separator ("'لن نتراجع' .. نتنياهو يتحدى الضغوط", "“We won't back
// down”: Netanyahu defies pressure"): the headline after it tells the
// story, and the quote is one wire's choice of words from it.
func stripQuoteLead(s string) string {
	open, size := utf8.DecodeRuneInString(s)
	closers, ok := quotePairs[open]
	if !ok {
		return s
	}
	end := strings.IndexAny(s[size:], closers)
	if end <= 0 {
		return s
	}
	rest := strings.TrimSpace(s[size+end:])
	_, csize := utf8.DecodeRuneInString(rest)
	rest = strings.TrimSpace(rest[csize:])
	cut := false
	for _, sep := range quoteLeadSeps {
		if r, ok := strings.CutPrefix(rest, sep); ok {
			rest, cut = strings.TrimLeft(strings.TrimSpace(r), ".…"), true
			break
		}
	}
	if !cut || strings.Count(strings.TrimSpace(rest), " ") < 2 {
		return s
	}
	return strings.TrimSpace(rest)
}

// isDecoration reports whether a segment of a headline is an outlet name
// or an attribution (trailing or leading).
func (m *Matcher) isDecoration(seg string, trailing bool) bool {
	if webAddress(seg) || timeStamp(seg) || dateStamp(seg, trailing) {
		return true
	}
	n := Normalize(seg)
	if n == "" {
		// Normalize drops the one-word labels it knows ("video",
		// "عاجل"): a segment of letters that leaves nothing was one.
		return strings.ContainsFunc(seg, unicode.IsLetter)
	}
	if words := strings.Fields(n); len(words) <= 4 && exclusiveLabels[words[0]] {
		// "Exclusive to Reuters", حصري لـ"عربي21", خاص - …
		return true
	}
	if k := strings.LastIndexByte(n, ' '); k > 0 && hasDigit(n[k+1:]) && !hasDigit(n[:k]) && (labelSegments[n[:k]] || slices.Contains(wireLabels, n[:k])) {
		// "(تحديث 2)", "update 3".
		return true
	}
	words := strings.Count(n, " ") + 1
	if words > maxOutletWords {
		return false
	}
	ow := outletWordCount(n)
	if m.listedOutlet(n) || labelSegments[n] || words <= 4 && ow > 0 || words == 5 && strings.HasPrefix(n, "the ") && ow > 0 || ow >= 2 {
		// "Otago Daily Times Online News": a long name, but of
		// outlet words.
		return true
	}
	if trailing && (byline(seg) || m.titleTail(n)) {
		return true
	}
	if k := strings.LastIndexByte(n, ' '); k > 0 && outletLanguages[n[k+1:]] && (m.listedOutlet(n[:k]) || words <= 3 && !hasDigit(n) && (trailing || !strings.HasPrefix(n, "ال"))) {
		// "بي بي سي نيوز عربي", "ANSA English", "روداو عربية": an
		// outlet's edition in a language. Before a headline, not a
		// body with the article: "الجامعة العربية: …" is a speaker.
		return true
	}
	if spelledAcronym(n) {
		return true
	}
	if rest, ok := onPlatform(n); ok && (m.listedOutlet(rest) || hasOutletWord(rest) || strings.Count(rest, " ") < 3) {
		// "الشرق القطرية على إكس", "قناة عاجل الكويت على تلغرام": an
		// outlet's account on a platform.
		return true
	}
	return isAttribution(n, !trailing)
}

// isAttribution reports whether normalized text, a segment cut off by a
// separator, is an attribution: it starts with a cue ("according to",
// "وفق"), ends with a saying verb after an attributor ("police said"), or
// is one or two attributor words ("report", "مصادر طبية"). At the start of
// a headline ("Police: …", "Report -") only attributor words and a cue
// with its source count.
func isAttribution(n string, leading bool) bool {
	words := strings.Fields(n)
	if len(words) == 0 || len(words) > maxAttribution {
		return false
	}
	for _, body := range reportingBodies {
		if n == body || strings.HasPrefix(n, body+" ") {
			// "الهلال الأحمر الفلسطيني: …", "Civil Defence: …".
			return true
		}
	}
	first, last := Stem(words[0]), words[len(words)-1]
	if attributionCues[first] && (!leading || len(words) >= 2) {
		// At the start too: "According to officials: …", "نقلاً عن
		// مصادر أمنية: …". A cue always says who told it.
		return true
	}
	if attributors[words[0]] || attributors[first] {
		if len(words) <= 3 || sayVerbs[last] {
			// "مصادر طبية", "وسائل إعلام عبرية", "مسؤول أمريكي كبير"
			return true
		}
	}
	if leading && len(words) <= 3 && vagueAttributors[last] {
		// "US official: …", "Israeli media: …": nobody named.
		return true
	}
	if !leading && len(words) <= 3 && (attributors[last] || attributors[Stem(last)]) {
		// "state media", "health ministry", "مصادر طبيه"
		return true
	}
	if !leading && len(words) <= 4 && sayVerbs[words[0]] && (attributors[last] || attributors[Stem(last)]) {
		// Said the other way round: ", says aide", ", said police".
		return true
	}
	if !leading && sayVerbs[last] && len(words) <= 5 {
		// "police said", "the ministry said", "مصادر طبية قالت"
		for _, w := range words[:len(words)-1] {
			if attributors[w] || attributors[Stem(w)] {
				return true
			}
		}
	}
	return false
}

// speakerTail reports whether normalized text after a comma names who
// told the headline, even by name: ", WHO says", ", Red Crescent said",
// "، قال الهلال الأحمر الليبي", "، حسبما أفاد مسؤول إيراني". After a
// comma at the end, the speaker is the wire's source for what went
// before, not the story; a headline led by its speaker ("WHO says …")
// keeps it.
func speakerTail(n string) bool {
	words := strings.Fields(n)
	if len(words) < 2 || len(words) > maxAttribution-1 {
		return false
	}
	first, last := words[0], words[len(words)-1]
	switch {
	case asCues[first]:
		return true
	case (first == "says" || first == "said" || sayVerbs[first] && !isASCIIWord(first)) && !subjectPronouns[words[1]]:
		// "، قال الهلال الأحمر", ", says Hamas"; not ", says it will".
		return len(words) <= 4
	case (last == "says" || last == "said" || last == "say") && len(words) <= 4:
		// ", Red Crescent says"; not ", Hamas says it will".
		for _, w := range words[:len(words)-1] {
			if w == "who" {
				continue // the WHO
			}
			if subjectPronouns[w] || isStop(w) && w != "the" && w != "al" {
				return false
			}
		}
		return true
	}
	return false
}

// asCues start an Arabic attribution of "as X said": حسبما أفاد, كما
// أعلن is not one (كما also means "also").
var asCues = map[string]bool{"حسبما": true, "بحسبما": true, "وفقما": true}

// perUnits follow "per" where it makes a rate, not an attribution: "per
// cent", "rials per dollar", "$90 per barrel".
var perUnits = map[string]bool{
	"cent": true, "dollar": true, "euro": true, "barrel": true, "ounce": true, "oz": true,
	"day": true, "week": true, "month": true, "year": true, "hour": true, "capita": true,
	"person": true, "head": true, "share": true, "kg": true, "kilo": true, "kilogram": true,
	"litre": true, "liter": true, "gallon": true, "tonne": true, "ton": true, "unit": true,
	"kwh": true, "mile": true, "km": true, "hectare": true, "household": true,
}

// trailingAttribution returns how many of words (normalized and stemmed)
// remain once an attribution written without a separator is cut from the
// end: "… وفق مصادر طبية", "… نقلا عن مسؤولين", "… according to police",
// "… police say". At least three words stay.
func trailingAttribution(words []string) int {
	n := len(words)
	for i := max(3, n-maxAttribution); i < n; i++ {
		if attributionCues[words[i]] && i+1 < n && !(words[i] == "per" && perUnits[words[i+1]]) &&
			(words[i] != "via" || slices.ContainsFunc(words[i+1:], func(w string) bool { return attributors[w] || outletWords[w] })) {
			// "via" names a source only when what follows is one ("via
			// state media"), not a route ("via Zikim crossing").
			return i
		}
	}
	if n >= 5 && sayVerbs[words[n-1]] {
		for k := 2; k <= 3; k++ {
			if attributors[words[n-k]] {
				return n - k
			}
		}
	}
	return n
}

// stripWireLabel removes one leading wire label with its number and
// separator ("UPDATE 2-", "EXCLUSIVE:", "تحديث 1 -").
func stripWireLabel(s string) string {
	for _, l := range wireLabels {
		if len(s) <= len(l) || !strings.EqualFold(s[:len(l)], l) {
			continue
		}
		rest := s[len(l):]
		rest = strings.TrimLeft(rest, " ")
		rest = strings.TrimLeftFunc(rest, func(r rune) bool { return digitValue(r) >= 0 })
		if len(rest) > 1 && rest[0] == ':' && isASCIIDigit(rest[1]) {
			continue // "Updated 14:32 |": a time stamp, cut as a segment
		}
		rest = strings.TrimLeft(rest, " ")
		r, size := utf8.DecodeRuneInString(rest)
		if size == 0 || !(isLabelSep(r) || isHyphen(r)) {
			continue
		}
		rest = strings.TrimLeftFunc(rest[size:], func(r rune) bool { return unicode.IsSpace(r) || isHyphen(r) })
		if rest != "" {
			return rest
		}
	}
	return s
}

// lastSep returns where the last of seps occurs in s, and which: one
// backward pass that tries the separators only where one could start
// (strings.LastIndex per separator cost a third of Canonical).
func lastSep(s string, seps []string) (int, string) {
	for i := len(s) - 1; i >= 0; i-- {
		if !sepStart(s[i]) || clockColon(s, i) {
			continue
		}
		for _, sep := range seps {
			if s[i] == sep[0] && sepAt(s, i, sep) {
				return i, sep
			}
		}
	}
	return -1, ""
}

// firstSep returns where the first of seps occurs in s, and which; at one
// place the longest separator wins (" - " over " -").
func firstSep(s string, seps []string) (int, string) {
	for i := 0; i < len(s); i++ {
		if !sepStart(s[i]) || clockColon(s, i) {
			continue
		}
		which := ""
		for _, sep := range seps {
			if s[i] == sep[0] && len(sep) > len(which) && sepAt(s, i, sep) {
				which = sep
			}
		}
		if which != "" {
			return i, which
		}
	}
	return -1, ""
}

// sepAt reports whether sep, whose first byte is s[i], starts at s[i].
// Most separators start with a space and a headline has a space every
// few bytes: the second byte rules nearly all of them out before a
// string compare.
func sepAt(s string, i int, sep string) bool {
	if len(sep) > 1 && (i+1 >= len(s) || s[i+1] != sep[1]) {
		return false
	}
	return strings.HasPrefix(s[i:], sep)
}

// clockColon reports whether s[i] is the colon of a clock time (08:45),
// which separates nothing.
func clockColon(s string, i int) bool {
	return s[i] == ':' && i > 0 && i+1 < len(s) && isASCIIDigit(s[i-1]) && isASCIIDigit(s[i+1])
}

// sepStart reports whether a separator of the tables above may start
// with byte c: a space, a comma, a colon, a full stop, or the lead byte
// of "،" or "…".
func sepStart(c byte) bool {
	return c == ' ' || c == ',' || c == ':' || c == 0xD8 || c == '.' || c == 0xE2
}

// foreignTail reports whether tail, a segment after a separator, is a
// short name in another script than body: "… - RT Arabic" after an
// Arabic headline, "… - الجزيرة" after an English one. A headline does
// not switch script for its last words; an outlet's Latin name does.
// Digits make it a score or a figure, not a name.
func foreignTail(body, tail string) bool {
	n := Normalize(tail)
	if n == "" || strings.Count(n, " ") >= 3 || hasDigit(n) {
		return false
	}
	b, t := scriptOf(body), scriptOf(n)
	return b != 0 && t != 0 && b != t
}

// scriptOf returns 'a' when s's letters are mostly Arabic, 'l' when
// mostly Latin, 0 otherwise.
func scriptOf(s string) byte {
	var arabic, latin int
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	switch {
	case arabic > 3*latin && arabic > 0:
		return 'a'
	case latin > 3*arabic && latin > 0:
		return 'l'
	}
	return 0
}

// maxDatelineWords bounds the place and date of a dateline.
const maxDatelineWords = 5

// datelineSeps end a dateline: "GAZA (Reuters) - …", "رام الله - وفا - …".
var datelineSeps = []string{" - ", " – ", " — ", " -", ": ", " ـ ", "ـ ", " / "}

// stripDateline removes a leading dateline, a place (and date) with the
// outlet that filed from it: "GAZA (Reuters) -", "KYIV, Dec 7 (Reuters) -",
// "الرياض (واس) -", "رام الله - وفا -". The place is where the wire's
// desk filed, not what happened; a headline that names its place says it
// again after. Without an outlet nothing is cut: "Gaza - …" may be a
// headline's own place, told as a label.
func (m *Matcher) stripDateline(s string) string {
	if rest, ok := m.gluedDateline(s); ok {
		return rest
	}
	if len(s) > 3 && allUpperASCII(s[:3]) {
		if rest := stripCapsDateline(s); rest != s {
			return rest
		}
	}
	return m.stripListedDateline(s)
}

// isUpperASCII reports whether c is a capital Latin letter.
func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }

// capsDatelineSeps are the dashes after a dateline's city in capitals.
var capsDatelineSeps = []string{" — ", " – ", " - ", " -- "}

// stripCapsDateline removes a dateline's city in capitals and the dash
// after it (see capsDateline).
func stripCapsDateline(s string) string {
	if i, sep := firstSep(s, capsDatelineSeps); i > 0 && capsDateline(s[:i]) {
		// "RIGA — …", "LAGOS, Nigeria —": a city in capitals and a
		// dash, the dateline of a site that names no agency.
		if rest := strings.TrimSpace(s[i+len(sep):]); strings.Count(rest, " ") >= 2 {
			return rest
		}
	}
	return s
}

// stripListedDateline removes a dateline with its agency, or with a
// place and the agency between two separators.
func (m *Matcher) stripListedDateline(s string) string {
	i, sep := firstSep(s, datelineSeps)
	if i <= 0 {
		return s
	}
	head, rest := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):])
	if rest == "" {
		return s
	}
	if strings.HasSuffix(head, ")") {
		// "GAZA (Reuters)", "الرياض (واس)", "(AP)".
		open := strings.LastIndexByte(head, '(')
		if open < 0 || !m.outletName(head[open+1:len(head)-1]) && !agencyShaped(head[open+1:len(head)-1]) || !datelinePlace(head[:open]) {
			return s
		}
		return strings.TrimLeft(s[i+len(sep):], "-–— ")
	}
	if k := strings.LastIndexByte(head, '-'); k > 0 && !strings.Contains(head, " -") && !strings.Contains(head, "- ") {
		// "دمشق-سانا - …": the place and the agency joined by a hyphen.
		if agency := head[k+1:]; (m.outletName(agency) || agencyShaped(agency)) && datelinePlace(head[:k]) && strings.Count(rest, " ") >= 2 {
			return rest
		}
	}
	// "رام الله - وفا - …": the place, then the outlet between two
	// separators.
	if !datelinePlace(head) || head == "" {
		return s
	}
	j, sep2 := firstSep(rest, datelineSeps)
	// KUNA dates its dateline between the place and itself: "الكويت -
	// 12 - 5 (كونا) -- …".
	for k := 0; k < 2 && j > 0 && dayOfMonth(Normalize(rest[:j])); k++ {
		rest = strings.TrimSpace(rest[j+len(sep2):])
		j, sep2 = firstSep(rest, datelineSeps)
	}
	if j <= 0 {
		return s
	}
	if seg := rest[:j]; !m.outletName(seg) {
		// The month and the outlet in one segment: "5 (كونا)".
		day, outlet, ok := strings.Cut(strings.TrimSpace(seg), " ")
		if !ok || !dayOfMonth(Normalize(day)) || !m.outletName(outlet) {
			return s
		}
	}
	if after := strings.TrimSpace(strings.TrimLeft(rest[j+len(sep2):], "-–— ")); strings.Count(after, " ") >= 2 {
		return after
	}
	return s
}

// capsDateline reports whether head is a dateline's city in capitals, one
// to three words of three letters or more, and perhaps its country after
// a comma ("LAGOS, Nigeria").
func capsDateline(head string) bool {
	city, _, _ := strings.Cut(head, ",")
	words := strings.Fields(city)
	if len(words) == 0 || len(words) > 3 || strings.Count(head, " ") > 4 {
		return false
	}
	for _, w := range words {
		if len(w) < 3 || !allUpperASCII(w) {
			return false
		}
	}
	return true
}

// duration reports whether n (normalized), in brackets after a headline,
// is a podcast's or a video's length: "42 min", "3 mins", "12 دقيقة".
func duration(n string) bool {
	words := strings.Fields(n)
	return len(words) == 2 && allDigits(words[0]) && durationUnits[words[1]]
}

var durationUnits = map[string]bool{"min": true, "mins": true, "minutes": true, "sec": true, "secs": true, "hr": true, "hrs": true, "دقيقه": true, "دقايق": true}

// gluedDateline strips a dateline whose agency is glued to its marks:
// between slashes ("مسقط في 8 ديسمبر /العُمانية/ …") or before a hyphen
// ("رام الله 8-12-2024 وفا- …"), after a place and a date of a few
// words. It reports whether it found one.
func (m *Matcher) gluedDateline(s string) (string, bool) {
	const near = 80 // a dateline is a headline's first bytes
	if i := strings.Index(s, " /"); i > 0 && i < near {
		if j := strings.Index(s[i+2:], "/ "); j > 0 {
			inner, rest := s[i+2:i+2+j], strings.TrimSpace(s[i+2+j+2:])
			if (m.outletName(inner) || agencyShaped(inner)) && datelinePlace(s[:i]) && strings.Count(rest, " ") >= 2 {
				return rest, true
			}
		}
	}
	if k := strings.Index(s, "- "); k > 1 && k < near && s[k-1] != ' ' {
		head := strings.Fields(s[:k])
		if agency := head[len(head)-1]; len(head) >= 2 && m.outletName(agency) && datelinePlace(strings.Join(head[:len(head)-1], " ")) {
			if rest := strings.TrimSpace(s[k+2:]); strings.Count(rest, " ") >= 2 {
				return rest, true
			}
		}
	}
	return s, false
}

// agencyShaped reports whether seg, in brackets after a dateline's place
// or joined to it by a hyphen, has the shape of a news agency's name the
// lists do not know: one to three words of six letters or fewer, no
// figure (SUNA, ANTARA, "د ب أ", واع, يونهاب). There wires put the agency,
// and a place is all that comes before.
func agencyShaped(seg string) bool {
	words := strings.Fields(Normalize(seg))
	if len(words) == 0 || len(words) > 3 || hasDigit(seg) {
		return false
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) > 6 {
			return false
		}
	}
	return true
}

// outletName reports whether seg is an outlet's name, listed or known by
// its words ("وكالة الأنباء اليمنية").
func (m *Matcher) outletName(seg string) bool {
	n := Normalize(seg)
	return n != "" && strings.Count(n, " ") < maxOutletWords && (m.listedOutlet(n) || hasOutletWord(n))
}

// listedOutlet reports whether normalized text is a listed outlet, with
// "the" or without.
func (m *Matcher) listedOutlet(n string) bool {
	return m.outlets[n] || strings.HasPrefix(n, "the ") && m.outlets[n[4:]]
}

// hasOutletWord reports whether normalized text has a word that marks an
// outlet's name (see outletWords), with the article too: الوكالة
// الوطنية للإعلام.
func hasOutletWord(n string) bool { return outletWordCount(n) > 0 }

// outletWordCount is how many words of normalized text mark an outlet.
func outletWordCount(n string) int {
	k := 0
	for _, w := range strings.Fields(n) {
		if outletWords[w] || outletWords[strings.TrimPrefix(w, "ال")] {
			k++
		}
	}
	return k
}

// arabicLetterNames are Latin letters as Arabic writes them out, as
// Normalize writes them: تي آر تي is TRT, سي إن إن CNN, إف إم FM. Not في
// and ال, which are words.
var arabicLetterNames = map[string]bool{
	"تي": true, "ار": true, "سي": true, "جي": true, "ان": true, "ام": true, "اف": true,
	"بي": true, "دي": true, "اس": true, "كي": true, "او": true, "اي": true, "اتش": true,
	"يو": true, "زد": true, "واي": true, "اكس": true, "ايه": true,
}

// spelledAcronym reports whether normalized text is a Latin acronym
// written out in Arabic, two letters or more in a row, with perhaps a
// name or a language around it (ديوان إف إم, سي جي تي إن العربية): an
// outlet's name.
func spelledAcronym(n string) bool {
	words := strings.Fields(n)
	if len(words) > 5 {
		return false
	}
	run, best := 0, 0
	for _, w := range words {
		if arabicLetterNames[w] {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best >= 2 && !hasDigit(n)
}

// platforms are where outlets post, as Normalize writes them.
var platforms = map[string]bool{
	"تلغرام": true, "تليغرام": true, "تيليجرام": true, "تويتر": true, "اكس": true, "فيسبوك": true,
	"انستغرام": true, "يوتيوب": true, "telegram": true, "twitter": true, "x": true, "facebook": true,
	"instagram": true, "youtube": true, "tiktok": true,
}

// onPlatform cuts "on Telegram", "على تلغرام", "- تلغرام" off normalized
// text and reports whether it did.
func onPlatform(n string) (string, bool) {
	words := strings.Fields(n)
	k := len(words)
	if k < 2 || !platforms[words[k-1]] {
		return n, false
	}
	k--
	if words[k-1] == "علي" || words[k-1] == "on" || words[k-1] == "via" || words[k-1] == "عبر" {
		k--
	}
	if k == 0 {
		return n, false
	}
	return strings.Join(words[:k], " "), true
}

// titleTail reports whether normalized text, after a headline, is only
// who said it by office: a title and perhaps its country ("…: foreign
// minister", "- Iran's FM", "- وزير الخارجية"), up to four words.
func (m *Matcher) titleTail(n string) bool {
	words := strings.Fields(n)
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	title := false
	for _, w := range words {
		c := m.normalizedForm(w)
		switch {
		case titleSet()[c]:
			title = title || !titleComplements()[c]
		case w == "s" || countryOrCapital(c) || m.nationality(Stem(w)):
		default:
			return false
		}
	}
	return title
}

// byline reports whether seg, after a headline, is a byline: "by" and a
// name of two or three capitalized words ("– by Aoife Kearney").
func byline(seg string) bool {
	rest, ok := strings.CutPrefix(strings.TrimSpace(seg), "by ")
	if !ok {
		rest, ok = strings.CutPrefix(strings.TrimSpace(seg), "By ")
	}
	words := strings.Fields(rest)
	return ok && len(words) >= 2 && len(words) <= 3 && !slices.ContainsFunc(words, func(w string) bool { return !startsUpper(w) })
}

// datelinePlace reports whether s may be a dateline's place and date: a
// few words, none a separator's, possibly none at all ("(AP) - …").
func datelinePlace(s string) bool {
	n := Normalize(s)
	return strings.Count(n, " ") < maxDatelineWords && !strings.ContainsAny(s, "|:")
}

// lexiconWord reports whether w (normalized) is a word the lexicon knows,
// as is or stemmed: a thing or a place with a meaning of its own ("the
// Kremlin"), not a paper's name.
func (m *Matcher) lexiconWord(w string) bool {
	_, ok := m.words[w]
	if !ok {
		_, ok = m.words[Stem(w)]
	}
	return ok
}
