package match

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// classCase is one pair of a class of the dedupe issue (wire decorations,
// same story in other words, different stories in the same words).
type classCase struct {
	name string
	a, b string
	same bool
}

func checkClass(t *testing.T, cases []classCase) {
	t.Helper()
	m := Default()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := m.Explain(c.a, c.b, defaultThreshold)
			if e.Same != c.same {
				t.Errorf("Same(%q, %q) = %v, want %v\n%s", c.a, c.b, e.Same, c.same, e)
			}
			if rev := m.Explain(c.b, c.a, defaultThreshold); rev.Same != e.Same || rev.Score != e.Score {
				t.Errorf("not symmetric: %v %.3f one way, %v %.3f the other", e.Same, e.Score, rev.Same, rev.Score)
			}
			if got := m.Same(c.a, c.b, defaultThreshold); got != e.Same {
				t.Errorf("Same = %v, Explain says %v", got, e.Same)
			}
		})
	}
}

// Why 2: copies of one headline as other outlets republish it.
func TestClassDecorations(t *testing.T) {
	checkClass(t, []classCase{
		{"update label en", "UPDATE 2-Israel strikes Rafah as truce talks stall", "Israel strikes Rafah as truce talks stall", true},
		{"update 1 label", "UPDATE 1-Oil prices climb after OPEC+ output cut", "Oil prices climb after OPEC+ output cut", true},
		{"exclusive label", "EXCLUSIVE-Saudi Arabia weighs oil output hike, sources say", "Saudi Arabia weighs oil output hike", true},
		{"corrected label", "CORRECTED-Turkish central bank holds rates at 50%", "Turkish central bank holds rates at 50%", true},
		{"ap news suffix", "Earthquake of magnitude 6.1 strikes southern Turkey | AP News", "Earthquake of magnitude 6.1 strikes southern Turkey", true},
		{"reuters suffix", "Sudan army retakes presidential palace - Reuters", "Sudan army retakes presidential palace", true},
		{"outlet prefix", "Reuters: Sudan army retakes presidential palace", "Sudan army retakes presidential palace | Al Jazeera", true},
		{"unknown outlet with news", "Kuwait names new crown prince - Gulf News", "Kuwait names new crown prince", true},
		{"outlet in parentheses", "Kuwait names new crown prince (AFP)", "Kuwait names new crown prince", true},
		{"police said", "Three killed in shooting at Texas mall, police said", "Three killed in shooting at Texas mall", true},
		{"dash report", "Apple to cut 600 jobs in California - report", "Apple to cut 600 jobs in California", true},
		{"according to", "Five killed in Kabul blast, according to officials", "Five killed in Kabul blast", true},
		{"leading attribution", "Police: Three killed in shooting at Texas mall", "Three killed in shooting at Texas mall", true},
		{"agency suffix ar", "الاحتلال يعتقل 15 فلسطينيا من الضفة الغربية - وكالة الأنباء", "الاحتلال يعتقل 15 فلسطينيا من الضفة الغربية", true},
		{"wafa suffix ar", "الاحتلال يعتقل 15 فلسطينيا من الضفة الغربية | وفا", "الاحتلال يعتقل 15 فلسطينيا من الضفة الغربية", true},
		{"outlet prefix ar", "رويترز: البنك المركزي المصري يثبت أسعار الفائدة", "البنك المركزي المصري يثبت أسعار الفائدة - سكاي نيوز عربية", true},
		{"update label ar", "تحديث 2- ارتفاع حصيلة ضحايا الزلزال في المغرب إلى 2000", "ارتفاع حصيلة ضحايا الزلزال في المغرب إلى 2000", true},
		{"medical sources ar", "استشهاد 3 فلسطينيين في قصف على خان يونس وفق مصادر طبية", "استشهاد 3 فلسطينيين في قصف على خان يونس", true},
		{"quoting officials ar", "الجيش السوداني يستعيد القصر الرئاسي نقلاً عن مسؤولين", "الجيش السوداني يستعيد القصر الرئاسي", true},
		{"according to ar", "مقتل 4 في انفجار بمدينة حلب، بحسب مصادر محلية", "مقتل 4 في انفجار بمدينة حلب", true},
		{"sources say ar", "مصادر: الوفد المصري يصل إلى الدوحة لاستئناف المفاوضات", "الوفد المصري يصل إلى الدوحة لاستئناف المفاوضات", true},
		{"quotes and case", "UN Chief Urges \"Immediate\" Ceasefire In Sudan", "UN chief urges ‘immediate’ ceasefire in Sudan", true},
		{"chained labels", "CORRECTED-UPDATE 1-Israel strikes Rafah as truce talks stall", "Israel strikes Rafah as truce talks stall", true},
		{"latin outlet after arabic", "الاحتلال يقصف رفح مع تعثر مفاوضات الهدنة - RT Arabic", "الاحتلال يقصف رفح مع تعثر مفاوضات الهدنة", true},
		{"arabic outlet after english", "Israel strikes Rafah as truce talks stall | قناة الغد", "Israel strikes Rafah as truce talks stall", true},
		{"turkish agency word", "Israel strikes Rafah as truce talks stall - Anadolu Ajansı", "Israel strikes Rafah as truce talks stall", true},
		// Decorations never hide what differs.
		{"latin tail with a score stays", "نهائي دوري أبطال أوروبا - Real Madrid 2-1", "نهائي دوري أبطال أوروبا - Real Madrid 1-2", false},
		{"outlet suffix but other place", "Sudan army retakes presidential palace - Reuters", "Sudan army retakes Khartoum airport - Reuters", false},
		{"speaker is not an attribution", "Trump says tariffs on China will rise", "Biden says tariffs on China will rise", false},
		{"attribution but other number ar", "مقتل 4 في انفجار بمدينة حلب، بحسب مصادر محلية", "مقتل 7 في انفجار بمدينة حلب", false},
	})
}

// Why 3: one event told in other words.
func TestClassOtherWords(t *testing.T) {
	checkClass(t, []classCase{
		{"arrest detain en", "Israeli forces arrest 12 Palestinians in West Bank raids", "Israeli forces detain 12 Palestinians in West Bank raids", true},
		{"arrest detain ar", "الاحتلال يعتقل 12 فلسطينيا في الضفة الغربية", "الاحتلال يحتجز 12 فلسطينيا في الضفة الغربية", true},
		{"idf house style", "Israeli army says it killed Hamas commander in Gaza", "IDF says it killed Hamas commander in Gaza", true},
		{"army house style ar", "جيش الاحتلال يقتحم مخيم جنين", "القوات الإسرائيلية تقتحم مخيم جنين", true},
		{"gaddafi qaddafi", "Saif al-Islam Gaddafi to run for Libya presidency", "Saif al-Islam Qaddafi to run for Libya presidency", true},
		{"mohammed muhammad", "Mohammed bin Salman meets Blinken in Riyadh", "Muhammad bin Salman meets Blinken in Riyadh", true},
		{"blinken spelling ar", "بلينكن يصل إلى الرياض في جولة إقليمية", "بلنكن يصل إلى الرياض في جولة إقليمية", true},
		{"near spelling name", "Zelenskyy visits Kherson front line", "Zelensky visits Kherson front line", true},
		{"unlisted name one edit", "Ghebreyesus warns of cholera outbreak in Sudan", "Ghebreyesous warns of cholera outbreak in Sudan", true},
		{"seven 7 en", "Seven killed in Israeli strike on Gaza school", "7 killed in Israeli strike on Gaza school", true},
		{"seven 7 ar", "مقتل سبعة أشخاص في غارة على مدرسة بغزة", "مقتل 7 أشخاص في غارة على مدرسة بغزة", true},
		{"arabic indic digits", "مقتل ٧ أشخاص في غارة على مدرسة بغزة", "مقتل 7 أشخاص في غارة على مدرسة بغزة", true},
		{"teen number ar", "إصابة ثلاثة عشر شخصا في حادث سير بعمان", "إصابة 13 شخصا في حادث سير بعمان", true},
		{"2m 2 million", "UN says 2m people displaced in Sudan", "UN says 2 million people displaced in Sudan", true},
		{"bn billion", "World Bank approves $1.5bn loan for Egypt", "World Bank approves $1.5 billion loan for Egypt", true},
		{"thousands separator", "Gaza death toll passes 12,000", "Gaza death toll passes 12000", true},
		{"thousands ar", "وزارة الصحة: حصيلة الشهداء تتجاوز 32 ألفا", "وزارة الصحة: حصيلة الشهداء تتجاوز 32000", true},
		{"percent forms", "Egypt inflation rises to 35.7 percent", "Egypt inflation rises to 35.7%", true},
		{"percent ar", "التضخم في مصر يرتفع إلى 35.7 بالمئة", "التضخم في مصر يرتفع إلى ٣٥٫٧٪", true},
		{"ordinal en", "Fed holds rates for third time in a row", "Fed holds rates for 3rd time in a row", true},
		{"ordinal ar", "المركزي المصري يثبت الفائدة للمرة الثالثة", "المركزي المصري يثبت الفائدة للمرة 3", false}, // "للمرة 3" is not how wires write it; ordinal stays a word of its own
		{"preposition glued ar", "مستوطنون يهاجمون منازل المواطنين بالخليل", "مستوطنون يهاجمون منازل المواطنين في الخليل", true},
		{"preposition b ar", "غارات إسرائيلية عنيفة بغزة الليلة", "غارات إسرائيلية عنيفة في غزة الليلة", true},
		{"latin diacritics", "Erdoğan meets Macron in Élysée palace", "Erdogan meets Macron in Elysee palace", true},
		{"plural s", "Houthi rebels claim attacks on ships", "Houthi rebels claim attack on ship", true},
		{"coordinated names", "Egypt and Qatar pledge aid to Gaza", "Qatar and Egypt pledge aid to Gaza", true},
		{"coordinated names ar", "مصر وقطر تتعهدان بمساعدات لغزة", "قطر ومصر تتعهدان بمساعدات لغزة", true},
		{"phrase moved", "وزير الخارجية السعودي يصل إلى طهران في زيارة رسمية", "في زيارة رسمية.. وزير الخارجية السعودي يصل إلى طهران", true},
		{"dateline moved", "Gaza: Israeli strike kills 5 at school", "Israeli strike kills 5 at school in Gaza", true},
	})
}

// Why 4: different stories told in the same words must stay apart.
func TestClassMustStayApart(t *testing.T) {
	checkClass(t, []classCase{
		{"sues swapped", "Apple sues Samsung over patents", "Samsung sues Apple over patents", false},
		{"beats swapped", "Brazil beat Argentina in World Cup qualifier", "Argentina beat Brazil in World Cup qualifier", false},
		{"defeats swapped", "Real Madrid defeats Barcelona in Clasico", "Barcelona defeats Real Madrid in Clasico", false},
		{"arrests swapped ar", "الشرطة التركية تعتقل صحفيا سوريا", "صحفي سوري يعتقل الشرطة التركية", false},
		{"beats swapped ar", "الأهلي يفوز على الزمالك في نهائي الكأس", "الزمالك يفوز على الأهلي في نهائي الكأس", false},
		{"sues swapped ar", "شركة أبل تقاضي سامسونغ بسبب براءات الاختراع", "سامسونغ تقاضي شركة أبل بسبب براءات الاختراع", false},
		{"scoreline reversed", "Liverpool 3-0 Chelsea: Salah scores twice", "Liverpool 0-3 Chelsea: Salah scores twice", false},
		{"scoreline reversed ar", "ريال مدريد 3-1 برشلونة في الكلاسيكو", "ريال مدريد 1-3 برشلونة في الكلاسيكو", false},
		{"scoreline teams swapped", "Liverpool 2-1 Chelsea in FA Cup semi-final", "Chelsea 2-1 Liverpool in FA Cup semi-final", false},
		{"u20 qualifier", "Brazil U-20 beat Argentina 2-0", "Brazil beat Argentina 2-0", false},
		{"u21 written together", "England U21 beat Germany in final", "England beat Germany in final", false},
		{"youth qualifier", "Morocco youth team qualifies for World Cup", "Morocco team qualifies for World Cup", false},
		{"reserves qualifier", "Ajax reserves beat PSV in league", "Ajax beat PSV in league", false},
		{"juniors qualifier ar", "منتخب مصر للناشئين يفوز على تونس", "منتخب مصر يفوز على تونس", false},
		{"women qualifier ar", "منتخب المغرب للسيدات يتأهل إلى كأس العالم", "منتخب المغرب يتأهل إلى كأس العالم", false},
		{"ghair qualifier ar", "منظمة غير حكومية تحذر من مجاعة في السودان", "منظمة حكومية تحذر من مجاعة في السودان", false},
		{"number changed", "Seven killed in Israeli strike on Gaza school", "Nine killed in Israeli strike on Gaza school", false},
		{"number changed ar", "مقتل سبعة أشخاص في غارة على مدرسة بغزة", "مقتل تسعة أشخاص في غارة على مدرسة بغزة", false},
		{"day changed", "Security Council to vote on Gaza resolution on Monday", "Security Council to vote on Gaza resolution on Tuesday", false},
		{"day changed ar", "مجلس الأمن يصوت الاثنين على قرار بشأن غزة", "مجلس الأمن يصوت الثلاثاء على قرار بشأن غزة", false},
		{"action changed", "Israeli forces arrest 12 Palestinians in Jenin", "Israeli forces kill 12 Palestinians in Jenin", false},
		{"place changed one letter", "الجيش يعتقل شابا في سلواد شرق رام الله", "الجيش يعتقل شابا في سلوان شرق رام الله", false},
		{"place changed", "Israeli strike kills 5 in Rafah", "Israeli strike kills 5 in Jenin", false},
		{"event changed", "Fed raises rates for third time", "Fed cuts rates for third time", false},
		{"negation", "Aid convoy reached northern Gaza", "Aid convoy has not reached northern Gaza", false},
		{"million vs billion", "World Bank approves $1.5bn loan for Egypt", "World Bank approves $1.5m loan for Egypt", false},
		{"percent differs", "Egypt inflation rises to 35.7%", "Egypt inflation rises to 33.7%", false},
		{"sunday is not eleven ar", "اجتماع الحكومة الأحد في رام الله", "اجتماع الحكومة 11 في رام الله", false},
		{"monday is not two ar", "مقتل اثنين في غارة على غزة", "غارة على غزة الاثنين", false},
	})
}

// The qualifier and role rules must not undo the coordinated and moved
// cases the seed relies on; TestPairCorpusMatcher runs the whole corpus.
func TestPairCorpusMatcher(t *testing.T) {
	m := Default()
	var same, tp int
	for _, p := range readPairs(t) {
		e := m.Explain(p.a, p.b, defaultThreshold)
		if p.same {
			same++
			if e.Same {
				tp++
			} else {
				t.Logf("pairs.tsv:%d: missed:\n%s", p.line, e)
			}
		} else if e.Same {
			t.Errorf("pairs.tsv:%d: false merge:\n%s", p.line, e)
		}
	}
	if recall := float64(tp) / float64(same); recall < 0.95 {
		t.Errorf("recall %.3f (%d/%d), want at least 0.95", recall, tp, same)
	}
}

// TestProbeCorpus runs the probe pairs of testdata/probes.tsv (see its
// comments for what each set scored when it was written): no pair that
// must stay apart merges, and recall does not fall below what the rules
// reach today, so a change that loses it is seen.
func TestProbeCorpus(t *testing.T) {
	m := Default()
	var same, tp, known int
	for _, p := range readPairsFile(t, "testdata/probes.tsv") {
		e := m.Explain(p.a, p.b, defaultThreshold)
		if p.same {
			same++
			if e.Same {
				tp++
			} else if testing.Verbose() {
				t.Logf("probes.tsv:%d: missed:\n%s", p.line, e)
			}
		} else if p.known {
			// Must stay apart, known to merge: counted, and a change
			// that mends it says so, so that its verdict is corrected.
			if e.Same {
				known++
			} else {
				t.Errorf("probes.tsv:%d: a known false merge is apart now: write its verdict as different", p.line)
			}
		} else if e.Same {
			t.Errorf("probes.tsv:%d: false merge:\n%s", p.line, e)
		}
	}
	t.Logf("known false merges left alone: %d", known)
	recall := float64(tp) / float64(same)
	t.Logf("recall %.3f (%d/%d)", recall, tp, same)
	// 0.84 when the test was written; 0.82 once set 14, freer
	// paraphrase at 13 of 40, was added; 0.888 after the fifth session;
	// 0.85 in the sixth, whose sets 31 to 40 (324 pairs, told by two
	// wires in their own words) merged 0.29 at writing and 0.64 after;
	// 0.862 in the seventh, with sets 54 to 59 written by helpers that
	// had seen neither the rules nor the other sets; 0.85 with sets 60
	// to 63, whose adversarial set's 30 one-story controls are told in
	// wholly other words (3 of 30 merged at writing); 0.873 in the
	// eighth, with sets 78 to 83, when the floor went up to 0.86.
	if recall < 0.86 {
		t.Errorf("recall %.3f (%d/%d), want at least 0.86", recall, tp, same)
	}
}

func TestLexiconNormalizes(t *testing.T) {
	m := Default()
	for i, line := range strings.Split(lexiconText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		for _, v := range strings.Split(line, "|")[1:] {
			v = strings.TrimSpace(v)
			words := strings.Fields(v)
			for _, w := range words {
				if got := Stem(foldLatin(Normalize(w))); got != w {
					t.Errorf("lexicon.txt:%d: variant word %q is %q once normalized and stemmed; write that", i+1, w, got)
				}
			}
		}
		canon := strings.TrimSpace(strings.Split(line, "|")[0])
		if got := m.Tokens(canon); len(got) != 1 {
			// The canonical form is a token itself, and maps to itself.
			t.Logf("lexicon.txt:%d: canonical %q gives tokens %q", i+1, canon, got)
		}
	}
	if len(m.words) < 100 {
		t.Errorf("lexicon has %d words, want the embedded list", len(m.words))
	}
}

// A variant two lines give different canonical forms takes the later
// line's silently, and the earlier line's rule is gone ("ousts" was
// dismiss, then topple): each variant belongs to one line.
func TestLexiconVariantsHaveOneCanonical(t *testing.T) {
	m := Default()
	seen := map[string]int{}
	canon := map[string]string{}
	for i, line := range strings.Split(lexiconText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Split(line, "|")
		c := strings.Join(strings.Fields(fields[0]), " ")
		for _, v := range fields {
			k := strings.Join(m.stems(v), " ")
			if prev, ok := canon[k]; ok && prev != c {
				t.Errorf("lexicon.txt:%d: %q is %q here and %q at line %d", i+1, k, c, prev, seen[k])
			}
			seen[k], canon[k] = i+1, c
		}
	}
}

func TestSeparatorsStartRight(t *testing.T) {
	for _, seps := range [][]string{trailingSeps, leadingSeps, commaSeps} {
		for _, sep := range seps {
			if !sepStart(sep[0]) {
				t.Errorf("separator %q starts with a byte sepStart does not know", sep)
			}
		}
	}
}

func TestOutletsAreNormalized(t *testing.T) {
	for _, o := range builtinOutlets {
		if got := Normalize(o); got != o {
			t.Errorf("outlet %q normalizes to %q", o, got)
		}
	}
}

func TestLabelSegmentsAreNormalized(t *testing.T) {
	for l := range labelSegments {
		if got := Normalize(l); got != l && got != "" {
			t.Errorf("label %q normalizes to %q", l, got)
		}
	}
}

func TestNewMatcherOptions(t *testing.T) {
	m, err := NewMatcher(&MatcherOptions{
		Lexicon: []string{"dabbah | dabba | dabbeh"},
		Outlets: []string{"Hurriya Press Wire", "Al-Watan Daily"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Same("Dabba wins the race", "Dabbeh wins the race", defaultThreshold) {
		t.Error("a lexicon entry from the options does not merge its variants")
	}
	if Default().Same("Dabba wins the race", "Dabbeh wins the race at last", defaultThreshold) {
		t.Error("the default matcher knows the options' entry")
	}
	if got := m.Strip("Kuwait names new crown prince | Hurriya Press Wire"); got != "Kuwait names new crown prince" {
		t.Errorf("Strip = %q, want the outlet from the options gone", got)
	}
	for _, bad := range []string{"no bar here", " | variant", "x | a b c d e f"} {
		if _, err := NewMatcher(&MatcherOptions{Lexicon: []string{bad}}); err == nil {
			t.Errorf("NewMatcher(%q) = nil error, want one naming the entry", bad)
		} else if !strings.Contains(err.Error(), "lexicon entry 1") {
			t.Errorf("NewMatcher(%q) = %v, want it to name the entry", bad, err)
		}
	}
}

func TestCanonicalNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"12,000 displaced", "12000 ~pat displac"}, // a passive without a doer: who it befell, then a mark,
		{"١٢٬٠٠٠ نازح", "12000 نازح"},
		{"magnitude 6.1", "magnitud 6p1"},
		{"٦٫١ درجة", "6p1"},
		{"won 3-0", "win 3x0"},
		{"$2bn deal", "dollar 2000000000 deal"},
		{"2.5 million", "2500000"},
		{"32 ألفا", "32000"},
		{"third time", "ord3 time"},
		{"الثالثة", "ord3"},
		{"1st round", "ord1 round"},
		{"U-21 side", "u21 side"},
		{"أحد عشر لاعبا", "11 لاعب"},
		{"ثلاثة عشر", "13"},
		{"50% rise", "50 pct rise"},
		{"الاثنين", "اثنين"}, // Monday
		{"اثنين", "2"},
		{"زلزال بقوة 5,8 درجات", "زلزال قوه 5p8"},
		{"1,25 million", "1250000"},
		{"a million barrels", "1000000 barrel"},
		{"مليون برميل", "1000000 برميل"},
		{"millions of people", "million peopl"},
	}
	m := Default()
	for _, tt := range tests {
		if got := strings.Join(m.Tokens(tt.in), " "); got != tt.want {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{
		"UPDATE 2-Israel strikes Rafah | AP News", "مقتل ٧ أشخاص في غارة على مدرسة بغزة وفق مصادر طبية",
		"Brazil U-20 beat Argentina 3-0", "12,000 ١٢٬٠٠٠ 6.1 ٦٫١ 35.7% $2.5bn", "أحد عشر التاسعة عشرة الـ19",
		"Reuters: (AFP) - report", "", "Barcelona beaten by Real Madrid 2-1", "Five killed, seven wounded by",
	} {
		f.Add(s, "Argentina beat Brazil 0-3")
	}
	m := Default()
	f.Fuzz(func(t *testing.T, a, b string) {
		na, ta := m.Canonical(a)
		if !utf8.ValidString(na) {
			t.Fatalf("Canonical(%q) normalized %q is not valid UTF-8", a, na)
		}
		if len(ta) > maxTokens {
			t.Fatalf("Canonical(%q) has %d tokens", a, len(ta))
		}
		for i, tok := range ta {
			if tok == "" || !utf8.ValidString(tok) || slices.Contains(ta[:i], tok) {
				t.Fatalf("Canonical(%q) token %d %q is empty, invalid or repeated: %q", a, i, tok, ta)
			}
		}
		if len(ta) > 0 && Score(ta, ta) != 1 {
			t.Fatalf("Score(%q, itself) = %v", ta, Score(ta, ta))
		}
		_, tb := m.Canonical(b)
		s := Score(ta, tb)
		if s < 0 || s > 1 || s != Score(tb, ta) {
			t.Fatalf("Score(%q, %q) = %v, %v the other way", ta, tb, s, Score(tb, ta))
		}
		if got := m.Strip(m.Strip(a)); len(got) > len(a) {
			t.Fatalf("Strip grew %q to %q", a, got)
		}
	})
}

func FuzzPrepNumbers(f *testing.F) {
	for _, s := range []string{"12,000", "٦٫١", "3 - 0", "U-21", "50%", "1,2,3", "9999999999999999999999bn", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := prepNumbers(s)
		if hasNumber(s) == false && got != s {
			t.Fatalf("prepNumbers(%q) = %q, want it unchanged without numbers", s, got)
		}
		if len(got) > 5*len(s)+8 {
			t.Fatalf("prepNumbers(%q) grew to %d bytes", s, len(got))
		}
		raw := strings.Fields(Normalize(got))
		for i := range raw {
			numberAt(raw, i)
		}
	})
}

func TestRareKeys(t *testing.T) {
	counts := map[string]uint32{"gaza": 900, "kill": 700, "israeli": 800, "strike": 650, "school": 40, "jabalia": 3, "5": 300}
	count := func(s string) uint32 { return counts[s] }
	toks := []string{"israeli", "strike", "kill", "5", "school", "jabalia", "gaza"}
	keys := RareKeys(toks, count, defaultThreshold)
	if len(keys) == 0 || keys[0] != "jabalia" || slices.Contains(keys, "gaza") {
		t.Errorf("RareKeys(%q) = %q, want the rarest first and no common word", toks, keys)
	}
	// The prefix guarantee: under the same counts, headlines Score puts
	// at the threshold or above share a key.
	m := Default()
	for _, c := range [][2]string{
		{"Israeli strike kills 5 at school in Jabalia, Gaza", "Israeli strike kills five at Jabalia school in Gaza - Reuters"},
		{"الاحتلال يعتقل 12 فلسطينيا في الضفة الغربية", "الاحتلال يحتجز 12 فلسطينيا في الضفة الغربية"},
		{"بلينكن يصل إلى الرياض في جولة إقليمية", "بلنكن يصل إلى الرياض في جولة إقليمية"},
		{"French President Emmanuel Macron visits Egypt", "Macron visits Egypt"},
		{"الرئيس الفرنسي إيمانويل ماكرون يزور مصر", "ماكرون يزور مصر"},
		{"US Secretary of State Blinken arrives in Cairo", "Blinken arrives in Cairo"},
	} {
		ta, tb := m.Tokens(c[0]), m.Tokens(c[1])
		if Score(ta, tb) < defaultThreshold {
			t.Fatalf("Score(%q, %q) = %v, below the threshold", ta, tb, Score(ta, tb))
		}
		// Filed under RareKeys, looked up under RareLookupKeys, either
		// way round.
		for _, p := range [][2][]string{{ta, tb}, {tb, ta}} {
			ka, kb := RareKeys(p[0], count, defaultThreshold), RareLookupKeys(p[1], count, defaultThreshold)
			if !slices.ContainsFunc(ka, func(k string) bool { return slices.Contains(kb, k) }) {
				t.Errorf("RareKeys %q and RareLookupKeys %q share no key", ka, kb)
			}
		}
	}
	if got := RareLookupKeys(toks, count, defaultThreshold); len(got) != len(keys)+1 || !slices.Equal(got[:len(keys)], keys) {
		t.Errorf("RareLookupKeys(%q) = %q, want RareKeys' %q and one more", toks, got, keys)
	}
	if got := RareKeys(toks, nil, defaultThreshold); !slices.Equal(got, Keys(toks, defaultThreshold)) {
		t.Errorf("RareKeys without counts = %q, want Keys' %q", got, Keys(toks, defaultThreshold))
	}
	if got := RareKeys(toks, count, 0); got != nil {
		t.Errorf("RareKeys at threshold 0 = %q, want none", got)
	}
}

// More of Why 3 and 4 as wires write them: house styles, adjectives of
// countries, framing verbs, spelling variants; and doers that change.
func TestClassWireVariety(t *testing.T) {
	checkClass(t, []classCase{
		{"army house style and adjective", "Israel's army says it struck Hezbollah sites in south Lebanon", "Israeli military says it hit Hezbollah sites in southern Lebanon", true},
		{"intensifier", "Russia launches massive drone attack on Kyiv", "Russia launches huge drone attack on Kyiv - officials", true},
		{"reuters dash attribution", "Biden to meet Xi in San Francisco next week", "Biden to meet Xi in San Francisco next week -White House", true},
		{"country adjective and verb", "Turkey's central bank raises rates to 50%", "Turkish central bank hikes rates to 50 percent", true},
		{"colon attribution and a title", "Burhan visits Egypt", "Sudan army chief Burhan visits Egypt: state media", true},
		// A title without the name against the title with it splits: the
		// title is dropped where a name follows (see dropTitles).
		{"title without the name", "Sudan's army chief visits Egypt", "Sudan army chief Burhan visits Egypt", false},
		{"occupation forces ar", "الاحتلال يعتقل 20 مواطنا من الضفة", "قوات الاحتلال تعتقل 20 مواطنا من الضفة الغربية", true},
		{"occupation and preposition ar", "استشهاد شاب برصاص الاحتلال في نابلس", "استشهاد شاب برصاص قوات الاحتلال بنابلس", true},
		{"quake words and verb gender ar", "زلزال بقوة 5.8 درجات يضرب شرق تركيا", "هزة أرضية بقوة 5.8 درجة تضرب شرق تركيا", true},
		{"long attribution", "Israeli strikes kill 12 in Rafah, Gaza health officials say", "Israeli air strikes kill twelve in Rafah", true},
		{"adopts passes", "UN Security Council adopts resolution demanding Gaza ceasefire", "UN Security Council passes resolution demanding ceasefire in Gaza", true},
		{"say they", "Houthis claim attack on US destroyer in Red Sea", "Yemen's Houthis say they attacked US destroyer in Red Sea", true},
		{"british spelling and colon speaker", "Zelenskiy says Ukraine needs more air defence", "Zelensky: Ukraine needs more air defense", true},
		{"king of jordan ar", "السيسي يستقبل ملك الأردن في القاهرة", "الرئيس السيسي يستقبل العاهل الأردني بالقاهرة", true},
		{"american spelling ar", "وزير الخارجية الأمريكي يصل إلى القاهرة", "وزير الخارجية الأميركي يصل القاهرة", true},
		{"number word and preposition ar", "إصابة 3 مواطنين برصاص الاحتلال في قلقيلية", "اصابة ثلاثة مواطنين برصاص قوات الاحتلال بقلقيلية", true},
		{"doer replaced", "Iran seizes tanker in Gulf", "US seizes Iranian tanker in Gulf", false},
		{"receives swapped ar", "السيسي يستقبل ملك الأردن", "ملك الأردن يستقبل السيسي", false},
		{"strikes swapped", "Israel strikes Hezbollah in Lebanon", "Hezbollah strikes Israel from Lebanon", false},
		{"scoreline teams swapped no words", "Real Madrid 2-1 Barcelona", "Barcelona 2-1 Real Madrid", false},
		{"u23", "Egypt U-23 beat Morocco in final", "Egypt beat Morocco in final", false},
		{"youth team ar", "منتخب السعودية للشباب يفوز على العراق", "منتخب السعودية يفوز على العراق", false},
		{"rate differs", "Fed raises rates by 0.25%", "Fed raises rates by 0.5%", false},
		{"man woman", "Police arrest man in Leeds stabbing", "Police arrest woman in Leeds stabbing", false},
		{"warns swapped", "China warns US over Taiwan", "US warns China over Taiwan", false},
		{"sign swapped", "Man United sign Sancho from Dortmund", "Dortmund sign Sancho from Man United", false},
		{"downed swapped", "Ukraine says it downed 20 Russian drones", "Russia says it downed 20 Ukrainian drones", false},
		{"kidnap not kill", "Gunmen kill 15 in Nigeria", "Gunmen kidnap 15 in Nigeria", false},
		{"fall not rise", "Oil prices fall 2%", "Oil prices rise 2%", false},
		{"rejects swapped", "Hamas rejects Israeli proposal", "Israel rejects Hamas proposal", false},
		{"women's team", "Egypt's women's team beat Tunisia", "Egypt beat Tunisia", false},
		{"calls swapped", "Biden calls Netanyahu", "Netanyahu calls Biden", false},
		{"expels swapped", "Russia expels US diplomats", "US expels Russian diplomats", false},
		{"place differs ar", "إصابة 3 مواطنين برصاص الاحتلال في قلقيلية", "إصابة 3 مواطنين برصاص الاحتلال في طولكرم", false},
	})
}

// Wire synonyms of the lexicon's second edition, country adjectives, the
// "leaves N dead" idiom, a preposition glued to a lexicon word, label
// segments and place fillers; with the pairs those must not join.
func TestClassWireSynonyms(t *testing.T) {
	checkClass(t, []classCase{
		{"new fresh us", "US imposes new sanctions on Iranian oil exports", "United States imposes fresh sanctions on Iran's oil exports", true},
		{"pope urges", "Pope Francis calls for ceasefire in Sudan", "Pope urges ceasefire in Sudan", true},
		{"holds keeps rates", "Bank of England holds rates at 5.25%", "Bank of England keeps interest rates at 5.25 percent", true},
		{"vehicles cars", "Tesla recalls 2 million vehicles over Autopilot", "Tesla recalls 2m cars over Autopilot flaw", true},
		{"polls close voting ends", "Polls close in Turkey's presidential runoff", "Voting ends in Turkey presidential run-off", true},
		{"pm steps down", "Japan's prime minister resigns", "Japanese PM steps down", true},
		{"leaves dead", "Storm Daniel leaves thousands dead in Libya", "Thousands killed by Storm Daniel in Libya", true},
		{"home house", "Israeli forces demolish Palestinian home in East Jerusalem", "Israeli army demolishes Palestinian house in East Jerusalem", true},
		{"live updates label", "Oil prices jump after OPEC+ surprise cut", "Oil prices jump after OPEC+ surprise cut - live updates", true},
		{"glued preposition ar", "استشهاد شاب برصاص الاحتلال في جنين", "استشهاد شاب بنيران قوات الاحتلال في جنين", true},
		{"glued phrase ar", "مجلس الأمن يفشل في تبني قرار لوقف إطلاق النار في غزة", "فشل مجلس الأمن في تبني قرار وقف إطلاق النار بغزة", true},
		{"courtyards ar", "المستوطنون يقتحمون المسجد الأقصى", "مستوطنون يقتحمون باحات المسجد الأقصى", true},
		{"shakes strikes ar", "زلزال بقوة 5.8 درجات يضرب تركيا", "زلزال قوته 5.8 درجة يهز تركيا", true},
		{"polls open close", "Polls open in Turkey's presidential runoff", "Polls close in Turkey's presidential runoff", false},
		{"keeps raises", "Bank of England keeps rates at 5.25%", "Bank of England raises rates to 5.25%", false},
		{"pm fm", "Japanese PM resigns", "Japanese foreign minister resigns", false},
		{"leaves dead injured", "Storm leaves 12 dead in Libya", "Storm leaves 12 injured in Libya", false},
		{"house place", "Israeli army demolishes Palestinian house in Silwan", "Israeli army demolishes Palestinian house in Jenin", false},
		{"fails succeeds ar", "مجلس الأمن يفشل في تبني قرار بشأن غزة", "مجلس الأمن ينجح في تبني قرار بشأن غزة", false},
		{"country adjective differs", "Japanese PM visits Kyiv", "Italian PM visits Kyiv", false},
		{"doer of a passive then a place", "Palestinian killed by Israeli fire near Ramallah", "Israeli forces shoot dead Palestinian near Ramallah", true},
		{"toll as cause", "Nine dead as floods hit southern Brazil", "Floods in southern Brazil kill nine", true},
		{"toll as cause injured", "Dozens injured as train derails in India", "Train derailment in India injures dozens", true},
		{"settlers as wafa writes them ar", "مستوطنون يحرقون منزلا في بلدة حوارة", "مستعمرون يحرقون منزلا في بلدة حوارة", true},
		{"capital for country", "Saudi Arabia and Iran restore diplomatic ties", "Riyadh and Tehran restore diplomatic relations", true},
		{"toll as cause place differs", "Nine dead as floods hit southern Brazil", "Floods in northern Brazil kill nine", false},
		{"one house two houses ar", "الاحتلال يهدم منزلا في سلوان", "الاحتلال يهدم منزلين في سلوان", false},
		{"capital swapped", "Saudi FM visits Tehran", "Iranian FM visits Riyadh", false},
		{"tens in words", "Fifty killed in Nigeria attack", "50 killed in Nigeria attack", true},
		{"tens and units", "Twenty five wounded in Kabul blast", "25 wounded in Kabul blast", true},
		{"units and tens ar", "مقتل خمسة وعشرين شخصا في انفجار", "مقتل 25 شخصا في انفجار", true},
		{"tens ar", "مستوطنون يقطعون 50 شجرة زيتون في ترمسعيا", "مستعمرون يقطعون خمسين شجرة زيتون في ترمسعيا", true},
		{"tens differ", "Fifty killed in Nigeria attack", "Sixty killed in Nigeria attack", false},
		{"toll as a state", "Bus crash kills 15 in Peru", "15 dead in Peru bus accident", true},
		{"lay off", "Amazon to cut 9,000 more jobs", "Amazon to lay off 9000 more workers", true},
		{"buy acquire", "Microsoft agrees to buy Activision", "Microsoft agrees to acquire Activision", true},
		{"buy sell", "Microsoft agrees to buy Activision", "Microsoft agrees to sell Activision", false},
		{"sworn in", "Nigeria's president sworn in", "Nigerian president takes oath", true},
		{"rally for against", "Thousands rally in Tel Aviv against judicial overhaul", "Thousands rally in Tel Aviv for judicial overhaul", false},
		{"vote for against", "Senate votes for Ukraine aid bill", "Senate votes against Ukraine aid bill", false},
		{"for against ar", "مظاهرة دعما لغزة في لندن", "مظاهرة ضد غزة في لندن", false},
		{"protest is against", "Thousands protest judicial overhaul", "Thousands rally against judicial overhaul", true},
		{"opens closes ar", "إسرائيل تغلق معبر كرم أبو سالم", "إسرائيل تفتح معبر كرم أبو سالم", false},
		{"contraction and speaker", "Kremlin says Putin will not attend G20 summit", "Putin won't attend G20 summit, Kremlin says", true},
		{"contraction curly", "Putin won’t attend G20 summit", "Putin will attend G20 summit", false},
		{"contraction does", "Aid doesn't reach north Gaza", "Aid does not reach north Gaza", true},
		{"die as a toll", "Heatwave kills 12 in Pakistan", "12 die in Pakistan heatwave", true},
		{"eases slows", "UK inflation eases to 6.7%", "British inflation slows to 6.7 percent", true},
		{"participle of the object", "Colombian rebels free kidnapped soldiers", "Colombian rebels kidnap soldiers", false},
		{"participle of the object both", "Colombian rebels free kidnapped soldiers", "Colombian rebels release abducted soldiers", true},
		{"leading according to", "According to officials, flood toll in Libya rises to 5,300", "Flood toll in Libya rises to 5300", true},
		{"announces is how it is told ar", "الجيش اللبناني يعلن مقتل جندي بقصف إسرائيلي", "مقتل جندي لبناني بقصف إسرائيلي بحسب الجيش اللبناني", true},
		{"sends dispatches", "US sends aircraft carrier to eastern Mediterranean", "United States dispatches aircraft carrier to eastern Mediterranean", true},
		{"denies announces ar", "مصر تنفي التوصل إلى اتفاق بشأن الهدنة في غزة", "مصر تعلن التوصل إلى اتفاق بشأن الهدنة في غزة", false},
		{"denies says", "Egypt denies reaching Gaza truce deal", "Egypt says it reached Gaza truce deal", false},
		{"who announces", "Israel announces ceasefire in Lebanon", "Hezbollah announces ceasefire in Lebanon", false},
		{"vetoes blocks", "US vetoes UN resolution on Gaza ceasefire", "US blocks UN resolution on Gaza ceasefire", true},
		{"vetoes adopts", "US vetoes UN resolution on Gaza ceasefire", "UN adopts resolution on Gaza ceasefire", false},
		{"postpones delays", "Iraq postpones provincial elections", "Iraq delays provincial elections", true},
		{"charged acquitted", "Former president charged with corruption", "Former president acquitted of corruption", false},
		{"settlers assault ar", "مستوطنون يعتدون على مزارعين في مسافر يطا", "مستوطنون يهاجمون مزارعين في مسافر يطا", true},
		{"extends ar", "الاحتلال يمدد الاعتقال الإداري للأسير", "الاحتلال يجدد الاعتقال الإداري للأسير", false},
		{"approves rejects ar", "الكنيست يصادق على قانون الإعدام", "الكنيست يرفض قانون الإعدام", false},
		{"house style group", "Islamic State claims attack on Kabul mosque", "Daesh claims attack on Kabul mosque", true},
		{"seat of government", "Kremlin rejects Ukraine peace plan", "Russia rejects Ukraine peace plan", true},
		{"seat of government ar", "الكرملين يرفض خطة السلام الأوكرانية", "روسيا ترفض خطة السلام الأوكرانية", true},
		{"seat of government swapped", "Kremlin rejects US peace plan", "White House rejects Russian peace plan", false},
		{"weak verb plural ar", "مستوطنون يعتدون على مزارعين في مسافر يطا", "مستوطنون يهاجمون مزارعين في مسافر يطا", true},
		{"occupied west bank ar", "الاحتلال يعتقل 20 مواطنا من الضفة", "قوات الاحتلال تعتقل 20 مواطنا من الضفة الغربية المحتلة", true},
		{"occupied west bank", "Israeli forces raid homes in occupied West Bank", "Israeli forces raid homes in West Bank", true},
		{"west bank gaza ar", "الاحتلال يعتقل 20 مواطنا من الضفة", "الاحتلال يعتقل 20 مواطنا من غزة", false},
	})
}

// ScorePrefilter and ScoreMaskFilter may only rule out what Score puts
// below the threshold.
func TestScorePrefilterBound(t *testing.T) {
	m := Default()
	var heads [][]string
	for _, p := range readPairs(t) {
		heads = append(heads, m.Tokens(p.a), m.Tokens(p.b))
	}
	// The probe pairs, each with its own partner (all pairs of them
	// would take a minute).
	for _, p := range readPairsFile(t, "testdata/probes.tsv") {
		a, b := m.Tokens(p.a), m.Tokens(p.b)
		for _, th := range []float64{0.5, 0.8} {
			for _, xy := range [][2][]string{{a, b}, {b, a}} {
				s := Score(xy[0], xy[1])
				if s >= th && !ScorePrefilter(xy[0], th)(strings.Join(xy[1], "\x00")) {
					t.Errorf("probes.tsv:%d: ScorePrefilter(%q, %v) rules out %q, whose Score is %v", p.line, xy[0], th, xy[1], s)
				}
				if s >= th && !ScoreMaskFilter(xy[0], th)(TokenMask(xy[1])) {
					t.Errorf("probes.tsv:%d: ScoreMaskFilter(%q, %v) rules out %q, whose Score is %v", p.line, xy[0], th, xy[1], s)
				}
			}
		}
	}
	for _, c := range [][2]string{
		{"بلينكن يصل إلى الرياض في جولة إقليمية", "بلنكن يصل الى الرياض في جولة إقليمية"},
		{"غارات إسرائيلية عنيفة بغزة الليلة", "غارات إسرائيلية عنيفة في غزة الليلة"},
		{"Zelenskyy visits Kherson front line", "Zelensky visits Kherson front line"},
		{"French President Emmanuel Macron visits Egypt", "Macron visits Egypt"},
		{"الرئيس الفرنسي إيمانويل ماكرون يزور مصر", "ماكرون يزور مصر"},
		{"Saudi Crown Prince Mohammed bin Salman receives Erdogan", "Mohammed bin Salman receives Erdogan"},
	} {
		heads = append(heads, m.Tokens(c[0]), m.Tokens(c[1]))
	}
	for _, th := range []float64{0.5, 0.8, 0.9} {
		for _, a := range heads {
			may := ScorePrefilter(a, th)
			// The store hands the tokens over rarest first: the answer
			// must not depend on their order.
			reversed := slices.Clone(a)
			slices.Reverse(reversed)
			mayReversed := ScorePrefilter(reversed, th)
			maskMay := ScoreMaskFilter(a, th)
			for _, b := range heads {
				joined := strings.Join(b, "\x00")
				s := Score(a, b)
				if s >= th && !may(joined) {
					t.Errorf("ScorePrefilter(%q, %v) rules out %q, whose Score is %v", a, th, b, s)
				}
				if s >= th && !maskMay(TokenMask(b)) {
					t.Errorf("ScoreMaskFilter(%q, %v) rules out %q, whose Score is %v", a, th, b, s)
				}
				if may(joined) != mayReversed(joined) {
					t.Errorf("ScorePrefilter(%q, %v) on %q answers %v, on the tokens reversed %v", a, th, b, may(joined), mayReversed(joined))
				}
			}
		}
	}
}

// Order is read around verbs only, and a passive is read as the active
// voice it reports: the two ways wires write one event stay one story,
// and the passive of the opposite event stays apart.
func TestClassVoiceAndOrder(t *testing.T) {
	checkClass(t, []classCase{
		{"noun phrase reordered", "Earthquake of magnitude 6.1 hits Turkey", "6.1 magnitude earthquake strikes Turkey", true},
		{"passive without doer", "Five killed in Israeli strike on Gaza", "Israeli strike kills five in Gaza", true},
		{"passive with doer", "3 Palestinians killed by Israeli forces in Jenin raid", "Israeli forces kill 3 Palestinians in Jenin raid", true},
		{"passive irregular", "Barcelona beaten by Real Madrid 2-1", "Real Madrid beat Barcelona 2-1", true},
		{"passive hit by", "Turkey hit by 6.1 magnitude earthquake", "6.1 magnitude earthquake hits Turkey", true},
		{"passive unlisted verb", "Coach Mancini sacked by Italy", "Italy sacks coach Mancini", true},
		{"passive seized", "Aid ship seized by Israel", "Israel seizes aid ship", true},
		{"passive arrested", "Man arrested over Leeds stabbing", "Police arrest man over Leeds stabbing", true},
		{"passive freed", "3 hostages freed by Hamas", "Hamas frees 3 hostages", true},
		{"verb forms", "Oil prices jumped 5%", "Oil prices jump 5%", true},
		{"inflected unlisted verb", "Houthis target ship in Red Sea", "Houthis targeted ship in Red Sea", true},
		{"ing and e", "UN accuses Sudan army of bombing Darfur market", "UN accused Sudan army of bombing Darfur market", true},
		{"plural noun before a passive", "Houthi targets in Yemen struck by US", "US strikes Houthi targets in Yemen", true},
		{"jailed sentenced", "Man jailed for 10 years over Manchester attack plot", "Man sentenced to 10 years over Manchester attack plot", true},
		{"speaker at either end", "Putin says Russia will respond to NATO expansion", "Russia will respond to NATO expansion, Putin says", true},
		{"fires launches rockets", "Hezbollah fires rockets at northern Israel", "Hezbollah launches rockets at northern Israel", true},
		{"kills idiom ar", "حريق يودي بحياة 10 أشخاص في مستشفى بالقاهرة", "مقتل 10 أشخاص في حريق بمستشفى في القاهرة", true},
		{"speakers swapped", "Israel says Hamas rejected ceasefire deal", "Hamas says Israel rejected ceasefire deal", false},
		{"title and first name", "French President Emmanuel Macron visits Egypt", "Macron visits Egypt", true},
		{"title ar", "الرئيس الفرنسي إيمانويل ماكرون يزور مصر", "ماكرون يزور مصر", true},
		{"long title", "US Secretary of State Antony Blinken arrives in Cairo", "Blinken arrives in Cairo", true},
		{"crown prince", "Saudi Crown Prince Mohammed bin Salman receives Erdogan", "Mohammed bin Salman receives Erdogan", true},
		{"two titles are two people", "Israeli President meets Blinken", "Israeli PM meets Blinken", false},
		{"two ministers", "Defence minister resigns", "Foreign minister resigns", false},
		{"whose commander", "Israeli strike kills Hamas commander", "Israeli strike kills Hezbollah commander", false},
		{"whose minister", "Ukraine's defence minister resigns", "Russia's defence minister resigns", false},
		{"title of a place ar", "السيسي يستقبل ملك الأردن في القاهرة", "السيسي يستقبل ملك السعودية في القاهرة", false},
		{"king and president ar", "الرئيس السيسي يستقبل العاهل الأردني بالقاهرة", "السيسي يستقبل ملك الأردن في القاهرة", true},
		{"minister of state", "Egypt's President Sisi meets US Secretary of State Blinken in Cairo", "Sisi meets Blinken in Cairo", true},
		{"plural case ar", "المستوطنون يقتحمون المسجد الأقصى ويؤدون طقوسا تلمودية", "مستوطنين يقتحمون الأقصى ويؤدون طقوسا تلمودية", true},
		{"plural verb ar", "الحوثيون يهاجمون سفينة تجارية في البحر الأحمر", "الحوثيين هاجموا سفينة تجارية في البحر الأحمر", true},
		{"toll words ar", "ارتفاع عدد الشهداء في غزة إلى 35 ألفا", "ارتفاع حصيلة الشهداء بغزة إلى 35000", true},
		{"central bank ar", "البنك المركزي المصري يرفع أسعار الفائدة 2%", "المركزي المصري يرفع الفائدة بنسبة 2 بالمئة", true},
		{"bahrain is not the sea ar", "سفينة تغرق قبالة البحرين", "سفينة تغرق في البحر", false},
		{"name said twice keeps its role", "China warns Philippines over South China Sea", "Philippines warns China over South China Sea", false},
		{"quake strength ar", "زلزال بقوة 6.2 درجة يضرب جنوب تركيا", "زلزال قوته 6.2 درجات يضرب جنوبي تركيا", true},
		{"citizen of another country ar", "مقتل مواطن مصري في حادث سير", "مقتل فلسطيني في حادث سير", false},
		{"negotiations talks", "Gaza ceasefire negotiations resume in Cairo", "Gaza truce talks resume in Cairo", true},
		{"condemns slams", "Saudi Arabia condemns Israeli strike on Rafah", "Saudi Arabia slams Israeli strike on Rafah", true},
		{"militants insurgents", "Militants attack army base in Niger, killing 20", "Insurgents attack army base in Niger, killing 20", true},
		{"negotiations ar", "استئناف مفاوضات الهدنة في القاهرة", "استئناف محادثات الهدنة في القاهرة", true},
		{"condemns ar", "السعودية تدين الغارة الإسرائيلية على رفح", "السعودية تندد بالغارة الإسرائيلية على رفح", true},
		{"soldiers ar", "مقتل 3 جنود في هجوم على حاجز", "مقتل 3 جندي في هجوم على حاجز", true},
		{"condemns is not welcomes ar", "السعودية تدين قرار مجلس الأمن", "السعودية ترحب بقرار مجلس الأمن", false},
		{"name in ي after a title ar", "الرئيس السيسي يستقبل وزير الخارجية الأمريكي", "السيسي يستقبل وزير الخارجية الأمريكي", true},
		// Why the army's canonical form stays two tokens (israel army): as
		// one ("israel") it would let "3 killed in Jenin" meet "Israeli
		// forces kill 3 in Jenin", and settlers meet the army too.
		{"settlers are not the army", "Israeli settlers kill 3 in Jenin", "Israeli forces kill 3 in Jenin", false},
		{"settlers are not the army ar", "مستوطنون إسرائيليون يقتلون 3 في جنين", "قوات الاحتلال تقتل 3 في جنين", false},
		{"passive of the opposite", "Apple sues Samsung over patents", "Apple sued by Samsung over patents", false},
		{"passive of the opposite beat", "Real Madrid defeats Barcelona in Clasico", "Real Madrid defeated by Barcelona in Clasico", false},
		{"active past is not passive", "Ukraine says it downed 20 Russian drones", "Russia says it downed 20 Ukrainian drones", false},
		{"has is active", "Israel has freed 30 Palestinian prisoners", "30 Palestinian prisoners have freed Israel", false},
		{"unlisted sport verb", "Lakers stun Celtics in overtime", "Celtics stun Lakers in overtime", false},
		{"numbers around a verb", "Man, 30, stabs 2 in London", "2 stab man, 30, in London", false},
		{"unlisted present verb ar", "ريال مدريد يكتسح برشلونة في الكلاسيكو", "برشلونة يكتسح ريال مدريد في الكلاسيكو", false},
		{"unlisted feminine verb ar", "روسيا تتهم أوكرانيا بقصف محطة زابوريجيا", "أوكرانيا تتهم روسيا بقصف محطة زابوريجيا", false},
		{"noun reordered ar", "زلزال بقوة 6.1 درجات يضرب تركيا", "تركيا: زلزال بقوة 6.1 درجات يضرب", true},
	})
}

// Every verb of verbs.txt, in the present tense a headline gives it,
// keeps "A verbs B" apart from "B verbs A".
func TestVerbsKeepRolesApart(t *testing.T) {
	n := 0
	for _, line := range strings.Split(verbsText, "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		for _, v := range strings.Fields(line) {
			n++
			if c := Default().canonicalWord(v); symmetric[c] {
				continue // meet: either side may be named first
			}
			s := presentTense(v)
			a, b := "Alphacorp "+s+" Betagroup over Gammaland deal", "Betagroup "+s+" Alphacorp over Gammaland deal"
			if Default().Same(a, b, defaultThreshold) {
				t.Errorf("%q: %q and %q merge\n%s", v, a, b, Default().Explain(a, b, defaultThreshold))
			}
		}
	}
	if n < 300 {
		t.Errorf("verbs.txt has %d verbs, want the list (300 or more)", n)
	}
}

// ScorePrefilter may rule out only what Score puts below the threshold,
// whatever the headlines: titles, near spellings, passives and all.
func FuzzScorePrefilter(f *testing.F) {
	f.Add("French President Emmanuel Macron visits Egypt", "Macron visits Egypt", uint8(80))
	f.Add("بلينكن يصل إلى الرياض", "وزير الخارجية الأمريكي بلنكن يصل الرياض", uint8(80))
	f.Add("Barcelona beaten by Real Madrid 2-1", "Real Madrid beat Barcelona 2-1", uint8(50))
	m := Default()
	f.Fuzz(func(t *testing.T, x, y string, pct uint8) {
		a, b := m.Tokens(x), m.Tokens(y)
		th := float64(pct%101) / 100
		s := Score(a, b)
		if s >= th && !ScorePrefilter(a, th)(strings.Join(b, "\x00")) {
			t.Errorf("Score(%q, %q) = %v >= %v, but ScorePrefilter is false", a, b, s, th)
		}
		if s >= th && !ScoreMaskFilter(a, th)(TokenMask(b)) {
			t.Errorf("Score(%q, %q) = %v >= %v, but ScoreMaskFilter is false", a, b, s, th)
		}
	})
}

// Explain says how the pipeline reordered or dropped words, and its
// tokens are Canonical's.
func TestExplainSaysHowItRead(t *testing.T) {
	m := Default()
	for _, c := range []struct{ title, read string }{
		{"Five killed in Israeli strike on Gaza", "passive (kill) read as the active voice, without a doer: the verb put last"},
		{"Barcelona beaten by Real Madrid", "passive (beat) read as the active voice, the doer put first"},
		{"French President Emmanuel Macron visits Egypt", "a title before a name, dropped: france president emmanuel"},
		{"Israel says Hamas rejected deal", "who says, put after what is said: israel"},
		{"Israeli strike kills five in Gaza", ""},
		{"Turkish president meets Hamas delegation", "an office read as its holder: turkey president → erdogan"},
		{"Japan's Kishida reshuffles cabinet", "a country's possessive before a name, dropped: japan"},
	} {
		e := m.Explain(c.title, c.title, defaultThreshold)
		if got := strings.Join(e.ReadA, "; "); got != c.read {
			t.Errorf("Explain(%q) read %q, want %q", c.title, got, c.read)
		}
		if _, want := m.Canonical(c.title); !slices.Equal(e.TokensA, want) {
			t.Errorf("Explain(%q) tokens %q, Canonical %q", c.title, e.TokensA, want)
		}
	}
}

// A weak-rooted Arabic verb ends in ي as an adjective of relation does:
// taken for one, it joined the title before it, and "his counterpart"
// was read as the name the title introduced. Every minister meeting his
// Iranian counterpart then matched every president meeting his. Numbers
// written with a decimal comma, or a million with no number before it,
// are the numbers written the other way.
func TestClassCounterpartsAndNumberForms(t *testing.T) {
	checkClass(t, []classCase{
		{"counterpart of another title ar", "وزير الخارجية السعودي يلتقي نظيره الإيراني", "الرئيس يلتقي نظيره الإيراني", false},
		{"counterpart of another country ar", "وزير الخارجية السعودي يلتقي نظيره الإيراني", "وزير الخارجية المصري يلتقي نظيره الإيراني", false},
		{"counterpart, meets as convenes ar", "وزير الخارجية السعودي يلتقي نظيره الإيراني في بكين", "وزير الخارجية السعودي يجتمع مع نظيره الإيراني في بكين", true},
		{"counterpart en", "Saudi foreign minister meets Iranian counterpart", "Egyptian foreign minister meets Iranian counterpart", false},
		{"decimal comma ar", "زلزال بقوة 5.8 درجة يضرب جنوب إيران", "زلزال بقوة 5,8 درجات يضرب جنوب إيران", true},
		{"decimal comma differs", "زلزال بقوة 5,8 درجات يضرب جنوب إيران", "زلزال بقوة 5,6 درجات يضرب جنوب إيران", false},
		{"bare million ar", "السعودية تعلن خفض إنتاج النفط مليون برميل يوميا", "السعودية تعلن خفض إنتاج النفط 1 مليون برميل يوميا", true},
		{"bare million en", "Saudi Arabia to cut oil output by a million barrels a day", "Saudi Arabia to cut oil output by 1 million barrels a day", true},
		{"million is not two million", "Saudi Arabia to cut oil output by a million barrels a day", "Saudi Arabia to cut oil output by 2 million barrels a day", false},
	})
}

// A capital is its country where the country acts, and a place where
// something happens (see doerCapital); the lexicon's third edition.
func TestClassCapitalsAndThirdLexicon(t *testing.T) {
	checkClass(t, []classCase{
		{"capital as doer", "Cairo rejects plan to displace Palestinians", "Egypt rejects plan to displace Palestinians", true},
		{"capital as doer ar", "مصر ترفض تهجير الفلسطينيين إلى سيناء", "القاهرة ترفض تهجير الفلسطينيين إلى سيناء", true},
		{"capital as speaker", "Moscow says it will respond to new sanctions", "Russia says it will respond to new sanctions", true},
		{"capital as place", "Israeli strike kills 5 in south Lebanon", "Israeli strike kills 5 in Beirut", false},
		{"capital as place, north", "Car bomb kills 10 in northern Syria", "Car bomb kills 10 in Damascus", false},
		{"capital as object", "Russian missiles hit western Ukraine", "Russian missiles hit Kyiv", false},
		{"capital as place ar", "غارة إسرائيلية تقتل 5 في جنوب لبنان", "غارة إسرائيلية تقتل 5 في بيروت", false},
		{"capital inside a name", "Real Madrid beat Barcelona 2-1", "Real Spain beat Barcelona 2-1", false},
		{"initials", "Sudan's RSF seizes key town of Wad Madani", "Sudan's Rapid Support Forces seize key town of Wad Madani", true},
		{"halts blocks", "Kenyan court halts deployment of police to Haiti", "Kenya court blocks deployment of police to Haiti", true},
		{"fighting clashes", "Fighting resumes in Khartoum after truce collapses", "Clashes resume in Khartoum after truce collapses", true},
		{"flee evacuate", "Thousands flee as wildfire spreads near Athens", "Thousands evacuate as wildfire spreads near Athens", true},
		{"shrinks contracts", "UK economy shrinks 0.1% in third quarter", "British economy contracts 0.1% in third quarter", true},
		{"shrinks is not grows", "UK economy shrinks 0.1% in third quarter", "UK economy grows 0.1% in third quarter", false},
		{"rise noun ar", "ارتفاع أسعار الذهب إلى مستوى قياسي", "صعود أسعار الذهب إلى مستوى قياسي", true},
		{"clashes ar", "اشتباكات عنيفة في الخرطوم بين الجيش والدعم السريع", "معارك عنيفة في الخرطوم بين الجيش والدعم السريع", true},
	})
}

// A name followed by an English verb whose ending Stem took off
// ("Kishida reshuffles") is not a first name and a surname; an Arabic
// first name of two words (عبد الفتاح) goes with the title before it.
func TestClassNamesAfterTitles(t *testing.T) {
	checkClass(t, []classCase{
		{"name then verb en", "Kishida reshuffles cabinet", "Japanese PM Kishida reshuffles his cabinet", true},
		{"name then verb, other name", "Kishida reshuffles cabinet", "Japanese PM Suga reshuffles his cabinet", false},
		{"compound first name ar", "السيسي يفتتح محطة الضبعة النووية", "الرئيس عبد الفتاح السيسي يفتتح محطة الضبعة النووية", true},
		{"compound first name, other name ar", "السيسي يفتتح محطة الضبعة النووية", "الرئيس عبد المجيد تبون يفتتح محطة الضبعة النووية", false},
		{"nationals citizens", "Iran frees two French nationals", "Iran releases two French citizens", true},
		{"mundial ar", "المغرب يتأهل إلى نصف نهائي كأس العالم", "المغرب يتأهل إلى نصف نهائي المونديال", true},
		{"phone call ar", "ولي العهد السعودي يتلقى اتصالا هاتفيا من ماكرون", "ولي العهد السعودي يتلقى اتصالاً من ماكرون", true},
	})
}

// A floor on a count ("at least", "ما لا يقل عن", whose لا is no
// negation) and a toll that rises are how wires that follow a count
// write the count.
func TestClassTollsAndFloors(t *testing.T) {
	checkClass(t, []classCase{
		{"at least", "Hurricane Otis kills at least 27 in Acapulco", "Hurricane Otis kills 27 in Acapulco", true},
		{"not less than ar", "مقتل ما لا يقل عن 20 شخصا في غارة على غزة", "مقتل 20 شخصا في غارة على غزة", true},
		{"not less than, other count ar", "مقتل ما لا يقل عن 20 شخصا في غارة على غزة", "مقتل 30 شخصا في غارة على غزة", false},
		{"no fewer than", "Floods kill no fewer than 40 in Kenya", "Floods kill 40 in Kenya", true},
		{"toll rises to", "Hurricane Otis death toll rises to 27 in Acapulco", "Hurricane Otis kills 27 in Acapulco", true},
		{"toll from, climbs", "Death toll from Morocco quake climbs to 2,900", "Morocco quake kills 2,900", true},
		{"toll rises ar", "ارتفاع حصيلة ضحايا زلزال المغرب إلى 2900", "زلزال المغرب يقتل 2900", true},
		{"toll differs", "Death toll from Morocco quake rises to 2,900", "Morocco quake kills 2,800", false},
		{"toll of the hurt ar", "ارتفاع حصيلة الجرحى في انفجار بيروت إلى 300", "انفجار بيروت يقتل 300", false},
		{"toll of the hurt, same ar", "ارتفاع حصيلة الجرحى في انفجار بيروت إلى 300", "إصابة 300 في انفجار بيروت", true},
	})
}

// A country's possessive before a name is the country a title's run
// names (see dropPossessiveCountry); bodies and Title Case keep it.
func TestClassPossessiveCountry(t *testing.T) {
	checkClass(t, []classCase{
		{"possessive and title", "Japan's Kishida reshuffles cabinet", "Japanese PM Kishida reshuffles his cabinet", true},
		{"possessive and bare name", "Kishida reshuffles cabinet", "Japan's Kishida reshuffles cabinet", true},
		{"plural possessive", "Philippines' Marcos vows to defend territory in South China Sea", "Philippine President Marcos vows to defend territory in South China Sea", true},
		{"possessive, other name", "Japan's Kishida reshuffles cabinet", "Japan's Suga reshuffles cabinet", false},
		{"body keeps its country", "Egypt's Parliament approves new cabinet", "Jordan's Parliament approves new cabinet", false},
		{"title case keeps its country", "Egypt's Central Bank Holds Rates", "Turkey's Central Bank Holds Rates", false},
		{"title keeps its country", "Egypt's President meets Hamas delegation", "Turkey's President meets Hamas delegation", false},
		{"missiles in an entry and alone, same verb", "Yemen's Houthis fire missiles at US warship", "Houthis launch missiles at US warship", true},
	})
}

// Related acts pair as near spellings do (see related), and the order
// rules still read them; the fourth lexicon additions.
func TestClassRelatedActs(t *testing.T) {
	checkClass(t, []classCase{
		{"strike attack", "Russian strike on Kharkiv kills 7, officials say", "Russian attack on Kharkiv kills seven", true},
		{"strike attack ar", "مقتل 5 في قصف روسي على خاركيف", "مقتل 5 في هجوم روسي على خاركيف", true},
		{"fire blaze", "Fire at Bangladesh shopping mall kills 43", "Blaze at Bangladesh shopping mall kills 43", true},
		{"strike attack, roles swapped", "Israel strikes Hezbollah in Lebanon", "Hezbollah attacks Israel from Lebanon", false},
		{"strike attack, place differs", "Russian strike on Kharkiv kills 7", "Russian attack on Odesa kills 7", false},
		{"fires missile is no fire", "North Korea fires ballistic missile into sea", "North Korea launches ballistic missile into sea", true},
		{"armed men", "Armed men kidnap 30 students in Kaduna", "Gunmen abduct thirty students in Kaduna", true},
		{"state of emergency", "Ecuador declares state of emergency after gang violence", "Ecuador declares emergency after gang violence", true},
		{"agrees accepts", "Hamas accepts Egyptian-Qatari ceasefire proposal", "Hamas agrees to Egyptian-Qatari truce proposal", true},
		{"capital before its name ar", "انفجار ضخم يهز العاصمة اللبنانية بيروت", "انفجار ضخم يهز بيروت", true},
		{"capital before its name", "Huge blast rocks Lebanese capital Beirut", "Huge blast rocks Beirut", true},
		{"capital without a name stays", "Huge blast rocks Lebanese capital", "Huge blast rocks Syrian capital", false},
		{"regain ar", "الجيش السوري يعلن استعادة السيطرة على حلب", "الجيش السوري يستعيد السيطرة على حلب", true},
		{"kingdom ar", "السعودية تدين اقتحام المستوطنين للمسجد الأقصى", "المملكة العربية السعودية تدين اقتحام مستوطنين المسجد الأقصى", true},
		{"boat ar", "غرق مركب للمهاجرين قبالة سواحل ليبيا", "غرق قارب مهاجرين قبالة السواحل الليبية", true},
	})
}

// The verbal noun of a derived Arabic verb pairs with its present tense
// (see verbalNoun); a hundred as a word; the possessive at a headline's
// end; the lexicon's fifth additions.
func TestClassVerbalNounsAndHundreds(t *testing.T) {
	checkClass(t, []classCase{
		{"nominal and verbal sentence ar", "الجيش اللبناني ينتشر في الجنوب", "انتشار الجيش اللبناني في الجنوب", true},
		{"form iv noun ar", "إيران تعدم 4 أشخاص بتهمة التجسس لإسرائيل", "إعدام أربعة أشخاص في إيران بتهمة التجسس لإسرائيل", true},
		{"other act ar", "الجيش ينسحب من جنين", "الجيش ينتشر في جنين", false},
		{"other act, noun ar", "انسحاب الجيش من جنين", "انتشار الجيش في جنين", false},
		{"hundred ar", "حزب الله يطلق 100 صاروخ على شمال إسرائيل", "حزب الله يطلق مئة صاروخ على شمال إسرائيل", true},
		{"hundred is not percent ar", "ارتفاع الأسعار 5 في المئة", "ارتفاع الأسعار 5 بالمئة", true},
		{"hundred thousand ar", "مئة ألف نازح في رفح", "100 ألف نازح في رفح", true},
		{"hundred is not two hundred", "Hezbollah fires a hundred rockets at Israel", "Hezbollah fires 200 rockets at Israel", false},
		{"possessive at the end", "Storm Daniel: thousands feared dead in Libya's Derna", "Thousands feared dead in Libya's Derna after Storm Daniel", true},
		{"guards keep their country", "Iran's Guards seize tanker", "Iraq's Guards seize tanker", false},
		{"un chief ar", "غوتيريش يدعو إلى وقف فوري لإطلاق النار في لبنان", "الأمين العام للأمم المتحدة يطالب بوقف فوري لإطلاق النار في لبنان", true},
		{"quake verbs", "Earthquake jolts Taiwan, no immediate reports of damage", "Quake shakes Taiwan; no immediate reports of damage", true},
		{"teen", "Police in Sydney arrest teenager after church stabbing", "Sydney police detain teen after church stabbing", true},
		{"toppled ousted", "French PM Barnier ousted in no-confidence vote", "France's Barnier toppled in no-confidence vote", true},
		{"neutralised ar", "تركيا تعلن مقتل 12 مسلحا شمالي العراق", "تركيا: تحييد 12 مسلحا في شمال العراق", true},
		{"traffic accident ar", "مصرع 5 أشخاص في حادث سير على طريق القاهرة الإسكندرية", "وفاة خمسة أشخاص في حادث مروري على طريق القاهرة الإسكندرية", true},
	})
}

// The Arabic plural of the pattern أفعال pairs with its singular (see
// brokenPlural); planes and warplanes are related; the sixth additions.
func TestClassPluralsAndSixthLexicon(t *testing.T) {
	checkClass(t, []classCase{
		{"broken plural ar", "وزير الخارجية المصري يبحث مع نظيره الأمريكي الوضع في غزة", "وزير الخارجية المصري يناقش مع نظيره الأمريكي الأوضاع في غزة", true},
		{"broken plural, price ar", "ارتفاع سعر النفط بعد هجمات البحر الأحمر", "ارتفاع أسعار النفط بعد هجمات البحر الأحمر", true},
		{"broken plural, other root ar", "ارتفاع سعر النفط بعد هجمات البحر الأحمر", "ارتفاع أسهم النفط بعد هجمات البحر الأحمر", false},
		{"jets warplanes", "Turkish jets hit Kurdish militants in northern Iraq", "Turkish warplanes strike Kurdish militants in northern Iraq", true},
		{"proposes offers", "Colombia's Petro proposes new peace talks with rebels", "Colombia's Petro offers new peace talks with rebels", true},
		{"disperse scatter", "Police disperse protesters in Tbilisi with water cannon", "Police scatter protesters in Tbilisi with water cannon", true},
		{"junta", "Niger junta expels French ambassador", "Niger's military rulers expel French ambassador", true},
		{"swap exchange", "Venezuela frees five Americans in prisoner swap", "Venezuela releases five Americans in prisoner exchange", true},
		{"hosts receives", "Erdogan hosts Zelensky in Istanbul", "Erdoğan receives Zelenskyy in Istanbul", true},
		{"passes budget", "Israel's parliament approves budget", "Israel's parliament passes budget", true},
	})
}

// The seventh lexicon additions: common headline verbs and their wire
// synonyms, each against an act it must not join.
func TestClassSeventhLexicon(t *testing.T) {
	checkClass(t, []classCase{
		{"curb restrict", "China curbs exports of rare earth metals", "China restricts exports of rare earth metals", true},
		{"lift is not impose", "US lifts sanctions on Syria", "US imposes sanctions on Syria", false},
		{"step up intensify", "Israel steps up strikes on Gaza", "Israel intensifies strikes on Gaza", true},
		{"rebound recover", "Oil prices rebound after sharp drop", "Oil prices recover after sharp drop", true},
		{"boost raise", "Saudi Arabia to boost oil output", "Saudi Arabia to raise oil output", true},
		{"boost is not cut", "Saudi Arabia to boost oil output", "Saudi Arabia to cut oil output", false},
		{"files lawsuit sues", "Musk files lawsuit against OpenAI over for-profit shift", "Musk sues OpenAI over for-profit shift", true},
		{"begin start", "Israel begins ground operation in Rafah", "Israel starts ground operation in Rafah", true},
		{"leave return", "Thousands leave northern Gaza", "Thousands return to northern Gaza", false},
		{"dismiss ar", "الرئيس التونسي يقيل وزير الداخلية", "الرئيس التونسي يعفي وزير الداخلية", true},
		{"threaten vow ar", "الحوثيون يهددون بمهاجمة السفن الأمريكية", "الحوثيون يتوعدون بمهاجمة السفن الأمريكية", true},
		{"leave is not return ar", "آلاف النازحين يغادرون شمال غزة", "آلاف النازحين يعودون إلى شمال غزة", false},
		{"resume ar", "إسرائيل تستأنف القصف على غزة", "إسرائيل تعاود القصف على غزة", true},
	})
}

// An office with no name after it is read as its long-serving holder
// (see officeHolders); a former holder's title and a spokesman's are not.
func TestClassOfficeHolders(t *testing.T) {
	checkClass(t, []classCase{
		{"office ar", "بوتين يصل إلى بكين في زيارة رسمية", "الرئيس الروسي يصل إلى بكين في زيارة رسمية", true},
		{"office en", "Turkish president meets Hamas delegation", "Erdogan meets Hamas delegation", true},
		{"supreme leader", "Iran's supreme leader vows revenge for Haniyeh killing", "Khamenei vows revenge for Haniyeh killing", true},
		{"supreme leader ar", "المرشد الأعلى الإيراني يتوعد إسرائيل", "خامنئي يتوعد إسرائيل", true},
		{"foreign minister ar", "وزير الخارجية الروسي يصل إلى القاهرة", "لافروف يصل إلى القاهرة", true},
		{"office and name", "Russian President Vladimir Putin visits Beijing", "Russian president visits Beijing", true},
		{"former holder", "Former Egyptian president dies", "Sisi dies", false},
		{"former holder ar", "الرئيس المصري الأسبق يتوفى", "السيسي يتوفى", false},
		{"spokesman", "Russian president's spokesman says talks are stalled", "Putin says talks are stalled", false},
		{"other office", "Egyptian foreign minister visits Ankara", "Sisi visits Ankara", false},
	})
}

// Intensifiers wires add (deadly, مدمرة) are not compared, and a word that
// follows a title as a preposition does (إثر) is no name.
func TestClassIntensifiersAndPrepositionalNouns(t *testing.T) {
	checkClass(t, []classCase{
		{"devastating ar", "ليبيا: فيضانات درنة تودي بحياة الآلاف", "فيضانات مدمرة تقتل الآلاف في درنة الليبية", true},
		{"deadly", "Floods kill 40 in Kenya", "Deadly floods kill 40 in Kenya", true},
		{"blessed ar", "السعودية تعلن موعد عيد الفطر", "السعودية تعلن موعد عيد الفطر المبارك", true},
		{"after the title ar", "وفاة الرئيس الإيراني في تحطم مروحية", "وفاة الرئيس الإيراني إثر تحطم مروحية", true},
		{"after the title, other country ar", "وفاة الرئيس الإيراني إثر تحطم مروحية", "وفاة الرئيس الأذربيجاني إثر تحطم مروحية", false},
	})
}

// A national team is its country; a feminine adjective of relation
// continues a title (العاصمة الصومالية); the eighth additions.
func TestClassTeamsAndEighthLexicon(t *testing.T) {
	checkClass(t, []classCase{
		{"team ar", "المغرب يتأهل لربع نهائي كأس العالم", "المنتخب المغربي يتأهل إلى ربع نهائي المونديال", true},
		{"youth team stays apart ar", "منتخب المغرب للشباب يتأهل لربع نهائي كأس العالم", "المنتخب المغربي يتأهل إلى ربع نهائي المونديال", false},
		{"women's team stays apart", "Morocco's women's team qualifies for World Cup", "Morocco qualifies for World Cup", false},
		{"feminine adjective ar", "مقتل 3 أشخاص في انفجار بمقديشو", "مقتل 3 أشخاص في انفجار بالعاصمة الصومالية مقديشو", true},
		{"makes landfall", "Hurricane Milton makes landfall in Florida", "Hurricane Milton hits Florida", true},
		{"all-time high", "Apple shares hit all-time high", "Apple stock hits record high", true},
		{"snap election", "Serbia's Vucic calls snap election", "Serbian President Vucic calls early election", true},
		{"host ar", "قطر تستضيف جولة جديدة من مفاوضات وقف إطلاق النار", "الدوحة تحتضن جولة جديدة من محادثات الهدنة", true},
	})
}

// Written after the measurement of set 12: عبد and the name after it are
// one token however written; the Palestinian president's office; and the
// one house that is not two (the indefinite accusative's alif is not taken
// off: a dual reads as its singular, so منزلا would meet منزلين).
func TestClassAbdNamesAndPalestine(t *testing.T) {
	checkClass(t, []classCase{
		{"abd in one or two words ar", "الملك عبد الله يستقبل عباس في عمان", "الملك عبدالله يستقبل عباس في عمان", true},
		{"abd, other name ar", "الملك عبد الله يستقبل عباس في عمان", "الملك عبد العزيز يستقبل عباس في عمان", false},
		{"palestinian president ar", "الملك عبد الله يستقبل الرئيس الفلسطيني في عمان", "الملك عبدالله يستقبل عباس في عمان", true},
		{"warn ar", "الأمم المتحدة تحذر من مجاعة في شمال غزة", "الأمم المتحدة تنبه من مجاعة في شمال غزة", true},
		{"torch", "Protesters torch parliament in Nairobi", "Protesters set fire to parliament in Nairobi", true},
		{"one house is not two ar", "الاحتلال يهدم منزلا في سلوان", "الاحتلال يهدم منزلين في سلوان", false},
	})
}

// Written in the fourth session: a word's own waw (وزير, وكالة, وفقا) is
// read as the conjunction however the word is written, bare, after the
// article or after the conjunction, so every form of it gives one token;
// and the commonest Arabic attribution, وفقاً لـ, is one.
func TestClassWawWordsAndAttribution(t *testing.T) {
	checkClass(t, []classCase{
		{"minister, bare and with the article ar", "السيسي يستقبل وزير الخارجية الأمريكي في القاهرة", "السيسي يستقبل الوزير الأمريكي للخارجية في القاهرة", true},
		{"agency, bare and with the article ar", "الوكالة الدولية للطاقة الذرية تحذر من تصعيد في زابوريجيا", "وكالة الطاقة الذرية تحذر من تصعيد في زابوريجيا", true},
		{"prime minister ar", "نتنياهو يرفض وقف الحرب على غزة", "رئيس الوزراء الإسرائيلي نتنياهو يرفض إنهاء الحرب على غزة", true},
		{"and the minister ar", "بلينكن ووزير الدفاع يصلان إلى تل أبيب", "بلينكن يصل إلى تل أبيب مع وزير الدفاع", true},
		{"according to, trailing ar", "مقتل 5 في غارة إسرائيلية على خان يونس وفقاً لمصادر طبية", "مقتل 5 في غارة إسرائيلية على خان يونس", true},
		{"according to, leading ar", "وفقاً لمسؤولين، مقتل 5 في غارة إسرائيلية على خان يونس", "مقتل 5 في غارة على خان يونس", true},
		{"according to, other count stays apart ar", "مقتل 5 في غارة إسرائيلية على خان يونس وفقاً لمصادر طبية", "مقتل 7 في غارة إسرائيلية على خان يونس", false},
		{"two meet ar", "السيسي وماكرون يلتقيان في القاهرة", "السيسي يلتقي ماكرون في القاهرة", true},
		{"two discuss ar", "عباس وأردوغان يبحثان الوضع في غزة", "عباس يبحث مع أردوغان الوضع في غزة", true},
		{"a dual of the same verb, other place stays apart ar", "السيسي وماكرون يلتقيان في القاهرة", "السيسي يلتقي ماكرون في باريس", false},
		{"a denial in the plural stays apart ar", "الحوثيون يعلنون استهداف سفينة في البحر الأحمر", "الحوثيون ينفون استهداف سفينة في البحر الأحمر", false},
		{"a denial in the plural is one ar", "الحوثيون ينفون استهداف سفينة في البحر الأحمر", "الحوثي ينفي استهداف سفينة في البحر الأحمر", true},
		{"a denial in the past plural stays apart ar", "مسؤولون إيرانيون نفوا إرسال أسلحة إلى الحوثيين", "مسؤولون إيرانيون أعلنوا إرسال أسلحة إلى الحوثيين", false},
		{"a name of the dual's form stays itself ar", "زلزال بقوة 6 درجات يضرب تايوان", "زلزال بقوة 6 درجات يضرب اليونان", false},
	})
}

// Written after set 13 (20/40 at writing): the forms of a verb of three
// letters, duals of numbers, prepositions wires swap, a refusal as a
// negation, and the lexicon's ninth batch; each with what must stay apart.
func TestClassFormOneVerbsAndNinthLexicon(t *testing.T) {
	checkClass(t, []classCase{
		{"present and noun of a three-letter verb ar", "السعودية تعلن رفع أسعار البنزين بنسبة 5%", "المملكة العربية السعودية ترفع أسعار البنزين 5 بالمئة", true},
		{"a refusal is not the act ar", "السعودية ترفع أسعار البنزين", "السعودية ترفض رفع أسعار البنزين", false},
		{"a refusal is not the act", "Jordan raises minimum wage", "Jordan refuses to raise minimum wage", false},
		{"dual of million ar", "الأمم المتحدة: 2 مليون شخص مهددون بالمجاعة في السودان", "الأمم المتحدة: مليونا شخص مهددون بالمجاعة في السودان", true},
		{"construct dual of million ar", "2 مليون شخص مهددون بالمجاعة في السودان", "مليوني شخص مهددون بالمجاعة في السودان", true},
		{"dual of million is not a million ar", "مليون شخص مهددون بالمجاعة في السودان", "مليوني شخص مهددون بالمجاعة في السودان", false},
		{"a number word after bi ar", "المغرب يفوز على الكونغو بثلاثة أهداف", "المغرب يفوز على الكونغو ب3 أهداف", true},
		{"during and in ar", "اعتقال 15 فلسطينيا خلال حملة مداهمات في الضفة", "اعتقال 15 فلسطينيا في حملة مداهمات بالضفة", true},
		{"on friday ar", "مجلس الأمن يصوت يوم الجمعة على مشروع قرار بشأن غزة", "مجلس الأمن الدولي يصوت الجمعة على مشروع قرار حول غزة", true},
		{"another day stays apart ar", "مجلس الأمن يصوت يوم الجمعة على مشروع قرار بشأن غزة", "مجلس الأمن يصوت يوم الاثنين على مشروع قرار بشأن غزة", false},
		{"wounded ar", "إصابة 3 جنود إسرائيليين بعملية دهس قرب الخليل", "جرح ثلاثة جنود إسرائيليين في عملية دهس قرب الخليل", true},
		{"killed is not wounded ar", "مصرع 3 في حريق بمصنع في القاهرة", "إصابة 3 في حريق بمصنع في القاهرة", false},
		{"parliament ar", "البرلمان العراقي يفشل في انتخاب رئيس جديد", "مجلس النواب العراقي يخفق في انتخاب رئيس جديد", true},
		{"the other chamber stays apart ar", "البرلمان الأردني يقر الموازنة العامة", "مجلس الأعيان الأردني يقر الموازنة العامة", false},
		{"an execution told two ways ar", "إيران تعدم 4 أشخاص بتهمة التجسس لإسرائيل", "إيران تنفذ حكم الإعدام بحق 4 أشخاص بتهمة التجسس لإسرائيل", true},
		{"prisoners and detainees", "Israel frees 90 Palestinian prisoners under truce deal", "Israel releases 90 Palestinian detainees under truce deal", true},
		{"a survived vote is a won one", "Spanish PM Sanchez wins confidence vote", "Spanish PM Sanchez survives confidence vote", true},
		{"a lost vote stays apart", "Spanish PM Sanchez wins confidence vote", "Spanish PM Sanchez loses confidence vote", false},
		{"declared and imposed emergency", "Sri Lanka declares state of emergency amid protests", "Sri Lanka imposes emergency amid protests", true},
		{"a lifted emergency stays apart", "Sri Lanka declares state of emergency", "Sri Lanka lifts state of emergency", false},
		{"a raid and an attack", "Israeli forces raid Jenin refugee camp", "Israeli forces attack Jenin refugee camp", true},
		{"who raided whom stays apart", "Israeli forces raid Jenin refugee camp", "Gunmen attack Israeli forces in Jenin refugee camp", false},
	})
}

// A doer one wire names and another leaves out (a verbal noun that opens
// an Arabic headline, an English passive) is not counted, as long as the
// headline without it has nothing of its own: no other doer, place,
// count or victim.
func TestClassDoerLeftOut(t *testing.T) {
	checkClass(t, []classCase{
		{"occupation named and not ar", "اعتقال 15 فلسطينيا في حملة مداهمات بالضفة الغربية", "الاحتلال يعتقل 15 فلسطينيا خلال حملة مداهمات في الضفة", true},
		{"police named and not", "14 arrested after clashes in Paris", "Police detain 14 after clashes in Paris", true},
		{"rockets fired", "Rockets fired at northern Israel", "Hezbollah fires rockets at northern Israel", true},
		{"another place stays apart", "14 arrested after clashes in Berlin", "Police detain 14 after clashes in Paris", false},
		{"other victims stay apart", "3 Israelis killed in Jenin", "Israeli forces kill 3 Palestinians in Jenin", false},
		{"other victims stay apart ar", "مقتل 3 جنود إسرائيليين في جنين", "الاحتلال يقتل 3 فلسطينيين في جنين", false},
		{"another doer named stays apart", "5 killed in Israeli strike on Gaza", "Hamas attack kills 5 in Gaza", false},
		{"the sued is not the suer", "Samsung sued over patents", "Samsung sues Apple over patents", false},
	})
}

// Written after set 14 (11/40 and three false merges at writing): a
// failure is a negation, and an act that undoes the act both headlines
// share is another story.
func TestClassFailureAndUndoneActs(t *testing.T) {
	checkClass(t, []classCase{
		{"a failed election ar", "لبنان: انتخاب جوزيف عون رئيسا للجمهورية", "لبنان: فشل انتخاب جوزيف عون رئيسا للجمهورية", false},
		{"a failed election", "Lebanon's parliament elects Joseph Aoun president", "Lebanon's parliament fails to elect Joseph Aoun president", false},
		{"two failures are one", "Iraqi parliament fails to elect new speaker", "Iraq's parliament fails to elect a new speaker", true},
		{"release of the detained", "Venezuela releases 110 detained protesters", "Venezuela detains 110 protesters", false},
		{"release of the jailed", "UAE frees 43 jailed for terrorism", "UAE jails 43 for terrorism", false},
		{"release of the jailed ar", "الإمارات تفرج عن 43 مسجونا بتهم إرهاب", "الإمارات تسجن 43 بتهم إرهاب", false},
		{"release told two ways", "Venezuela releases 110 detained protesters", "Venezuela frees 110 protesters detained in crackdown", true},
		{"prisoners released", "Israel releases 90 Palestinian prisoners", "Israel frees 90 Palestinian detainees", true},
		{"reopened is not closed", "Israel reopens Kerem Shalom crossing closed since May", "Israel closes Kerem Shalom crossing", false},
	})
}

// Names English wires spell with a participle's ending (Saied, Khaled,
// Mohamed) are names, and a name written like a verb's third person
// after a vowel (Kais, Abbas) is too; British and American spellings are
// one word.
func TestClassEdNamesAndSpellings(t *testing.T) {
	checkClass(t, []classCase{
		{"saied", "Tunisia's Saied dissolves municipal councils", "Tunisian President Kais Saied dissolves municipal councils", true},
		{"saied is not another", "Tunisia's Saied dissolves municipal councils", "Tunisian President Kais Saied dissolves parliament", false},
		{"mohamed salah", "Egypt's Mohamed Salah scores twice as Liverpool beat Chelsea", "Mohamed Salah scores twice as Liverpool beat Chelsea", true},
		{"khaled is not khal", "Hamas leader Khaled Meshaal arrives in Cairo", "Hamas chief Khaled Meshaal arrives in Cairo", true},
		{"hospitalised", "Paraguay's Pena hospitalised in Brazil", "Paraguayan President Santiago Pena hospitalized in Brazil", true},
		{"hospitalised elsewhere stays apart", "Paraguay's Pena hospitalised in Brazil", "Paraguay's Pena hospitalised in Argentina", false},
		{"labour", "Britain's Labour party wins election", "Britain's Labor party wins election", true},
		{"centre", "Israeli strike hits aid distribution centre in Rafah", "Israeli strike hits aid distribution center in Rafah", true},
		{"organised", "Thousands join organised protest in Tbilisi", "Thousands join organized protest in Tbilisi", true},
	})
	if got := Default().Tokens("Sheikh Mohamed bin Zayed receives Ahmed Saeed"); !slices.Contains(got, "ahmed") || !slices.Contains(got, "saeed") {
		t.Errorf("tokens %q: Ahmed Saeed read as a verb form", got)
	}
}

// Written after set 15 (25/30 at writing): a passive told in a lexicon
// phrase, and يوقف of people as an arrest.
func TestClassPassivePhrasesAndTawqif(t *testing.T) {
	checkClass(t, []classCase{
		{"shot dead by", "Palestinian killed by Israeli fire near Jenin", "Palestinian shot dead by Israeli forces near Jenin", true},
		{"who shot whom stays apart", "Israeli soldier shot dead by Palestinian near Nablus", "Palestinian shot dead by Israeli soldier near Nablus", false},
		{"detained as stopped ar", "الأردن يعتقل 16 شخصا بتهمة التخطيط لهجمات", "الأردن يوقف 16 شخصا بتهمة التخطيط لهجمات", true},
		{"another count stays apart ar", "الأردن يوقف 16 شخصا بتهمة التخطيط لهجمات", "الأردن يعتقل 61 شخصا بتهمة التخطيط لهجمات", false},
		{"arrest as a noun ar", "توقيف 5 أشخاص يشتبه في انتمائهم لداعش في المغرب", "اعتقال 5 أشخاص يشتبه في انتمائهم لداعش في المغرب", true},
	})
}

// Written after set 16 (21/30 at writing, one class difference a pair):
// compounds written closed and open, a preposition glued to a word of two
// letters, a cue that opens a headline, an agency before its name, and
// house styles (occupation forces, ابن and بن, يتسلم and يستلم).
func TestClassCompoundsAndLeadingCues(t *testing.T) {
	checkClass(t, []classCase{
		{"schoolchildren", "Nigeria kidnappers free 137 schoolchildren", "Nigeria kidnappers free 137 school children", true},
		{"frontline", "Zelensky visits frontline troops in Kharkiv", "Zelensky visits front line troops in Kharkiv", true},
		{"a compound, another act stays apart", "Nigeria kidnappers free 137 schoolchildren", "Nigeria kidnappers seize 137 school children", false},
		{"to annex ar", "سموتريتش يدعو لضم الضفة الغربية", "سموتريتش يدعو إلى ضم الضفة الغربية", true},
		{"annexing refused stays apart ar", "سموتريتش يدعو لضم الضفة الغربية", "سموتريتش يرفض ضم الضفة الغربية", false},
		{"a leading cue ar", "نقلاً عن مصادر أمنية: اعتقال خلية لداعش في كركوك", "اعتقال خلية لداعش في كركوك", true},
		{"a leading cue", "According to officials: 5 killed in Kabul blast", "5 killed in Kabul blast", true},
		{"an agency before its name", "UN agency UNRWA says 4 staff killed in Gaza", "UNRWA says 4 staff killed in Gaza", true},
		{"another agency stays apart", "UN agency UNRWA says 4 staff killed in Gaza", "UN agency UNICEF says 4 staff killed in Gaza", false},
		{"occupation forces", "Israeli occupation forces storm Al-Aqsa compound", "Israeli forces storm Al-Aqsa compound", true},
		{"son of ar", "أبو مازن يلتقي بن سلمان في الرياض", "أبو مازن يلتقي ابن سلمان في الرياض", true},
		{"receives ar", "الجيش اللبناني يتسلم مواقع من حزب الله جنوب الليطاني", "الجيش اللبناني يستلم مواقع من حزب الله جنوب الليطاني", true},
		{"who hands over stays apart ar", "الجيش اللبناني يتسلم مواقع من حزب الله جنوب الليطاني", "حزب الله يتسلم مواقع من الجيش اللبناني جنوب الليطاني", false},
	})
}

// Written after set 17 (26/30 at writing): عبد as English wires write it,
// seizures, and an act undone (a ban lifted, a visit cancelled) as a
// negation.
func TestClassAbdulAndUndoneActs(t *testing.T) {
	checkClass(t, []classCase{
		{"abdul-malik", "Houthi leader Abdul-Malik al-Houthi vows more attacks", "Houthi leader Abdulmalik al-Houthi vows more attacks", true},
		{"abdul malik", "Abdul Malik al-Houthi vows more attacks on ships", "Abdulmalik al-Houthi vows more attacks on ships", true},
		{"another abdul stays apart", "Abdul Malik al-Houthi vows more attacks on ships", "Abdul Rahman al-Houthi vows more attacks on ships", false},
		{"confiscate", "Police seize 2 tonnes of cocaine in Ecuador port", "Police confiscate 2 tonnes of cocaine in Ecuador port", true},
		{"seize ar", "السلطات الليبية تحتجز ناقلة نفط في طرابلس", "السلطات الليبية تضبط ناقلة نفط في طرابلس", true},
		{"a lifted ban", "Iraq bans Israeli-linked companies", "Iraq lifts ban on Israeli-linked companies", false},
		{"a revoked ban is a lifted one", "Iraq lifts ban on Israeli-linked companies", "Iraq revokes ban on Israeli-linked companies", true},
		{"a cancelled visit", "Modi visits Washington", "Modi cancels visit to Washington", false},
		{"a cancelled visit ar", "مودي يزور واشنطن", "مودي يلغي زيارة إلى واشنطن", false},
	})
}

// Acts one English word names two ways (passes, fires, seize) pair with
// each of their senses' words, as related acts do.
func TestClassWordsOfTwoActs(t *testing.T) {
	checkClass(t, []classCase{
		{"passes a budget", "Netanyahu's coalition approves 2025 budget", "Netanyahu coalition passes 2025 budget", true},
		{"fires a commander", "Zelenskiy fires air force commander", "Zelensky dismisses air force commander", true},
		{"seizes passengers", "Gunmen seize 20 passengers in Nigeria", "Gunmen abduct 20 passengers in Nigeria", true},
		{"undergoes surgery", "Brazil's Lula undergoes brain surgery", "Brazil's Lula has brain surgery", true},
		{"another commander stays apart", "Zelensky fires air force commander", "Zelensky fires navy commander", false},
		{"who captured whom stays apart", "Rebels capture 20 soldiers in Congo", "Army captures 20 rebels in Congo", false},
		{"a rejected budget stays apart", "Parliament passes 2025 budget", "Parliament rejects 2025 budget", false},
	})
}

// A counted noun after a number loses the accusative's alif (15
// فلسطينيا, 12 منزلا), so it meets the plural or bare noun other wires
// write; without a number before it the alif stays, so one house is not
// two.
func TestClassCountedNouns(t *testing.T) {
	checkClass(t, []classCase{
		{"counted palestinians ar", "الاحتلال يعتقل 15 فلسطينيا من الضفة", "الاحتلال يعتقل 15 فلسطينيين من الضفة", true},
		{"counted houses ar", "الاحتلال يهدم 12 منزلا في سلوان", "الاحتلال يهدم 12 منزل في سلوان", true},
		{"counted children ar", "مقتل 12 طفلا في غارة على رفح", "مقتل اثني عشر طفلا في غارة على رفح", true},
		{"another count stays apart ar", "الاحتلال يهدم 12 منزلا في سلوان", "الاحتلال يهدم 21 منزلا في سلوان", false},
		{"one house is still not two ar", "الاحتلال يهدم منزلا في سلوان", "الاحتلال يهدم منزلين في سلوان", false},
	})
}

// Written after set 18 (24/30 at writing): more words wires swap, and
// stripping as an undoing (Kuwait strips 1,600 of citizenship / revokes
// the citizenship of 1,600).
func TestClassTenthLexicon(t *testing.T) {
	checkClass(t, []classCase{
		{"strips is revokes", "Kuwait revokes citizenship of 1,600 people", "Kuwait strips 1,600 people of citizenship", true},
		{"stripped is not granted", "Kuwait strips 1,600 people of citizenship", "Kuwait grants citizenship to 1,600 people", false},
		{"removes is dismisses", "Thai court dismisses PM Srettha over ethics breach", "Thai court removes PM Srettha over ethics breach", true},
		{"eliminates is kills ar", "الجيش الباكستاني يقتل 12 مسلحا في وزيرستان", "الجيش الباكستاني يقضي على 12 مسلحا في وزيرستان", true},
		{"killed is not arrested ar", "الجيش الباكستاني يقضي على 12 مسلحا في وزيرستان", "الجيش الباكستاني يعتقل 12 مسلحا في وزيرستان", false},
		{"catches is arrests ar", "قوات الأمن العراقية تعتقل قياديا في داعش", "قوات الأمن العراقية تلقي القبض على قيادي في داعش", true},
	})
}

// Written after set 19 (32/36 at writing): the Arabic article as Latin
// transliterations write it, declared and imposed emergencies, and nouns
// the lexicon read as verbs of another act.
func TestClassNounSensesAndArticles(t *testing.T) {
	checkClass(t, []classCase{
		{"el-sissi is sisi", "Sisi receives Qatar's emir in Cairo", "El-Sissi receives Qatar's emir in Cairo", true},
		{"al- is left out", "Iraqi PM al-Sudani visits Tehran", "Iraqi PM Sudani visits Tehran", true},
		{"el salvador's order still counts", "El Salvador beats Honduras 2-1", "Honduras beats El Salvador 2-1", false},
		{"imposed is declared", "Ecuador declares state of emergency after prison riots", "Ecuador imposes state of emergency after prison riots", true},
		{"imposed is declared ar", "السودان يعلن حالة الطوارئ في ولاية الجزيرة", "السودان يفرض حالة الطوارئ في ولاية الجزيرة", true},
		{"lifted is not declared ar", "السودان يعلن حالة الطوارئ", "السودان يرفع حالة الطوارئ", false},
		{"orders out is expels", "Russia expels two British diplomats", "Russia orders out two British diplomats", true},
		{"destroys is demolishes ar", "الاحتلال يهدم منزلا في بلدة سلوان", "الاحتلال يدمر منزلا في بلدة سلوان", true},
		{"a storm is no raid", "Storm kills five in Bangladesh", "Raid kills five in Bangladesh", false},
		{"a winter storm is no police raid", "Winter storm kills 5 in Texas", "Police raid kills 5 in Texas", false},
		{"fires are no raids", "Fires kill 10 in Chile", "Raids kill 10 in Chile", false},
		{"a hit-and-run is no strike", "Hit-and-run kills 3 in Paris", "Strike kills 3 in Paris", false},
		{"the pound is no strike", "Pound falls against dollar", "Strike falls against dollar", false},
		{"forces storm is still a raid", "Israeli forces storm Jenin", "Israeli forces raid Jenin", true},
		{"fires missiles is still launches", "Israel fires missiles at Syria", "Israel launches missiles at Syria", true},
		{"killed by a storm", "Storm Daniel leaves thousands dead in Libya", "Thousands killed by Storm Daniel in Libya", true},
		{"a thousand", "Israel to release 1,000 prisoners", "Israel to release a thousand prisoners", true},
		{"a thousand ar", "إسرائيل تفرج عن ألف أسير", "إسرائيل تفرج عن 1000 أسير", true},
		{"hundreds in one word ar", "الإفراج عن ثلاثمئة أسير", "الإفراج عن 300 أسير", true},
		{"hundreds in one word, other spelling ar", "الإفراج عن خمسمائة أسير", "الإفراج عن 500 أسير", true},
		{"another hundred stays apart ar", "الإفراج عن ثلاثمئة أسير", "الإفراج عن 400 أسير", false},
		{"thousands after a count multiply nothing", "Chile wildfires kill 112, thousands of homes burned", "Chile wildfires kill 112,000", false},
	})
}

// Written after set 20 (26/36 at writing): a city Israel is said to act
// from, foiled and defeated acts, a searched home, leading attributions
// that name nobody, and j for y in transliterated names.
func TestClassSetTwenty(t *testing.T) {
	checkClass(t, []classCase{
		{"tel aviv as the doer", "Tel Aviv stock exchange falls 2%", "Israel stock exchange falls 2%", true},
		{"tel aviv as the doer ar", "تل أبيب تقصف مواقع لحزب الله في جنوب لبنان", "إسرائيل تقصف مواقع لحزب الله في جنوب لبنان", true},
		{"tel aviv as a place stays a place", "Rocket hits Tel Aviv", "Rocket hits Haifa", false},
		{"voted down is rejected ar", "مجلس الأمن يرفض مشروع قرار روسي بشأن أوكرانيا", "مجلس الأمن يسقط مشروع قرار روسي بشأن أوكرانيا", true},
		{"voted down is not adopted ar", "مجلس الأمن يسقط مشروع قرار روسي بشأن أوكرانيا", "مجلس الأمن يتبنى مشروع قرار روسي بشأن أوكرانيا", false},
		{"foiled attempt ar", "الجيش الأردني يحبط محاولة تهريب مخدرات من سوريا", "الجيش الأردني يفشل محاولة تهريب مخدرات من سوريا", true},
		{"foiled is not failed", "Police foil bomb attack in Paris", "Police fail to stop bomb attack in Paris", false},
		{"searched is raided", "German police raid homes of suspected far-right extremists", "German police search homes of suspected far-right extremists", true},
		{"arrests as stops, feminine ar", "الشرطة التركية توقف 40 مشتبها بالانتماء لداعش", "الشرطة التركية تعتقل 40 مشتبها بالانتماء لداعش", true},
		{"holy see", "The Vatican says Pope Francis had a restful night", "Pope Francis had a restful night, Holy See says", true},
		{"j for y", "Navalny's widow Yulia Navalnaya addresses European Parliament", "Navalny's widow Yulia Navalnaja addresses European Parliament", true},
		{"hebrew media at the start ar", "وسائل إعلام عبرية: استقالة رئيس الشاباك", "استقالة رئيس الشاباك", true},
		{"an official at the start ar", "مسؤول أمريكي: واشنطن ستعلق شحنة أسلحة لإسرائيل", "واشنطن ستعلق شحنة أسلحة لإسرائيل", true},
		{"an official at the start", "US official: Washington to pause arms shipment to Israel", "Washington to pause arms shipment to Israel", true},
		{"stripped attributions keep the roles", "US official: Israel to strike Iran soon", "US official: Iran to strike Israel soon", false},
	})
}

// Written after set 21 (28/36 at writing) and the fifth decorated set
// (29/30): a leading country one side leaves out, the accusative against a
// glued preposition, wires' names for Hamas's armed wing, tear gas, light
// verbs of an order, and outlets named in Arabic.
func TestClassSetTwentyOne(t *testing.T) {
	checkClass(t, []classCase{
		{"leading country left out", "Sudan's RSF shells El Fasher", "Sudan's Rapid Support Forces shell El Fasher", true},
		{"leading country label left out ar", "السودان: الدعم السريع تسيطر على مدينة ود مدني", "الدعم السريع تسيطر على مدينة ود مدني", true},
		{"one of two countries is not left out", "US, Iran hold talks in Oman", "Iran holds talks in Oman", false},
		{"a leading country keeps the roles", "Turkey's Erdogan to host Putin in Ankara", "Putin to host Erdogan in Ankara", false},
		{"accusative against a glued preposition ar", "السلطات الإيرانية تعدم رجلا أدين بالتجسس", "السلطات الإيرانية تنفذ حكم الإعدام برجل أدين بالتجسس", true},
		{"one young man is not two ar", "الاحتلال يعتقل شابا من جنين", "الاحتلال يعتقل شابين من جنين", false},
		{"qassam is hamas's armed wing", "Hamas armed wing says it fired rockets at Tel Aviv", "Qassam Brigades say they fired rockets at Tel Aviv", true},
		{"qassam is hamas's armed wing ar", "كتائب القسام تعلن قصف تل أبيب برشقة صاروخية", "الجناح العسكري لحماس يعلن قصف تل أبيب برشقة صاروخية", true},
		{"qassam is not the quds brigades ar", "كتائب القسام تعلن قصف تل أبيب برشقة صاروخية", "سرايا القدس تعلن قصف تل أبيب برشقة صاروخية", false},
		{"used tear gas is fired", "Kenyan police fire tear gas at protesters in Nairobi", "Kenyan police use tear gas on protesters in Nairobi", true},
		{"tear gas is not rubber bullets", "Kenyan police fire tear gas at protesters in Nairobi", "Kenyan police fire rubber bullets at protesters in Nairobi", false},
		{"survives a no-confidence vote", "Italy's Meloni survives no-confidence vote", "Italy's Meloni wins no-confidence vote", true},
		{"loses a no-confidence vote", "Italy's Meloni survives no-confidence vote", "Italy's Meloni loses no-confidence vote", false},
		{"orders is decides ar", "النيابة المصرية تأمر بحبس 5 متهمين في قضية فساد", "النيابة المصرية تقرر حبس 5 متهمين في قضية فساد", true},
		{"the ministry leading ar", "وزارة الصحة: 12 شهيدا في قصف على خان يونس", "12 شهيدا في قصف على خان يونس", true},
		{"the ministry leading keeps its count ar", "وزارة الصحة: 12 شهيدا في قصف على خان يونس", "وزارة الصحة: 21 شهيدا في قصف على خان يونس", false},
		{"online outlet ar", "قصف إسرائيلي على مدرسة في غزة يقتل 30", "قصف إسرائيلي على مدرسة في غزة يقتل 30 - فلسطين أون لاين", true},
	})
}

// Written after set 22 (30/36 at writing): given names one wire writes and
// another leaves out, more long-serving office holders, an ambassador
// called home, and numbers after a hundred.
func TestClassSetTwentyTwo(t *testing.T) {
	checkClass(t, []classCase{
		{"given name left out", "Emmanuel Macron visits Kyiv", "Macron visits Kyiv", true},
		{"two given names left out ar", "رجب طيب أردوغان يزور بغداد", "أردوغان يزور بغداد", true},
		{"given name after the verb", "Biden meets Vladimir Putin", "Biden meets Putin", true},
		{"another given name stays apart", "Mohammed bin Salman receives Blinken in Riyadh", "Khalid bin Salman receives Blinken in Riyadh", false},
		{"another given name stays apart ar", "محمد بن سلمان يستقبل بلينكن", "خالد بن سلمان يستقبل بلينكن", false},
		{"a wife is not her husband", "Emmanuel Macron visits Kyiv", "Brigitte Macron visits Kyiv", false},
		{"office read as its holder with a given name ar", "الرئيس التونسي يقيل رئيسة الحكومة", "قيس سعيد يقيل رئيسة الحكومة", true},
		{"a former holder is not the holder ar", "الرئيس التونسي يقيل رئيسة الحكومة", "الرئيس التونسي السابق يقيل رئيسة الحكومة", false},
		{"emirates is the uae", "UAE jails 57 over links to Muslim Brotherhood", "Emirates jails 57 over links to Muslim Brotherhood", true},
		{"recalled is withdrawn ar", "الجزائر تستدعي سفيرها لدى فرنسا", "الجزائر تسحب سفيرها من فرنسا", true},
		{"recalling one's own is not summoning theirs ar", "الجزائر تستدعي سفيرها لدى فرنسا", "الجزائر تستدعي السفير الفرنسي", false},
		{"recalls its ambassador", "Algeria recalls its ambassador from France", "Algeria withdraws ambassador from France", true},
		{"a hundred and ten ar", "الاحتلال يفرج عن 110 أسرى فلسطينيين", "الاحتلال يفرج عن مئة وعشرة أسرى فلسطينيين", true},
		{"three hundred and twenty five ar", "إطلاق سراح 325 أسيرا", "إطلاق سراح ثلاثمئة وخمسة وعشرين أسيرا", true},
		{"six hundred and ten", "Israel frees 610 prisoners", "Israel frees six hundred and ten prisoners", true},
		{"six hundred and ten is not 600", "Israel frees six hundred and ten prisoners", "Israel frees 600 prisoners", false},
	})
}

// Written after set 23 (33/36 at writing): "down" and "up" as verbs where
// a verb stands, Hezbollah by its own name, a political chief.
func TestClassSetTwentyThree(t *testing.T) {
	checkClass(t, []classCase{
		{"down is shoot down", "Houthis down US MQ-9 drone over Yemen", "Houthis shoot down US MQ-9 drone over Yemen", true},
		{"down before a number is falls", "Oil down 2% on demand fears", "Oil falls 2% on demand fears", true},
		{"up before a number is rises", "Stocks up 3% after Fed cut", "Stocks rise 3% after Fed cut", true},
		{"down is not up", "Oil down 2% on demand fears", "Oil up 2% on demand fears", false},
		{"who downed whose drone", "Houthis down US MQ-9 drone over Yemen", "US downs Houthi drone over Red Sea", false},
		{"islamic resistance in lebanon ar", "حزب الله يستهدف موقعا إسرائيليا في مزارع شبعا", "المقاومة الإسلامية في لبنان تستهدف موقعا إسرائيليا في مزارع شبعا", true},
		{"islamic resistance in iraq is not hezbollah", "Islamic Resistance in Lebanon claims drone attack on Haifa", "Islamic Resistance in Iraq claims drone attack on Haifa", false},
		{"politburo chief", "Sinwar named Hamas political chief", "Sinwar named Hamas politburo chief", true},
		{"politburo chief is not military chief", "Sinwar named Hamas political chief", "Sinwar named Hamas military chief", false},
	})
}

// Written after set 24 (27/36 at writing): a preposition glued to a
// phrase's two-letter first word, "per cent" that is no attribution,
// dismissed claims, UNRWA and the UN as wires name them, assassinations,
// rescues and envoys.
func TestClassSetTwentyFour(t *testing.T) {
	checkClass(t, []classCase{
		{"glued to tel aviv ar", "مظاهرة حاشدة في تل أبيب للمطالبة بصفقة تبادل", "مظاهرة حاشدة بتل أبيب للمطالبة بصفقة تبادل", true},
		{"tel aviv is not jerusalem ar", "مظاهرة حاشدة في تل أبيب للمطالبة بصفقة تبادل", "مظاهرة حاشدة في القدس للمطالبة بصفقة تبادل", false},
		{"per cent", "China's exports rise 8.7% in September", "China's exports rise 8.7 per cent in September", true},
		{"per cent keeps what follows", "China's exports rise 8.7 per cent in September", "China's exports rise 8.7 per cent in October", false},
		{"dismissed threat is rejected", "Mexico's Sheinbaum rejects Trump tariff threat", "Mexico's Sheinbaum dismisses Trump tariff threat", true},
		{"a dismissed chief is sacked", "Sheinbaum dismisses security chief", "Sheinbaum sacks security chief", true},
		{"unrwa", "UN agency for Palestinian refugees says Gaza aid blocked", "UNRWA says Gaza aid blocked", true},
		{"un relief agency is unrwa", "UN relief agency says Gaza aid blocked", "UNRWA says Gaza aid blocked", true},
		{"the international organization ar", "الأمم المتحدة تحذر من مجاعة في شمال غزة", "المنظمة الدولية تحذر من مجاعة في شمال غزة", true},
		{"assassinated is killed ar", "الاحتلال يغتال قياديا في حماس بغارة على صيدا", "الاحتلال يقتل قياديا في حماس بغارة على صيدا", true},
		{"sentenced by either verb ar", "المحكمة تقضي بسجن الناشط 5 سنوات", "المحكمة تحكم بسجن الناشط 5 سنوات", true},
		{"rescued is freed", "Nigerian troops rescue 30 kidnapped students", "Nigerian soldiers free 30 kidnapped students", true},
		{"envoy is ambassador", "Iran summons British envoy over embassy remarks", "Iran summons British ambassador over embassy remarks", true},
		{"who summoned whose envoy", "Iran summons British envoy over embassy remarks", "Britain summons Iranian envoy over embassy remarks", false},
	})
}

// Written after set 25 (25/34 at writing): more of wires' words for one
// thing, Beirut's southern suburbs, and a department as an attribution.
func TestClassSetTwentyFive(t *testing.T) {
	checkClass(t, []classCase{
		{"slips is eases", "Dollar slips as traders await Fed decision", "Dollar eases as traders await Fed decision", true},
		{"slips is not climbs", "Dollar slips as traders await Fed decision", "Dollar climbs as traders await Fed decision", false},
		{"state of palestine", "Ireland recognises Palestinian state", "Ireland recognizes State of Palestine", true},
		{"presidency is the presidential election", "Ghana's opposition leader Mahama wins presidency", "Ghana's opposition leader Mahama wins presidential election", true},
		{"bans is prevents ar", "اليابان تحظر استخدام الهواتف في المدارس", "اليابان تمنع استخدام الهواتف في المدارس", true},
		{"citizenship withdrawn ar", "الكويت تسحب الجنسية من 1600 شخص", "الكويت تسقط الجنسية عن 1600 شخص", true},
		{"citizenship withdrawn is not granted ar", "الكويت تسحب الجنسية من 1600 شخص", "الكويت تمنح الجنسية ل1600 شخص", false},
		{"dahiyeh", "Beirut's southern suburbs hit by Israeli strikes", "Dahiyeh hit by Israeli strikes", true},
		{"gantz", "Gantz quits Netanyahu's war cabinet", "Ganz quits Netanyahu's war cabinet", true},
		{"a department as attribution", "Blinken arrives in Cairo, State Department says", "Blinken arrives in Cairo", true},
		{"the military as a party stays", "US military says it struck Houthi targets", "Houthis say they struck US military targets", false},
	})
}

// Written after set 26 (28/36 at writing): receives and meets, confiscates
// and seizes, raises and increases as related acts; "and a half" after a
// million or a billion; a tank's model.
func TestClassSetTwentySix(t *testing.T) {
	checkClass(t, []classCase{
		{"receives is meets ar", "الرئيس المصري يستقبل وزير الخارجية الأمريكي في القاهرة", "الرئيس المصري يلتقي وزير الخارجية الأمريكي في القاهرة", true},
		{"receives is meets", "Sisi receives Qatar's emir in Cairo", "Sisi meets Qatar's emir in Cairo", true},
		{"confiscates is seizes ar", "الاحتلال يصادر 300 دونم من أراضي بلدة عقربا", "الاحتلال يستولي على 300 دونم من أراضي بلدة عقربا", true},
		{"increases is raises ar", "الحكومة الأردنية ترفع أسعار المحروقات", "الحكومة الأردنية تزيد أسعار المحروقات", true},
		{"raises is not lowers ar", "الحكومة الأردنية ترفع أسعار المحروقات", "الحكومة الأردنية تخفض أسعار المحروقات", false},
		{"a billion and a half ar", "البنك الدولي يقرض الأردن 1.5 مليار دولار", "البنك الدولي يقرض الأردن مليار ونصف مليار دولار", true},
		{"three million and a half ar", "نزوح 3.5 مليون في السودان", "نزوح 3 ملايين ونصف في السودان", true},
		{"two million and a half ar", "نزوح مليونين ونصف في السودان", "نزوح 2.5 مليون في السودان", true},
		{"a half is not nothing ar", "نزوح 3 ملايين ونصف في السودان", "نزوح 3 ملايين في السودان", false},
		{"a tank's model ar", "المقاومة تستهدف دبابة ميركافا في جباليا", "المقاومة تستهدف دبابة إسرائيلية من طراز ميركافا في جباليا", true},
	})
}

// Written after set 27 (22/30 at writing): possessives of two-word
// countries, phone calls made and received, a mountain's name, picks as
// appointments, and who reports whose aircraft.
func TestClassSetTwentySeven(t *testing.T) {
	checkClass(t, []classCase{
		{"two-word country's possessive", "South Africa's Ramaphosa reshuffles cabinet", "South African President Ramaphosa reshuffles cabinet", true},
		{"another two-word country", "South Africa's Ramaphosa reshuffles cabinet", "South Sudan's Kiir reshuffles cabinet", false},
		{"a call made or received ar", "وزير الخارجية المصري يجري اتصالا هاتفيا بنظيره الإيراني", "وزير الخارجية المصري يتلقى اتصالا هاتفيا من نظيره الإيراني", true},
		{"a call with another counterpart ar", "وزير الخارجية المصري يجري اتصالا هاتفيا بنظيره الإيراني", "وزير الخارجية المصري يجري اتصالا هاتفيا بنظيره التركي", false},
		{"mount and volcano", "Indonesia's Mount Ruang erupts again", "Indonesia's Ruang volcano erupts again", true},
		{"another mountain", "Indonesia's Mount Ruang erupts again", "Indonesia's Mount Lewotobi erupts again", false},
		{"picks is names", "Trump names Rubio secretary of state", "Trump picks Rubio as secretary of state", true},
		{"reports is detects", "Taiwan reports 30 Chinese aircraft near island", "Taiwan detects 30 Chinese aircraft near island", true},
		{"who reports whose aircraft", "Taiwan reports 30 Chinese aircraft near island", "China reports 30 Taiwanese aircraft near island", false},
		{"a no-confidence motion survived", "France's Bayrou survives no-confidence motion", "French PM Bayrou survives no-confidence vote", true},
		{"civil defence as attribution", "Nine killed in Israeli strikes on Gaza, civil defence says", "Nine killed in Israeli strikes on Gaza", true},
	})
}

// Written after set 28 (23/30 at writing): annulled as cancelled, a court
// that clears, condemnation in the strongest terms, a pardon decreed, and
// transliterations that fold together.
func TestClassSetTwentyEight(t *testing.T) {
	checkClass(t, []classCase{
		{"annuls is cancels", "Romania cancels presidential election result", "Romania annuls presidential election result", true},
		{"annuls is not confirms", "Romania annuls presidential election result", "Romania confirms presidential election result", false},
		{"a court clears", "Pakistani court acquits Imran Khan in cipher case", "Pakistan court clears Imran Khan in cipher case", true},
		{"acquits is not convicts", "Pakistani court acquits Imran Khan in cipher case", "Pakistani court convicts Imran Khan in cipher case", false},
		{"strongest terms ar", "قطر تدين بأشد العبارات قصف مدرسة في غزة", "قطر تدين قصف مدرسة في غزة", true},
		{"attacks and assaults ar", "الأردن يدين اعتداءات المستوطنين في الضفة الغربية", "الأردن يستنكر هجمات المستوطنين في الضفة الغربية", true},
		{"a pardon decreed ar", "السيسي يصدر قرارا بالعفو عن 500 سجين", "الرئيس السيسي يعفو عن 500 سجين", true},
		{"gh is q", "Iranian FM Araqchi arrives in Beirut", "Iran's foreign minister Araghchi arrives in Beirut", true},
		{"folded names keep their place", "Iranian FM Araqchi arrives in Beirut", "Iranian FM Araqchi arrives in Baghdad", false},
	})
}

// Written after set 29 (16/26 at writing): interim and caretaker,
// terminated as ended, recaptured, until further notice, a court that
// ousts as one that removes.
func TestClassSetTwentyNine(t *testing.T) {
	checkClass(t, []classCase{
		{"caretaker is interim", "Syria's interim government appoints new central bank governor", "Syria's caretaker government names new central bank governor", true},
		{"terminates is ends", "Chad ends defence cooperation with France", "Chad terminates defence cooperation with France", true},
		{"terminates is not renews", "Chad terminates defence cooperation with France", "Chad renews defence cooperation with France", false},
		{"ousts is removes", "Thai court removes PM over ethics breach", "Thai court ousts PM over ethics breach", true},
		{"recaptured ar", "الجيش السوداني يعلن استعادة مدينة سنجة", "الجيش السوداني يعلن استرداد مدينة سنجة", true},
		{"until further notice ar", "إسرائيل تغلق معبر رفح حتى إشعار آخر", "إسرائيل تغلق معبر رفح إلى أجل غير مسمى", true},
		{"closed is not opened ar", "إسرائيل تغلق معبر رفح إلى أجل غير مسمى", "إسرائيل تفتح معبر رفح إلى أجل غير مسمى", false},
		{"a presidency as attribution", "Ukraine's Zelensky meets Trump in Paris, Ukrainian presidency says", "Ukraine's Zelensky meets Trump in Paris", true},
	})
}

// Written after set 30 (19/24 at writing): greenlit as approved, blown up
// as destroyed, Syria's leader under his nom de guerre.
func TestClassSetThirty(t *testing.T) {
	checkClass(t, []classCase{
		{"greenlights is approves", "Israel approves plan for 3,000 settler homes", "Israel greenlights plan for 3,000 settler homes", true},
		{"greenlights is not freezes", "Israel greenlights plan for 3,000 settler homes", "Israel freezes plan for 3,000 settler homes", false},
		{"blew up is destroyed", "Ukraine says it destroyed Russian ammunition depot", "Ukraine says it blew up Russian ammunition depot", true},
		{"jolani is sharaa", "Abu Mohammed al-Jolani meets Turkish FM", "Ahmed al-Sharaa meets Turkish FM", true},
		{"jolani is sharaa ar", "أحمد الشرع يلتقي وزير الخارجية التركي", "أبو محمد الجولاني يلتقي وزير الخارجية التركي", true},
		{"jolani meets another ar", "أحمد الشرع يلتقي وزير الخارجية التركي", "أبو محمد الجولاني يلتقي وزير الخارجية القطري", false},
	})
}

// Written after set 31 (20/36 at writing, 5/18 of its Arabic pairs):
// compounds written as one Arabic word, kings without their ordinal,
// counted nouns, a place's kind before its name, connectives and more
// countries' adjectives in Arabic.
func TestClassSetThirtyOne(t *testing.T) {
	checkClass(t, []classCase{
		{"compound joined ar", "استشهاد 7 فلسطينيين في غارة إسرائيلية على خان يونس", "استشهاد سبعة فلسطينيين بغارة إسرائيلية في خانيونس", true},
		{"compound with article ar", "مقتل 4 في قصف على دير البلح", "مقتل 4 في قصف على ديرالبلح", true},
		{"another compound ar", "مقتل 4 في قصف على بيت لاهيا", "مقتل 4 في قصف على بيت حانون", false},
		{"no compound of two words ar", "الجيش يقصف حي الرمال غرب غزة", "الجيش يقصف حيالرمال غرب غزة", false},
		{"king without ordinal", "Jordan's King Abdullah meets Trump at White House", "King Abdullah II meets Trump at the White House", true},
		{"king without ordinal ar", "العاهل الأردني يلتقي ترامب في البيت الأبيض", "الملك عبدالله الثاني يلتقي ترامب بالبيت الأبيض", true},
		{"another king ar", "العاهل الأردني يلتقي ترامب في البيت الأبيض", "العاهل المغربي يلتقي ترامب في البيت الأبيض", false},
		{"moroccan king", "Morocco's king pardons 1,300 prisoners", "King Mohammed VI pardons 1,300 prisoners", true},
		{"a war's ordinal stays", "World War II bomb defused in Cologne", "World War I bomb defused in Cologne", false},
		{"people counted", "Floods kill 23 people in Sumatra", "Floods kill 23 in Sumatra", true},
		{"people counted, another number", "Floods kill 23 people in Sumatra", "Floods kill 32 in Sumatra", false},
		{"aged", "Egyptian actor Nabil El Halfawy dies aged 77", "Egyptian actor Nabil El Halfawy dies at 77", true},
		{"age ar", "وفاة الفنان المصري نبيل الحلفاوي عن 77 عاما", "رحيل الفنان المصري نبيل الحلفاوي عن عمر 77 عاما", true},
		{"another age ar", "وفاة الفنان المصري نبيل الحلفاوي عن 77 عاما", "وفاة الفنان المصري نبيل الحلفاوي عن 71 عاما", false},
		{"place kind ar", "اقتحام بلدة قباطية جنوب جنين", "اقتحام قباطية جنوب جنين", true},
		{"place kind glued ar", "غارات إسرائيلية بمدينة صور جنوبي لبنان", "غارات إسرائيلية على صور جنوبي لبنان", true},
		{"place kind, another place ar", "غارات إسرائيلية على مدينة صور جنوبي لبنان", "غارات إسرائيلية على مدينة صيدا جنوبي لبنان", false},
		{"city of", "Israeli strikes hit city of Tyre", "Israeli strikes hit Tyre", true},
		{"connectives ar", "الشرطة التركية تعتقل 14 شخصا بعد حريق ملهى في إسطنبول", "الشرطة التركية توقف 14 شخصا إثر حريق ملهى ليلي بإسطنبول", true},
		{"country adjective ar", "مقتل 23 شخصا في فيضانات بجزيرة سومطرة الإندونيسية", "مصرع 23 شخصا جراء فيضانات في سومطرة بإندونيسيا", true},
		{"another country ar", "مقتل 23 شخصا في فيضانات بجزيرة سومطرة الإندونيسية", "مقتل 23 شخصا في فيضانات بجزيرة مينداناو الفلبينية", false},
		{"ballistic ar", "الحوثيون يعلنون استهداف إيلات بصاروخ", "الحوثيون يتبنون استهداف إيلات بصاروخ باليستي", true},
		{"officially ar", "السعودية تستضيف كأس العالم 2034 رسميا", "فيفا يعلن رسميا استضافة السعودية لمونديال 2034", true},
		{"weighs is considers", "Oil prices slip as OPEC+ weighs output hike", "Oil prices dip as OPEC+ considers output increase", true},
		{"raise and increase ar", "تراجع أسعار النفط مع دراسة أوبك+ زيادة الإنتاج", "أسعار النفط تنخفض مع بحث أوبك+ رفع الإنتاج", true},
		{"raise is not cut ar", "أوبك+ تدرس زيادة الإنتاج", "أوبك+ تدرس خفض الإنتاج", false},
		{"drone and night ar", "روسيا تطلق 400 مسيرة على أوكرانيا خلال الليل", "روسيا تهاجم أوكرانيا بـ400 طائرة مسيرة ليلا", true},
		{"drones the other way ar", "روسيا تطلق 400 مسيرة على أوكرانيا خلال الليل", "أوكرانيا تهاجم روسيا بـ400 طائرة مسيرة ليلا", false},
		{"schools closed ar", "الكويت تعلن تعطيل الدراسة غدا بسبب الأمطار", "تعليق الدراسة في الكويت غدا بسبب الأمطار", true},
	})
}

// Written after set 32 (14/36 at writing): basis points as hundredths of
// a percentage point, record lows and highs, light verbs, counted years,
// a preposition before a word that starts like a conjunction (لوفاة).
func TestClassSetThirtyTwo(t *testing.T) {
	checkClass(t, []classCase{
		{"basis points", "Egypt's central bank cuts rates by 100 basis points", "Egyptian central bank lowers interest rates by 1 percentage point", true},
		{"basis points ar", "البنك المركزي المصري يخفض الفائدة 100 نقطة أساس", "المركزي المصري يقرر خفض أسعار الفائدة بواقع 1%", true},
		{"other basis points", "Fed cuts rates by 25 basis points", "Fed cuts rates by 50 basis points", false},
		{"basis points are no percent", "Egypt's central bank cuts rates by 100 basis points", "Egypt's central bank cuts rates by 100 percent", false},
		{"record low", "Syrian pound hits record low against dollar", "Syrian pound plunges to all-time low versus US dollar", true},
		{"record low is no record high", "Gold hits all-time high", "Gold hits all-time low", false},
		{"declares is announces", "UAE announces three days of mourning for late ruler", "UAE declares 3-day mourning period for late ruler", true},
		{"hands over is returns", "Hamas hands over bodies of four hostages", "Hamas returns the bodies of 4 hostages", true},
		{"hands over, roles swapped", "Israel hands over bodies to Hamas", "Hamas hands over bodies to Israel", false},
		{"restore is resume", "Bahrain and Qatar restore diplomatic ties", "Bahrain, Qatar resume diplomatic relations", true},
		{"resolve row", "Ethiopia, Somalia agree to end port dispute", "Ethiopia and Somalia agree to resolve port row", true},
		{"gets a sentence", "Ex-Pakistan PM Imran Khan gets 14-year sentence", "Former Pakistani PM Imran Khan sentenced to 14 years", true},
		{"years counted ar", "السجن 12 عاما لزعيم المعارضة التونسية", "الحكم بسجن زعيم المعارضة في تونس 12 سنة", true},
		{"months are no years ar", "السجن 12 عاما لزعيم المعارضة التونسية", "السجن 12 شهرا لزعيم المعارضة التونسية", false},
		{"sentenced ar", "الحكم على عمران خان بالسجن 14 عاما", "السجن 14 سنة لرئيس الوزراء الباكستاني السابق عمران خان", true},
		{"preposition before waw ar", "الإمارات تعلن الحداد 3 أيام على وفاة حاكم الشارقة", "الإمارات تعلن الحداد ثلاثة أيام لوفاة حاكم الشارقة", true},
		{"more is counted", "Kuwait strips citizenship from 2,000 more people", "Kuwait revokes citizenship of 2000 people", true},
		{"more ar", "الكويت تسحب الجنسية من 2000 شخص آخرين", "سحب الجنسية الكويتية من ألفي شخص إضافي", true},
		{"bodies ar", "حماس تسلم جثث 4 رهائن", "حماس تسلم جثامين أربعة رهائن", true},
		{"names is appoints ar", "البرلمان الليبي يسمي حكومة جديدة", "مجلس النواب الليبي يعين حكومة جديدة", true},
		{"agreement ar", "إثيوبيا والصومال تتفقان على إنهاء نزاع الميناء", "اتفاق إثيوبي صومالي على إنهاء الخلاف حول الميناء", true},
		{"record low ar", "الليرة السورية تهبط إلى مستوى قياسي أمام الدولار", "الليرة السورية تهبط إلى أدنى مستوى لها أمام الدولار", true},
	})
}

// Written after set 33 (10/36 at writing): a percentage before a verb
// makes it a noun, a country after a place and a comma, title words
// that make no title alone, and what wires swap in sports and business.
func TestClassSetThirtyThree(t *testing.T) {
	checkClass(t, []classCase{
		{"a drop of a percentage", "Saudi Aramco posts 15% drop in quarterly profit", "Saudi Aramco's quarterly profit falls 15 percent", true},
		{"a drop is no rise", "Saudi Aramco posts 15% drop in quarterly profit", "Saudi Aramco posts 15% rise in quarterly profit", false},
		{"country after a place", "Wildfire forces evacuation of 5,000 in Turkey's Izmir", "Wildfire forces evacuation of 5,000 in Izmir, Turkey", true},
		{"country after a place, another place", "Wildfire forces evacuation of 5,000 in Izmir, Turkey", "Wildfire forces evacuation of 5,000 in Antalya, Turkey", false},
		{"a complement is no title", "US imposes sanctions on Houthi financial network", "Washington sanctions Houthi finance network", true},
		{"imposed is not lifted", "US imposes sanctions on Houthi financial network", "US lifts sanctions on Houthi financial network", false},
		{"imposed is not lifted ar", "واشنطن تفرض عقوبات على شبكة مالية للحوثيين", "واشنطن ترفع العقوبات عن شبكة مالية للحوثيين", false},
		{"re-elected", "Algeria's Tebboune wins second term with 84% of vote", "Algeria's Tebboune re-elected with 84% of vote", true},
		{"re-elected ar", "تبون يفوز بولاية ثانية بنسبة 84% من الأصوات", "إعادة انتخاب تبون بنسبة 84% من الأصوات", true},
		{"fire is sack", "Al Ahly sack coach after Club World Cup exit", "Al Ahly fire coach following Club World Cup elimination", true},
		{"another club", "Al Ahly sack coach after Club World Cup exit", "Zamalek sack coach after Club World Cup exit", false},
		{"WHO", "WHO confirms cholera outbreak in Sudan's Darfur", "World Health Organization confirms cholera outbreak in Darfur, Sudan", true},
		{"speaker's verb ar", "أردوغان: لن نسمح بدولة إرهابية في سوريا", "أردوغان: لن تسمح تركيا بدولة إرهابية في سوريا", true},
		{"head coach ar", "الأهلي يقيل مدربه بعد الخروج من كأس العالم للأندية", "الأهلي يقيل المدير الفني بعد الخروج من كأس العالم للأندية", true},
		{"results in ar", "مقتل جنديين هنديين في اشتباك بكشمير", "اشتباك في كشمير يسفر عن مقتل جنديين هنديين", true},
		{"international airport ar", "مطار دبي يستقبل 92 مليون مسافر في 2026", "مطار دبي الدولي يستقبل 92 مليون مسافر في 2026", true},
		{"strikes a refinery ar", "أوكرانيا تستهدف مصفاة نفط روسية بالمسيرات", "مسيرات أوكرانية تضرب مصفاة نفط في روسيا", true},
		{"evacuation ar", "إجلاء 5 آلاف شخص بسبب حريق غابات في إزمير التركية", "حريق غابات يجبر 5000 شخص على الإخلاء في إزمير بتركيا", true},
	})
}

// Written after set 34 (9/36 at writing): the Arabic act told as a noun
// as a passive (مقتل جندي برصاص فلسطيني), the accusative of a bare noun,
// "per" before a unit, a smaller unit joined with و after a million.
func TestClassSetThirtyFour(t *testing.T) {
	checkClass(t, []classCase{
		{"act as a noun, doer by agency ar", "مقتل 30 بقصف لقوات الدعم السريع على الفاشر", "الدعم السريع تقصف الفاشر وتقتل 30", true},
		{"act as a noun, roles swapped ar", "مقتل جندي إسرائيلي برصاص فلسطيني قرب نابلس", "مقتل فلسطيني برصاص جندي إسرائيلي قرب نابلس", false},
		{"wounded, roles swapped ar", "إصابة شرطي برصاص مستوطن في الخليل", "إصابة مستوطن برصاص شرطي في الخليل", false},
		{"by the fire of is the doer ar", "استشهاد شاب برصاص الاحتلال قرب نابلس", "قوات الاحتلال تقتل شابا قرب نابلس", true},
		{"dead after a number ar", "خمسة قتلى جراء فيضانات في عمان", "الفيضانات تودي بحياة 5 أشخاص في سلطنة عمان", true},
		{"accusative of a bare noun ar", "إيران تعدم رجلا أدين بالتجسس", "إيران تعدم رجل أدين بالتجسس", true},
		{"one house is not two ar", "هدم منزلين في القدس", "هدم منزلا في القدس", false},
		{"per dollar", "Iran's currency falls to record low of 1.2 million rials per dollar", "Iranian rial hits record low of 1,200,000 to the dollar", true},
		{"another rate", "Iran's currency falls to record low of 1.2 million rials per dollar", "Iran's currency falls to record low of 1.3 million rials per dollar", false},
		{"million and thousands ar", "الريال الإيراني يهبط إلى مستوى قياسي عند 1.2 مليون للدولار", "الريال الإيراني يهبط إلى مستوى قياسي عند مليون و200 ألف للدولار", true},
		{"other thousands ar", "العملة الإيرانية تسجل أدنى مستوى عند مليون و200 ألف ريال", "العملة الإيرانية تسجل أدنى مستوى عند مليون و300 ألف ريال", false},
		{"sultan of Oman", "Oman's sultan pardons 170 prisoners", "Sultan Haitham pardons 170 prisoners", true},
		{"hijack is seize", "Houthis seize cargo ship in Red Sea", "Yemen's Houthis hijack cargo ship in Red Sea", true},
		{"seize is not release", "Houthis seize cargo ship in Red Sea", "Houthis release cargo ship in Red Sea", false},
		{"years in prison", "Tunisia jails journalist for 2 years over radio comments", "Tunisian journalist sentenced to two years in prison over radio remarks", true},
		{"signs and issues ar", "ترامب يوقع أمرا تنفيذيا بشأن الذكاء الاصطناعي", "ترامب يصدر أمرا تنفيذيا حول الذكاء الاصطناعي", true},
		{"signs is not revokes ar", "ترامب يوقع أمرا تنفيذيا بشأن الذكاء الاصطناعي", "ترامب يلغي أمرا تنفيذيا بشأن الذكاء الاصطناعي", false},
	})
}

// Written after set 35 (4/36 at writing, all Arabic): what Arabic wires
// add or leave out (a fire breaking out, a toll, a year's word before the
// year, starting from, a border crossing), the accusative of an act, "at
// least" in Arabic, the UN's adjective, army and forces.
func TestClassSetThirtyFive(t *testing.T) {
	checkClass(t, []classCase{
		{"a toll tops a number ar", "ارتفاع حصيلة ضحايا زلزال أفغانستان إلى 2200 قتيل", "حصيلة قتلى زلزال أفغانستان تتجاوز 2200", true},
		{"another toll ar", "ارتفاع حصيلة ضحايا زلزال أفغانستان إلى 2200 قتيل", "ارتفاع حصيلة ضحايا زلزال أفغانستان إلى 2500 قتيل", false},
		{"year word before a year ar", "البرلمان الأردني يقر موازنة 2027", "مجلس النواب الأردني يصادق على الموازنة العامة لعام 2027", true},
		{"another year ar", "البرلمان الأردني يقر موازنة 2027", "البرلمان الأردني يقر موازنة 2026", false},
		{"records a rise ar", "تونس تسجل ارتفاعا في نسبة البطالة إلى 16%", "نسبة البطالة في تونس ترتفع إلى 16 بالمئة", true},
		{"a rise is no fall ar", "تونس تسجل ارتفاعا في نسبة البطالة إلى 16%", "تونس تسجل انخفاضا في نسبة البطالة إلى 16%", false},
		{"at least ar", "أكثر من 40 قتيلا في هجوم على مسجد بنيجيريا", "مقتل 40 على الأقل في هجوم استهدف مسجدا في نيجيريا", true},
		{"a mosque is no church ar", "أكثر من 40 قتيلا في هجوم على مسجد بنيجيريا", "أكثر من 40 قتيلا في هجوم على كنيسة بنيجيريا", false},
		{"UN adjective ar", "الأمم المتحدة تحذر من مجاعة في غزة", "تحذير أممي من خطر المجاعة في قطاع غزة", true},
		{"army and forces ar", "الجيش السوري يعلن السيطرة على منبج", "القوات السورية تسيطر على منبج", true},
		{"army is not the SDF ar", "الجيش السوري يعلن السيطرة على مدينة منبج", "قوات سوريا الديمقراطية تعلن السيطرة على مدينة منبج", false},
		{"a fire breaks out ar", "حريق ضخم في سوق شعبي بالقاهرة", "اندلاع حريق ضخم في سوق شعبي بالقاهرة", true},
		{"a fire out is no fire breaking out ar", "اندلاع حريق ضخم في سوق شعبي بالقاهرة", "إخماد حريق ضخم في سوق شعبي بالقاهرة", false},
		{"young men counted ar", "إصابة 3 فلسطينيين برصاص الاحتلال في جنين", "إصابة ثلاثة شبان برصاص الاحتلال في جنين", true},
		{"arrest ar", "الكويت: القبض على شبكة لتهريب المخدرات", "ضبط شبكة تهريب مخدرات في الكويت", true},
		{"border crossing reopened ar", "الأردن يعيد فتح معبر جابر مع سوريا", "إعادة فتح معبر جابر الحدودي بين الأردن وسوريا", true},
		{"ceasefire deal ar", "الجامعة العربية ترحب بوقف إطلاق النار في غزة", "جامعة الدول العربية ترحب باتفاق وقف إطلاق النار بغزة", true},
	})
}

// Verbal nouns of three more patterns, and an adjective of relation in
// either gender.
func TestClassMoreVerbalNouns(t *testing.T) {
	checkClass(t, []classCase{
		{"istif'al of a weak root ar", "استدعاء السفير الفرنسي لدى الجزائر", "الجزائر تستدعي سفير فرنسا", true},
		{"taf'il ar", "السعودية تكرم الفائزين بجائزة الملك فيصل", "تكريم الفائزين بجائزة الملك فيصل في السعودية", true},
		{"faisal is no arrival ar", "الأمير فيصل بن فرحان يزور دمشق", "الأمير فيصل بن فرحان يغادر دمشق", false},
		{"fu'ul ar", "خروج الأهلي من كأس العالم للأندية", "الأهلي يخرج من كأس العالم للأندية", true},
		{"fu'ul, another act ar", "خروج الأهلي من كأس العالم للأندية", "الأهلي يفوز بكأس العالم للأندية", false},
		{"nisba in either gender ar", "حريق في سوق شعبي بالقاهرة", "حريق في سوق شعبية بالقاهرة", true},
	})
}

// Written after set 36 (10/36 at writing): "notes" read as "not" and
// لم شمل as a negation (both false negations), "IS" read as "is", the
// feminine dual of a verb, barrels a day.
func TestClassSetThirtySix(t *testing.T) {
	checkClass(t, []classCase{
		{"notes are no negation", "Syria issues new currency notes", "Syria issues new currency", true},
		{"reunion is no negation ar", "قطر تعيد 4 أطفال أوكرانيين إلى عائلاتهم", "قطر تنجح في لم شمل 4 أطفال أوكرانيين بعائلاتهم", false},
		{"IS is Islamic State", "Morocco arrests 12 suspected Islamic State militants", "Morocco arrests 12 suspected IS militants", true},
		{"IS, another act", "Morocco arrests 12 suspected IS militants", "Morocco frees 12 suspected IS militants", false},
		{"barrels a day", "Kuwait cuts oil output by 100,000 barrels a day", "Kuwait to reduce crude production by 100,000 bpd", true},
		{"cut is no rise", "Kuwait cuts oil output by 100,000 barrels a day", "Kuwait raises oil output by 100,000 barrels a day", false},
		{"feminine dual ar", "الإمارات والهند توقعان اتفاقية تجارة حرة", "الإمارات والهند يوقع اتفاقية تجارة حرة", true},
		{"delegation with its waw ar", "السيسي يستقبل وفدا من حماس في القاهرة", "السيسي يستقبل وفد حماس في القاهرة", true},
		{"another delegation ar", "السيسي يستقبل وفدا من حماس في القاهرة", "السيسي يستقبل وفدا من فتح في القاهرة", false},
		{"policemen", "Gunmen kill 6 policemen in northwest Pakistan", "Gunmen kill 6 police officers in northwest Pakistan", true},
		{"policemen are no militants", "Six policemen killed in attack in northwest Pakistan", "Six militants killed in attack in northwest Pakistan", false},
		{"raid and operation", "Three Israeli soldiers wounded in Jenin raid", "3 Israeli troops injured during Jenin operation", true},
	})
}

// Written after set 37 (6/36 at writing): a pound after a possessive is
// money, a place "flood-hit", the Saudi crown prince by his office, a
// state's or a sultanate's word before its name, lands in.
func TestClassSetThirtySeven(t *testing.T) {
	checkClass(t, []classCase{
		{"a pound after a possessive", "Egypt's pound weakens past 60 per dollar", "Egyptian pound weakens past 60 per dollar", true},
		{"flood-hit", "Algeria declares state of emergency in Tamanrasset after floods", "Algeria declares state of emergency in flood-hit Tamanrasset", true},
		{"declared is not lifted", "Algeria declares state of emergency in flood-hit Tamanrasset", "Algeria lifts state of emergency in flood-hit Tamanrasset", false},
		{"crown prince", "Saudi crown prince receives Ukrainian president in Jeddah", "Mohammed bin Salman receives Ukrainian president in Jeddah", true},
		{"crown prince ar", "ولي العهد السعودي يستقبل زيلينسكي في جدة", "محمد بن سلمان يستقبل زيلينسكي في جدة", true},
		{"another crown prince ar", "ولي العهد السعودي يستقبل الرئيس الأوكراني في جدة", "ولي العهد الكويتي يستقبل الرئيس الأوكراني في جدة", false},
		{"state of ar", "أمير قطر يصل إلى طهران في زيارة رسمية", "أمير دولة قطر يحط في طهران في زيارة رسمية", true},
		{"sultanate of ar", "عمان تحبط تهريب طن من المخدرات", "سلطنة عمان تحبط تهريب طن من المواد المخدرة", true},
		{"lands in", "Emir of Qatar arrives in Tehran on official visit", "Emir of Qatar lands in Tehran for official visit", true},
		{"breaks out is erupts", "Fire breaks out at Tehran refinery", "Fire erupts at Tehran refinery", true},
		{"another number deported", "Jordan deports 3 foreigners over protest", "Jordan deports 30 foreigners over protest", false},
		{"deports is expels", "Jordan deports 3 foreigners over protest", "Jordan expels three foreign nationals over protest", true},
	})
}

// Written after set 38 (15/36 at writing): a lifted ban allows, the
// Arabic release is no launch (يفرج, يطلق سراح; يطلق صواريخ), short Arabic
// verbs, "we" on a past verb, a plural's "its", degrees, unprecedented.
func TestClassSetThirtyEight(t *testing.T) {
	checkClass(t, []classCase{
		{"a lifted ban allows", "Saudi Arabia lifts ban on alcohol for diplomats", "Saudi allows diplomats to buy alcohol", true},
		{"lifted is not imposed", "Saudi Arabia lifts ban on alcohol for diplomats", "Saudi Arabia imposes ban on alcohol for diplomats", false},
		{"a lifted ban allows ar", "السعودية ترفع حظر الكحول عن الدبلوماسيين", "السماح للدبلوماسيين بشراء الكحول في السعودية", true},
		{"release is no launch ar", "الحوثيون: استهدفنا سفينة في خليج عدن", "الحوثيون: أفرجنا عن سفينة في خليج عدن", false},
		{"we targeted ar", "الحوثيون يعلنون استهداف سفينة في خليج عدن", "الحوثيون: استهدفنا سفينة في خليج عدن", true},
		{"a short verb is no name ar", "أمير الكويت يحل مجلس الأمة", "حل مجلس الأمة الكويتي بمرسوم من أمير الكويت", true},
		{"dissolves is not convenes ar", "أمير الكويت يحل مجلس الأمة", "أمير الكويت يدعو مجلس الأمة للانعقاد", false},
		{"its flights ar", "القطرية تستأنف رحلاتها إلى دمشق", "القطرية تستأنف الرحلات إلى دمشق", true},
		{"resumed is not suspended ar", "القطرية تستأنف رحلاتها إلى دمشق", "القطرية تعلق رحلاتها إلى دمشق", false},
		{"degrees", "Temperatures top 50C in Gulf heatwave", "Temperatures exceed 50 degrees in Gulf heatwave", true},
		{"other degrees", "Temperatures exceed 50 degrees in Gulf heatwave", "Temperatures exceed 45 degrees in Gulf heatwave", false},
		{"unprecedented is no qualifier ar", "موجة حر غير مسبوقة في الخليج", "موجة حر قياسية في الخليج", true},
		{"break into", "Protesters storm parliament in Baghdad", "Protesters break into parliament in Baghdad", true},
	})
}

// Written after set 39 (3/18 at writing, English): martial law declared
// or imposed, a toll that tops or rises further from it, more than, half
// a point, will.
func TestClassSetThirtyNine(t *testing.T) {
	checkClass(t, []classCase{
		{"martial law", "South Korea's Yoon declares martial law", "South Korea's Yoon imposes martial law", true},
		{"declared is not lifted", "South Korea's Yoon declares martial law", "South Korea's Yoon lifts martial law", false},
		{"toll further from its verb", "Typhoon Yagi kills at least 59 in Vietnam", "Death toll from Typhoon Yagi in Vietnam rises to 59", true},
		{"another toll", "Typhoon Yagi kills at least 59 in Vietnam", "Death toll from Typhoon Yagi in Vietnam rises to 95", false},
		{"toll tops, more than", "Spain floods death toll tops 200", "More than 200 dead in Spain floods", true},
		{"half a point", "Fed cuts interest rates by half a point", "Federal Reserve lowers rates by 50 basis points", true},
		{"half a point is no quarter", "US Fed cuts interest rates by half a point", "Federal Reserve lowers rates by 25 basis points", false},
		{"holds rates unchanged", "Bank of England holds rates at 5%", "BoE keeps interest rates unchanged at 5 percent", true},
		{"will resign", "Canada's Trudeau says he will resign", "Canada's Trudeau resigns", true},
		{"will not resign", "Canada's Trudeau says he will resign", "Canada's Trudeau says he will not resign", false},
		{"prisoners of war", "Russia and Ukraine swap 190 prisoners of war", "Russia, Ukraine exchange 190 POWs", true},
	})
}

// Written after set 40 (4/18 at writing, Arabic): a count without a
// number (مئات القتلى) as a count, dies as death, a phone call, a cut,
// Abu Dhabi as the UAE where it acts, continues.
func TestClassSetForty(t *testing.T) {
	checkClass(t, []classCase{
		{"hundreds dead ar", "فيضانات تجتاح ليبيا وتقتل المئات", "مئات القتلى جراء فيضانات تجتاح ليبيا", true},
		{"hundreds are no tens ar", "مئات القتلى جراء فيضانات في ليبيا", "عشرات القتلى جراء فيضانات في ليبيا", false},
		{"dies ar", "وفاة 6 أطفال بسبب البرد في غزة", "ستة أطفال يموتون من البرد في قطاع غزة", true},
		{"a phone call ar", "أردوغان يهاتف بوتين", "اتصال هاتفي بين أردوغان وبوتين", true},
		{"another call ar", "أردوغان يهاتف بوتين", "أردوغان يهاتف زيلينسكي", false},
		{"a capital acts ar", "الإمارات تستدعي السفير الإسرائيلي", "أبوظبي تستدعي سفير إسرائيل", true},
		{"the capital, roles swapped ar", "أبوظبي تستدعي سفير إسرائيل", "إسرائيل تستدعي سفير الإمارات", false},
		{"continues ar", "ارتفاع أسعار الذهب في مصر", "أسعار الذهب تواصل الارتفاع في مصر", true},
		{"a cut ar", "انقطاع الإنترنت في إيران", "إيران تقطع خدمة الإنترنت", true},
		{"a cut is no return ar", "انقطاع الإنترنت في إيران", "عودة الإنترنت في إيران", false},
	})
}

// Written after set 41 (3/18 at writing): a proposal and a plan, an
// approval with its pronoun, a tanker with its oil, restored and resumed
// ties, a crash and a collision.
func TestClassSetFortyOne(t *testing.T) {
	checkClass(t, []classCase{
		{"proposal is plan", "Hamas says it accepts Egyptian ceasefire proposal", "Hamas accepts Egypt's truce plan", true},
		{"accepts is not rejects", "Hamas says it accepts Egyptian ceasefire proposal", "Hamas says it rejects Egyptian ceasefire proposal", false},
		{"its approval ar", "حماس تعلن موافقتها على المقترح المصري لوقف إطلاق النار", "حماس توافق على خطة الهدنة المصرية", true},
		{"approval is not refusal ar", "حماس تعلن موافقتها على المقترح المصري لوقف إطلاق النار", "حماس تعلن رفضها المقترح المصري لوقف إطلاق النار", false},
		{"oil tanker", "Iran seizes oil tanker in Gulf of Oman", "Iran impounds tanker in Gulf of Oman", true},
		{"seized is not released", "Iran seizes oil tanker in Gulf of Oman", "Iran releases oil tanker in Gulf of Oman", false},
		{"restored is resumed ar", "السعودية وإيران تعيدان العلاقات بوساطة صينية", "السعودية وإيران تستأنفان العلاقات برعاية الصين", true},
		{"collision", "Egypt arrests 15 over deadly train crash", "Egypt arrests 15 over fatal train collision", true},
	})
}

// Written after set 42 (19/36 at writing; synonyms of acts only): a
// feminine verb or phrase the lexicon lists in the masculine, and the
// synonyms wires swap (support, postpone, investigate, pledge, grant,
// summon).
func TestClassSetFortyTwo(t *testing.T) {
	checkClass(t, []classCase{
		{"feminine phrase ar", "تونس تفرج عن معارض مسجون", "تونس تطلق سراح معارض مسجون", true},
		{"release is no arrest ar", "تونس تفرج عن معارض مسجون", "تونس تعتقل معارضا مسجونا", false},
		{"feminine verb ar", "إسرائيل تهدم منازل في مخيم جنين", "إسرائيل تدمر منازل في مخيم جنين", true},
		{"supports ar", "السعودية تدعم قرار الأمم المتحدة بشأن فلسطين", "السعودية تؤيد قرار الأمم المتحدة حول فلسطين", true},
		{"supports is not rejects ar", "السعودية تدعم قرار الأمم المتحدة بشأن فلسطين", "السعودية ترفض قرار الأمم المتحدة بشأن فلسطين", false},
		{"postpones ar", "العراق يؤجل انتخابات مجالس المحافظات", "العراق يرجئ انتخابات مجالس المحافظات", true},
		{"investigates ar", "المغرب يحقق في حادث حافلة مميت", "المغرب يفتح تحقيقا في حادث حافلة مميت", true},
		{"grants ar", "الكويت تمنح الجنسية لـ500 من البدون", "الكويت تعطي الجنسية لـ500 من البدون", true},
		{"grants", "Kuwait grants citizenship to 500 stateless people", "Kuwait gives citizenship to 500 stateless people", true},
		{"grants is not revokes", "Kuwait grants citizenship to 500 stateless people", "Kuwait revokes citizenship of 500 stateless people", false},
		{"summons", "Turkey summons Swedish envoy over Koran burning", "Turkey calls in Swedish envoy over Koran burning", true},
		{"summons, roles swapped", "Turkey summons Swedish envoy over Koran burning", "Sweden summons Turkish envoy over Koran burning", false},
		{"vows revenge ar", "إيران تتوعد بالانتقام لمقتل القائد", "إيران تتعهد بالثأر لمقتل القائد", true},
	})
}

// Written after set 43 (12/28 at writing; synonyms of acts): more Arabic
// acts wires swap, concern expressed, what an arrest is for.
func TestClassSetFortyThree(t *testing.T) {
	checkClass(t, []classCase{
		{"jumps ar", "الذهب يقفز إلى مستوى قياسي", "الذهب يرتفع إلى مستوى قياسي", true},
		{"jumps is no fall ar", "الذهب يقفز إلى مستوى قياسي", "الذهب يهبط إلى مستوى قياسي", false},
		{"reveals ar", "الأردن يعلن إحباط مخطط لتهريب أسلحة", "الأردن يكشف عن إحباط مخطط لتهريب أسلحة", true},
		{"starts ar", "انطلاق القمة العربية في البحرين", "بدء أعمال القمة العربية في البحرين", true},
		{"resigns ar", "رئيس الوزراء الباكستاني يقدم استقالته", "رئيس الوزراء الباكستاني يستقيل", true},
		{"concern ar", "الأمم المتحدة تعرب عن قلقها إزاء الوضع في لبنان", "الأمم المتحدة قلقة من الوضع في لبنان", true},
		{"concern", "UN expresses concern over situation in Lebanon", "UN voices concern about Lebanon situation", true},
		{"concern elsewhere", "UN expresses concern over situation in Lebanon", "UN expresses concern over situation in Sudan", false},
		{"on charges of ar", "تركيا تعتقل 30 مشتبها بالتجسس لإسرائيل", "تركيا توقف 30 شخصا بتهمة التجسس لصالح إسرائيل", true},
		{"arrest is no release ar", "تركيا تعتقل 30 مشتبها بالتجسس لإسرائيل", "تركيا تفرج عن 30 مشتبها بالتجسس لإسرائيل", false},
		{"demands", "Security Council demands immediate Sudan ceasefire", "UN Security Council calls for immediate ceasefire in Sudan", true},
		{"liberates ar", "الجيش السوداني يحرر مدينة سنجة", "الجيش السوداني يستعيد مدينة سنجة", true},
		{"crowned champion ar", "الهلال يتوج بلقب الدوري السعودي", "الهلال يتوج بطلا للدوري السعودي", true},
		{"another champion ar", "الهلال يتوج بلقب الدوري السعودي", "النصر يتوج بلقب الدوري السعودي", false},
	})
}

// Written after set 44 (17/26 at writing; house styles of names): a
// transliteration with other vowels between the same consonants, as many
// syllables, not a given name.
func TestClassSetFortyFour(t *testing.T) {
	checkClass(t, []classCase{
		{"other vowels", "Houthis target ship near Hodeidah", "Houthis target ship near Hudaydah", true},
		{"other vowels again", "Explosion rocks Pakistan's Peshawar", "Explosion rocks Pakistan's Peshawer", true},
		{"more syllables", "Attack in Ukraine's Kherson kills 3", "Attack in Iran's Khorasan kills 3", false},
		{"given names by their consonants", "Mahmoud Abbas meets Blinken in Ramallah", "Mohammed Abbas meets Blinken in Ramallah", false},
		{"AK Party", "Erdogan's AK Party loses Istanbul", "Erdogan's AKP loses Istanbul", true},
		{"Shifa complex ar", "غارة إسرائيلية على مستشفى الشفاء في غزة", "غارة إسرائيلية على مجمع الشفاء الطبي في غزة", true},
		{"another hospital ar", "غارة إسرائيلية على مستشفى الشفاء في غزة", "غارة إسرائيلية على مستشفى المعمداني في غزة", false},
	})
}

// Written after set 45 (21/24 at writing; numbers and attributions): a
// count after a thousand joined with و, bln, the dollar sign as a word,
// ex as former.
func TestClassSetFortyFive(t *testing.T) {
	checkClass(t, []classCase{
		{"a thousand and ar", "مقتل 1200 في زلزال أفغانستان", "مقتل ألف و200 في زلزال أفغانستان", true},
		{"a thousand and another ar", "مقتل ألف و200 في زلزال أفغانستان", "مقتل ألف و300 في زلزال أفغانستان", false},
		{"dollar sign", "UN appeals for $2.7 billion for Sudan", "UN appeals for 2.7 bln dollars for Sudan", true},
		{"dollars are no euros", "Qatar pledges $1 billion for Syria reconstruction", "Qatar pledges 1 billion euros for Syria reconstruction", false},
		{"ex is former", "Kuwait jails ex-minister for 7 years", "Kuwait jails former minister for seven years", true},
	})
}

// Written after set 46 (18/20 at writing; decorations and glued
// prepositions): a quote leading a headline before a separator.
func TestClassSetFortySix(t *testing.T) {
	checkClass(t, []classCase{
		{"quote lead ar", `"لن نتراجع" .. نتنياهو يتحدى الضغوط الدولية`, "نتنياهو يتحدى الضغوط الدولية", true},
		{"quote lead, another doer ar", `"لن نتراجع" .. نتنياهو يتحدى الضغوط الدولية`, `"لن نتراجع" .. حماس تتحدى الضغوط الدولية`, false},
		{"quote lead", "“Catastrophic”: UN chief warns on Gaza famine", "UN chief warns on Gaza famine", true},
		{"a quote that is the headline", `"We will respond," Iran says after Israeli strike`, "Iran says it will respond after Israeli strike", true},
	})
}

// Written after set 47 (8/18 at writing; Arabic synonyms of acts).
func TestClassSetFortySeven(t *testing.T) {
	checkClass(t, []classCase{
		{"bolts ar", "إسرائيل تغلق معبر كرم أبو سالم", "إسرائيل توصد معبر كرم أبو سالم", true},
		{"bolts is not opens ar", "إسرائيل توصد معبر كرم أبو سالم", "إسرائيل تفتح معبر كرم أبو سالم", false},
		{"denies ar", "مصر تنفي وجود قوات إسرائيلية في سيناء", "مصر تنكر وجود قوات إسرائيلية في سيناء", true},
		{"denies is not confirms ar", "مصر تنكر وجود قوات إسرائيلية في سيناء", "مصر تؤكد وجود قوات إسرائيلية في سيناء", false},
		{"deploys ar", "الجيش اللبناني ينتشر في الجنوب", "الجيش اللبناني يتمركز في الجنوب", true},
		{"elects ar", "البرلمان العراقي ينتخب رئيسا جديدا", "مجلس النواب العراقي يختار رئيسا جديدا", true},
		{"tests ar", "إيران تختبر صاروخا باليستيا جديدا", "إيران تجرب صاروخا باليستيا جديدا", true},
		{"jails ar", "تونس تسجن معارضا بارزا", "تونس تحبس معارضا بارزا", true},
		{"jails is not frees ar", "تونس تحبس معارضا بارزا", "تونس تفرج عن معارض بارز", false},
		{"welcomes ar", "قطر ترحب بالإفراج عن الرهائن", "قطر تثمن الإفراج عن الرهائن", true},
		{"deports ar", "الكويت ترحل 200 وافد مخالف", "الكويت تبعد 200 وافد مخالف", true},
		{"severs ar", "الجزائر تقطع علاقاتها مع المغرب", "الجزائر تنهي علاقاتها مع المغرب", true},
	})
}

// Written after set 48 (14/18 at writing; English synonyms of acts).
func TestClassSetFortyEight(t *testing.T) {
	checkClass(t, []classCase{
		{"objects", "Philippines protests Chinese coast guard actions", "Philippines objects to Chinese coast guard actions", true},
		{"objects, roles swapped", "Philippines protests Chinese coast guard actions", "China protests Philippine coast guard actions", false},
		{"burns", "Chile wildfires destroy 1,000 homes", "Chile wildfires burn 1,000 homes", true},
		{"extradites", "Mexico extradites cartel boss to US", "Mexico hands over cartel boss to US", true},
		{"extradites, the other way", "Mexico extradites cartel boss to US", "US extradites cartel boss to Mexico", false},
		{"outlaws", "Bangladesh bans Jamaat-e-Islami party", "Bangladesh outlaws Jamaat-e-Islami party", true},
	})
}

// Written after set 49 (2/18 at writing; Arabic synonyms of acts).
func TestClassSetFortyNine(t *testing.T) {
	checkClass(t, []classCase{
		{"dispatches ar", "الأردن يسير قافلة مساعدات إلى غزة", "الأردن يرسل قافلة مساعدات إلى غزة", true},
		{"sends is not blocks ar", "الأردن يرسل قافلة مساعدات إلى غزة", "الأردن يمنع قافلة مساعدات إلى غزة", false},
		{"denounces ar", "الإمارات تدين الهجوم على السفينة", "الإمارات تشجب الهجوم على السفينة", true},
		{"prepares ar", "تركيا تستعد لعملية عسكرية في سوريا", "تركيا تتأهب لعملية عسكرية في سوريا", true},
		{"besieges ar", "الجيش السوداني يطوق مدينة الفاشر", "الجيش السوداني يحاصر مدينة الفاشر", true},
		{"suspends ar", "الكويت تعلق إصدار التأشيرات", "الكويت توقف إصدار التأشيرات", true},
		{"suspends is not resumes ar", "الكويت تعلق إصدار التأشيرات", "الكويت تستأنف إصدار التأشيرات", false},
		{"imports ar", "العراق يستورد الغاز من إيران", "العراق يشتري الغاز من إيران", true},
		{"imports the other way ar", "العراق يستورد الغاز من إيران", "إيران تستورد الغاز من العراق", false},
		{"organizes ar", "المغرب يستضيف كأس أفريقيا", "المغرب ينظم كأس أفريقيا", true},
		{"another host ar", "المغرب ينظم كأس أفريقيا", "مصر تنظم كأس أفريقيا", false},
	})
}

// Arabic acts written from the news vocabulary, not from a probe set.
func TestClassArabicActsFromVocabulary(t *testing.T) {
	checkClass(t, []classCase{
		{"intercepts and downs ar", "إسرائيل تعترض صاروخا أطلق من اليمن", "إسرائيل تسقط صاروخا أطلق من اليمن", true},
		{"intercepts, the other way ar", "إسرائيل تعترض صاروخا أطلق من اليمن", "اليمن تعترض صاروخا أطلق من إسرائيل", false},
		{"appeals ar", "الأونروا تناشد المانحين تمويل عملياتها", "الأونروا تدعو المانحين تمويل عملياتها", true},
		{"plunges ar", "الليرة التركية تتهاوى أمام الدولار", "الليرة التركية تنخفض أمام الدولار", true},
		{"plunges is not soars ar", "الليرة التركية تتهاوى أمام الدولار", "الليرة التركية تحلق أمام الدولار", false},
		{"raids ar", "قوات الاحتلال تدهم منازل في نابلس", "قوات الاحتلال تقتحم منازل في نابلس", true},
	})
}

// Written after set 50 (6/18 at writing; Arabic synonyms of acts): one
// word with another preposition glued on, and more acts.
func TestClassSetFifty(t *testing.T) {
	checkClass(t, []classCase{
		{"another preposition ar", "قطر تطالب بتحقيق دولي في الهجوم", "قطر تدعو لتحقيق دولي في الهجوم", true},
		{"prolongs ar", "الحكومة الليبية تمدد حالة الطوارئ", "الحكومة الليبية تطيل حالة الطوارئ", true},
		{"ratifies and signs ar", "الرئيس الجزائري يصادق على قانون المالية", "الرئيس الجزائري يوقع قانون المالية", true},
		{"signs is not rejects ar", "الرئيس الجزائري يوقع قانون المالية", "البرلمان الجزائري يرفض قانون المالية", false},
		{"pursues ar", "الجيش العراقي يلاحق خلايا داعش", "الجيش العراقي يطارد خلايا داعش", true},
		{"pursues, roles swapped ar", "الجيش العراقي يلاحق خلايا داعش", "خلايا داعش تهاجم الجيش العراقي", false},
		{"tightens ar", "المغرب يعزز إجراءات الأمن على الحدود", "المغرب يشدد إجراءات الأمن على الحدود", true},
		{"displaces ar", "الاحتلال يهجر عائلات من الأغوار", "الاحتلال يطرد عائلات من الأغوار", true},
	})
}

// Written after set 51 (8/18 at writing; Arabic synonyms of acts): a
// number word with a glued preposition, objects to (not intercepts).
func TestClassSetFiftyOne(t *testing.T) {
	checkClass(t, []classCase{
		{"a billion with its preposition ar", "السعودية تعلن ضخ استثمارات بمليار دولار في مصر", "السعودية تعلن استثمار مليار دولار في مصر", true},
		{"one billion is not two ar", "السعودية تعلن ضخ استثمارات بمليار دولار في مصر", "السعودية تعلن ضخ استثمارات بملياري دولار في مصر", false},
		{"objects to ar", "العراق يحتج على القصف التركي", "العراق يعترض على القصف التركي", true},
		{"objects to is not intercepts ar", "إسرائيل تعترض صاروخا أطلق من لبنان", "إسرائيل تعترض على قرار مجلس الأمن", false},
		{"reopens ar", "الأردن يعيد فتح حدوده مع سوريا", "الأردن يفتح حدوده مجددا مع سوريا", true},
		{"questions ar", "الكويت تستجوب وزير النفط", "الكويت تسائل وزير النفط", true},
		{"swap ar", "اليمن: تبادل 100 أسير بين الحكومة والحوثيين", "اليمن: مقايضة 100 أسير بين الحكومة والحوثيين", true},
		{"spying ar", "البحرين تعتقل 3 بتهمة التخابر مع إيران", "البحرين توقف 3 بتهمة التجسس لصالح إيران", true},
	})
}

// Written after set 52 (4/18 at writing; Arabic synonyms of acts): a
// repelled attack is no attack launched.
func TestClassSetFiftyTwo(t *testing.T) {
	checkClass(t, []classCase{
		{"opposes is rejects ar", "مصر ترفض تهجير الفلسطينيين إلى سيناء", "مصر تعارض تهجير الفلسطينيين إلى سيناء", true},
		{"opposes is not supports ar", "مصر تعارض تهجير الفلسطينيين إلى سيناء", "مصر تؤيد تهجير الفلسطينيين إلى سيناء", false},
		{"refutes is denies ar", "العراق ينفي إرسال قوات إلى سوريا", "العراق يدحض إرسال قوات إلى سوريا", true},
		{"cuts ar", "الأمم المتحدة تخفض مساعداتها لسوريا", "الأمم المتحدة تقلص مساعداتها لسوريا", true},
		{"cuts is not raises ar", "الأمم المتحدة تخفض مساعداتها لسوريا", "الأمم المتحدة تزيد مساعداتها لسوريا", false},
		{"complains ar", "لبنان يشكو إسرائيل إلى مجلس الأمن", "لبنان يقدم شكوى إلى مجلس الأمن", true},
		{"complains, roles swapped ar", "لبنان يشكو إسرائيل إلى مجلس الأمن", "إسرائيل تشكو لبنان إلى مجلس الأمن", false},
		{"repels ar", "الجيش السوري يصد هجوما على حلب", "الجيش السوري يتصدى لهجوم على حلب", true},
		{"repels is not launches ar", "الجيش السوري يصد هجوما على حلب", "الجيش السوري يشن هجوما على حلب", false},
		{"repels is not launches", "Syrian army repels attack on Aleppo", "Syrian army launches attack on Aleppo", false},
		{"funds ar", "الإمارات تمول مشروعا للطاقة في مصر", "الإمارات تدعم ماليا مشروعا للطاقة في مصر", true},
	})
}

// Written after set 53 (4/18 at writing; Arabic synonyms of acts): holds
// responsible as accuses, defuses, succeeds in as a filler; and the RSF's
// Arabic name keeps no verb in it.
func TestClassSetFiftyThree(t *testing.T) {
	checkClass(t, []classCase{
		{"holds responsible ar", "إيران تتهم إسرائيل باغتيال العالم النووي", "إيران تحمل إسرائيل مسؤولية اغتيال العالم النووي", true},
		{"holds responsible, roles swapped ar", "إيران تحمل إسرائيل مسؤولية اغتيال العالم النووي", "إسرائيل تحمل إيران مسؤولية اغتيال العالم النووي", false},
		{"a plane carrying aid is no accusation ar", "طائرة تحمل مساعدات تصل إلى غزة", "طائرة مساعدات تصل إلى غزة", true},
		{"defuses ar", "الجيش اللبناني يفكك عبوة ناسفة في الجنوب", "الجيش اللبناني يبطل مفعول عبوة ناسفة في الجنوب", true},
		{"succeeds in ar", "قطر تنجح في الإفراج عن رهينتين", "قطر تتمكن من الإفراج عن رهينتين", true},
		{"permits ar", "مصر تسمح بعبور شاحنات المساعدات إلى غزة", "مصر تأذن بعبور شاحنات المساعدات إلى غزة", true},
		{"permits is not prevents ar", "مصر تسمح بعبور شاحنات المساعدات إلى غزة", "مصر تمنع عبور شاحنات المساعدات إلى غزة", false},
		{"the RSF, roles swapped ar", "الجيش السوداني يقصف مواقع الدعم السريع في الفاشر", "الدعم السريع تقصف مواقع الجيش السوداني في الفاشر", false},
	})
}

// A name the lexicon writes in several words keeps no verb in it: الدعم
// السريع (the RSF) is no "supports", whatever the lexicon reads دعم as
// alone.
func TestRSFHasNoVerb(t *testing.T) {
	for _, tok := range Default().Tokens(Normalize("قوات الدعم السريع")) {
		if isVerb(tok) {
			t.Errorf("Tokens(قوات الدعم السريع) holds the verb %q", tok)
		}
	}
}

// Found in the review of the sixth session: "ISIS" was written
// "ISISIS" (the test for a letter before "IS" looked at what was left of
// the headline, not at the headline), and an "-hit" that was no compound
// ended the search for one after it.
func TestClassIsisAndHitBy(t *testing.T) {
	checkClass(t, []classCase{
		{"ISIS is Islamic State", "ISIS militants attack army base in Syria", "Islamic State militants attack army base in Syria", true},
		{"ISIS is IS", "ISIS militants attack army base in Syria", "IS militants attack army base in Syria", true},
		{"a later compound", "Smash-hitter's tour moves to flood-hit Valencia", "Smash-hitter's tour moves to Valencia after floods", true},
	})
	for _, c := range []struct{ in, want string }{
		{"ISIS militants", "ISIS militants"},
		{"IS militants, IS-linked", "ISIS militants, ISIS-linked"},
		{"ISRAEL IS HERE", "ISRAEL IS HERE"},
		{"Israel's PM", "Israel's PM"},
	} {
		if got := islamicState(c.in); got != c.want {
			t.Errorf("islamicState(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Ranks and bodies, from sets written by hands that had not seen the
// rules (seventh session): a deputy, a former or an interim holder is
// someone other than the holder, and "governor of the central bank"
// introduces no one, so its rank stays. Before a name the rank goes with
// the title, as the name says who it is.
func TestClassRanks(t *testing.T) {
	checkClass(t, []classCase{
		{"deputy governor of a bank", "Deputy governor of Egypt's central bank resigns", "Governor of Egypt's central bank resigns", false},
		{"deputy pm", "Iran's deputy foreign minister to visit Cairo for talks", "Iran's foreign minister to visit Cairo for talks", false},
		{"vice president", "US vice president visits Cairo", "US president visits Cairo", false},
		{"former minister", "Former Iraqi oil minister arrested on corruption charges", "Iraqi oil minister arrested on corruption charges", false},
		{"interim is acting", "Mali's acting president dissolves parliament", "Mali's interim president dissolves parliament", true},
		{"interim is not the holder", "Mali's interim president dissolves parliament", "Mali's president dissolves parliament", false},
		{"core inflation", "US core inflation rises to 3.1% in March", "US inflation rises to 3.1% in March", false},
		{"core inflation ar", "التضخم الأساسي في مصر يتراجع إلى 10.5% في أبريل", "التضخم في مصر يتراجع إلى 10.5% في أبريل", false},
		{"deputy of a body ar", "نجاة نائب رئيس هيئة الأركان اليمنية من محاولة اغتيال في مأرب", "نجاة رئيس هيئة الأركان اليمنية من محاولة اغتيال في مأرب", false},
		{"deputy of a party ar", "توقيف نائب رئيس حزب الشعب الجمهوري في إسطنبول", "توقيف رئيس حزب الشعب الجمهوري في إسطنبول", false},
		{"deputy pm ar", "نائب رئيس الوزراء اللبناني يلتقي وفد صندوق النقد الدولي", "رئيس الوزراء اللبناني يلتقي وفد صندوق النقد الدولي", false},
		{"former minister ar", "اعتقال وزير الكهرباء العراقي السابق بتهم فساد", "اعتقال وزير الكهرباء العراقي بتهم فساد", false},
		{"rank before a name", "Former Pakistani PM Imran Khan jailed", "Imran Khan jailed", true},
		{"rank before a name, ex", "Former Pakistani PM Nawaz Sharif returns home", "Pakistan's ex-PM Nawaz Sharif returns home", true},
		// A deputy's rank stays even before a name: an Arabic portfolio
		// reads like a name (وزير الرياضة), so a deputy minister would
		// meet the minister. The cost: a deputy named by one wire and
		// not by another.
		{"a deputy's rank stays", "Deputy PM Ishaq Dar visits Kabul", "Foreign Minister Ishaq Dar visits Kabul", false},
		{"deputy minister of a portfolio ar", "أمر ملكي بإعفاء وزير الرياضة من منصبه", "أمر ملكي بإعفاء نائب وزير الرياضة من منصبه", false},
		{"deputy emir of a region ar", "أمير منطقة الرياض يدشن مشروعات تنموية في محافظة الخرج", "نائب أمير منطقة الرياض يدشن مشروعات تنموية في محافظة الخرج", false},
		{"undersecretary", "Oman's Sultan Haitham issues royal decree appointing new minister of health", "Oman's Sultan Haitham issues royal decree appointing new undersecretary of health", false},
		{"a place named after a man", "Dubai RTA opens new bridge on Al Khail Road", "Dubai RTA opens new bridge on Sheikh Zayed Road", false},
	})
}

// A complaint filed against another, and an attack repelled: the verbs
// the role rule had not known ("files"; "repelled", whose l doubles).
func TestClassFiledAndRepelled(t *testing.T) {
	checkClass(t, []classCase{
		{"files against", "Lebanon files complaint against Israel at UN Security Council", "Israel files complaint against Lebanon at UN Security Council", false},
		{"files case", "Sudan files case against UAE at World Court", "UAE files case against Sudan at World Court", false},
		{"repelled", "Sudanese army says it repelled RSF assault on El Obeid", "RSF says it repelled Sudanese army assault on El Obeid", false},
		{"files, same story", "Lebanon files complaint against Israel at UN Security Council", "Lebanon lodges complaint against Israel at UN Security Council", true},
	})
}

// A route is no source, a capital before a court is its place, a title
// said twice is read twice, and a place's kind with a glued preposition
// ends the name before it (seventh session, sets by other hands).
func TestClassRouteCourtTwoTitles(t *testing.T) {
	checkClass(t, []classCase{
		{"via is a route", "Aid convoy enters northern Gaza via Zikim crossing", "Aid convoy enters northern Gaza through Zikim crossing", true},
		{"via a route is kept", "Aid convoy enters northern Gaza via Zikim crossing", "Aid convoy enters northern Gaza via Kerem Shalom crossing", false},
		{"via a source", "Aid convoy enters northern Gaza, via state media", "Aid convoy enters northern Gaza", true},
		{"capital's court", "Court in Ankara orders arrest of 20 military officers in coup probe", "Ankara court orders arrest of 20 military officers in coup probe", true},
		{"capital's prosecutors", "Paris prosecutors open probe into Algerian consulate employee", "Prosecutors in Paris open probe into Algerian consulate employee", true},
		{"capital as doer still", "Ankara says it will retaliate", "Turkey says it will retaliate", true},
		{"two titles", "السيسي يستقبل رئيس الوزراء الإسباني بقصر الاتحادية", "الرئيس المصري يستقبل رئيس الوزراء الإسباني بقصر الاتحادية", true},
		{"two offices", "الرئيس المصري يستقبل الرئيس الفرنسي", "السيسي يستقبل ماكرون", true},
		{"two offices, another guest", "الرئيس المصري يستقبل الرئيس الفرنسي", "السيسي يستقبل الرئيس التركي", false},
	})
}

// Numbers, sources and holders that sets by other hands wrote their own
// way (seventh session).
func TestClassSeventhSession(t *testing.T) {
	checkClass(t, []classCase{
		{"quarter of a percentage point", "Fed cuts interest rates by 25 basis points in June", "Fed cuts interest rates by a quarter of a percentage point in June", true},
		{"quarter is no half", "Fed cuts interest rates by half a percentage point in June", "Fed cuts interest rates by a quarter of a percentage point in June", false},
		{"quarter point ar", "المركزي الأوروبي يخفض الفائدة 25 نقطة أساس", "المركزي الأوروبي يخفض الفائدة ربع نقطة مئوية", true},
		{"dirham sign", "UAE non-oil foreign trade hits record Dh1.5tn in first half", "UAE non-oil foreign trade hits record 1.5 trillion dirhams in first half", true},
		{"dirham is no riyal", "UAE non-oil foreign trade hits record Dh1.5tn in first half", "UAE non-oil foreign trade hits record 1.5 trillion riyals in first half", false},
		{"pound sign", "Man City sign midfielder for £50m", "Manchester City sign midfielder for 50 million pounds", true},
		{"pounds is still a strike", "Israeli jets pound Gaza suburbs", "Israeli jets strike Gaza suburbs", true},
		{"compound ordinal", "India and Pakistan swap lists of nuclear installations for 35th straight year", "India and Pakistan swap lists of nuclear installations for thirty-fifth straight year", true},
		{"compound ordinal differs", "India and Pakistan swap lists of nuclear installations for 34th straight year", "India and Pakistan swap lists of nuclear installations for thirty-fifth straight year", false},
		{"data show", "China's exports beat forecasts in March", "China's exports beat forecasts in March, data show", true},
		{"court documents show", "Ghana charges former ports authority chief with fraud, court documents show", "Ghana charges former ports authority chief with fraud", true},
		{"a survey leading is the story", "Survey shows Trump approval falls", "Poll shows Trump approval falls", false},
		{"holder 2026", "الرئيس الشرع يصل إلى أنقرة في زيارة رسمية", "الرئيس السوري يصل لأنقرة في زيارة رسمية", true},
		{"holder 2026 en", "UAE President opens new cargo terminal at Zayed International Airport", "Sheikh Mohamed bin Zayed opens new cargo terminal at Zayed International Airport", true},
		{"nato chief", "NATO chief urges allies to speed up air defence deliveries to Kyiv", "Rutte urges allies to speed up air defence deliveries to Kiev", true},
		{"a former holder is not him", "Former US president signs order", "Trump signs order", false},
	})
}

// A foreign g or ch as Arabic wires write it, the Koreas as one word
// each and Pyongyang as the North when it acts (seventh session).
func TestClassKoreasAndArabicG(t *testing.T) {
	checkClass(t, []classCase{
		{"g as غ or ج", "كيم جونغ أون يشرف على تجربة صاروخ باليستي جديد", "كيم جونج أون يشرف على تجربة صاروخ باليستي جديد", true},
		{"ch as تش or ج", "عراقجي يصل إلى الدوحة في مستهل جولة خليجية", "عراقتشي يصل إلى الدوحة في مستهل جولة خليجية", true},
		{"pyongyang acts", "Pyongyang test-fires new strategic cruise missile, Seoul says", "North Korea test-fires new strategic cruise missile, Seoul says", true},
		{"pyongyang acts ar", "كوريا الشمالية تطلق صاروخا باليستيا باتجاه بحر اليابان", "بيونغ يانغ تطلق صاروخا باليستيا باتجاه بحر اليابان", true},
		{"north is no south", "North Korea test-fires cruise missile", "South Korea test-fires cruise missile", false},
		{"north is no south ar", "كوريا الشمالية تطلق صاروخا باتجاه البحر", "كوريا الجنوبية تطلق صاروخا باتجاه البحر", false},
		{"seoul is floods too", "فيضانات تجتاح ليبيا وتقتل المئات", "مئات القتلى جراء فيضانات تجتاح ليبيا", true},
	})
}

// A phrase the lexicon reads as a filler is dropped as a filler word is
// (it had become a token of its own), and a count recorded is reported.
func TestClassFillerPhrase(t *testing.T) {
	checkClass(t, []classCase{
		{"unchanged ar", "المركزي المصري يثبت أسعار الفائدة للمرة الثالثة على التوالي", "المركزي المصري يبقي أسعار الفائدة دون تغيير للمرة الثالثة على التوالي", true},
		{"unchanged is no cut ar", "المركزي المصري يبقي أسعار الفائدة دون تغيير", "المركزي المصري يخفض أسعار الفائدة", false},
		{"records reports", "Nigeria records 300 Lassa fever deaths this year, health agency says", "Nigeria reports 300 Lassa fever deaths this year", true},
	})
}

// What an adversarial set by another hand showed (seventh session): the
// man's son, ally, envoy or lawyer is not the man; an act threatened,
// planned, sought or near is not the act; عدم negates; a semi-final is
// no final, a Super Cup no cup; a year since an event is not the event;
// a female prisoner is not a male one; a ship rammed by the other's
// coast guard.
func TestClassAdversarial(t *testing.T) {
	checkClass(t, []classCase{
		{"son", "Netanyahu's son files libel suit against Israeli journalist", "Netanyahu files libel suit against Israeli journalist", false},
		{"ally", "Erdogan ally calls for release of jailed PKK leader Ocalan", "Erdogan calls for release of jailed PKK leader Ocalan", false},
		{"envoy", "Erdogan meets Putin's envoy in Ankara", "Erdogan meets Putin in Ankara", false},
		{"wife", "Macron's wife testifies at Paris cyberbullying trial", "Macron testifies at Paris cyberbullying trial", false},
		{"ally ar", "حليف نتنياهو يطالب بحل الكنيست والتوجه إلى انتخابات مبكرة", "نتنياهو يطالب بحل الكنيست والتوجه إلى انتخابات مبكرة", false},
		{"son ar", "مقتل نجل قيادي في حماس بغارة إسرائيلية على غزة", "مقتل قيادي في حماس بغارة إسرائيلية على غزة", false},
		{"considering", "Trump says he is considering pardon for Ghislaine Maxwell", "Trump pardons Ghislaine Maxwell", false},
		{"ready to", "Putin says he is ready to meet Zelensky in Istanbul", "Putin meets Zelensky in Istanbul", false},
		{"seeks", "Nvidia seeks US licence to sell H200 chips to China", "Nvidia gets US licence to sell H200 chips to China", false},
		{"threatens ar", "ترامب يهدد بفرض رسوم جمركية بنسبة 25% على واردات الهند", "ترامب يفرض رسوماً جمركية بنسبة 25% على واردات الهند", false},
		{"notice ar", "الاحتلال يخطر بهدم مدرسة في تجمع الخان الأحمر شرق القدس", "الاحتلال يهدم مدرسة في تجمع الخان الأحمر شرق القدس", false},
		{"near ar", "الهلال يقترب من التعاقد مع محمد صلاح", "الهلال يعلن رسمياً التعاقد مع محمد صلاح", false},
		{"unconstitutional ar", "المحكمة الاتحادية العراقية تقضي بعدم دستورية قانون العفو العام", "المحكمة الاتحادية العراقية تقضي بدستورية قانون العفو العام", false},
		{"semi-final ar", "بيراميدز يتأهل إلى نصف نهائي دوري أبطال أفريقيا", "بيراميدز يتأهل إلى نهائي دوري أبطال أفريقيا", false},
		{"champions is no cancel ar", "بيراميدز يتأهل إلى نهائي دوري أبطال أفريقيا", "بيراميدز يبلغ نهائي دوري أبطال أفريقيا", true},
		{"super cup", "Al Ahly beat Pyramids in Egypt Cup final", "Al Ahly beat Pyramids in Egyptian Super Cup final", false},
		{"anniversary ar", "عام على سقوط الأسد: السوريون يحتفلون في ساحة الأمويين", "السوريون يحتفلون بسقوط الأسد في ساحة الأمويين", false},
		{"south sudan", "UN says 50,000 displaced by floods in South Sudan", "UN says 50,000 displaced by floods in Sudan", false},
		{"female prisoner ar", "الاحتلال يحول أسيرة من رام الله إلى الاعتقال الإداري لستة أشهر", "الاحتلال يحول أسيرا من رام الله إلى الاعتقال الإداري لستة أشهر", false},
		{"female ar", "إبعاد مرابطة مقدسية عن المسجد الأقصى لستة أشهر", "إبعاد مرابط مقدسي عن المسجد الأقصى لستة أشهر", false},
		{"a name ends either way ar", "بنزيمة يقود الاتحاد لتخطي الشباب في الدوري السعودي", "بنزيما يقود الاتحاد لتخطي الشباب في الدوري السعودي", true},
		{"rammed by", "Philippine vessel rammed by Chinese coast guard near Scarborough Shoal", "Chinese vessel rammed by Philippine coast guard near Scarborough Shoal", false},
		{"says aide", "Trump to impose 25% tariffs on Mexico and Canada, says aide", "Trump to impose 25% tariffs on Mexico and Canada", true},
		{"opec and its allies", "OPEC+ agrees to extend output cuts through end of 2026", "OPEC and its allies agree to extend output cuts through end of 2026", true},
	})
}

// What sets 64 to 67 by other hands showed (seventh session): an act put
// off, refused or discussed is not the act; a minister of another
// portfolio; opposite moves swapped; the doer after بهجوم لل; a country
// that says which place; countries and cities that share a name; a
// verdict is not a charge; the end of an outbreak.
func TestClassStagesAndOffices(t *testing.T) {
	checkClass(t, []classCase{
		{"delays opening", "EXCLUSIVE-Apple to open first flagship store in Riyadh, sources say", "Apple delays opening of first flagship store in Riyadh - report", false},
		{"postpones a session ar", "برلمان إقليم كردستان يعقد جلسة لانتخاب رئيس الإقليم", "برلمان إقليم كردستان يؤجل جلسة انتخاب رئيس الإقليم", false},
		{"postpones a vote ar", "البرلمان العراقي يصوت على قانون الحشد الشعبي", "البرلمان العراقي يؤجل التصويت على قانون الحشد الشعبي", false},
		{"studies ar", "الحكومة السورية تدرس رفع أسعار الخبز المدعوم", "الحكومة السورية تقرر رفع أسعار الخبز المدعوم", false},
		{"suspends ar", "أوبك+ تقرر زيادة الإنتاج في يوليو", "أوبك+ تقرر تعليق زيادة الإنتاج في يوليو", false},
		{"another portfolio ar", "وزير الاقتصاد السوري يبحث مع وفد سعودي الاستثمار في قطاع الطاقة", "وزير الطاقة السوري يبحث مع وفد سعودي الاستثمار في قطاع الطاقة", false},
		{"one portfolio, two orders ar", "السيسي يستقبل وزير الخارجية الأمريكي في القاهرة", "السيسي يستقبل الوزير الأمريكي للخارجية في القاهرة", true},
		{"opposite moves swapped ar", "الذهب يهبط مع صعود عوائد السندات الأمريكية", "الذهب يصعد مع هبوط عوائد السندات الأمريكية", false},
		{"opposite moves swapped", "Gold falls as yields rise", "Gold rises as yields fall", false},
		{"opposite moves, one order ar", "تراجع أسعار الذهب 1% مع صعود الدولار", "انخفاض أسعار الذهب 1 بالمئة مع ارتفاع الدولار", true},
		{"doer after لل ar", "مقتل عنصر من الحشد الشعبي بهجوم لداعش في ديالى", "مقتل عنصر من داعش بهجوم للحشد الشعبي في ديالى", false},
		{"which punjab", "Floods kill 30 in India's Punjab", "Floods kill 30 in Pakistan's Punjab", false},
		{"congo", "Republic of Congo holds presidential election", "Democratic Republic of Congo holds presidential election", false},
		{"guinea", "Guinea-Bissau junta sets date for presidential election", "Guinea junta sets date for presidential election", false},
		{"mexico city", "Mexico City imposes water rationing amid severe drought", "Mexico imposes water rationing amid severe drought", false},
		{"votes against", "Peru's Congress votes to impeach president", "Peru's Congress votes against impeaching president", false},
		{"convicted is not indicted", "Former South Korean first lady Kim Keon Hee indicted on bribery charges", "Former South Korean first lady Kim Keon Hee convicted on bribery charges", false},
		{"end of an outbreak", "WHO declares end of Ebola outbreak in Congo", "WHO declares Ebola outbreak in Congo", false},
	})
}

// What sets 68 to 71 by other hands showed (seventh session): numbers
// told in words (half a million, the 35th), spellings of a foreign ts, an
// outlet with the article, the king by his title of the two mosques, a
// title that "general" does not start, a preposition that ends a name
// when the lexicon reads its word, and events of a meeting or a sector.
func TestClassSetsSixtyEightToSeventyOne(t *testing.T) {
	checkClass(t, []classCase{
		{"half a million ar", "الأمم المتحدة: نزوح نصف مليون شخص من ولاية شمال دارفور منذ أبريل", "الأمم المتحدة: نزوح 500 ألف شخص من ولاية شمال دارفور منذ أبريل", true},
		{"half a million", "Half a million flee floods in Pakistan", "500,000 flee floods in Pakistan", true},
		{"half a million is no million", "Half a million flee floods in Pakistan", "A million flee floods in Pakistan", false},
		{"35th ar", "انطلاق أعمال القمة العربية الخامسة والثلاثين", "انطلاق أعمال القمة العربية الـ35", true},
		{"35th is no 34th ar", "انطلاق أعمال القمة العربية الخامسة والثلاثين", "انطلاق أعمال القمة العربية الـ34", false},
		{"ts ar", "ميرتس يزور الرياض في أول جولة خليجية له", "ميرز يزور الرياض في أول جولة خليجية له", true},
		{"outlet with the article ar", "الوكالة الوطنية للإعلام: مقتل شخصين بغارة إسرائيلية على دراجة نارية في بنت جبيل", "مقتل شخصين بغارة إسرائيلية على دراجة نارية في بنت جبيل", true},
		{"custodian of the two mosques ar", "خادم الحرمين الشريفين يوجه بتمديد الدعم الإضافي لحساب المواطن", "الملك سلمان يوجه بتمديد الدعم الإضافي لحساب المواطن", true},
		{"lifts off", "SpaceX launches Starship on twelfth test flight", "SpaceX Starship lifts off on 12th test flight", true},
		{"public and private ar", "مصر تقرر تعطيل العمل في القطاع العام بمناسبة عيد العمال", "مصر تقرر تعطيل العمل في القطاع الخاص بمناسبة عيد العمال", false},
		{"a cable to another president ar", "أمير قطر يبعث برقية تهنئة إلى رئيس كازاخستان بذكرى يوم الاستقلال", "أمير قطر يبعث برقية تهنئة إلى رئيس أوزبكستان بذكرى يوم الاستقلال", false},
		{"hurdles ar", "العداءة البحرينية تتوج بذهبية سباق 400 متر في البطولة الآسيوية", "العداءة البحرينية تتوج بذهبية سباق 400 متر حواجز في البطولة الآسيوية", false},
		{"sprint", "Norris wins Miami Grand Prix sprint", "Norris wins Miami Grand Prix", false},
		{"rehearsal", "NASA scrubs Artemis II launch", "NASA scrubs Artemis II launch rehearsal", false},
	})
}

// What sets 72 to 74 by other hands showed (seventh session): dates and
// counts told in words, a capital told as its country's, spellings of a
// foreign g and h, bodies by their other names, and events that differ in
// one word of their name.
func TestClassSetsSeventyTwoToSeventyFour(t *testing.T) {
	checkClass(t, []classCase{
		{"ordinal date ar", "لبنان يجري الانتخابات النيابية في 10 مايو", "لبنان يجري الانتخابات النيابية في العاشر من مايو", true},
		{"ordinal date is the day ar", "لبنان يجري الانتخابات النيابية في 10 مايو", "لبنان يجري الانتخابات النيابية في الحادي عشر من مايو", false},
		{"a dozen", "A dozen hurt as tram derails in Lisbon", "12 hurt as tram derails in Lisbon", true},
		{"thousand and five hundred ar", "إجلاء 1500 شخص بسبب حرائق الغابات في ريف اللاذقية", "إجلاء ألف وخمسمائة شخص بسبب حرائق الغابات في ريف اللاذقية", true},
		{"a billion and 200 million ar", "البنك الدولي يمنح مصر 1.2 مليار دولار لتطوير التعليم", "البنك الدولي يمنح مصر مليارا و200 مليون دولار لتطوير التعليم", true},
		{"two billion is still two ar", "البنك الدولي يمنح مصر مليارا دولار", "البنك الدولي يمنح مصر 2 مليار دولار", true},
		{"quarter of a million ar", "ربع مليون مصل يؤدون صلاة الجمعة في المسجد الأقصى", "250 ألف مصل يؤدون صلاة الجمعة في المسجد الأقصى", true},
		{"capital told as the country's ar", "انقطاع الكهرباء عن أحياء واسعة في العاصمة السورية بعد عاصفة ثلجية", "انقطاع الكهرباء عن أحياء واسعة في دمشق بعد عاصفة ثلجية", true},
		{"capital that acts", "Riyadh to host Sudan ceasefire talks next week", "Saudi capital to host Sudan ceasefire talks next week", true},
		{"capital and its name ar", "الرئيس الفلسطيني يصل إلى عمان", "عباس يصل العاصمة الأردنية عمان", true},
		{"g as ك ar", "هزة أرضية بقوة 4.1 درجات تضرب إقليم أغادير", "هزة أرضية بقوة 4.1 درجات تضرب إقليم أكادير", true},
		{"h as ح ar", "تيدروس أدهانوم يحذر من تفشي الحصبة في أوروبا", "تيدروس أدحانوم يحذر من تفشي الحصبة في أوروبا", true},
		{"new delhi ar", "تلوث الهواء يغلق مدارس نيودلهي لمدة أسبوع", "تلوث الهواء يغلق مدارس نيو دلهي لمدة أسبوع", true},
		{"iaea", "IAEA inspectors return to Iran's Fordow site", "UN nuclear watchdog inspectors return to Iran's Fordow site", true},
		{"half marathon", "Kenyan runner breaks half marathon world record in Valencia", "Kenyan runner breaks marathon world record in Valencia", false},
		{"dominica", "Hurricane warning issued for Dominica", "Hurricane warning issued for Dominican Republic", false},
		{"guinea-bissau ar", "الجيش يحبط محاولة انقلاب في غينيا بيساو", "الجيش يحبط محاولة انقلاب في غينيا", false},
		{"arab-islamic summit ar", "الدوحة تستضيف قمة عربية طارئة", "الدوحة تستضيف قمة عربية إسلامية طارئة", false},
	})
}

// What sets 75 to 77 by other hands showed (seventh session): Arabic verbs
// one wire swaps for another, next and last as two times, an accusative of
// why after a title, a labour strike and the giant slalom.
func TestClassSetsSeventyFiveToSeventySeven(t *testing.T) {
	checkClass(t, []classCase{
		{"heads ar", "أمير قطر يتوجه إلى باريس في زيارة رسمية", "أمير قطر يغادر إلى باريس في زيارة رسمية", true},
		{"concludes ar", "القمة العربية تختتم أعمالها في المنامة", "القمة العربية تنهي أعمالها في المنامة", true},
		{"breaks out ar", "اشتباكات عنيفة تندلع في العاصمة الليبية طرابلس", "اشتباكات عنيفة تنشب في العاصمة الليبية طرابلس", true},
		{"blows up ar", "جيش الاحتلال ينسف مباني سكنية في رفح", "جيش الاحتلال يفجر مباني سكنية في رفح", true},
		{"upholds ar", "محكمة الاستئناف تؤيد حكم الإعدام بحق قاتل الطالبة", "محكمة الاستئناف تثبت حكم الإعدام بحق قاتل الطالبة", true},
		{"protests ar", "آلاف يتظاهرون في الرباط تضامنا مع غزة", "آلاف يحتجون في الرباط تضامنا مع غزة", true},
		{"next and last week ar", "مصادر: وفد إسرائيلي يتوجه إلى القاهرة الأسبوع المقبل", "مصادر: وفد إسرائيلي توجه إلى القاهرة الأسبوع الماضي", false},
		{"this year and next ar", "السعودية تحدد موعد بدء إصدار تأشيرات الحج لموسم هذا العام", "السعودية تحدد موعد بدء إصدار تأشيرات الحج لموسم العام المقبل", false},
		{"in protest is no name ar", "السعودية تستدعي سفير السويد احتجاجاً على حرق نسخة من المصحف الشريف", "السعودية تستدعي سفير الدنمارك احتجاجاً على حرق نسخة من المصحف الشريف", false},
		{"labour strike", "Air strike shuts Tripoli's Mitiga airport", "Controllers' strike shuts Tripoli's Mitiga airport", false},
		{"giant slalom", "Shiffrin wins Olympic gold in slalom at Milan Cortina Games", "Shiffrin wins Olympic gold in giant slalom at Milan Cortina Games", false},
	})
}

// A transliteration whose first letters differ as its fold reads them
// (gh, q), and a gang broken up as one caught (seventh session, the
// last misses of the sets in the issue's own description).
func TestClassGhAndGang(t *testing.T) {
	checkClass(t, []classCase{
		{"gh and q first", "Iran's parliament speaker Ghalibaf warns US over new sanctions", "Iran's parliament speaker Qalibaf warns US over new sanctions", true},
		{"gang ar", "الشرطة المصرية تضبط عصابة لتهريب الآثار في الأقصر", "الشرطة المصرية تفكك عصابة لتهريب الآثار في الأقصر", true},
	})
}

// Datelines and a named speaker after a comma (eighth session, set 81's
// decorated copies): where the desk filed, and who the wire quotes for a
// fact, say nothing of what happened.
func TestClassDatelines(t *testing.T) {
	checkClass(t, []classCase{
		{"dateline en", "GAZA (Reuters) - Aid convoy enters northern Gaza after weeks of delays", "Aid convoy enters northern Gaza after weeks of delays", true},
		{"dateline with date en", "KYIV, Dec 7 (Reuters) - Russian missile hits power plant in western Ukraine", "Russian missile hits power plant in western Ukraine", true},
		{"dateline in parentheses ar", "الرياض (واس) - خادم الحرمين الشريفين يوجه بإطلاق حملة إغاثية للسودان", "خادم الحرمين الشريفين يوجه بإطلاق حملة إغاثية للسودان", true},
		{"dateline between dashes ar", "رام الله - وفا - الرئيس عباس يستقبل وزير الخارجية الأردني", "الرئيس عباس يستقبل وزير الخارجية الأردني", true},
		{"named speaker after comma", "Measles cases surge in Europe, WHO says", "Measles cases surge in Europe", true},
		{"named speaker after comma ar", "إجلاء مئات العائلات بسبب الفيضانات في درنة، قال الهلال الأحمر الليبي", "إجلاء مئات العائلات بسبب الفيضانات في درنة", true},
		{"as an official said ar", "الرئيس الإيراني يزور السعودية الشهر المقبل، حسبما أفاد مسؤول إيراني", "الرئيس الإيراني يزور السعودية الشهر المقبل", true},
		{"wsj suffix", "Boeing weighs raising capital - WSJ", "Boeing weighs raising capital", true},
		// Still apart.
		{"dateline, other place", "GAZA (Reuters) - Aid convoy enters northern Gaza after weeks of delays", "Aid convoy enters southern Gaza after weeks of delays - Reuters", false},
		{"what an estimate shows is no speaker", "U.S. economy grew 3% in first quarter, advance estimate shows", "U.S. economy grew 3% in first quarter, second estimate shows", false},
		{"speaker who says it will", "Ceasefire collapses in Gaza, Hamas says it will retaliate", "Ceasefire collapses in Gaza", false},
	})
}

// Roles told once a verb is said twice (eighth session, set 81): crowned
// is won, and the winner stays before it.
func TestClassVerbSaidTwice(t *testing.T) {
	checkClass(t, []classCase{
		{"winner crowned ar", "الهلال يفوز على النصر ويتوج بكأس الملك", "النصر يفوز على الهلال ويتوج بكأس الملك", false},
		{"arrives on visit", "Macron arrives in Algiers on visit", "Macron visits Algiers", true},
	})
}

// Roles marked in the tokens (eighth session, sets 78 to 83): who an act
// without a doer befell, the doer a passive names, names joined by على,
// a place's kind and today.
func TestClassRoleMarks(t *testing.T) {
	checkClass(t, []classCase{
		{"victim is the attacker", "Syrian man stabbed to death in Dresden, police say", "Man stabbed to death by Syrian in Dresden, police say", false},
		{"victim is the attacker ar", "مقتل مهاجر مغربي طعنا في مدينة مورسيا الإسبانية", "مقتل رجل طعنا على يد مهاجر مغربي في مدينة مورسيا الإسبانية", false},
		{"each side's own detained", "American detained in Venezuela on spying charges", "Venezuelan detained in US on spying charges", false},
		{"each side's own detained ar", "احتجاز صيادين تونسيين لدى خفر السواحل الليبي", "احتجاز صيادين ليبيين لدى خفر السواحل التونسي", false},
		{"each side's own freed ar", "الإفراج عن صياد بحريني محتجز في قطر", "الإفراج عن صياد قطري محتجز في البحرين", false},
		{"stabbed at the hands of ar", "طعن سائح أردني على يد شاب تركي في إسطنبول", "طعن شاب تركي على يد سائح أردني في إسطنبول", false},
		{"shot by", "Police officer shot by suspect in Paris suburb", "Suspect shot by police officer in Paris suburb", false},
		{"win over ar", "فوز الهلال على النصر في الدوري السعودي", "فوز النصر على الهلال في الدوري السعودي", false},
		{"lead over ar", "انتهاء الشوط الأول بتقدم العراق على الأردن بهدف دون رد", "انتهاء الشوط الأول بتقدم الأردن على العراق بهدف دون رد", false},
		{"camp and city ar", "قوات الاحتلال تقتحم مخيم جنين وتعتقل ثلاثة شبان", "قوات الاحتلال تقتحم مدينة جنين وتعتقل ثلاثة شبان", false},
		{"city and strip", "UN-backed monitor declares famine in Gaza City", "UN-backed monitor declares famine across Gaza Strip", false},
		{"today and tomorrow ar", "مجلس الأمن يصوت اليوم على مشروع قرار بشأن غزة", "مجلس الأمن يصوت غدا على مشروع قرار بشأن غزة", false},
		{"central and south ar", "غارة إسرائيلية تقتل 12 فلسطينيا وسط قطاع غزة", "غارة إسرائيلية تقتل 12 فلسطينيا جنوب قطاع غزة", false},
		// Still one story.
		{"killed in a strike, by a strike", "Five killed in Israeli strike on Gaza", "Israeli strike kills five in Gaza", true},
		{"a raid's doer is no victim ar", "غارة إسرائيلية على سيارة في جنوب لبنان تقتل شخصين", "مقتل شخصين في غارة إسرائيلية استهدفت سيارة جنوب لبنان", true},
		{"place moved", "Five killed in Gaza", "In Gaza, five killed", true},
		{"one side's kind only ar", "الأمم المتحدة تعلن المجاعة رسميا في غزة", "الأمم المتحدة تعلن المجاعة رسميا في مدينة غزة", true},
		{"one side's day only ar", "مجلس الأمن يصوت اليوم على مشروع قرار بشأن غزة", "مجلس الأمن يصوت على مشروع قرار بشأن غزة", true},
		{"leaves dead", "Storm Daniel leaves thousands dead in Libya", "Thousands killed by Storm Daniel in Libya", true},
		{"passive with a doer", "Barcelona beaten by Real Madrid", "Real Madrid beat Barcelona", true},
	})
}

// Other lessons of sets 78 to 83: a club's other section, an acting
// minister, what could happen, a proposal, and words wires swap.
func TestClassSetsSeventyEightToEightyThree(t *testing.T) {
	checkClass(t, []classCase{
		{"basketball section", "Real Madrid basketball beat Barcelona to win Spanish Super Cup", "Real Madrid beat Barcelona to win Spanish Super Cup", false},
		{"acting minister ar", "وزير الخارجية بالوكالة يستقبل سفير اليابان", "وزير الخارجية يستقبل سفير اليابان", false},
		{"could cut", "Bank of England cuts interest rates to 5%", "Bank of England could cut interest rates to 5%, economists say", false},
		{"proposes a ban", "EU proposes ban on Russian LNG imports", "EU bans Russian LNG imports", false},
		{"backs down", "Trump backs Ukraine aid bill", "Trump backs down on Ukraine aid bill", false},
		{"northern ireland", "Heavy rain brings flooding to Northern Ireland", "Heavy rain brings flooding to Ireland", false},
		{"lower saxony", "Far-right AfD wins most votes in Saxony state election", "Far-right AfD wins most votes in Lower Saxony state election", false},
		{"glued to a capital ar", "العاهل الأردني يلتقي الرئيس الفرنسي في باريس", "العاهل الأردني يلتقي الرئيس الفرنسي بباريس", true},
		{"lawmakers and mps", "Kenyan lawmakers approve controversial finance bill", "Kenyan MPs approve controversial finance bill", true},
		{"ldp", "Japan's ruling LDP picks new leader ahead of election", "Japan's ruling Liberal Democratic Party picks new leader ahead of election", true},
		{"month abbreviated", "Ghana sets general election for Dec. 7", "Ghana sets general election for December 7", true},
		{"across and throughout", "Storm Ciaran brings flooding across southern England", "Storm Ciaran brings flooding throughout southern England", true},
		{"beijing spelled ar", "وزير الخارجية المصري يصل إلى بكين في زيارة تستغرق يومين", "وزير الخارجية المصري يصل إلى بيجين في زيارة تستغرق يومين", true},
		{"regime and government ar", "قوات النظام السوري تقصف بلدات في ريف إدلب الجنوبي", "قوات الحكومة السورية تقصف بلدات في ريف إدلب الجنوبي", true},
		{"court rules ar", "محكمة مصرية تقضي بإعدام 5 متهمين في قضية إرهاب", "محكمة مصرية تحكم بإعدام 5 متهمين في قضية إرهاب", true},
	})
}

// Grounds to act are a reason, not a grounding (set 83).
func TestClassGrounds(t *testing.T) {
	checkClass(t, []classCase{
		{"grounds a fleet", "EASA grounds Boeing 737 MAX jets", "EASA finds grounds to probe Boeing 737 MAX jets", false},
		{"grounds and reason", "Court finds no grounds to delay trial", "Court finds no reason to delay trial", true},
	})
}

// Prepositions that give roles (set 84): from, to, لدى, على and أمام.
func TestClassRolePrepositions(t *testing.T) {
	checkClass(t, []classCase{
		{"from and to", "Migrants deported from Mexico to Guatemala on chartered flights", "Migrants deported from Guatemala to Mexico on chartered flights", false},
		{"into", "Thousands of refugees cross from Chad into Sudan's Darfur", "Thousands of refugees cross from Sudan's Darfur into Chad", false},
		{"ambassador to", "Germany's ambassador to Israel recalled for consultations", "Israel's ambassador to Germany recalled for consultations", false},
		{"tariffs on", "US tariffs on Chinese goods raised to 125%", "Chinese tariffs on US goods raised to 125%", false},
		{"complaint from", "Apple fined by EU after complaint from Spotify", "Spotify fined by EU after complaint from Apple", false},
		{"ambassador ladai ar", "سفير سعودي جديد لدى مصر يقدم أوراق اعتماده", "سفير مصري جديد لدى السعودية يقدم أوراق اعتماده", false},
		{"from and to ar", "ترحيل مئات المهاجرين من الجزائر إلى النيجر", "ترحيل مئات المهاجرين من النيجر إلى الجزائر", false},
		{"hands over to ar", "سلمت السلطات الكويتية مطلوبين إلى العراق", "سلمت السلطات العراقية مطلوبين إلى الكويت", false},
		{"loss before ar", "خسارة الهلال أمام النصر في ديربي الرياض", "خسارة النصر أمام الهلال في ديربي الرياض", false},
		{"knocked out at the hands of ar", "إقصاء الوداد على يد الرجاء من كأس العرش", "إقصاء الرجاء على يد الوداد من كأس العرش", false},
		{"by the hand of ar", "استهداف دورية للجيش اللبناني من قبل مسلحين", "استهداف مسلحين من قبل دورية للجيش اللبناني", false},
		{"speaker swap", "Hamas says Israel violated Gaza ceasefire deal", "Israel says Hamas violated Gaza ceasefire deal", false},
		{"bowl out", "India bowl out Pakistan for 146 in Asia Cup final", "Pakistan bowl out India for 146 in Asia Cup final", false},
		// Still one story.
		{"a count of ar", "الاحتلال يعتقل 20 فلسطينيا من الضفة الغربية", "اعتقال 20 فلسطينيا من الضفة الغربية", true},
		{"from and to moved", "Flights resume from Cairo to Beirut", "Flights to Beirut from Cairo resume", true},
		{"to visit", "Trump to visit China next month", "Trump visits China next month", true},
	})
}

// Speakers said first or before a colon (set 84): what one side says of
// the other is not what the other says of it.
func TestClassSpeakersFirst(t *testing.T) {
	checkClass(t, []classCase{
		{"said first ar", "قالت الخارجية الباكستانية إن الهند انتهكت الهدنة", "قالت الخارجية الهندية إن باكستان انتهكت الهدنة", false},
		{"speaker colon ar", "حماس: إسرائيل خرقت اتفاق وقف إطلاق النار في غزة", "إسرائيل: حماس خرقت اتفاق وقف إطلاق النار في غزة", false},
		{"speaker colon", "Israel: Hamas violated Gaza truce", "Hamas: Israel violated Gaza truce", false},
		{"speaker colon and says", "Hamas: Israel violated Gaza truce", "Hamas says Israel violated Gaza truce", true},
		{"place colon ar", "غزة: استشهاد 5 فلسطينيين بقصف إسرائيلي", "استشهاد 5 فلسطينيين بقصف إسرائيلي في غزة", true},
	})
}

// A speaker's colon one side writes and the other leaves out names no
// one the other contradicts, as a doer left out does.
func TestClassSpeakerColonLeftOut(t *testing.T) {
	checkClass(t, []classCase{
		{"civil defence colon ar", "الدفاع المدني: إخماد حريق ضخم في مصنع للبلاستيك بالشارقة", "إخماد حريق ضخم في مصنع للبلاستيك بالشارقة", true},
		{"guard colon ar", "غرق قارب مهاجرين قبالة سواحل صفاقس", "الحرس الوطني: غرق قارب مهاجرين قبالة سواحل صفاقس", true},
	})
}

// What set 87 showed: the highest and the lowest, Oman and Amman, a
// capital's province, a draft, a shortfall, Fahrenheit, a dual, may.
func TestClassSetEightySeven(t *testing.T) {
	checkClass(t, []classCase{
		{"highest and lowest ar", "البورصة المصرية تغلق عند أعلى مستوى منذ 2008", "البورصة المصرية تغلق عند أدنى مستوى منذ 2008", false},
		{"oman and amman ar", "مظاهرات في سلطنة عمان احتجاجا على البطالة", "مظاهرات في العاصمة عمان احتجاجا على البطالة", false},
		{"khartoum state ar", "ولاية الخرطوم تعلن حظر التجول ليلا", "السودان يعلن حظر التجول ليلا", false},
		{"draft ar", "مسودة الدستور الجديد تلغي منصب رئيس الوزراء", "الدستور الجديد يلغي منصب رئيس الوزراء", false},
		{"falls short", "Turnout exceeds 60 percent in Senegal presidential election", "Turnout falls short of 60 percent in Senegal presidential election", false},
		{"fahrenheit", "Temperatures plunge to minus 20 degrees Celsius in Minnesota", "Temperatures plunge to minus 20 degrees Fahrenheit in Minnesota", false},
		{"one and two ar", "مقتل جندي في هجوم على نقطة تفتيش", "مقتل جنديين في هجوم على نقطة تفتيش", false},
		{"two and many ar", "إصابة جنديين في انفجار عبوة ناسفة", "إصابة جنود في انفجار عبوة ناسفة", false},
		{"may ar", "الإضراب قد يشل حركة الموانئ", "الإضراب يشل حركة الموانئ", false},
		// Still one story.
		{"record low ar", "الليرة السورية تهبط إلى مستوى قياسي أمام الدولار", "الليرة السورية تهبط إلى أدنى مستوى لها أمام الدولار", true},
		{"two people ar", "مصرع شخصين وإصابة 12 في حادث تصادم على الطريق الإقليمي بالمنوفية", "مصرع 2 وإصابة 12 في حادث تصادم على الطريق الإقليمي بالمنوفية", true},
		{"capital acts ar", "الخرطوم تعلن حظر التجول ليلا", "السودان يعلن حظر التجول ليلا", true},
	})
}

// An Arabic headline that starts with its verb before a title reads as
// one that starts with the title (set 85).
func TestClassVerbFirstTitle(t *testing.T) {
	checkClass(t, []classCase{
		{"receives ar", "يستقبل أمير قطر رئيس الوزراء الباكستاني في الديوان الأميري", "أمير قطر يستقبل رئيس الوزراء الباكستاني في الديوان الأميري", true},
		{"starts a tour ar", "وزير الخارجية الإيراني يبدأ جولة خليجية من مسقط", "يبدأ وزير الخارجية الإيراني جولة خليجية من مسقط", true},
		{"receives swapped ar", "يستقبل وزير الخارجية الأردني نظيره المصري في عمان", "يستقبل وزير الخارجية المصري نظيره الأردني في القاهرة", false},
	})
}

// House styles and names of sets 85 and 86: a given name after a
// country's possessive, British spellings, cops, jobless, rebuffs,
// Teheran, tyres, and foreign ministers named by office.
func TestClassSetsEightyFiveAndSix(t *testing.T) {
	checkClass(t, []classCase{
		{"given name after possessive", "Venezuela's Nicolas Maduro sworn in for third term", "Venezuela's Maduro sworn in for third term", true},
		{"defence", "UK raises defence spending to 2.5% of GDP", "UK raises defense spending to 2.5% of GDP", true},
		{"jewellery", "Thieves steal jewellery worth millions from Louvre", "Thieves steal jewelry worth millions from Louvre", true},
		{"cops", "Cops arrest suspect in Chicago subway stabbing", "Police arrest suspect in Chicago subway stabbing", true},
		{"jobless", "US jobless rate rises to 4.2% in August", "US unemployment rate rises to 4.2% in August", true},
		{"rebuffs", "Netanyahu rejects Hamas demands, says war will go on", "Netanyahu rebuffs Hamas demands, says war will go on", true},
		{"teheran", "Tehran summons Swiss envoy over US strikes", "Teheran summons Swiss envoy over US strikes", true},
		{"tyres", "Tesla recalls cars over faulty tyre sensors", "Tesla recalls cars over faulty tire sensors", true},
		{"un chief", "UN chief urges ceasefire in Sudan", "Guterres urges ceasefire in Sudan", true},
		{"iranian fm ar", "وزير الخارجية الإيراني يبدأ جولة خليجية من مسقط", "عراقجي يبدأ جولة خليجية من مسقط", true},
	})
}

// What sets 85 and 86 showed of Arabic wires: a place put first before a
// comma, أفاد and ذكر as verbs of saying, the television no verb, half
// and a quarter as shares, a field marshal's title, and bodies that
// report a toll before a colon.
func TestClassSetsEightyFiveAndSixMore(t *testing.T) {
	checkClass(t, []classCase{
		{"place first ar", "استشهاد 5 فلسطينيين بقصف إسرائيلي على منزل في خان يونس", "في خان يونس، استشهاد 5 فلسطينيين بقصف إسرائيلي على منزل", true},
		{"reported ar", "أفاد التلفزيون السوري بمقتل 4 أشخاص في انفجار سيارة مفخخة بمدينة منبج", "ذكر التلفزيون السوري مقتل 4 أشخاص في انفجار سيارة مفخخة بمدينة منبج", true},
		{"half of", "Half of Cuba without power after grid failure", "50% of Cuba without power after grid failure", true},
		{"a quarter of", "A quarter of Gaza's population faces famine, UN agency warns", "25% of Gaza's population faces famine, UN agency warns", true},
		{"half ar", "الأمم المتحدة: 50% من سكان السودان يعانون انعدام الأمن الغذائي", "الأمم المتحدة: نصف سكان السودان يعانون انعدام الأمن الغذائي", true},
		{"field marshal ar", "المشير خليفة حفتر يستقبل السفير الأمريكي في بنغازي", "حفتر يستقبل السفير الأمريكي في بنغازي", true},
		{"met centre colon ar", "المركز الوطني للأرصاد: هزة أرضية بقوة 4.8 درجات يشعر بها سكان الإمارات", "هزة أرضية بقوة 4.8 درجات يشعر بها سكان الإمارات", true},
		{"red crescent colon ar", "الهلال الأحمر الفلسطيني: إصابة 4 مواطنين بالرصاص الحي في بلدة بيتا", "إصابة 4 مواطنين بالرصاص الحي في بلدة بيتا", true},
		// Still apart.
		{"semi-final ar", "الهلال يتأهل إلى نصف النهائي", "الهلال يتأهل إلى النهائي", false},
		{"crescent and cross ar", "الهلال الأحمر يرسل قافلة إلى غزة", "الصليب الأحمر يرسل قافلة إلى غزة", false},
		{"half and a quarter", "Half of Cuba without power after grid failure", "A quarter of Cuba without power after grid failure", false},
	})
}

// What set 91's decorated copies showed: sites' addresses, sections after
// an outlet's name, Arabic site labels, hashtags, a label with its number
// in parentheses, and datelines with a tatweel or a colon.
func TestClassSiteDecorations(t *testing.T) {
	checkClass(t, []classCase{
		{"web address", "Lebanon's parliament elects army chief Joseph Aoun as president.", "Lebanon's parliament elects army chief Joseph Aoun as president - Reuters.com", true},
		{"outlet and section ar", "خبر عاجل - ارتفاع حصيلة ضحايا زلزال المغرب إلى 2012 قتيلا", "ارتفاع حصيلة ضحايا زلزال المغرب إلى 2012 قتيلا - سكاي نيوز عربية - أخبار العالم", true},
		{"outlet with digits ar", "تقرير: إسرائيل تدرس توسيع العملية العسكرية في رفح", "إسرائيل تدرس توسيع العملية العسكرية في رفح - عربي21", true},
		{"exclusive to ar", "حصري لـ\"عربي21\".. قيادي في حماس يكشف تفاصيل المفاوضات", "قيادي في حماس يكشف تفاصيل المفاوضات", true},
		{"watch ar", "شاهد.. سيول جارفة تضرب محافظة ظفار في سلطنة عمان", "سيول جارفة تضرب محافظة ظفار في سلطنة عمان | الخليج أونلاين", true},
		{"hashtag ar", "#عاجل الملك سلمان يغادر المستشفى بعد إجراء فحوصات روتينية", "الملك سلمان يغادر المستشفى بعد إجراء فحوصات روتينية - أخبار السعودية | صحيفة عكاظ", true},
		{"update in parentheses ar", "ارتفاع عدد الشهداء في قصف مدرسة تؤوي نازحين بغزة إلى 30 (تحديث 2)", "ارتفاع عدد الشهداء في قصف مدرسة تؤوي نازحين بغزة إلى 30", true},
		{"dateline with tatweel ar", "الدوحة ـ قنا: أمير قطر يتلقى اتصالا هاتفيا من الرئيس الفرنسي", "أمير قطر يتلقى اتصالا هاتفيا من الرئيس الفرنسي", true},
		{"dateline mena ar", "القاهرة - أ ش أ: الرئيس السيسي يفتتح محطة كهرباء جديدة في العاصمة الإدارية", "الرئيس السيسي يفتتح محطة كهرباء جديدة في العاصمة الإدارية", true},
		{"latest news ar", "آخر الأخبار: البنك المركزي المصري يثبت أسعار الفائدة", "البنك المركزي المصري يثبت أسعار الفائدة - المصري اليوم", true},
		// Decorations never hide what differs.
		{"same site, other number ar", "ارتفاع عدد الشهداء في غزة إلى 30 - عربي21", "ارتفاع عدد الشهداء في غزة إلى 50 - عربي21", false},
		{"a place after a dash stays ar", "قمة خليجية طارئة - الرياض", "قمة خليجية طارئة - الدوحة", false},
	})
}

// A speaker before "says" or a colon stands after what it says, marked
// (set 88): one who says the other prepares war is not the other saying
// it; a country before an act told as a noun is its place.
func TestClassSpeakerMark(t *testing.T) {
	checkClass(t, []classCase{
		{"says swapped", "Ethiopia says Eritrea preparing for war", "Eritrea says Ethiopia preparing for war", false},
		{"colon and says", "Israel: Hamas violated Gaza truce", "Israel says Hamas violated Gaza truce", true},
		{"colon and trailing attribution ar", "هيئة شؤون الأسرى: الأسير نضال عمرو يعاني أوضاعا صحية صعبة في سجن ريمون", "الأسير نضال عمرو يعاني أوضاعا صحية صعبة في سجن ريمون بحسب هيئة شؤون الأسرى", true},
		{"country label ar", "تركيا: اعتقال صحفي بسبب منشورات على مواقع التواصل", "السلطات التركية تعتقل صحفيا بسبب تدوينات", true},
	})
}

// What sets 89 and 90 showed: an attempt, a suspicion, a plot foiled, a
// threat brandished, a founder, a reactor switched off, a missile's kind,
// and who invests in whom.
func TestClassSetsEightyNineAndNinety(t *testing.T) {
	checkClass(t, []classCase{
		{"attempted coup", "Soldiers seize state TV in attempted coup in Gabon", "Soldiers seize state TV in coup in Gabon", false},
		{"attempted murder", "Man charged with attempted murder after Glasgow stabbing", "Man charged with murder after Glasgow stabbing", false},
		{"assassination attempt ar", "محاولة اغتيال عميد بلدية مصراتة وسط المدينة", "اغتيال عميد بلدية مصراتة وسط المدينة", false},
		{"suspected poisoning ar", "شبهة تسمم غذائي لعشرات التلاميذ في مطعم مدرسي", "تسمم غذائي لعشرات التلاميذ في مطعم مدرسي", false},
		{"foiled attack ar", "إحباط هجوم بسيارة مفخخة في مدينة أعزاز بريف حلب الشمالي", "هجوم بسيارة مفخخة في مدينة أعزاز بريف حلب الشمالي", false},
		{"brandishes a strike ar", "نقابة الأطباء الأردنية تلوح بالإضراب عن العمل في المستشفيات الحكومية", "نقابة الأطباء الأردنية تعلن الإضراب عن العمل في المستشفيات الحكومية", false},
		{"founder", "Telegram fined by Russian court over banned content", "Telegram founder fined by Russian court over banned content", false},
		{"switched off", "Japan switches on reactor at Kashiwazaki-Kariwa plant", "Japan switches off reactor at Kashiwazaki-Kariwa plant", false},
		{"missile kind", "North Korea fires ballistic missile into Sea of Japan", "North Korea fires cruise missile into Sea of Japan", false},
		{"invests in", "Nvidia invests $5bn in Intel", "Intel invests $5bn in Nvidia", false},
		// Still one story.
		{"foiled attempt ar", "عمان تحبط تهريب طن من المخدرات", "إحباط محاولة تهريب طن من المواد المخدرة في سلطنة عمان", true},
		{"missile kind one side", "North Korea fires ballistic missile into Sea of Japan", "North Korea fires missile into Sea of Japan", true},
	})
}

// What follows a title and is no name (set 94): developments, an
// occasion, a medal. The title's country then stays.
func TestClassNotNamesAfterTitles(t *testing.T) {
	checkClass(t, []classCase{
		{"developments ar", "ولي العهد السعودي يبحث هاتفيا مع الرئيس الفرنسي تطورات الأوضاع في غزة", "ولي العهد السعودي يبحث هاتفيا مع المستشار الألماني تطورات الأوضاع في غزة", false},
		{"occasion ar", "الملك محمد السادس يهنئ رئيس نيجيريا بمناسبة عيد استقلال بلاده", "الملك محمد السادس يهنئ رئيس قبرص بمناسبة عيد استقلال بلاده", false},
		{"medal ar", "رئيس الدولة يمنح رئيس وزراء الهند وسام زايد", "رئيس الدولة يمنح رئيس إندونيسيا وسام زايد", false},
		{"a name still ar", "الرئيس الفرنسي إيمانويل ماكرون يزور الجزائر", "ماكرون يزور الجزائر", true},
	})
}

// A speaker one side names and the other leaves out is not counted only
// where they share three tokens and the other names no speaker; a mark
// is no word of a leading country's headline.
func TestClassSpeakerLeftOutBounds(t *testing.T) {
	checkClass(t, []classCase{
		{"another speaker", "Israel says Gaza truce collapses", "Gaza says truce collapses", false},
		{"too little shared", "Egypt says Gaza talks", "Gaza talks", false},
	})
}

// What sets 96 and 97 showed: time stamps, sections and slugs around a
// headline, Persian letters for foreign sounds, more Arabic house words,
// and a date after a weekday.
func TestClassSetsNinetySixAndSeven(t *testing.T) {
	checkClass(t, []classCase{
		{"clock before", "08:45 GMT — Sterling slips after weak UK retail sales data", "Sterling slips after weak UK retail sales data", true},
		{"updated at", "Updated 14:32 | Pakistan army chief meets Saudi crown prince in Riyadh", "Pakistan army chief meets Saudi crown prince in Riyadh", true},
		{"hours ago", "AFP | Volcano erupts in Iceland for fifth time since December", "2 hours ago · Volcano erupts in Iceland for fifth time since December", true},
		{"hours ago ar", "قبل 3 ساعات — وزارة الصحة تعلن تسجيل أول إصابة بجدري القردة", "وزارة الصحة تعلن تسجيل أول إصابة بجدري القردة", true},
		{"sections", "World | Middle East | Egypt reopens Rafah crossing for aid trucks", "Egypt reopens Rafah crossing for aid trucks", true},
		{"sections ar", "رياضة | كرة قدم | محمد صلاح يقود ليفربول للفوز على مانشستر يونايتد", "محمد صلاح يقود ليفربول للفوز على مانشستر يونايتد ⚽", true},
		{"yonhap slug", "(2nd LD) N. Korea fires ballistic missile into East Sea", "N. Korea fires ballistic missile into East Sea", true},
		{"kyiv with ve ar", "كييف تعلن استعادة السيطرة على قرية في منطقة زابوريجيا", "كييڤ تعلن استعادة السيطرة على قرية في منطقة زابوريجيا", true},
		{"inspects ar", "وزير الصحة الأردني يتفقد مستشفى البشير الحكومي في عمان", "وزير الصحة الأردني يزور مستشفى البشير الحكومي في عمان", true},
		{"reviews ar", "ولي العهد الكويتي يستعرض مع رئيس الوزراء البريطاني العلاقات الثنائية", "ولي العهد الكويتي يبحث مع رئيس الوزراء البريطاني العلاقات الثنائية", true},
		{"factions ar", "المقاومة تستهدف تجمعا لجنود الاحتلال في رفح", "الفصائل تستهدف تجمعا لجنود الاحتلال في رفح", true},
		{"gcc ar", "مجلس التعاون يدين الاعتداء على ناقلة نفط في بحر العرب", "مجلس التعاون لدول الخليج العربية يدين الاعتداء على ناقلة نفط في بحر العرب", true},
		{"weekday and date ar", "انطلاق أعمال القمة الخليجية في الرياض الخميس 3 ديسمبر", "انطلاق أعمال القمة الخليجية في الرياض الخميس", true},
		// Still apart.
		{"other weekday ar", "انطلاق أعمال القمة الخليجية في الرياض الخميس 3 ديسمبر", "انطلاق أعمال القمة الخليجية في الرياض الأحد 6 ديسمبر", false},
		{"a clock in the story", "Markets close at 16:30 after outage", "Markets close at 14:00 after outage", false},
	})
}

// An appeal of an order is not the order (set 95).
func TestClassAppeal(t *testing.T) {
	checkClass(t, []classCase{
		{"appeal", "Judge orders Google to sell ad exchange", "Google to appeal judge's order to sell ad exchange", false},
	})
}

// House words of set 99: currency codes, pc, graft, mudslides, the
// Kuomintang, Congo-Kinshasa, "a record high".
func TestClassSetNinetyNine(t *testing.T) {
	checkClass(t, []classCase{
		{"usd", "Egypt seeks USD 1.3 billion IMF tranche", "Egypt seeks $1.3 billion IMF tranche", true},
		{"eur", "Germany approves €12bn rail upgrade plan", "Germany approves EUR 12 billion rail upgrade plan", true},
		{"inr", "Reliance to invest Rs 75,000 crore in green hydrogen", "Reliance to invest INR 75,000 crore in green hydrogen", true},
		{"pc", "India's GDP grows 7.4pc in July-September quarter", "India's GDP grows 7.4 percent in July-September quarter", true},
		{"graft", "Thai court jails former minister for graft", "Thai court jails former minister for corruption", true},
		{"mudslide", "Landslide buries 14 homes in Indonesia's West Java", "Mudslide buries 14 homes in Indonesia's West Java", true},
		{"guomindang", "Taiwan's Kuomintang picks new party chair", "Taiwan's Guomindang picks new party chair", true},
		{"congo kinshasa", "UN peacekeepers withdraw from base in eastern DR Congo", "UN peacekeepers withdraw from base in eastern Congo-Kinshasa", true},
		{"a record high", "Gold hits record high on Fed rate cut bets", "Gold hits a record high on Fed rate cut bets", true},
		{"euro and dollar", "Egypt seeks $1.3 billion IMF tranche", "Egypt seeks €1.3 billion IMF tranche", false},
	})
}

// What sets 100 and 101 showed: a cup named for a title past its
// honorific, an extension of a ban, and sport and business house words.
func TestClassSetsHundredAndOne(t *testing.T) {
	checkClass(t, []classCase{
		{"two cups ar", "القادسية يتوج بلقب كأس سمو ولي العهد لكرة القدم", "القادسية يتوج بلقب كأس سمو الأمير لكرة القدم", false},
		{"extension ar", "وزارة العمل العمانية: إيقاف استقدام القوى العاملة الوافدة في 13 مهنة لمدة ستة أشهر", "وزارة العمل العمانية: تمديد إيقاف استقدام القوى العاملة الوافدة في 13 مهنة لمدة ستة أشهر", false},
		{"clinch", "Liverpool win Premier League title with four games to spare", "Liverpool clinch Premier League title with four games to spare", true},
		{"f1", "Verstappen clinches third Formula One world title", "Verstappen clinches third F1 world title", true},
		{"co2", "Webb telescope detects carbon dioxide in exoplanet atmosphere", "Webb telescope detects CO2 in exoplanet atmosphere", true},
		{"workforce", "Intel to cut 15% of workforce", "Intel to lay off 15% of staff", true},
	})
}

// House words of sets 102 and 103: FIFA, central banks named Reserve Bank
// (not a reserve side), researchers, AI, snowfall, GP.
func TestClassSetsHundredTwoAndThree(t *testing.T) {
	checkClass(t, []classCase{
		{"fifa ar", "فيفا يعلن موعد قرعة كأس العالم للأندية", "الاتحاد الدولي لكرة القدم يعلن موعد قرعة كأس العالم للأندية", true},
		{"reserve bank", "Reserve Bank of India cuts repo rate by 25 basis points", "RBI cuts repo rate by 25 basis points", true},
		{"researchers", "Scientists discover new dinosaur species in Argentina's Patagonia", "Researchers discover new dinosaur species in Argentina's Patagonia", true},
		{"ai", "Trump signs executive order on AI regulation", "Trump signs executive order on artificial intelligence regulation", true},
		{"snowfall", "Heavy snow disrupts flights at Munich airport", "Heavy snowfall disrupts flights at Munich airport", true},
		{"gp", "Verstappen wins Abu Dhabi Grand Prix", "Verstappen wins Abu Dhabi GP", true},
		{"reserve side still", "Real Madrid reserves beat Barcelona", "Real Madrid beat Barcelona", false},
	})
}

// Two names or two figures that trade places around what stands between
// them (ninth session): each figure went to the other name. A figure and
// a name that trade places are one phrase turned round, and names side by
// side are coordinated.
func TestClassTradedPlaces(t *testing.T) {
	checkClass(t, []classCase{
		{"box score", "Celtics 112, Knicks 104: Tatum scores 35", "Knicks 112, Celtics 104: Tatum scores 35", false},
		{"podium", "Verstappen second, Russell third as Piastri wins in Baku", "Russell second, Verstappen third as Piastri wins in Baku", false},
		{"poll shares", "Exit poll: Labour 34%, Conservatives 25%", "Exit poll: Labour 25%, Conservatives 34%", false},
		{"two words a name", "South Korea 2, North Korea 1 in Asian Cup qualifier", "North Korea 2, South Korea 1 in Asian Cup qualifier", false},
		{"nationalities ar", "فوز شركة تركية بعقد لبناء مطار جزائري", "فوز شركة جزائرية بعقد لبناء مطار تركي", false},
		{"coordinated", "Israel and Hamas agree to extend truce by two days", "Hamas and Israel agree to extend truce by two days", true},
		{"symmetric verb", "Xi meets Putin in Beijing", "Putin meets Xi in Beijing", true},
		{"phrase turned", "Earthquake of magnitude 6.1 hits central Chile", "6.1-magnitude quake hits central Chile", true},
		{"figure moved", "At least 20 dead as typhoon hits Manila", "Typhoon hits Manila, leaving at least 20 dead", true},
		{"clause moved", "Gold climbs as dollar weakens", "As dollar weakens, gold climbs", true},
	})
}

// Against and in favour of give roles as from and to do: a complaint of
// A against B is not one of B against A, a fine on A in favour of B not
// one on B. Juniors (للناشئين) are another side than the youth (للشباب).
func TestClassAgainstAndFor(t *testing.T) {
	checkClass(t, []classCase{
		{"complaint ar", "الاتحاد المصري يحيل شكوى الزمالك ضد بيراميدز إلى لجنة الانضباط", "الاتحاد المصري يحيل شكوى بيراميدز ضد الزمالك إلى لجنة الانضباط", false},
		{"lawsuit", "Judge dismisses lawsuit by Musk against OpenAI", "Judge dismisses lawsuit by OpenAI against Musk", false},
		{"in favour ar", "فيفا يغرم نادي الوحدة لصالح نادي الجزيرة في قضية لاعب", "فيفا يغرم نادي الجزيرة لصالح نادي الوحدة في قضية لاعب", false},
		{"juniors ar", "منتخب الأردن للناشئين يفوز على سوريا", "منتخب الأردن للشباب يفوز على سوريا", false},
		{"same complaint ar", "الاتحاد المصري يحيل شكوى الزمالك ضد بيراميدز إلى لجنة الانضباط", "الاتحاد المصري يحيل شكوى نادي الزمالك ضد بيراميدز إلى لجنة الانضباط", true},
	})
}

// A word beside the one named makes another: a co-pilot, a shadow
// minister, an accomplice, a would-be candidate; semi-final results,
// contract teachers, the parallel market, futsal.
func TestClassBesideQualifiers(t *testing.T) {
	checkClass(t, []classCase{
		{"co-host", "Co-host of morning show taken off air", "Host of morning show taken off air", false},
		{"shadow", "Shadow home secretary calls for inquiry into riots", "Home secretary calls for inquiry into riots", false},
		{"accomplice", "Accomplice of bank robber sentenced to 8 years", "Bank robber sentenced to 8 years", false},
		{"would-be", "Would-be assassin of Slovak PM jailed", "Assassin of Slovak PM jailed", false},
		{"semi ar", "نتائج شبه رسمية تظهر فوز المعارضة في الانتخابات", "نتائج رسمية تظهر فوز المعارضة في الانتخابات", false},
		{"parallel market ar", "الجنيه يتراجع أمام الدولار في السوق الموازية", "الجنيه يتراجع أمام الدولار في السوق", false},
		{"futsal ar", "منتخب المغرب لكرة قدم الصالات يتوج بلقب كأس أفريقيا", "منتخب المغرب لكرة القدم يتوج بلقب كأس أفريقيا", false},
	})
}

// A passive's verb is the participle its doer follows ("by"), not one
// before it that described someone; Sen. is a title (Gov. is not:
// the lexicon reads it as government).
func TestClassPassiveByAndAbbreviatedTitles(t *testing.T) {
	checkClass(t, []classCase{
		{"passive by", "Saudi Arabia executes man convicted over drug smuggling", "Man convicted over drug smuggling executed by Saudi Arabia", true},
		{"sen", "Sen. Bernie Sanders endorses Mamdani", "Senator Bernie Sanders endorses Mamdani", true},
	})
}

// Dates a site stamps after a headline or in brackets, a portal's name
// (بوابة), and KUNA's dated dateline (ninth session).
func TestClassDatesAndPortals(t *testing.T) {
	checkClass(t, []classCase{
		{"slash date", "Chile's president signs pension reform into law", "Chile's president signs pension reform into law | Euronews | 03/20/2025", true},
		{"bracketed date", "Toyota raises annual profit forecast", "Toyota raises annual profit forecast [5 Nov 2025]", true},
		{"leading weekday ar", "الأردن يعلن تعطيل الدوام الرسمي بسبب المنخفض الجوي", "الأحد 14 ديسمبر 2025 - الأردن يعلن تعطيل الدوام الرسمي بسبب المنخفض الجوي", true},
		{"portal ar", "البنك المركزي المصري يثبت أسعار الفائدة", "بوابة أخبار اليوم - البنك المركزي المصري يثبت أسعار الفائدة", true},
		{"kuna dateline", "الكويت ترحب بالاتفاق بين السعودية وإيران", "الكويت - 10 - 3 (كونا) -- الكويت ترحب بالاتفاق بين السعودية وإيران", true},
		{"date is the story", "Oct 7: Israel marks two years since Hamas attack", "Israel marks two years since Hamas attack", false},
		{"another day", "Parliament to vote on budget on 12 March", "Parliament to vote on budget on 19 March", false},
	})
}

// A particle that is all that differs turns the state round: in or out
// of a squad, on or off the table, over or under a figure, with or
// without. After a verb it is the verb's ("sinks off Crete").
func TestClassParticles(t *testing.T) {
	checkClass(t, []classCase{
		{"out of", "Mbappe in France squad for Euro qualifiers", "Mbappe out of France squad for Euro qualifiers", false},
		{"off", "Merger talks on after shareholder vote", "Merger talks off after shareholder vote", false},
		{"under", "Inflation comes in over 2% target", "Inflation comes in under 2% target", false},
		{"without", "Ship leaves port with cargo after inspection", "Ship leaves port without cargo after inspection", false},
		{"after a verb", "Fishing boat sinks off Crete, 5 missing", "Fishing boat sinks near Crete, 5 missing", true},
	})
}

// Words only sites put around a headline: a name or a section after a
// separator no wire writes inside one (·, ::, •, ▶), a short tail after
// " | ", a section with a word of its own before a headline, a part
// number, a dateline with a slash, a Levantine month.
func TestClassSiteSeparators(t *testing.T) {
	checkClass(t, []classCase{
		{"middle dot", "Iraq's parliament elects new speaker", "Shafaq News · Iraq's parliament elects new speaker", true},
		{"double colon", "المغرب يطلق برنامجا لدعم السكن", "هسبريس :: المغرب يطلق برنامجا لدعم السكن", true},
		{"pipe tail", "Kenya's president signs finance bill", "Kenya's president signs finance bill | The Star Kenya", true},
		{"section lead", "الوحدات يتعادل مع الحسين إربد", "رياضة أردنية | الوحدات يتعادل مع الحسين إربد", true},
		{"part number", "How Sudan's war emptied Khartoum", "How Sudan's war emptied Khartoum (2)", true},
		{"slash dateline", "ولي العهد يستقبل وزير الخارجية البريطاني", "الرياض في 3 مارس / واس / ولي العهد يستقبل وزير الخارجية البريطاني", true},
		{"levantine month", "الحكومة اللبنانية تقر موازنة 2026", "الحكومة اللبنانية تقر موازنة 2026 | الأخبار | الجمعة 5 كانون الأول 2025", true},
		{"speaker stays", "Health minister: hospitals in Gaza out of fuel", "Finance minister: hospitals in Gaza out of fuel", false},
	})
}

// Entities a feed escaped twice, a byline with its dateline, a source
// label at the end, and outlets named after their parent
// (اندبندنت عربية, Yahoo Finance).
func TestClassBylinesAndEntities(t *testing.T) {
	checkClass(t, []classCase{
		{"entity", "Nvidia's market value tops $4 trillion", "Nvidia&#39;s market value tops $4 trillion", true},
		{"amp entity", "AT&T to buy Lumen's fiber business", "AT&amp;T to buy Lumen's fiber business", true},
		{"byline", "Senate passes stopgap funding bill", "By Maria Lopez WASHINGTON — Senate passes stopgap funding bill", true},
		{"source tail ar", "الكويت تعلن عطلة رسمية يوم الأحد", "الكويت تعلن عطلة رسمية يوم الأحد المصدر: كونا", true},
		{"source tail", "Chile's central bank holds rates", "Chile's central bank holds rates Source: Bloomberg", true},
		{"yahoo", "Dollar slips as traders await jobs data", "Dollar slips as traders await jobs data - Yahoo Finance", true},
	})
}

// An act told as a noun, its doer, and who it is done to after ل: the ل
// ends the doer as إلى does. في between two countries says which is
// where.
func TestClassArabicNounActsAndIn(t *testing.T) {
	checkClass(t, []classCase{
		{"accusation", "اتهام مصر لإثيوبيا بتهديد الأمن المائي", "اتهام إثيوبيا لمصر بتهديد الأمن المائي", false},
		{"knock-out", "إقصاء الوداد للرجاء من كأس العرش", "إقصاء الرجاء للوداد من كأس العرش", false},
		{"embassy", "سفارة الأردن في سوريا تستأنف عملها", "سفارة سوريا في الأردن تستأنف عملها", false},
		{"noun act same", "اتهام مصر لإثيوبيا بتهديد الأمن المائي", "اتهام مصر لأثيوبيا بتهديد الأمن المائي", true},
		{"in moved", "مقتل 3 في غارة إسرائيلية على جنوب لبنان", "غارة إسرائيلية على جنوب لبنان تقتل 3", true},
		{"noun first", "استقبال وزير الخارجية القطري لرئيس الوزراء اللبناني في الدوحة", "استقبال رئيس الوزراء اللبناني لوزير الخارجية القطري في الدوحة", false},
		{"noun first same", "زيارة الرئيس الفرنسي للجزائر الأسبوع المقبل", "زيارة الرئيس الفرنسي إلى الجزائر الأسبوع المقبل", true},
	})
}

// Figures that trade places across two acts or with their units, an act
// that undoes what the other side only declares, next year and this
// year, Little Havana and Havana, Inter Miami and Inter (ninth session,
// third round).
func TestClassFiguresAndUndoing(t *testing.T) {
	checkClass(t, []classCase{
		{"two acts", "Train derails in India, killing 9 and injuring 40", "Train derails in India, killing 40 and injuring 9", false},
		{"units", "Customs seize 2 tonnes of cannabis and 50 kg of cocaine", "Customs seize 50 kg of cannabis and 2 tonnes of cocaine", false},
		{"ends", "WHO declares cholera outbreak in Haiti a global emergency", "WHO ends cholera outbreak in Haiti global emergency", false},
		{"next year", "World Bank expects Egypt growth of 4% this year", "World Bank expects Egypt growth of 4% next year", false},
		{"little", "Protesters march in Little Italy", "Protesters march in Italy", false},
		{"inter miami", "Inter Miami sign Uruguayan defender", "Inter sign Uruguayan defender", false},
		{"same figures", "Train derails in India, killing 9 and injuring 40", "Indian train derailment kills 9, injures 40", true},
	})
}

// Two acts that trade what they befell, and a city against its province
// or its countryside.
func TestClassActsTradeAndProvinces(t *testing.T) {
	checkClass(t, []classCase{
		{"acts trade ar", "الشرطة تعلن مقتل مهرب واعتقال ثلاثة من شركائه في البقاع", "الشرطة تعلن اعتقال مهرب ومقتل ثلاثة من شركائه في البقاع", false},
		{"acts trade", "Gold rises as dollar falls", "Gold falls as dollar rises", false},
		{"province ar", "انقطاع الكهرباء في مدينة الموصل", "انقطاع الكهرباء في محافظة الموصل", false},
		{"countryside ar", "قصف مدفعي على مدينة حماة", "قصف مدفعي على ريف حماة", false},
		{"province alone ar", "انقطاع الكهرباء في محافظة الموصل", "انقطاع الكهرباء في الموصل", true},
	})
}

// A site the lists do not know, named after a dash at the end (its name
// may start with its country or end in a number), a byline at the end,
// " || ", and a portal after the site (MSN). A place after the dash is a
// route or the story's, and stays.
func TestClassUnlistedOutlets(t *testing.T) {
	checkClass(t, []classCase{
		{"unlisted ar", "الحكومة المصرية ترفع أسعار الوقود بنسبة 15%", "الحكومة المصرية ترفع أسعار الوقود بنسبة 15% - صوت الأمة", true},
		{"country first", "Fuel shortages hit Khartoum petrol stations", "Fuel shortages hit Khartoum petrol stations - Sudan Post", true},
		{"numbered ar", "وزارة التربية تعلن موعد امتحانات الثانوية العامة", "وزارة التربية تعلن موعد امتحانات الثانوية العامة - الغد 24", true},
		{"byline ar", "لماذا يفشل الحوار الوطني في كل مرة؟", "لماذا يفشل الحوار الوطني في كل مرة؟ - بقلم: سامي العلي", true},
		{"msn", "Storm knocks out power to 200,000 in Texas", "Storm knocks out power to 200,000 in Texas | CBS News - MSN", true},
		{"double bar ar", "الرئيس الجزائري يستقبل وزير الخارجية الإيطالي", "الرئيس الجزائري يستقبل وزير الخارجية الإيطالي || الشروق أونلاين", true},
		{"route stays ar", "انقلاب شاحنة على طريق عمان - الزرقاء", "انقلاب شاحنة على طريق عمان - العقبة", false},
		{"place stays", "Heavy rain floods roads across the region - Basra", "Heavy rain floods roads across the region - Mosul", false},
	})
}

// Sites named with a number (News24, القاهرة 24), an acronym after a
// dash, addresses under more country domains, and a bracket alone (the
// fuzzer found Strip cutting ")" out of range).
func TestClassNumberedSites(t *testing.T) {
	checkClass(t, []classCase{
		{"glued number", "Kenya's parliament passes finance bill", "Citizen24: Kenya's parliament passes finance bill", true},
		{"number after ar", "انخفاض أسعار الذهب في السوق المحلية", "الغد 24 | انخفاض أسعار الذهب في السوق المحلية", true},
		{"acronym tail", "Italy approves new migration decree", "Italy approves new migration decree - ANSA", true},
		{"country domain", "Zurich airport reopens after snowstorm", "Zurich airport reopens after snowstorm - nzz.ch", true},
		{"cop is the story", "COP29: deal reached on climate finance", "COP30: deal reached on climate finance", false},
	})
	m := Default()
	for _, s := range []string{")", "]", "(", "x)", "(1)"} {
		m.Strip(s)
	}
}

// Figures or ranks after names a verb of their own does not hide
// ("Verstappen finishes second, Norris third"), and qualifiers of a
// province, a branch, a para-athlete, a provisional step, an acting or
// interim holder.
func TestClassRanksAndBranches(t *testing.T) {
	checkClass(t, []classCase{
		{"ranks after a verb", "Hamilton finishes second, Leclerc third in Las Vegas", "Leclerc finishes second, Hamilton third in Las Vegas", false},
		{"provincial", "Provincial court suspends mining licence", "Court suspends mining licence", false},
		{"para", "Nigerian para-powerlifter sets world record", "Nigerian powerlifter sets world record", false},
		{"branch ar", "انقطاع المياه عن المحطة الفرعية في الزرقاء", "انقطاع المياه عن المحطة في الزرقاء", false},
		{"acting ar", "وزير الصحة بالإنابة يزور مستشفى البشير", "وزير الصحة يزور مستشفى البشير", false},
	})
}

// An Arabic headline that starts with its verb, then a subject with the
// article (and its adjectives of relation), reads as one that starts with
// the subject; a verbal noun first does not (تأهل, تنازل), nor a day
// after the verb. A site's name may end in its channel's number.
func TestClassVerbFirstDefinite(t *testing.T) {
	checkClass(t, []classCase{
		{"present", "تستضيف الرياض قمة عربية طارئة الأسبوع المقبل", "الرياض تستضيف قمة عربية طارئة الأسبوع المقبل", true},
		{"past roles", "هزم المنتخب الأردني نظيره الكويتي في كأس العرب", "المنتخب الكويتي يهزم نظيره الأردني في كأس العرب", false},
		{"past same", "هزم المنتخب الأردني نظيره الكويتي في كأس العرب", "المنتخب الأردني يهزم نظيره الكويتي في كأس العرب", true},
		{"verbal noun", "تأهل تونس على حساب الجزائر إلى نصف النهائي", "تأهل الجزائر على حساب تونس إلى نصف النهائي", false},
		{"channel number", "Bay Area freeway reopens after crash", "Bay Area freeway reopens after crash | NBC Bay Area 11", true},
	})
}

// Who stands beside the starter or the chief: a girls' team, a backup, an
// associate justice, a lieutenant governor, one charged with an office
// (المكلف) or holding it in honour (الفخري).
func TestClassBesideTheChief(t *testing.T) {
	checkClass(t, []classCase{
		{"girls", "Girls' soccer team wins state title", "Soccer team wins state title", false},
		{"backup", "Backup goalkeeper signs contract extension with Arsenal", "Goalkeeper signs contract extension with Arsenal", false},
		{"lieutenant", "Lieutenant governor vetoes school funding bill", "Governor vetoes school funding bill", false},
		{"charged ar", "محافظ البصرة المكلف يقرر تعطيل الدوام الرسمي", "محافظ البصرة يقرر تعطيل الدوام الرسمي", false},
		{"honorary ar", "الرئيس الفخري لنادي الوحدات يزور بعثة الفريق", "رئيس نادي الوحدات يزور بعثة الفريق", false},
	})
}

// A company's part or partner, a kind of stock or release, a partial or
// symbolic act, a copy, a counter-movement, a side of a sport, one
// elected and not yet sworn in (ninth session, set 129).
func TestClassPartsAndKinds(t *testing.T) {
	checkClass(t, []classCase{
		{"unit", "Siemens unit wins rail contract in Egypt", "Siemens wins rail contract in Egypt", false},
		{"supplier", "Tesla supplier halts output after fire", "Tesla halts output after fire", false},
		{"partial", "Germany announces partial ban on fireworks", "Germany announces ban on fireworks", false},
		{"replica", "Replica crown jewels stolen from museum", "Crown jewels stolen from museum", false},
		{"wheelchair", "Japan win wheelchair basketball gold", "Japan win basketball gold", false},
		{"elect", "Chile's president-elect names finance minister", "Chile's president names finance minister", false},
		{"descriptive", "Embattled CEO resigns after accounting scandal", "CEO resigns after accounting scandal", true},
	})
}

// Arabic words that make another body, round or side (set 130): a
// branch, a holding, university or winter games, a by-election or a
// primary, a permanent seat, a trial run, mixed doubles, a women's
// league, a reserve, early retirement, the clubs' world cup.
func TestClassArabicPartsAndKinds(t *testing.T) {
	checkClass(t, []classCase{
		{"branch", "انتخابات فرع نقابة المحامين في حلب", "انتخابات نقابة المحامين في حلب", false},
		{"by-election", "إقبال ضعيف على الانتخابات التكميلية في الأردن", "إقبال ضعيف على الانتخابات في الأردن", false},
		{"trial run", "بدء التشغيل التجريبي لقطار الحرمين", "بدء التشغيل لقطار الحرمين", false},
		{"women's league", "الهلال يتوج بلقب الدوري النسائي", "الهلال يتوج بلقب الدوري", false},
		{"clubs", "الوداد يودع كأس العالم للأندية", "الوداد يودع كأس العالم", false},
		{"clubs both ways", "الوداد يودع كأس العالم للأندية", "الوداد يودع مونديال الأندية", true},
	})
}

// Over between two names gives them roles as against does: who is backed
// or favoured over whom.
func TestClassOver(t *testing.T) {
	checkClass(t, []classCase{
		{"backs", "Court backs Eni over Nigeria in oil block case", "Court backs Nigeria over Eni in oil block case", false},
		{"victory", "Victory for SNP over Labour in Glasgow by-election", "Victory for Labour over SNP in Glasgow by-election", false},
		{"about", "Protests over fuel prices spread in Kenya", "Protests over fuel prices spread across Kenya", true},
	})
}

// Scores told in Arabic words are the scoreline tokens digits make:
// بهدفين مقابل هدف is 2-1, بثلاثية نظيفة 3-0, بهدف لمثله 1-1.
func TestClassWordScores(t *testing.T) {
	checkClass(t, []classCase{
		{"two one", "الفيصلي يفوز على الوحدات 2-1 في الدوري الأردني", "الفيصلي يفوز على الوحدات بهدفين مقابل هدف في الدوري الأردني", true},
		{"clean sheet", "الاتحاد يهزم الشباب 3-0", "الاتحاد يهزم الشباب بثلاثية نظيفة", true},
		{"goals counted", "العين يفوز على الوحدة 4-2", "العين يفوز على الوحدة بأربعة أهداف مقابل هدفين", true},
		{"draw", "تعادل الكويت والقادسية 1-1", "تعادل الكويت والقادسية بهدف لمثله", true},
		{"another score", "الفيصلي يفوز على الوحدات بهدفين مقابل هدف", "الفيصلي يفوز على الوحدات بثلاثة أهداف مقابل هدف", false},
		{"one nil two nil", "الرجاء يفوز على الجيش الملكي بهدف نظيف", "الرجاء يفوز على الجيش الملكي بهدفين نظيفين", false},
		{"sets", "الأهلي يفوز على الزمالك 3-1 في دوري الكرة الطائرة", "الأهلي يفوز على الزمالك بثلاثة أشواط مقابل شوط في دوري الكرة الطائرة", true},
		{"loser's score", "الاتحاد يفوز على الأهلي 77-70 في دوري السلة", "الأهلي يخسر أمام الاتحاد 70-77 في دوري السلة", true},
		{"sweeps", "النصر يفوز على الفيحاء 4-0", "النصر يكتسح الفيحاء 4-0", true},
	})
}

// A result told from the loser's side is the winner's ("Astros fall 7-2
// to Yankees", خسارة العراق أمام كوريا); prices that fall to a low are
// no loser. Club names the lexicon would read as verbs (الترجي, العين)
// are names with their article.
func TestClassLoserFirst(t *testing.T) {
	checkClass(t, []classCase{
		{"lose to", "Brazil beat Chile 2-0 in World Cup qualifier", "Chile lose 2-0 to Brazil in World Cup qualifier", true},
		{"fall to", "Dodgers beat Padres 5-3 in Game 4", "Padres fall 5-3 to Dodgers in Game 4", true},
		{"lose ar", "الكويت تفوز على عمان 2-1", "عمان تخسر أمام الكويت 2-1", true},
		{"defeat noun ar", "الأردن يهزم العراق في تصفيات كأس العالم", "هزيمة العراق أمام الأردن في تصفيات كأس العالم", true},
		{"loser swapped", "Brazil beat Chile 2-0 in World Cup qualifier", "Brazil lose 2-0 to Chile in World Cup qualifier", false},
		{"prices", "Oil prices fall to lowest level since 2021", "Oil prices drop to lowest level since 2021", true},
		{"suffer defeat", "Ireland beat France 38-17 in Dublin", "France suffer 38-17 defeat to Ireland in Dublin", true},
		{"suffer swapped", "France beat Ireland 38-17 in Dublin", "France suffer 38-17 defeat to Ireland in Dublin", false},
		{"club as verb ar", "الترجي يفوز على الصفاقسي 2-0", "الصفاقسي يفوز على الترجي 2-0", false},
	})
}

// A box score ("X 2 Y 1", "X 1-4 Y", الوداد 1-0 الرجاء) reads as the
// winner's sentence; a count of dead and wounded is no box score.
func TestClassBoxScores(t *testing.T) {
	checkClass(t, []classCase{
		{"separate", "Leeds United 3 Sunderland 1", "Leeds United beat Sunderland 3-1", true},
		{"away win", "Everton 0-2 Arsenal at Goodison Park", "Arsenal beat Everton 2-0 at Goodison Park", true},
		{"ar", "الوحدات 2-0 الفيصلي في الدوري الأردني", "الوحدات يهزم الفيصلي 2-0 في الدوري الأردني", true},
		{"draw", "Lazio 1 Roma 1", "Lazio draw 1-1 with Roma", true},
		{"reversed", "Barcelona 3-0 Real Madrid", "Barcelona 0-3 Real Madrid", false},
		{"casualties ar", "مصرع 3 وإصابة 10 في حادث سير بالمنيا", "مصرع 10 وإصابة 3 في حادث سير بالمنيا", false},
	})
}

// A score one side has and the other, which has scores, has not: two
// matches. Amateurs and an interim government qualify.
func TestClassScoresOfTheirOwn(t *testing.T) {
	checkClass(t, []classCase{
		{"sets", "Alcaraz beats Fritz 6-3 6-4 to reach final", "Alcaraz beats Fritz 6-3 3-6 6-4 to reach final", false},
		{"amateurs ar", "انطلاق بطولة العرب للملاكمة للهواة في عمان", "انطلاق بطولة العرب للملاكمة في عمان", false},
		{"interim ar", "الحكومة السودانية المؤقتة تعلن حالة الطوارئ", "الحكومة السودانية تعلن حالة الطوارئ", false},
	})
}

// Arabic qualifiers of the second round of one-word sets: a municipal
// council, an opposition party, a friendly, electric cars.
func TestClassArabicQualifiersSecondRound(t *testing.T) {
	checkClass(t, []classCase{
		{"municipal", "المجلس البلدي يقر موازنة العام المقبل", "المجلس يقر موازنة العام المقبل", false},
		{"opposition", "الأحزاب المعارضة تقاطع الانتخابات التشريعية", "الأحزاب تقاطع الانتخابات التشريعية", false},
		{"friendly", "المنتخب يخسر مباراته الودية أمام تونس", "المنتخب يخسر مباراته أمام تونس", false},
		{"electric", "مبيعات السيارات الكهربائية في مصر ترتفع 40 بالمئة", "مبيعات السيارات في مصر ترتفع 40 بالمئة", false},
	})
}

// TestClassTitleOfCountry: an English title "of" a country is the title
// with the country first, and an adjective of nationality the lexicon
// does not list is its country (set 141).
func TestClassTitleOfCountry(t *testing.T) {
	checkClass(t, []classCase{
		{"emir of qatar", "Qatar's emir meets Iranian president in Doha", "Emir of Qatar meets Iranian president in Doha", true},
		{"president of a country", "The President of Ghana arrives in Paris", "Ghana's president arrives in Paris", true},
		{"prime minister of a country and a name", "Prime Minister of Pakistan Shehbaz Sharif arrives in Paris", "Pakistani PM Shehbaz Sharif arrives in Paris", true},
		{"mayor of a capital", "Mayor of London resigns", "London mayor resigns", true},
		{"president of another country", "President of Ghana arrives in Paris", "President of Kenya arrives in Paris", false},
		{"emir of another country", "Emir of Qatar meets Iranian president", "Emir of Kuwait meets Iranian president", false},
		{"demonym", "Ghanaian parliament approves anti-LGBTQ bill", "Ghana's parliament approves anti-LGBTQ bill", true},
		{"demonym in an", "Malian junta extends transition by five years", "Mali junta extends transition by five years", true},
		{"another demonym", "Ghanaian parliament approves anti-LGBTQ bill", "Malian parliament approves anti-LGBTQ bill", false},
	})
}

// TestClassUnlistedPapers: a paper's name with its article after a dash,
// and papers of the region the lists now know (set 142).
func TestClassUnlistedPapers(t *testing.T) {
	checkClass(t, []classCase{
		{"the peninsula", "Doha to host Gaza ceasefire talks next week, Qatari official says", "Doha to host Gaza ceasefire talks next week, Qatari official says – The Peninsula", true},
		{"a place with its article stays", "Talks on Sudan to resume next week - The Hague", "Talks on Sudan to resume next week - The Bahamas", false},
		{"al raya", "أمير قطر يصل إلى القاهرة في زيارة رسمية", "أمير قطر يصل إلى القاهرة في زيارة رسمية - الراية", true},
		{"yallakora", "يلا كورة | الأهلي يتعادل مع الزمالك في قمة الدوري المصري", "الأهلي يتعادل مع الزمالك في قمة الدوري المصري", true},
	})
}

// TestClassHonorificsAndWomensTitles: an honorific before a title, a
// woman's title written in the feminine or the masculine, a country whose
// name starts like an article, and acts named two ways (sets 139 to 141).
func TestClassHonorificsAndWomensTitles(t *testing.T) {
	checkClass(t, []classCase{
		{"majesty ar", "الملك عبدالله الثاني يلتقي الرئيس الأمريكي في البيت الأبيض", "جلالة الملك عبدالله الثاني يلتقي الرئيس الأميركي في البيت الأبيض", true},
		{"excellency ar", "فخامة الرئيس يستقبل وزير الخارجية الأمريكي", "الرئيس يستقبل وزير الخارجية الأمريكي", true},
		{"prime minister, feminine, of a country ar", "رئيسة وزراء بنغلاديش الشيخة حسينة تستقيل وتغادر البلاد", "الشيخة حسينة تستقيل وتغادر البلاد", true},
		{"minister, feminine and masculine ar", "وزيرة الخارجية الألمانية تصل إلى بيروت", "وزير الخارجية الألماني يصل إلى بيروت", true},
		{"german, definite and country ar", "الرئيس الألماني يصل إلى بيروت", "رئيس ألمانيا يصل إلى بيروت", true},
		{"german is not french ar", "المستشار الألماني يزور القاهرة", "المستشار الفرنسي يزور القاهرة", false},
		{"recalling its ambassador stays apart ar", "الجزائر تستدعي سفيرها لدى فرنسا", "الجزائر تستدعي السفير الفرنسي", false},
		{"retire is quit", "Spain's Nadal to retire from tennis after Davis Cup Finals", "Spain's Nadal to quit tennis after Davis Cup Finals", true},
		{"overtakes is surpasses", "China's BYD overtakes Tesla in annual electric car sales", "China's BYD surpasses Tesla in annual electric car sales", true},
		{"nears is approaches", "Philippines evacuates thousands as Typhoon Doksuri nears", "Philippines evacuates thousands as Typhoon Doksuri approaches", true},
		{"polls close is not approach", "Polls close in Turkey's presidential runoff", "Voting ends in Turkey presidential run-off", true},
		{"gains ar", "البورصة المصرية تربح 20 مليار جنيه في ختام تعاملات الأسبوع", "البورصة المصرية تكسب 20 مليار جنيه في ختام تعاملات الأسبوع", true},
		{"gains is not loses ar", "البورصة المصرية تربح 20 مليار جنيه في ختام تعاملات الأسبوع", "البورصة المصرية تخسر 20 مليار جنيه في ختام تعاملات الأسبوع", false},
		{"warplanes ar", "تايوان ترصد 21 طائرة عسكرية صينية حول الجزيرة", "تايوان ترصد 21 طائرة حربية صينية حول الجزيرة", true},
		{"files papers ar", "سيف الإسلام القذافي يقدم أوراق ترشحه للانتخابات الرئاسية", "سيف الإسلام القذافي يودع أوراق ترشحه للانتخابات الرئاسية", true},
	})
}

// TestClassCentralBanksAndRupees: a central bank by its own name is the
// country's central bank, and rupees written Rs10 are 10 rupees (set 141).
func TestClassCentralBanksAndRupees(t *testing.T) {
	checkClass(t, []classCase{
		{"bank al-maghrib", "Morocco's central bank holds key rate at 2.75%", "Bank Al-Maghrib keeps key rate at 2.75%", true},
		{"rbi", "India's central bank holds repo rate at 6.5%", "RBI holds repo rate at 6.5%", true},
		{"two central banks", "Bank of England holds rates", "Bank of Japan holds rates", false},
		{"rs10", "Pakistan raises petrol price by 10 rupees a litre", "Pakistan hikes petrol price by Rs10 a litre", true},
		{"rs.2 and the rupee sign", "India cuts fuel price by Rs.2", "India cuts fuel price by ₹2", true},
		{"rs10 is not rs20", "Pakistan raises petrol price by Rs10 a litre", "Pakistan raises petrol price by Rs20 a litre", false},
	})
}

// TestClassKindAdjectives: an Arabic relational adjective with the
// article after a noun that has it says which of its kind the noun is
// (المحكمة العسكرية is not المحكمة); one that belongs to a name, says how
// a thing is, or tells a nationality does not (sets 130, 138).
func TestClassKindAdjectives(t *testing.T) {
	checkClass(t, []classCase{
		{"military court ar", "المحكمة تقضي بسجن ضابطين سابقين عشر سنوات", "المحكمة العسكرية تقضي بسجن ضابطين سابقين عشر سنوات", false},
		{"federal police ar", "الشرطة الاتحادية العراقية تعتقل خلية في كركوك", "الشرطة العراقية تعتقل خلية في كركوك", false},
		{"local elections ar", "الانتخابات المحلية تنطلق الأحد وسط إجراءات أمنية مشددة", "الانتخابات تنطلق الأحد وسط إجراءات أمنية مشددة", false},
		{"two kinds ar", "النيابة العامة تأمر بحبس ثلاثة موظفين في قضية رشوة", "النيابة المالية تأمر بحبس ثلاثة موظفين في قضية رشوة", false},
		{"after a glued article ar", "سابك تعلن أرباحا فصلية بقيمة 1.2 مليار ريال", "سابك للمغذيات الزراعية تعلن أرباحا فصلية بقيمة 1.2 مليار ريال", false},
		{"on both sides ar", "المحكمة العسكرية تقضي بسجن ضابطين عشر سنوات", "المحكمة العسكرية تقضي بسجن ضابطين 10 سنوات", true},
		{"a name after a title on one side ar", "الرئيس السيسي يستقبل وزير الخارجية الأمريكي", "السيسي يستقبل وزير الخارجية الأمريكي", true},
		{"a nationality ar", "الحرس الثوري الإيراني يعلن إجراء مناورات بحرية في مضيق هرمز", "الحرس الثوري يعلن إجراء مناورات بحرية في مضيق هرمز", true},
		{"part of a name ar", "صندوق النقد الدولي يوافق على صرف شريحة جديدة لمصر", "صندوق النقد يوافق على صرف شريحة جديدة لمصر", true},
		{"a spelling ar", "الاتحاد الأوروبي يفرض حزمة عقوبات جديدة على روسيا", "الاتحاد الأوربي يفرض حزمة عقوبات جديدة على روسيا", true},
		{"a speaker left out ar", "غرق قارب مهاجرين قبالة سواحل صفاقس", "الحرس الوطني: غرق قارب مهاجرين قبالة سواحل صفاقس", true},
		{"no article before it ar", "تونس تعلن إجراءات في القضية", "تونس تعلن إجراءات", false},
	})
}

// TestClassAgencyDatelines: a dateline's agency the lists do not know, in
// brackets or joined by a hyphen, and a site's edition in a language
// (set 145).
func TestClassAgencyDatelines(t *testing.T) {
	checkClass(t, []classCase{
		{"suna", "PORT SUDAN (SUNA) - Sudan's army says it has retaken Wad Madani from RSF", "Sudan's army says it has retaken Wad Madani from RSF", true},
		{"dpa ar", "برلين (د ب أ) - شولتس يخسر تصويت الثقة في البرلمان الألماني", "شولتس يخسر تصويت الثقة في البرلمان الألماني", true},
		{"date and double dash ar", "سيئول، 14 ديسمبر (يونهاب) -- البرلمان الكوري الجنوبي يصوت لصالح عزل الرئيس", "البرلمان الكوري الجنوبي يصوت لصالح عزل الرئيس", true},
		{"hyphenated ar", "دمشق-سانا - وزارة الاتصالات تعلن إعادة خدمة الإنترنت إلى حلب", "وزارة الاتصالات تعلن إعادة خدمة الإنترنت إلى حلب", true},
		{"edition in a language", "Yemen's Houthis claim attack on ship in Red Sea - Al Mayadeen English", "Yemen's Houthis claim attack on ship in Red Sea", true},
		{"a place with al stays", "Sudan army repels RSF attack - El Fasher", "Sudan army repels RSF attack - Al Obeid", false},
	})
}

// TestClassQualifiersRoundTwelve: qualifying words of set 144 the list
// did not know, a qualifier before a title that is not the body the
// title is of, a chief executive as a title, and epithets that change
// nothing.
func TestClassQualifiersRoundTwelve(t *testing.T) {
	checkClass(t, []classCase{
		{"pilot scheme", "Bahrain launches pilot e-visa scheme for Indian tourists", "Bahrain launches e-visa scheme for Indian tourists", false},
		{"exhibition", "Jabeur beats Swiatek in Wimbledon match", "Jabeur beats Swiatek in Wimbledon exhibition match", false},
		{"interim chief executive", "Nissan names chief executive after Uchida steps down", "Nissan names interim chief executive after Uchida steps down", false},
		{"wife of a title", "Philippine senator found dead at Manila home", "Wife of Philippine senator found dead at Manila home", false},
		{"bodyguard", "Ukrainian lawmaker shot dead in Kyiv", "Bodyguard of Ukrainian lawmaker shot dead in Kyiv", false},
		{"greater", "Greater Manchester mayor backs tram extension", "Manchester mayor backs tram extension", false},
		{"drill ar", "الدفاع المدني يخلي مستشفى في جدة إثر حريق فرضي", "الدفاع المدني يخلي مستشفى في جدة إثر حريق", false},
		{"son-in-law ar", "صهر الرئيس الأمريكي يصل إلى الرياض في زيارة قصيرة", "الرئيس الأمريكي يصل إلى الرياض في زيارة قصيرة", false},
		{"friendly ar", "الوداد يفوز على الرجاء في ديربي الدار البيضاء", "الوداد يفوز على الرجاء في ديربي الدار البيضاء الودي", false},
		{"embattled", "South Korean President Yoon arrested at his residence", "Embattled South Korean President Yoon arrested at his residence", true},
		{"long-awaited", "Grand Egyptian Museum holds official opening", "Grand Egyptian Museum holds long-awaited official opening", true},
		{"veteran ar", "وفاة الفنان المصري المخضرم حسن يوسف عن 90 عاما", "وفاة الفنان المصري حسن يوسف عن 90 عاما", true},
	})
}

// TestClassSetOneFortyThree: acts named two ways, a deal near is no deal
// reached, and a country's possessive before an acronym stays (set 143).
func TestClassSetOneFortyThree(t *testing.T) {
	checkClass(t, []classCase{
		{"ratifies is approves", "Turkish parliament approves Sweden's NATO membership bid", "Turkish parliament ratifies Sweden's NATO membership bid", true},
		{"a country before an acronym stays", "Turkish parliament approves Sweden's NATO membership bid", "Turkish parliament approves Finland's NATO membership bid", false},
		{"bakes is scorches", "Record heat scorches Mexico City as temperatures hit 34C", "Record heat bakes Mexico City as temperatures hit 34C", true},
		{"calls back is recalls", "Toyota recalls 1 million cars over airbag sensor defect", "Toyota calls back 1 million cars over airbag sensor defect", true},
		{"a deal near ar", "قطر تعلن التوصل إلى اتفاق لوقف إطلاق النار في غزة", "قطر تعلن قرب التوصل إلى اتفاق لوقف إطلاق النار في غزة", false},
	})
}

// TestClassPossessedUnits: a name a possessive brings in after an owner
// that is no country is the owner's unit, not the owner; the unit named
// alone may be the same story (sets 117, 144).
func TestClassPossessedUnits(t *testing.T) {
	checkClass(t, []classCase{
		{"ring", "Amazon to pay $5.8 million to settle privacy charges", "Amazon's Ring to pay $5.8 million to settle privacy charges", false},
		{"whatsapp", "Irish regulator fines Meta over privacy breaches", "Irish regulator fines Meta's WhatsApp over privacy breaches", false},
		{"the unit alone", "Alphabet's Google fined $2.4bn by EU regulators", "Google fined $2.4bn by EU regulators", true},
		{"a country's possessive", "Japan's Kishida reshuffles cabinet", "Kishida reshuffles cabinet", true},
		{"a site's possessive", "Port strike enters third day as talks stall", "Port strike enters third day as talks stall - Lloyd's List", true},
	})
}

// TestClassRoundThirteen: decorations and readings of sets 146 and 149:
// a site named after its country's adjective, a clock before a headline,
// a listed outlet's edition in a language, a bracket before a site's
// name, a site's possessive name of one word; a preposition set apart
// from its word, a currency that is no verb, a transliteration.
func TestClassRoundThirteen(t *testing.T) {
	checkClass(t, []classCase{
		{"site with a country's adjective ar", "الحوثيون يعلنون استهداف سفينة تجارية في خليج عدن - المشهد اليمني", "الحوثيون يعلنون استهداف سفينة تجارية في خليج عدن", true},
		{"a clock first", "12:45 Nigeria's inflation rises to 33.2% in March", "Nigeria's inflation rises to 33.2% in March", true},
		{"a clock and a zone first ar", "10:45 بتوقيت مكة المكرمة — إسرائيل تعلن اعتراض صاروخ أطلق من اليمن", "إسرائيل تعلن اعتراض صاروخ أطلق من اليمن", true},
		{"edition of a listed outlet ar", "الرئيس التونسي يقيل رئيس الحكومة أحمد الحشاني - بي بي سي نيوز عربي", "الرئيس التونسي يقيل رئيس الحكومة أحمد الحشاني", true},
		{"bracket before a site", "Italy's Meloni wins confidence vote in Senate", "Italy's Meloni wins confidence vote in Senate (updated 14:20) - ANSA English", true},
		{"possessive site of one word", "Sri Lanka elects Marxist-leaning Dissanayake as president - AFP - Barron's", "Sri Lanka elects Marxist-leaning Dissanayake as president", true},
		{"preposition set apart ar", "برشلونة يكتسح ريال مدريد بـ4 أهداف مقابل هدفين", "برشلونة يكتسح ريال مدريد ب 4 أهداف مقابل هدفين", true},
		{"lam set apart before the article ar", "ركلة جزاء متأخرة تمنح الفوز ل الهلال أمام القادسية", "ركلة جزاء متأخرة تمنح الفوز للهلال أمام القادسية", true},
		{"rain pounds", "Heavy rain lashes Jeddah, schools shut", "Heavy rain pounds Jeddah, schools shut", true},
		{"pounds is money after a figure", "Egypt raises fuel prices by 2 pounds", "Egypt raises fuel prices by 2 dollars", false},
		{"katz ar", "وزير الدفاع الإسرائيلي كاتس يهدد حزب الله برد قاس", "وزير الدفاع الإسرائيلي كاتز يهدد حزب الله برد قاس", true},
	})
}

// TestClassNoNameAfterTitle: a word said of the man after his title is no
// name the title introduces, so a rank before it stays (set 148).
func TestClassNoNameAfterTitle(t *testing.T) {
	checkClass(t, []classCase{
		{"former minister accused ar", "هيئة النزاهة: القبض على وزير سابق متهم بهدر المال العام", "هيئة النزاهة: القبض على وزير متهم بهدر المال العام", false},
		{"minister accused ar", "القبض على وزير سابق متهم بهدر المال العام", "اعتقال وزير سابق متهم بهدر المال العام", true},
		{"senator found dead", "Philippine senator found dead at Manila home", "Philippine senator found dead in Manila", true},
	})
}

// TestClassQualifiersRoundThirteen: words of set 147 that make the
// subject another one (a flash reading, a booster, a dwarf planet, an
// uncle, a final verdict, the black market).
func TestClassQualifiersRoundThirteen(t *testing.T) {
	checkClass(t, []classCase{
		{"flash pmi", "Euro zone flash PMI falls to nine-month low in June", "Euro zone PMI falls to nine-month low in June", false},
		{"monthly", "Turkey's inflation slows to 1.5% in May", "Turkey's monthly inflation slows to 1.5% in May", false},
		{"booster", "Pfizer seeks US approval for Covid shot for young children", "Pfizer seeks US approval for Covid booster shot for young children", false},
		{"uncle ar", "وفاة عم أمير الكويت عن 86 عاما", "وفاة أمير الكويت عن 86 عاما", false},
		{"final verdict ar", "القضاء الفرنسي يدين ساركوزي في قضية التنصت", "القضاء الفرنسي يدين ساركوزي نهائيا في قضية التنصت", false},
		{"black market ar", "الجنيه المصري يهوي إلى 70 مقابل الدولار في السوق السوداء", "الجنيه المصري يهوي إلى 70 مقابل الدولار", false},
		{"an agency by its adjective ar", "مسقط - العمانية - سلطان عمان يصدر مرسوما سلطانيا بتعيين وزير جديد للخارجية", "سلطان عمان يصدر مرسوما سلطانيا بتعيين وزير جديد للخارجية", true},
	})
}

// TestClassCountrysideAlone: a countryside (ريف) one side names alone is a
// province of its own, glued preposition or not; a passive's verb before
// the place marks is still the last word read.
func TestClassCountrysideAlone(t *testing.T) {
	checkClass(t, []classCase{
		{"rif dimashq ar", "انفجار سيارة مفخخة في ريف دمشق يوقع قتلى", "انفجار سيارة مفخخة في دمشق يوقع قتلى", false},
		{"glued ar", "توغل إسرائيلي جديد في ريف القنيطرة", "توغل إسرائيلي جديد بريف القنيطرة", true},
		{"passive before the mark ar", "مقتل 12 في انفجار لغم بريف حلب", "انفجار لغم أرضي يقتل 12 شخصا في ريف حلب", true},
	})
}

// TestClassSetOneFiftyTwo: a preposition glued to an ordinal with the
// article, and a fire that guts (set 152).
func TestClassSetOneFiftyTwo(t *testing.T) {
	checkClass(t, []classCase{
		{"glued ordinal ar", "حريق ضخم في مصنع بالعاشر من رمضان", "حريق ضخم في مصنع في العاشر من رمضان", true},
		{"another ordinal ar", "حريق ضخم في مصنع بالعاشر من رمضان", "حريق ضخم في مصنع بالسادس من أكتوبر", false},
		{"guts", "Fire guts historic market in Bangladesh capital Dhaka", "Fire destroys historic market in Bangladesh capital Dhaka", true},
	})
}

// TestClassRoundFourteenDecorations: sites and datelines of sets 150 and
// 151: a site written as brands are (TheCable, 9News, Le360), a label
// Normalize drops as the last segment, a long name of outlet words, a
// byline at the end, sports and sections before a headline, a numbered
// site in brackets, datelines whose agency is glued to a slash or a
// hyphen.
func TestClassRoundFourteenDecorations(t *testing.T) {
	checkClass(t, []classCase{
		{"brand shaped", "Uber drivers in Lagos begin strike over fares - Punch Newspapers", "Uber drivers in Lagos begin strike over fares | TheCable", true},
		{"digits in a name", "Sydney light rail shut down for weeks after cracks found - 9News", "Sydney light rail shut down for weeks after cracks found", true},
		{"a place stays", "Talks to resume next week - Geneva", "Talks to resume next week - Vienna", false},
		{"video last", "WATCH: Firefighters battle bushfire near Perth homes", "Firefighters battle bushfire near Perth homes - ABC News - video", true},
		{"outlet words", "Christchurch stadium opening delayed to 2026 - The Press", "Christchurch stadium opening delayed to 2026 | Otago Daily Times Online News", true},
		{"byline last", "Irish Rail services disrupted after landslide near Bray", "Irish Rail services disrupted after landslide near Bray – Newstalk – by Aoife Kearney", true},
		{"sport first", "Rugby: Ireland name unchanged team for Six Nations clash with France", "Ireland name unchanged team for Six Nations clash with France", true},
		{"numbered site in brackets ar", "الحكومة المغربية تصادق على مشروع قانون المالية لسنة 2025", "الحكومة المغربية تصادق على مشروع قانون المالية لسنة 2025 (اليوم 24)", true},
		{"numbered site first ar", "[الأيام 24] أخنوش يترأس اجتماعا لتتبع إعادة إعمار مناطق الزلزال", "أخنوش يترأس اجتماعا لتتبع إعادة إعمار مناطق الزلزال", true},
		{"slashes ar", "مسقط في 8 ديسمبر /العُمانية/ جلالة السلطان يصدر مرسوما سلطانيا بإنشاء جامعة جديدة", "جلالة السلطان يصدر مرسوما سلطانيا بإنشاء جامعة جديدة", true},
		{"hyphen glued ar", "رام الله 8-12-2024 وفا- استشهاد شاب برصاص الاحتلال في جنين", "استشهاد شاب برصاص الاحتلال في جنين", true},
		{"guillemet after a site ar", "CNN بالعربية » ناسا تؤجل إطلاق مهمة أرتميس 2 إلى 2026", "علوم | ناسا تؤجل إطلاق مهمة أرتميس 2 إلى 2026", true},
	})
}

// TestClassRoundFifteenDecorations: decorations of set 153: any
// country's domain, a dateline's city in capitals and a dash, a date
// stamp with "Published", » before a site, a podcast's length in
// brackets, a time stamp in brackets first, outlet words media and star.
func TestClassRoundFifteenDecorations(t *testing.T) {
	checkClass(t, []classCase{
		{"domain and capitals dateline", "Latvia to reintroduce compulsory military service for men / Article / LSM.lv", "RIGA — Latvia to reintroduce compulsory military service for men (Delfi.lv)", true},
		{"published stamp", "FDA approves first gene therapy for hemophilia B - Fierce Biotech", "FDA approves first gene therapy for hemophilia B | BioPharma Dive • Published Nov. 22, 2022", true},
		{"guillemet and a brand", "Ethiopian Airlines takes delivery of first Airbus A350-1000 » Aviation A2Z", "Ethiopian Airlines takes delivery of first Airbus A350-1000 | Addis Standard", true},
		{"podcast length", "Why Europe's heat pump boom stalled | Cleantech Talk", "Podcast: Why Europe's heat pump boom stalled [42 min] - Canary Media", true},
		{"time stamp in brackets first", "Fed minutes show officials wary of cutting rates too soon - Calculated Risk", "[19:00 GMT] Fed minutes show officials wary of cutting rates too soon - ForexLive", true},
		{"a dateline city in capitals", "KHARTOUM — Army retakes presidential palace from RSF", "Army retakes presidential palace from RSF", true},
		{"a dateline city is not the story's place", "KHARTOUM — Army retakes presidential palace from RSF", "OMDURMAN — Army retakes presidential palace from RSF", true},
	})
}

// TestClassQualifiersRoundFifteen: the issue's own class of one
// qualifying word, as set 155 wrote it: a second team, a product's
// version, indoor told as "inside the hall", a daughter, a veterans'
// side, and an acting holder whose verb of saying is no name.
func TestClassQualifiersRoundFifteen(t *testing.T) {
	checkClass(t, []classCase{
		{"b team", "Barcelona B sack coach after five straight defeats", "Barcelona sack coach after five straight defeats", false},
		{"lite", "Meta pulls Instagram Lite from app stores", "Meta pulls Instagram from app stores", false},
		{"ultra ar", "سامسونغ تطرح هاتف غالاكسي S25 ألترا في السعودية", "سامسونغ تطرح هاتف غالاكسي S25 في السعودية", false},
		{"indoor ar", "البقالي يحطم الرقم القياسي العالمي داخل القاعة في 3000 متر", "البقالي يحطم الرقم القياسي العالمي في 3000 متر", false},
		{"daughter ar", "وفاة ابنة الرئيس الجزائري الأسبق", "وفاة الرئيس الجزائري الأسبق", false},
		{"veterans ar", "منتخب الجزائر للقدامى يهزم فرنسا في مباراة ودية", "منتخب الجزائر يهزم فرنسا في مباراة ودية", false},
		{"acting president declares", "Sri Lanka's acting president declares state of emergency", "Sri Lanka's president declares state of emergency", false},
		{"for is not pro", "Polls open in Gambia presidential election", "Polls open for Gambia presidential election", true},
		{"ultra sawt is a site ar", "ارتفاع إيجارات المنازل في دمشق يثقل كاهل الطلاب", "الترا صوت – ارتفاع إيجارات المنازل في دمشق يثقل كاهل الطلاب", true},
	})
}

// TestClassRoundFifteenArabicSites: sites of set 154: a Latin acronym
// written out in Arabic (تي آر تي, إف إم), an outlet's account on a
// platform (على إكس, على تلغرام), an unlisted outlet's edition in a
// language, a site named with 365; a body with the article before a
// colon is a speaker, not a site.
func TestClassRoundFifteenArabicSites(t *testing.T) {
	checkClass(t, []classCase{
		{"acronym spelled out ar", "أردوغان يستقبل الرئيس السوري في أنقرة | تي آر تي عربي", "أردوغان يستقبل الرئيس السوري في أنقرة - ترك برس", true},
		{"fm ar", "تونس: إيقاف 5 أشخاص بشبهة تهريب عملة في صفاقس", "ديوان إف إم | تونس: إيقاف 5 أشخاص بشبهة تهريب عملة في صفاقس (فيديو)", true},
		{"on x ar", "قطر تستضيف جولة جديدة من مفاوضات وقف إطلاق النار | لوسيل", "📢 قطر تستضيف جولة جديدة من مفاوضات وقف إطلاق النار | الشرق القطرية على إكس", true},
		{"on telegram ar", "الكويت: سحب جنسية 1200 شخص بقرار من مجلس الوزراء | كويت نيوز", "🔴 الكويت: سحب جنسية 1200 شخص بقرار من مجلس الوزراء - قناة عاجل الكويت على تلغرام", true},
		{"edition first ar", "إقليم كوردستان يصرف رواتب الموظفين لشهر آذار", "روداو عربية - إقليم كوردستان يصرف رواتب الموظفين لشهر آذار | 🕒 14:05", true},
		{"365 ar", "سوق دبي المالي يسجل أعلى مستوى في 17 عاما | أرقام", "بورصات الخليج :: سوق دبي المالي يسجل أعلى مستوى في 17 عاما - الخليج 365", true},
	})
}

// TestClassStrokedLetters: Latin letters with a stroke, which NFD does not
// decompose, fold as the others do (set 157, after its score at writing).
func TestClassStrokedLetters(t *testing.T) {
	checkClass(t, []classCase{
		{"đ", "Djokovic wins record 24th Grand Slam title at US Open", "Đoković wins record 24th Grand Slam title at US Open", true},
		{"ł", "Protests in Lodz over school closures", "Protests in Łódź over school closures", true},
	})
}

// TestClassFeminineVerbFirst: an Arabic headline that starts with a verb
// in the feminine, past (اتهمت, أسقطت) or present of a verb whose first
// letter is ت (تتهم), reads its subject first as the masculine did, so
// roles that swap stay apart (set 156, after its score at writing).
func TestClassFeminineVerbFirst(t *testing.T) {
	checkClass(t, []classCase{
		{"past feminine swapped ar", "اتهمت الجزائر المغرب بانتهاك مجالها الجوي", "اتهم المغرب الجزائر بانتهاك مجاله الجوي", false},
		{"present feminine swapped ar", "تتهم الجزائر المغرب بانتهاك مجالها الجوي", "يتهم المغرب الجزائر بانتهاك مجاله الجوي", false},
		{"past feminine, subject first ar", "اتهمت الجزائر المغرب بانتهاك مجالها الجوي", "الجزائر تتهم المغرب بانتهاك مجالها الجوي", true},
		{"downed swapped ar", "أسقطت الدفاعات الجوية السورية طائرة مسيرة إسرائيلية", "الدفاعات الجوية الإسرائيلية تسقط طائرة مسيرة سورية", false},
	})
}

// TestClassLastCheckWords: words of set 157 (the last check) named two
// ways, after its score at writing.
func TestClassLastCheckWords(t *testing.T) {
	checkClass(t, []classCase{
		{"eurozone", "Euro zone inflation falls to 2.4% in November", "Eurozone inflation falls to 2.4% in November", true},
		{"covid ar", "الكويت ترفع قيود كوفيد-19 المتبقية", "الكويت ترفع قيود كورونا المتبقية", true},
		{"meets ar", "وزير الخارجية المصري يلتقي نظيره الأردني في عمّان", "وزير الخارجية المصري يقابل نظيره الأردني في عمّان", true},
	})
}

// TestClassAffiliatedCompany: a company affiliated to another (شركة
// تابعة) is its subsidiary (set 156, after its score at writing).
func TestClassAffiliatedCompany(t *testing.T) {
	checkClass(t, []classCase{
		{"subsidiary ar", "شركة تابعة لأدنوك تستحوذ على حصة في حقل غاز بأذربيجان", "أدنوك تستحوذ على حصة في حقل غاز بأذربيجان", false},
		{"both subsidiaries ar", "شركة تابعة لأدنوك تستحوذ على حصة في حقل غاز بأذربيجان", "شركة تابعة لأدنوك تشتري حصة في حقل غاز بأذربيجان", true},
	})
}

// TestClassArabicVerbFirstShapes: a verb said first in the past of every
// form (اتهم, استقبل, هاجم, طالبت) or the present, with a subject that
// takes no article (a country, a leader), reads subject first; a
// country's adjective after a noun is a noun's, not a subject (set 158).
func TestClassArabicVerbFirstShapes(t *testing.T) {
	checkClass(t, []classCase{
		{"country subject, past ar", "اتهمت إيران إسرائيل بالوقوف وراء هجوم إلكتروني على منشآت المياه", "اتهمت إسرائيل إيران بالوقوف وراء هجوم إلكتروني على منشآت المياه", false},
		{"leader subject ar", "دعا أردوغان بوتين إلى زيارة بلاده", "دعا بوتين أردوغان إلى زيارة بلاده", false},
		{"title subject, tenth form ar", "استقبل العاهل الأردني الرئيس الفلسطيني", "استقبل الرئيس الفلسطيني العاهل الأردني", false},
		{"third form ar", "طالبت تركيا الاتحاد الأوروبي بالوفاء بتعهداته بشأن اللاجئين", "طالب الاتحاد الأوروبي تركيا بالوفاء بتعهداتها بشأن اللاجئين", false},
		{"verb first and subject first ar", "اتهمت إيران إسرائيل بالوقوف وراء الهجوم", "إيران تتهم إسرائيل بالوقوف وراء الهجوم", true},
		{"a ban told as a noun ar", "حظر سعودي على واردات الدواجن البرازيلية", "حظر برازيلي على واردات الدواجن السعودية", false},
		{"handed over ar", "سلمت السلطات اللبنانية سوريا مطلوبا بتهمة تهريب المخدرات", "سلمت السلطات السورية لبنان مطلوبا بتهمة تهريب المخدرات", false},
	})
}

// TestClassRoundSixteenEnglishRoles: a result told with "thump" keeps
// its roles, and an index named like a verb (Hang Seng) is the index
// (set 159).
func TestClassRoundSixteenEnglishRoles(t *testing.T) {
	checkClass(t, []classCase{
		{"thump", "Bayern thump Dortmund 4-0 in Der Klassiker", "Dortmund thump Bayern 4-0 in Der Klassiker", false},
		{"hang seng is no hanging", "Hang Seng tumbles 3% as tech stocks slide", "Hang Seng falls 3% as tech stocks slide", true},
	})
}

// TestClassRoundSeventeen: a club that signs another's player or coach
// (يضم, يتعاقد) keeps its role, and unleashes is launches (sets 161,
// 162).
func TestClassRoundSeventeen(t *testing.T) {
	checkClass(t, []classCase{
		{"signs ar", "بيراميدز يضم مدافع الزمالك", "الزمالك يضم مدافع بيراميدز", false},
		{"contracts ar", "الزمالك يتعاقد مع مدرب الإسماعيلي", "الإسماعيلي يتعاقد مع مدرب الزمالك", false},
		{"unleashes", "Russia launches massive drone attack on Ukraine's energy grid", "Russia unleashes massive drone attack on Ukraine's energy grid", true},
	})
}

// TestClassRankAfterForce: "major" after a force is a rank, not the
// intensifier fillers drop (set 162, after its score at writing).
func TestClassRankAfterForce(t *testing.T) {
	checkClass(t, []classCase{
		{"colonel is not major", "Army colonel killed in Kashmir gunfight", "Army major killed in Kashmir gunfight", false},
		{"a major is a major", "Army major killed in Kashmir gunfight", "Army major shot dead in Kashmir gunfight", true},
		{"a major attack is an attack", "Russia launches major attack on Kyiv", "Russia launches attack on Kyiv", true},
	})
}
