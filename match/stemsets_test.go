package match

import "testing"

// Word sets that are looked up with a stemmed token must hold their words
// as Stem leaves them: a key Stem would change is never found (واسع is
// اسع once its waw is read as a conjunction, so a filler written واسع
// was never dropped).
func TestStemmedSetsHoldStems(t *testing.T) {
	sets := map[string]map[string]bool{
		"fillers":             fillers,
		"sayings":             sayings,
		"arabicTitleWords":    arabicTitleWords,
		"arabicNotNames":      arabicNotNames,
		"arabicCompoundNames": arabicCompoundNames,
		"qualifiers":          qualifiers,
		"attributionCues":     attributionCues,
		"formerWords":         formerWords,
		"honorifics":          honorifics,
		"dualBases":           dualBases,
	}
	for name, set := range sets {
		for w := range set {
			if got := Stem(Normalize(w)); got != w {
				t.Errorf("%s holds %q, which tokens give as %q: write that", name, w, got)
			}
		}
	}
}
