package match

import (
	"cmp"
	"slices"
	"strings"
)

// Version identifies the rules of Normalize, Tokens, Stem, Similarity and
// Signature. Anything that stores their results (normalized titles, index
// keys) should record it and rebuild when it changes: a key computed under
// other rules will not be found again.
const Version = 12

// strongWeight is the weight of a token that names a number or a negation.
// A differing count, score or date, or a "not", changes the story however
// many other words agree ("kills 5" and "kills 7", "2-1" and "2-2").
const strongWeight = 3

// negations are weighted like numbers (see strongWeight), in normalized,
// stemmed form. Those mapped to true are verbal negations: a headline that
// has one says the opposite of a headline that has none ("aid has not
// reached Gaza"), and Similarity scores such a pair 0. The others also
// build ordinary words (منظمة غير حكومية is an NGO, دون سن 18 is "under
// 18"), so they only weigh.
var negations = map[string]bool{
	"لا": true, "لم": true, "لن": true, "ليس": true, "عدم": true,
	"not": true, "never": true,
	// A denial says it did not happen: "Egypt denies reaching deal" is
	// not "Egypt announces deal" (the lexicon's canonical forms).
	"deny": true, "ينفي": true,
	// So does a refusal: "Saudi Arabia refuses to raise fuel prices"
	// is not "Saudi Arabia raises fuel prices".
	"reject": true, "يرفض": true,
	// And a failure: "Lebanon's parliament fails to elect Aoun" is not
	// "Lebanon's parliament elects Aoun".
	"fail": true, "يفشل": true,
	// And an act undone: "Iraq lifts ban on …" is not "Iraq bans …",
	// "X cancels visit" not "X visits".
	"lift": true, "cancel": true, "يلغي": true,
	"غير": false, "دون": false, "بدون": false, "no": false, "without": false, "nor": false,
}

// maxNegation is the length in bytes of the longest negation: longer
// tokens skip the map lookup, which Similarity would otherwise make for
// every token of every candidate headline.
const maxNegation = 8

// weight is how much a token counts in Similarity. Tokens are normalized,
// so their digits are ASCII. A mark (see isMark) counts nothing.
func weight(t string) int {
	if isMark(t) {
		return 0
	}
	for i := 0; i < len(t); i++ {
		if '0' <= t[i] && t[i] <= '9' {
			return strongWeight
		}
	}
	if len(t) <= maxNegation {
		if _, ok := negations[t]; ok {
			return strongWeight
		}
	}
	return 1
}

// negated reports whether tokens hold a verbal negation (see negations).
func negated(tokens []string) bool {
	for _, t := range tokens {
		if len(t) <= maxNegation && negations[t] {
			return true
		}
	}
	return false
}

// Similarity returns how alike two headlines' token sets are (as Tokens
// returns them), from 0 (nothing shared, or either empty) to 1 (the same
// set). Duplicates count once and only the first 64 tokens of each are
// looked at, as in Tokens.
//
// A verbal negation (not, never, لا, لم, لن, ليس, عدم; a denial) on one side only
// makes the score 0: the two say opposite things. Otherwise each token
// weighs 1, or 3 when it holds a digit or is a negation. With S the weight
// of the shared tokens, and A and B the weight of the tokens only one side
// has,
//
//	Similarity = S / (S + A + B + 2·min(A, B))
//
// That is weighted Jaccard, S / (S+A+B), plus a charge for swaps: when both
// sides have words of their own, min(A, B) of them replace each other, and
// a swapped word costs four where an added word costs one. Wires that tell
// the same story add to it: a label, a source ("- رويترز"), a day, an
// adjective; the other headline then has nothing of its own. Different
// stories told in the same words swap instead: Silwad for Aboud, Erdogan
// and Sisi for 60 countries, Cairo for Amman. At 0.8, counting shared plain
// words, one added word is tolerated from four up, two from eight, one
// added number or weak negation (no, غير) from twelve, one swapped word
// from sixteen, and a changed number from forty-eight, which is to say
// never. The pair corpus in testdata/pairs.tsv holds the examples.
//
// Similarity does not allocate and is safe for concurrent use.
func Similarity(a, b []string) float64 {
	a, b = a[:min(len(a), maxTokens)], b[:min(len(b), maxTokens)]
	if negated(a) != negated(b) {
		return 0
	}
	var shared, onlyA, onlyB int
	for i, t := range a {
		if slices.Contains(a[:i], t) {
			continue
		}
		if slices.Contains(b, t) {
			shared += weight(t)
		} else {
			onlyA += weight(t)
		}
	}
	if shared == 0 {
		return 0
	}
	for i, t := range b {
		if !slices.Contains(b[:i], t) && !slices.Contains(a, t) {
			onlyB += weight(t)
		}
	}
	return float64(shared) / float64(shared+onlyA+onlyB+2*min(onlyA, onlyB))
}

// Prefilter prepares the tokens a (as Tokens returns them) for a quick
// test against many stored candidates before Similarity. The test it
// returns gets a candidate b's tokens as one string that holds every one
// of them, such as the tokens joined by separators, so that a store can
// skip most candidates without splitting them; it answers false only when
// Similarity(a, b) < threshold. It looks for a's tokens in joined and
// stops as soon as too few are left to reach threshold: a candidate that
// shares one word of eight costs a few substring searches.
//
// The bound: Similarity is at most S / (S + A), the weight a shares with b
// over a's whole weight, and every token a shares with b occurs in joined.
// The test does not allocate and is safe for concurrent use.
func Prefilter(a []string, threshold float64) func(joined string) bool {
	p := newProbe(a)
	// The slack keeps a pair scored at threshold exactly, give or take
	// rounding, as Signature does.
	need := threshold*float64(p.total) - 1e-9
	return func(joined string) bool { return p.reaches(joined, need) }
}

// probe is a headline's unique tokens and their weights, for Prefilter.
type probe struct {
	tokens []string // heaviest first
	weight []int
	total  int
}

func newProbe(a []string) *probe {
	a = a[:min(len(a), maxTokens)]
	p := &probe{tokens: make([]string, 0, len(a))}
	for i, t := range a {
		if !isMark(t) && !slices.Contains(a[:i], t) {
			p.tokens = append(p.tokens, t)
		}
	}
	// Heaviest first: a missing number rules a candidate out soonest.
	slices.SortStableFunc(p.tokens, func(x, y string) int { return cmp.Compare(weight(y), weight(x)) })
	p.weight = make([]int, len(p.tokens))
	for i, t := range p.tokens {
		p.weight[i] = weight(t)
		p.total += p.weight[i]
	}
	return p
}

// reaches is the test of Prefilter and ScorePrefilter: whether joined
// holds at least need of p's weight, given up as soon as too little is
// left to find.
func (p *probe) reaches(joined string, need float64) bool {
	found, left := 0, p.total
	for i, t := range p.tokens {
		left -= p.weight[i]
		if strings.Contains(joined, t) {
			found += p.weight[i]
		} else if float64(found+left) < need {
			return false
		}
	}
	return float64(found) >= need
}

// Same reports whether two headlines tell the same story: their normalized
// forms are equal and not empty, or threshold is above zero and the
// Similarity of their tokens is at least threshold. A threshold of zero or
// less turns near-duplicate matching off, as dedupe.similarity: 0 does; 0.8,
// the default, is what the pair corpus is tuned for. Empty normalized
// headlines ("", "!!!", "عاجل:") match nothing, not even each other.
//
// Callers that keep normalized titles and tokens can decide the same way
// without normalizing again:
//
//	na != "" && (na == nb || threshold > 0 && Similarity(ta, tb) >= threshold)
//
// Safe for concurrent use.
func Same(a, b string, threshold float64) bool {
	na := Normalize(a)
	if na == "" {
		return false
	}
	nb := Normalize(b)
	if na == nb {
		return true
	}
	if nb == "" || !(threshold > 0) {
		return false
	}
	return Similarity(Tokens(na), Tokens(nb)) >= threshold
}

// Signature returns the index keys of a headline's tokens (as Tokens
// returns them) for a store that must find near-duplicate candidates
// without scanning: store an item under each of its keys, and look a new
// headline up under each of its own.
//
// The guarantee is exact, not probabilistic: if Similarity(a, b) >=
// threshold, then Signature(a, threshold) and Signature(b, threshold)
// share at least one key. Keys computed at one threshold serve every higher
// one, so an index built at the lowest threshold a deployment will use
// stays valid when the threshold is raised; lowering it needs a rebuild.
// Headlines with equal normalized forms share all their keys, except when
// they have no tokens at all (only stop words); key those by the normalized
// title itself.
//
// The keys are tokens, in a fixed order (longest first, then bytewise):
// the prefix of that order long enough that any set overlapping at
// threshold must meet it. This is the prefix filter of set-similarity
// joins: Similarity ≥ t implies weighted Jaccard ≥ t, so the shared weight
// is at least t·w(a); the first shared token in the fixed order is then
// followed, in both headlines, by at least that much weight, which puts it
// within both prefixes. At 0.8 a headline of eight plain tokens gets two
// keys; of four, one. Longest first because long words tend to be rare
// names, which keeps the lists under each key short.
//
// A threshold of zero or less, or NaN, gives no keys (nothing but equal
// titles can match); above 1 counts as 1. The result is a new slice whose
// strings share memory with tokens. Safe for concurrent use.
func Signature(tokens []string, threshold float64) []string {
	if !(threshold > 0) || len(tokens) == 0 {
		return nil
	}
	threshold = min(threshold, 1)
	keys := slices.DeleteFunc(slices.Clone(tokens[:min(len(tokens), maxTokens)]), isMark)
	slices.SortFunc(keys, func(x, y string) int {
		if c := cmp.Compare(len(y), len(x)); c != 0 {
			return c
		}
		return strings.Compare(x, y)
	})
	keys = slices.Compact(keys)
	total := 0
	for _, k := range keys {
		total += weight(k)
	}
	// Any match shares at least need; the slack keeps a key whose suffix
	// weight equals need when rounding puts need a hair above it.
	need := threshold*float64(total) - 1e-9
	suffix := total
	for i, k := range keys {
		if float64(suffix) < need {
			return keys[:i:i]
		}
		suffix -= weight(k)
	}
	return keys
}

// Keys returns the index keys under which a store files a headline's
// canonical tokens (as Matcher.Canonical returns them) for near-duplicate
// lookups at threshold: the keys of Signature, under whose guarantee two
// headlines whose tokens agree exactly enough to score threshold share a
// key, and the next token of Signature's order, so that a pair whose
// Score counts one token as a near spelling (بلينكن, بلنكن) still meets
// on another. A threshold of zero or less gives no keys. The result is a
// new slice; safe for concurrent use.
func Keys(tokens []string, threshold float64) []string {
	sig := Signature(tokens, threshold)
	if len(sig) == 0 {
		return sig
	}
	all := Signature(tokens, 1e-9) // every token, in Signature's order
	if len(all) > len(sig) {
		return all[: len(sig)+1 : len(sig)+1]
	}
	return sig
}

// RareKeys is Signature with the tokens ranked by rarity rather than length:
// count gives how many stored headlines had a token, and the rarest come
// first (ties: longest, then bytewise). A store that files each headline
// under its RareKeys and looks new ones up under theirs gets, as
// candidates, the few stories that share its unusual words (a village, a
// name) rather than every story that says Gaza or minister; Signature's
// guarantee holds as long as the two headlines were ranked by the same
// counts, and counts that grow between them only reorder tokens whose
// counts were close. A nil count ranks by length, as Keys.
func RareKeys(tokens []string, count func(string) uint32, threshold float64) []string {
	return rareKeys(tokens, count, threshold, 0)
}

// RareLookupKeys are the keys a new headline is looked up under when
// stored ones are filed under RareKeys: those and the next rarest token.
// Reading one more key costs a lookup a short walk; writing it would cost
// every commit a page. The one more is for a pair that meets on a near
// spelling: the two spellings, both rare, each take a place in their own
// headline's keys, and the next token is the one they share.
func RareLookupKeys(tokens []string, count func(string) uint32, threshold float64) []string {
	return rareKeys(tokens, count, threshold, 1)
}

func rareKeys(tokens []string, count func(string) uint32, threshold float64, extra int) []string {
	if count == nil {
		return Keys(tokens, threshold)
	}
	if !(threshold > 0) || len(tokens) == 0 {
		return nil
	}
	threshold = min(threshold, 1)
	type ranked struct {
		t string
		n uint32
	}
	var buf [maxTokens]ranked
	rs := buf[:0]
	for i, t := range tokens[:min(len(tokens), maxTokens)] {
		if !isMark(t) && !slices.Contains(tokens[:i], t) {
			rs = append(rs, ranked{t, count(t)})
		}
	}
	slices.SortFunc(rs, func(x, y ranked) int {
		if c := cmp.Compare(x.n, y.n); c != 0 {
			return c
		}
		if c := cmp.Compare(len(y.t), len(x.t)); c != 0 {
			return c
		}
		return strings.Compare(x.t, y.t)
	})
	total := 0
	for _, r := range rs {
		total += weight(r.t)
	}
	need := threshold*float64(total) - 1e-9
	suffix, n := total, len(rs)
	for i, r := range rs {
		if float64(suffix) < need {
			n = i
			break
		}
		suffix -= weight(r.t)
	}
	n = min(n+extra, len(rs))
	keys := make([]string, n)
	for i := range keys {
		keys[i] = rs[i].t
	}
	return keys
}
