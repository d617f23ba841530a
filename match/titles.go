package match

import (
	"strings"
	"sync"
)

// Wires name one person their own way: "French President Emmanuel Macron",
// "Macron", "الرئيس الفرنسي ماكرون". A run of words that one headline has
// and the other has not, standing right before a name both share and
// holding a title (president, minister, الرئيس, وزير ...), is how the person
// is introduced, not what happened: Score does not count it. The bounds
// below keep that from hiding a story: the run is at most maxTitleRun
// words without digits, it must end at a shared word that is not a verb
// ("Israeli President meets Blinken" / "Israeli PM meets Blinken" keep
// their titles, which name two people), and a headline loses at most
// maxTitleDiscount words so. ScorePrefilter and the keys allow for it.

const (
	maxTitleRun      = 4
	maxTitleDiscount = 4
)

// titleWords are the words of titles, in the surface forms wires write;
// titleSet holds them as the pipeline writes them.
var titleWords = strings.Fields(`
president vice prime minister pm premier chancellor king queen prince princess crown emir sheikh sultan
secretary foreign defence defense interior finance state general gen chief leader supreme spokesman
spokeswoman spokesperson envoy ambassador mayor governor senator congressman commander head former
رئيس الرئيس وزير الوزير ملك الملك العاهل امير الامير ولي العهد شيخ الشيخ سلطان مستشار المستشار
قائد زعيم امين الامين عام المتحدث متحدث سفير السفير مبعوث المبعوث حاكم نائب السابق
`)

var titleSet = sync.OnceValue(func() map[string]bool {
	m := Default()
	set := map[string]bool{}
	for _, w := range titleWords {
		for _, n := range strings.Fields(Normalize(w)) {
			c, _ := m.canonicalWord(Stem(foldLatin(n)))
			for _, t := range strings.Fields(c) {
				set[t] = true
			}
		}
	}
	return set
})

// titleDiscount returns the weight of the tokens of t that Score does not
// count as introductions of a person (see above); partner[i] is the index
// of t[i]'s partner in the other headline, or -1, and otherPartner the
// same for the other headline's tokens.
func titleDiscount(t []string, partner, otherPartner []int8) int {
	d := 0
	ts := titleSet()
	for i := 0; i < len(t); {
		if partner[i] >= 0 {
			i++
			continue
		}
		j := i
		title := false
		digits := false
		for j < len(t) && partner[j] < 0 {
			title = title || ts[t[j]]
			digits = digits || weight(t[j]) != 1
			j++
		}
		// The other headline names the person bare: nothing of its own
		// stands right before the shared name.
		bare := j < len(t) && (partner[j] == 0 || partner[j] > 0 && otherPartner[partner[j]-1] >= 0)
		if bare && j-i <= maxTitleRun && title && !digits && !isVerb(t[j]) {
			d += j - i
		}
		i = j
	}
	return min(d, maxTitleDiscount)
}

// hasTitle reports whether tokens hold a title word, so that Score may
// discount up to maxTitleDiscount of their weight.
func hasTitle(tokens []string) bool {
	for _, t := range tokens {
		if titleSet()[t] {
			return true
		}
	}
	return false
}
