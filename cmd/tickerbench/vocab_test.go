package main

import (
	"math/rand/v2"
	"testing"

	"tickerd/match"
)

// TestVocabularyHeadlinesStayApart scores every pair of the vocabulary
// corpus's own headlines (47,000, as figure 2 at 1000 × 50 draws them)
// that a store would look up, the way the store does: by their rarest
// tokens. None tells another's story, so a pair that merges is a false
// merge the corpus makes figure 2 count as a duplicate. One pair of word
// salads shares four of five tokens and merges at 0.8 on any rules; a
// rule that gives 1 to a pair sharing a word or two shows here (the
// speaker left out did, before it asked for three shared).
func TestVocabularyHeadlinesStayApart(t *testing.T) {
	if testing.Short() {
		t.Skip("scores 47,000 headlines")
	}
	const maxFalse = 1
	m := match.Default()
	type headline struct {
		title string
		toks  []string
	}
	var all []headline
	for n := range 1000 {
		r := rand.New(rand.NewPCG(uint64(n), 0))
		for j := range 50 {
			if j%20 == 0 {
				continue // the shared stories of figure 2
			}
			title := vocabHeadline(r, arabicOf(n))
			_, toks := m.Canonical(title)
			all = append(all, headline{title, toks})
		}
	}
	df := map[string]uint32{}
	for _, h := range all {
		for _, t := range h.toks {
			df[t]++
		}
	}
	count := func(t string) uint32 { return df[t] }
	index := map[string][]int{}
	for i, h := range all {
		for _, k := range match.RareKeys(h.toks, count, 0.8) {
			index[k] = append(index[k], i)
		}
	}
	merged := 0
	for i, h := range all {
		seen := map[int]bool{}
		for _, k := range match.RareLookupKeys(h.toks, count, 0.8) {
			for _, j := range index[k] {
				if j <= i || seen[j] || all[j].title == h.title {
					continue
				}
				seen[j] = true
				if match.Score(h.toks, all[j].toks) >= 0.8 {
					merged++
					t.Logf("merged:\n  %s %q\n  %s %q", h.title, h.toks, all[j].title, all[j].toks)
				}
			}
		}
	}
	if merged > maxFalse {
		t.Errorf("%d pairs of %d vocabulary headlines merge, want at most %d", merged, len(all), maxFalse)
	}
}
