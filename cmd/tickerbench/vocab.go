package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The vocabulary corpus draws every headline's words from one news
// vocabulary ranked by how often wires use them, with Zipf's law: the few
// words every wire shares (غزة, الاحتلال, رام الله; Gaza, minister, said)
// come up in most headlines, a long tail of places, people and numbers in
// few. Real wires are like that, and it is the hard case for dedupe: on
// headlines made of unique names (the names corpus) any shared word means
// a near duplicate, here most candidates share words and are not.

// commonArabic and commonEnglish are the head of each vocabulary, most
// used first.
var (
	commonArabic = strings.Fields(`الاحتلال غزة رام الله الضفة القدس قوات الرئيس وزير يعتقل شهداء
		الفلسطينية الإسرائيلي الحكومة مخيم جنين نابلس الخليل بلدة شبان مستوطنون يقتحم قصف غارة
		مجلس الأمن الأمم المتحدة وزارة الصحة حصيلة ارتفاع اليوم الليلة صباح مساء ترامب بايدن
		نتنياهو السيسي أردوغان مصر الأردن لبنان سوريا العراق إيران السعودية قطر تركيا روسيا
		أوكرانيا الجيش الشرطة المفاوضات الهدنة المساعدات الإنسانية الاقتصاد النفط أسعار البنك`)
	commonEnglish = strings.Fields(`Gaza Israeli minister said says police killed president West Bank
		army forces Palestinian government talks ceasefire strike attack Hamas Israel Trump Biden
		Netanyahu UN Security Council health ministry toll rises new over after amid calls warns
		Egypt Jordan Lebanon Syria Iraq Iran Saudi Qatar Turkey Russia Ukraine Kyiv Moscow Tehran
		oil prices bank economy aid humanitarian officials sources report election vote court`)
)

// vocabulary is one language's ranked word list: its common words, then
// the rare words (names), with numbers spread through the tail.
type vocabulary struct {
	words []string
}

func newVocabulary(common, rare []string) *vocabulary {
	v := &vocabulary{words: append([]string(nil), common...)}
	for i, w := range rare {
		v.words = append(v.words, w)
		if i%40 == 0 {
			v.words = append(v.words, fmt.Sprint(3+i/40%500))
		}
	}
	return v
}

var vocabArabic, vocabEnglish = newVocabulary(commonArabic, rareArabic), newVocabulary(commonEnglish, rareEnglish)

// zipfS is the exponent of the word ranks: about 1 in news text. With it
// and 20,000 words, the commonest word is in about one headline of
// three, and half of a headline's words are from the first hundred.
const zipfS = 1.05

// vocabHeadline is a headline of eight words drawn from the vocabulary by
// rank with Zipf's law, none twice.
func vocabHeadline(r *rand.Rand, arabic bool) string {
	v := vocabEnglish
	if arabic {
		v = vocabArabic
	}
	z := rand.NewZipf(r, zipfS+0.0001, 1, uint64(len(v.words)-1))
	var picked [8]int
	n := 0
	for n < len(picked) {
		k := int(z.Uint64())
		dup := false
		for _, p := range picked[:n] {
			dup = dup || p == k
		}
		if !dup {
			picked[n] = k
			n++
		}
	}
	parts := make([]string, n)
	for i, k := range picked[:n] {
		parts[i] = v.words[k]
	}
	return strings.Join(parts, " ")
}

// decorate is how feed n republishes a story another wire told: as it is,
// with its own name after it, or with a label before it.
func decorate(title string, n int, arabic bool) string {
	switch n % 4 {
	case 1:
		if arabic {
			return title + " - وكالة الأنباء"
		}
		return title + " | AP News"
	case 2:
		if arabic {
			return "عاجل: " + title
		}
		return "UPDATE 1-" + title
	case 3:
		if arabic {
			return title + " وفق مصادر محلية"
		}
		return title + ", officials said"
	}
	return title
}
