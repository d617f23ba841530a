package match

import (
	"strings"
	"testing"
)

const (
	benchArabic      = "عاجل: الجيشُ الإسرائيليُّ يقتحمُ مخيمَ جنين شمالَ الضفةِ الغربيةِ ويعتقلُ ٤ شبان"
	benchArabicPlain = "الجيش الإسرائيلي يقتحم مخيم جنين شمال الضفة الغربية ويعتقل 4 شبان"
	benchEnglish     = "Breaking: Israeli army raids Jenin camp in northern West Bank, arrests 4"
)

func BenchmarkNormalize(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"arabic", benchArabic},
		{"arabic_plain", benchArabicPlain},
		{"english", benchEnglish},
		{"1MB", strings.Repeat("الجيشُ ", 1<<20/len("الجيشُ "))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				Normalize(bc.in)
			}
		})
	}
}

func BenchmarkTokens(b *testing.B) {
	n := Normalize(benchArabic)
	b.ReportAllocs()
	for b.Loop() {
		Tokens(n)
	}
}

func BenchmarkSimilarity(b *testing.B) {
	x := Tokens(Normalize(benchArabic))
	y := Tokens(Normalize("الجيش الإسرائيلي يقتحم مخيم جنين شمال الضفة الغربية ويعتقل 4 شبان - وفا"))
	b.ReportAllocs()
	for b.Loop() {
		Similarity(x, y)
	}
}

// BenchmarkSame is the whole decision on two raw titles, normalizing both;
// a store that keeps normalized titles and tokens pays only Similarity.
func BenchmarkSame(b *testing.B) {
	for _, bc := range []struct{ name, a, b string }{
		{"arabic_near_duplicate", benchArabic, "الجيش الإسرائيلي يقتحم مخيم جنين شمال الضفة الغربية ويعتقل 4 شبان - وفا"},
		{"arabic_different", "الجيش يعتقل شابا في سلواد شرق رام الله", "الجيش يعتقل شابين من عابود شمال غرب رام الله"},
		{"english_near_duplicate", benchEnglish, "Israeli army raids Jenin camp in northern West Bank, arrests 4 - Reuters"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Same(bc.a, bc.b, 0.8)
			}
		})
	}
}

func BenchmarkSignature(b *testing.B) {
	toks := Tokens(Normalize(benchArabic))
	b.ReportAllocs()
	for b.Loop() {
		Signature(toks, 0.8)
	}
}

func BenchmarkCanonicalLink(b *testing.B) {
	for _, bc := range []struct{ name, raw string }{
		{"canonical", "https://www.example.com/ar/news/2024/05/12/story-123"},
		{"tracking", "HTTPS://www.Example.com:443/ar/news/2024/05/12/story-123?utm_source=rss&utm_medium=feed&id=9#top"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				CanonicalLink(bc.raw, "https://www.example.com/ar/")
			}
		})
	}
}

// BenchmarkPrefilter is the prefilter a store runs on each dedupe candidate
// before Similarity: on a candidate that shares one word, as most under a
// busy signature key do, and on a near-duplicate, which it must let pass.
func BenchmarkPrefilter(b *testing.B) {
	x := Prefilter(Tokens(Normalize(benchArabic)), 0.8)
	for _, tc := range []struct{ name, other string }{
		{"miss", "الجيش يعلن حصيلة جديدة للمواجهات في الشمال"},
		{"near", "الجيش الإسرائيلي يقتحم مخيم جنين شمال الضفة الغربية ويعتقل 4 شبان - وفا"},
	} {
		joined := strings.Join(Tokens(Normalize(tc.other)), "\x00")
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				x(joined)
			}
		})
	}
}

func BenchmarkCanonical(b *testing.B) {
	m := Default()
	titles := []string{
		"UPDATE 2-Israeli strike kills 7 at school in Jabalia, Gaza, officials said",
		"الاحتلال يعتقل 12 فلسطينيا من بلدة سلواد شرق رام الله - وكالة الأنباء",
		"Saudi foreign minister arrives in Tehran on official visit",
		"وزارة الصحة في غزة: ارتفاع حصيلة الشهداء إلى ٣٢ ألفا",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Canonical(titles[i%len(titles)])
	}
}

// BenchmarkCanonicalProbes is Canonical over the headlines of
// testdata/probes.tsv, both languages and every shape the rules read: the
// four titles above are too few to show where a rule's cost lands.
func BenchmarkCanonicalProbes(b *testing.B) {
	m := Default()
	var titles []string
	for _, p := range readPairsFile(b, "testdata/probes.tsv") {
		titles = append(titles, p.a, p.b)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Canonical(titles[i%len(titles)])
	}
}

func BenchmarkScore(b *testing.B) {
	m := Default()
	a := m.Tokens("Israeli strike kills 7 at school in Jabalia, Gaza")
	others := [][]string{
		m.Tokens("Gaza health ministry says toll rises after strike on Rafah"),
		m.Tokens("UN chief warns of famine in northern Gaza as aid stalls"),
		m.Tokens("Seven killed in Israeli strike on Jabalia school"),
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Score(a, others[i%len(others)])
	}
}

// BenchmarkScorePrefilter is ScorePrefilter on candidates as the rare-key
// index hands them over: one that shares the common words only, one of
// fewer tokens (where a doer left out may matter), and a near duplicate.
func BenchmarkScorePrefilter(b *testing.B) {
	m := Default()
	x := ScorePrefilter(m.Tokens("Israeli strike kills 7 at school in Jabalia, Gaza"), 0.8)
	for _, tc := range []struct{ name, other string }{
		{"miss", "Gaza health ministry says toll rises after strike on Rafah"},
		{"short", "Strike on Rafah kills 7"},
		{"near", "Seven killed in Israeli strike on Jabalia school"},
	} {
		joined := strings.Join(m.Tokens(tc.other), "\x00")
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				x(joined)
			}
		})
	}
}

// BenchmarkScoreMaskFilter is ScoreMaskFilter on the candidates of
// BenchmarkScorePrefilter.
func BenchmarkScoreMaskFilter(b *testing.B) {
	m := Default()
	x := ScoreMaskFilter(m.Tokens("Israeli strike kills 7 at school in Jabalia, Gaza"), 0.8)
	for _, tc := range []struct{ name, other string }{
		{"miss", "Gaza health ministry says toll rises after strike on Rafah"},
		{"short", "Strike on Rafah kills 7"},
		{"near", "Seven killed in Israeli strike on Jabalia school"},
	} {
		mask := TokenMask(m.Tokens(tc.other))
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				x(mask)
			}
		})
	}
}
